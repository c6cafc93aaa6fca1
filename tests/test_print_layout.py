"""Every word in its place: a long briefing the sample never exercises, read back from the
built PDF (pdfplumber), the e-book's XHTML and the deck — wide tables, figures that cannot fit
where they fall, a 28-word title, a chart with pandoc's caption line, a list ten levels deep."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.text import PP_ALIGN

from builders.build import pipeline
from builders.core.errors import TriptychError
from builders.reading import read_narrative

TITLE = ("The long and winding road of the northern European electricity grid from coal to wind and solar "
         "power through two decades of reform, regulatory change and public investment")
WORDS = ("grid storage capacity reservoir interconnector transmission auction tariff regulator municipal turbine "
         "substation household consumption winter demand balancing reserve market coupling operator curtailment").split()
CAPTION = "Illustrative only: approximate capacity of each source in megawatts"
OUTER_MARGIN_PT = 22 / 25.4 * 72  # the default theme's outer (right) page margin


def words(start: int, count: int) -> str:
    return " ".join(WORDS[(start * 7 + i * 3) % len(WORDS)] for i in range(count))


def paragraph(n: int, sentences: int = 5) -> str:
    return " ".join(words(n * 11 + s, 16).capitalize() + "." for s in range(sentences))


def long_narrative(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    Image.new("RGB", (1200, 1500), "#9DB4C9").save(folder / "images" / "tall.png")
    lines = ["---", f"title: {TITLE}", "subtitle: A stress test of the layout", "date: 2025-03-01",
             "authors: [{name: Ada Tester, affiliation: Layout Lab}]", "summary: " + paragraph(99, 2), "---", ""]
    lines += ["# Demand", "", paragraph(1), "", paragraph(2), ""]
    lines += ["| " + " | ".join(f"Heading {c}" for c in range(1, 7)) + " |", "|:--|:--|:--|:--|:--|--:|"]
    for r in range(30):
        cells = [f"Row {r + 1} " + words(r * 6 + c, 4 + (r + c) % 9) for c in range(5)]
        if r % 7 == 0:
            cells[2] = f"https://example.org/reports/2024/annual-capacity-statistics-{r}.pdf"
        lines.append("| " + " | ".join(cells) + f" | {r + 1},{r % 10}00 |")
    lines += ["", "Table: Thirty rows of six columns with long cells", ""]
    for section in range(2, 6):
        lines += [f"# Section {section}", "", paragraph(section * 3), "", paragraph(section * 3 + 1, 9), ""]
        lines += [f"![A tall figure that cannot fit where it falls, number {section}.](images/tall.png)", ""]
        lines += [paragraph(section * 3 + 2, 8), "", paragraph(section * 3 + 3, 8), "", paragraph(section * 3 + 4, 6), ""]
    lines += ["# Money", "", paragraph(40), "",
              '::: {.chart type="bar" units="MW"}', "| Source | Capacity |", "|:--|--:|", "| Wind | 1,000 |",
              "| Solar photovoltaic on rooftops and fields | 650 |", "| Hydro | 420 |", "", f"Table: {CAPTION}", ":::", "",
              "| Item | Cost | Note |", "|:--|--:|:-:|", "| Interconnector | $1.5 billion | first |",
              "| Reservoir | $12.75 billion | second |", "| Substations | $300 million | third |", "", ": Costs of the programme", "",
              "| " + " | ".join(f"Indicator{c:02d}" for c in range(16)) + " |", "|" + "|".join("--" for _ in range(16)) + "|"]
    for r in range(5):
        lines.append("| " + " | ".join(f"Übertragungsnetz{r}{c:02d}" for c in range(16)) + " |")
    lines += ["", "Table: Sixteen columns that no portrait page can hold", "", paragraph(41), ""]
    lines += ["# Depth", ""] + ["    " * d + f"- Level {d + 1} item with words that must survive" for d in range(10)]
    lines += ["", "Paragraph after the deep list must survive too.", "", paragraph(42), "", paragraph(43), ""]
    path = folder / "long.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("long")
    log = pipeline.BuildLog()
    artefacts = pipeline.build(long_narrative(folder / "src"), ["pdf", "epub", "pptx"], folder / "out", log=log)
    paths = {a.path.suffix: a.path for a in artefacts}
    with pdfplumber.open(paths[".pdf"]) as pdf:
        pages = [{"width": float(p.width), "height": float(p.height), "chars": p.chars, "text": p.extract_text() or "",
                  "words": p.extract_words(keep_blank_chars=True, x_tolerance=1.5),
                  "marks": [(float(o["top"]), float(o["bottom"])) for o in p.chars + p.images + p.rects + p.curves + p.lines]}
                 for p in pdf.pages]
    with zipfile.ZipFile(paths[".epub"]) as book:
        xhtml = "\n".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
        css = "\n".join(book.read(n).decode() for n in book.namelist() if n.endswith(".css"))
    deck = Presentation(str(paths[".pptx"]))
    return {"pages": pages, "xhtml": xhtml, "css": css, "deck": deck, "warnings": [str(w) for w in log.warnings]}


def pdf_text(built: dict) -> str:
    return " ".join(" ".join(p["text"].split()) for p in built["pages"])


def deck_texts(deck) -> list[str]:
    out = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out.extend(cell.text for row in shape.table.rows for cell in row.cells)
        if slide.has_notes_slide:
            out.append(slide.notes_slide.notes_text_frame.text)
    return out


def test_no_character_lies_outside_the_text_block(built):
    for number, page in enumerate(built["pages"], 1):
        ink = [c for c in page["chars"] if c["text"].strip()]
        right = max(float(c["x1"]) for c in ink)
        assert right <= page["width"] - OUTER_MARGIN_PT + 1, f"page {number}: text reaches x = {right:.0f} pt"
        assert min(float(c["x0"]) for c in ink) >= 14 and min(float(c["top"]) for c in ink) >= 14


def test_no_page_but_the_last_is_a_quarter_empty(built):
    """The independent instrument's rule: the tallest empty band between head and foot bands,
    landscape pages included."""
    for number, page in enumerate(built["pages"][:-1], 1):
        top, bottom = 0.08 * page["height"], 0.92 * page["height"]
        edge, gap = top, 0.0
        for y0, y1 in sorted((max(a, top), min(b, bottom)) for a, b in page["marks"] if b >= top and a <= bottom):
            gap, edge = max(gap, y0 - edge), max(edge, y1)
        gap = max(gap, bottom - edge)
        assert gap <= 0.25 * page["height"], f"page {number}: an empty band of {gap / page['height']:.0%}"


def test_a_caption_never_ends_a_page(built):
    for number, page in enumerate(built["pages"][:-1], 1):
        last = page["text"].strip().splitlines()[-1]
        assert not re.match(r"(Table|Figure) \d+\.", last), f"page {number} ends with its caption: {last}"


def test_a_long_title_is_shortened_at_a_word_for_the_running_head(built):
    page = built["pages"][2]
    head = [c for c in page["chars"] if float(c["bottom"]) < 24 / 25.4 * 72]  # no publisher: the head alone
    assert len({round(float(c["top"])) for c in head}) == 1, "the running head takes more than one line"
    text = "".join(c["text"] for c in sorted(head, key=lambda c: float(c["x0"])))
    assert text.endswith("…")
    shown = text.removesuffix("…").strip()
    assert TITLE.upper().startswith(shown) and TITLE.upper()[len(shown)] == " ", text


def test_the_tables_caption_line_is_the_charts_caption_in_every_format(built):
    text = pdf_text(built)
    assert CAPTION in text and "1,000" in text
    assert not re.search(r"Figure \d+\.\s*(Figure|Table|$)", text)
    assert CAPTION in built["xhtml"]
    assert any(CAPTION in t for t in deck_texts(built["deck"]))


def test_the_chart_font_family_is_quoted_for_the_e_book(built):
    # The theme's family first, quoted; then any fallback for a script or mark it lacks (this narrative's
    # deep lists print ◦), with no space after the commas: WeasyPrint's SVG reader would keep it in the name.
    assert re.search(r'font-family="&#39;Source Sans 3&#39;,(&#39;[A-Za-z0-9 ]+&#39;,)*sans-serif"', built["xhtml"])


def test_a_right_aligned_column_is_flush_right_and_amounts_do_not_break(built):
    cells = ["$1.5 billion", "$12.75 billion", "$300 million"]
    found = {w["text"].strip(): w for p in built["pages"] for w in p["words"] if w["text"].strip() in cells}
    assert set(found) == set(cells), "each amount is one word on one line"
    rights = [float(found[c]["x1"]) for c in cells]
    lefts = [float(found[c]["x0"]) for c in cells]
    assert max(rights) - min(rights) < 1.5 and max(lefts) - min(lefts) > 1.5
    assert re.search(r'<td class="right[^"]*"><span class="nobr">\$1\.5 billion</span></td>', built["xhtml"])
    assert re.search(r'<td class="center">first</td>', built["xhtml"])
    aligned = {p.text: p.alignment for s in built["deck"].slides for sh in s.shapes if sh.has_table
               for row in sh.table.rows for cell in row.cells for p in cell.text_frame.paragraphs}
    # On the slide the amount is held together by a no-break space (slide software has no span).
    joined = [c.replace(" ", "\u00a0") for c in cells]
    assert all(aligned[c] == PP_ALIGN.RIGHT for c in joined) and aligned["first"] == PP_ALIGN.CENTER


def test_a_table_too_wide_for_the_page_turns_landscape_with_a_located_warning(built):
    assert any(p["width"] > p["height"] for p in built["pages"])
    text = pdf_text(built)
    assert all(f"netz{r}{c:02d}" in text for r in range(5) for c in range(16))  # every cell, its last column too
    [warning] = [w for w in built["warnings"] if "landscape" in w]
    assert re.search(r"long\.md:\d+:1: table 3 \(16 columns\) is wider than the text block", warning)


def test_a_list_ten_levels_deep_keeps_every_word_in_every_format(built):
    needles = ["Level 10 item with words that must survive", "Paragraph after the deep list must survive too."]
    deck = " ".join(" ".join(t.split()) for t in deck_texts(built["deck"]))
    xhtml = " ".join(re.sub(r"<[^>]+>", " ", built["xhtml"]).split())
    for needle in needles:
        assert needle in pdf_text(built) and needle in xhtml and needle in deck, needle
    assert any("list nested deeper than 5 levels" in w for w in built["warnings"])


def test_e_book_type_sizes_are_relative(built):
    sizes = re.findall(r"font-size:\s*([^;}]+)", built["css"])
    assert sizes and not [s for s in sizes if s.strip().endswith("pt")]


def test_a_paragraph_in_a_chart_that_is_neither_data_nor_caption_is_located(narrative):
    source = narrative('::: {.chart type="bar"}\n| a | b |\n|--|--:|\n| x | 1 |\n\nTable: The caption\n\nA stray thought.\n:::\n')
    with pytest.raises(TriptychError, match=r"doc\.md:13:1: a chart block holds its data table and one caption"):
        read_narrative(source)
