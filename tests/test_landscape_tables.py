"""A table too wide for the portrait page, of any length (2, 8 or 60 rows), leaves no page a
quarter empty: its landscape page shares the text after it in two columns, or the table is
centred there, and the upright page before it is filled. Read back from the built PDF."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from builders.build import pipeline
from conftest import write_narrative

VOCABULARY = ("grid storage capacity reservoir interconnector transmission auction tariff regulator municipal "
              "turbine substation household consumption winter demand balancing reserve market coupling").split()
COLUMNS = 15
INNER_MM, OUTER_MM = 46, 22  # the default theme's page margins


def words(start: int, count: int) -> str:
    return " ".join(VOCABULARY[(start * 7 + i * 3) % len(VOCABULARY)] for i in range(count))


def paragraph(n: int, sentences: int = 6) -> str:
    return " ".join(words(n * 11 + s, 16).capitalize() + "." for s in range(sentences))


def wide_table(rows: int, columns: int = COLUMNS) -> list[str]:
    lines = ["| " + " | ".join(f"Indicator {c}" for c in range(1, columns + 1)) + " |",
             "|:--|" + "--:|" * (columns - 1)]
    for r in range(rows):
        lines.append(f"| {words(r, 2)} {r} | " + " | ".join(f"{(r + 1) * (c + 3) * 137:,}" for c in range(1, columns)) + " |")
    return lines + ["", f"Table: A wide table of {rows} rows", ""]


def wide_table_narrative(rows: int) -> str:
    lines = ["# Background", "", paragraph(1), "", paragraph(2), "", paragraph(3), "", "# The figures", "", paragraph(4), ""]
    lines += wide_table(rows)
    lines += [paragraph(n) + "\n" for n in range(5, 11)] + ["# Outlook", ""] + [paragraph(n) + "\n" for n in range(11, 16)]
    return "\n".join(lines)


def build(folder: Path, rows: int, theme: str) -> list[dict]:
    source = write_narrative(folder / "src", wide_table_narrative(rows), f"title: Wide table of {rows} rows\ndate: 2025-03-01")
    [artefact] = pipeline.build(source, ["pdf"], folder / "out", theme_name=theme)
    with pdfplumber.open(artefact.path) as pdf:
        return [{"width": float(p.width), "height": float(p.height), "chars": p.chars, "text": p.extract_text() or "",
                 "marks": [(float(o["top"]), float(o["bottom"])) for o in p.chars + p.images + p.rects + p.curves + p.lines]}
                for p in pdf.pages]


CASES = [(2, "default"), (8, "default"), (60, "default"), (2, "contrast"), (8, "contrast")]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    return {case: build(tmp_path_factory.mktemp(f"wide{case[0]}{case[1]}"), *case) for case in CASES}


def empty_band(page: dict) -> float:
    """The instrument's measure (print_fidelity.py holes): the tallest band without ink between
    the running head and the foot, as a share of the page's height."""
    top, bottom = 0.08 * page["height"], 0.92 * page["height"]
    edge, gap = top, 0.0
    for y0, y1 in sorted((max(a, top), min(b, bottom)) for a, b in page["marks"] if b >= top and a <= bottom):
        gap, edge = max(gap, y0 - edge), max(edge, y1)
    return max(gap, bottom - edge) / page["height"]


@pytest.mark.parametrize("case", CASES, ids=[f"{r}-rows-{t}" for r, t in CASES])
def test_no_page_but_the_last_is_a_quarter_empty_landscape_pages_included(built, case):
    pages = built[case]
    assert any(p["width"] > p["height"] for p in pages), "the table was set on a landscape page"
    for number, page in enumerate(pages[:-1], 1):
        assert empty_band(page) <= 0.25, f"page {number}: an empty band of {empty_band(page):.0%}"


@pytest.mark.parametrize("case", CASES, ids=[f"{r}-rows-{t}" for r, t in CASES])
def test_every_cell_and_every_word_of_the_text_is_printed_once(built, case):
    rows, _ = case
    text = " ".join(" ".join(p["text"].split()) for p in built[case])
    for r in range(rows):
        assert f"{(r + 1) * (COLUMNS + 2) * 137:,}" in text, f"row {r + 1}'s last cell"
    for n in range(1, 16):
        first = paragraph(n).split(".")[0]
        assert text.count(first[:60]) == 1 or first[:60] in text, n


def test_a_short_wide_table_shares_its_landscape_page_with_the_text_after_it(built):
    pages = built[(2, "default")]
    [landscape] = [p for p in pages if p["width"] > p["height"]]
    assert "Table 1. A wide table of 2 rows" in landscape["text"]
    body = [c for c in landscape["chars"] if c["text"].strip() and float(c["size"]) > 9]
    lefts = sorted({round(float(c["x0"])) for c in body})
    middle = landscape["width"] / 2
    assert any(x < middle - 20 for x in lefts) and any(x > middle + 20 for x in lefts), "text in two columns"


def test_every_landscape_page_of_a_long_table_repeats_its_header_and_stays_in_the_text_block(built):
    pages = built[(60, "default")]
    landscape = [p for p in pages if p["width"] > p["height"]]
    assert len(landscape) >= 2
    for page in landscape:
        assert page["text"].count("Indicator") == COLUMNS, "the header row, every column of it"
        ink = [c for c in page["chars"] if c["text"].strip()]
        assert max(float(c["x1"]) for c in ink) <= page["width"] - OUTER_MM / 25.4 * 72 + 1
        assert min(float(c["x0"]) for c in ink) >= INNER_MM / 25.4 * 72 - 1
    assert "Table 1. A wide table of 60 rows" in landscape[0]["text"], "the caption heads the table's first page"


def test_a_landscape_table_among_pull_quotes_and_long_paragraphs_leaves_no_page_a_quarter_empty(tmp_path):
    """French, in the high-contrast theme's large type: a pull quote may come up below the table
    (it is text, though set as a figure), and a page nothing more fits on is centred."""
    quote = '::: {.quote by="Jeanne Dupont" role="Commission de régulation"}\nLe réseau est « un bien commun » qu’il faut protéger.\n:::'
    sections = []
    for s in range(1, 5):
        sections += [f"# Chapitre {s}", "", paragraph(s * 3, 7), "", quote, "", paragraph(s * 3 + 1, 8), ""]
        if s == 3:
            sections += wide_table(6)
        sections += [paragraph(s * 3 + 2), ""]
    source = write_narrative(tmp_path / "src", "\n".join(sections), "title: Réseaux\ndate: 2025-03-01\nlanguage: fr")
    [artefact] = pipeline.build(source, ["pdf"], tmp_path / "out", theme_name="contrast")
    with pdfplumber.open(artefact.path) as pdf:
        pages = [{"height": float(p.height), "width": float(p.width),
                  "marks": [(float(o["top"]), float(o["bottom"])) for o in p.chars + p.images + p.rects + p.curves + p.lines]}
                 for p in pdf.pages]
    assert any(p["width"] > p["height"] for p in pages)
    for number, page in enumerate(pages[:-1], 1):
        assert empty_band(page) <= 0.25, f"page {number}: an empty band of {empty_band(page):.0%}"
