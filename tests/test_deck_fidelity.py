"""The deck says what the author wrote: every slide line a whole run of the narrative, nothing meant
for the slides dropped, nothing overflowing — on the sample, a generated long narrative, a Ukrainian
briefing and one with enumerations and long sentences. The narrative is read by pandoc here, not by
the project, so the check does not share the project's sentence splitter."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pptx import Presentation

from builders.build import pipeline
from builders.checks.deck_overflow import convert, overflows
from conftest import SAMPLE

pypandoc = pytest.importorskip("pypandoc")
FIXTURES = Path(__file__).parent / "fixtures"
# A unit of the author's text ends at a sentence end, a semicolon or a colon (closing quotes kept).
BOUNDARY = re.compile(r"[.!?…;:][\"'”’»)\]]*(?=\s|$)")
MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
NARRATIVES = ["sample", "long", "ukrainian", "enumerations"]


DATE_LINE = re.compile(r"\d{1,2}\.?\s+(?:de\s+)?\w+\.?\s+(?:de\s+)?\d{4}(?:\s+\w{1,2}\.)?")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for a, b in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("«", '"'), ("»", '"'), ("„", '"'),
                 ("–", "-"), ("—", "-"), ("…", "..."), ("\u00a0", " "), ("\u202f", " ")):
        text = text.replace(a, b)
    return " ".join(re.sub(r"\[\d+\]", "", text).split())


def _units(source: Path) -> list[str]:
    """The narrative's paragraphs, list items, headings, front matter and attribute values."""
    raw = source.read_text(encoding="utf-8")
    plain = subprocess.run([pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "plain", "--wrap=none", str(source)],
                           capture_output=True, text=True, check=True).stdout
    found = [MARKER.sub("", line) for line in plain.splitlines() if line.strip()]
    found += re.findall(r'^\s*(?:-\s+)?[\w-]+:\s*"?(.+?)"?\s*$', raw.split("\n---", 1)[0], re.M)  # front matter values
    found += re.findall(r'\b[\w-]+="([^"]+)"', raw)
    found += re.findall(r"!\[([^\]]+)\]", raw)  # figure captions (pandoc prints the alt text instead)
    units = [_norm(u) for u in found]
    units = [u[1:-1] if u.startswith("[") and u.endswith("]") else u for u in units]  # pandoc's [figure caption]
    return [re.sub(r"^\d{4}(?:-\d{2}){0,2}\s+", "", u) for u in units]  # timeline dates


def _whole(line: str, units: list[str]) -> bool:
    for unit in units:
        bounds = {0, len(unit)} | {m.end() for m in BOUNDARY.finditer(unit)}
        bounds |= {b + 1 for b in bounds}  # after the space that follows a boundary
        for cand in (line, line + ".", line + ";"):
            start = unit.find(cand)
            while start != -1:
                if start in bounds and start + len(cand) in bounds:
                    return True
                start = unit.find(cand, start + 1)
    return False


def _lines(pptx: Path) -> list[tuple[int, str]]:
    out = []
    for number, slide in enumerate(Presentation(str(pptx)).slides, 1):
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for para in shape.text_frame.paragraphs:
                for line in _norm(para.text).split(" · "):  # the byline joins names and date
                    line = re.sub(r"\s*\(\w+\.?\)$", "", line).strip()  # "(cont.)"
                    if len(line) > 1 and line[0] == line[-1] == '"':
                        line = line[1:-1]  # a quotation set in quotation marks
                    line = re.sub(r"^[^\s:]{1,12}:\s+", "", line)  # "Source: …" in any language
                    if DATE_LINE.fullmatch(line):
                        continue  # the narrative's date, set by CLDR in its language ("15 листопада 2024 р.")
                    if len(line.split()) > 3 and not line.startswith("-"):
                        out.append((number, line))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, Path]]:
    """name → (deck, its PDF from LibreOffice, source)."""
    root = tmp_path_factory.mktemp("fidelity")
    spec = importlib.util.spec_from_file_location("long_narrative", FIXTURES / "long_narrative" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sources = {"sample": SAMPLE, "long": module.write(root / "long"),
               "ukrainian": FIXTURES / "deck_fidelity" / "ukrainian.md",
               "enumerations": FIXTURES / "deck_fidelity" / "enumerations.md"}
    decks = {}
    for name, source in sources.items():
        [artefact] = pipeline.build(source, ["pptx"], root / "out" / name)
        decks[name] = root / f"{name}.pptx"
        shutil.copy(artefact.path, decks[name])
    pdfs = convert(list(decks.values()), root / "pdf")
    return {name: (decks[name], pdf, sources[name]) for name, pdf in zip(decks, pdfs)}


@pytest.mark.parametrize("name", NARRATIVES)
def test_every_slide_line_is_a_whole_run_of_the_narrative(built, name):
    deck, _, source = built[name]
    units = _units(source)
    # A byline joins names and affiliations with commas: each part must then be whole.
    fragments = [f"slide {n}: {line}" for n, line in _lines(deck)
                 if not (_whole(line, units) or all(_whole(part, units) for part in line.split(", ")))]
    assert fragments == []


@pytest.mark.parametrize("name", NARRATIVES)
def test_no_word_overflows(built, name):
    deck, pdf, _ = built[name]
    assert overflows(deck, pdf) == []


def _deck_text(deck: Path) -> str:
    return _norm(" ".join(line for _, line in [(0, p.text) for s in Presentation(str(deck)).slides
                                               for sh in s.shapes if sh.has_text_frame
                                               for p in sh.text_frame.paragraphs]))


def test_every_enumerated_point_and_list_item_reaches_the_slides(built):
    text = _deck_text(built["enumerations"][0])
    for point in ("First, water infrastructure should be treated as part of the security response",
                  "Second, support must reach the local committees", "Third, donors need independent monitoring",
                  "Firstly, they can co-finance shared water infrastructure", "Thirdly, they can pay for independent measurement",
                  "Measure results against water delivered, not money spent",
                  "means the choice between selling the family's cattle at a loss and joining the long and dangerous road north"):
        assert point in text
    uk = _deck_text(built["ukrainian"][0])
    for point in ("По-перше, захист підстанцій", "По-друге, партнерам варто", "По-третє, потрібно збільшити",
                  "Запасні частини до старих блоків радянського зразка"):
        assert point in uk


def test_a_callout_keeps_its_definition_and_a_chart_its_own_title(built):
    deck = Presentation(str(built["enumerations"][0]))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title]
    assert "Violent incidents at water points" in titles
    callout = next(s for s in deck.slides if s.shapes.title and s.shapes.title.text == "What is a pastoral corridor?")
    body = " ".join(sh.text_frame.text for sh in callout.shapes if sh.has_text_frame)
    assert "A pastoral corridor is a route, recognised by custom or by law, along which herders may move" in body


def test_the_title_slide_keeps_the_whole_summary_authors_and_date(built):
    slide = Presentation(str(built["enumerations"][0])).slides[0]
    text = _norm(" ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame))
    assert "and measure what is happening." in text and "..." not in text
    assert "Amadou Diallo" in text and "Margaret O'Neill" in text and "2025" in text


def _chart_deck(tmp_path: Path, block: str) -> Path:
    source = tmp_path / "charts.md"
    source.write_text("---\ntitle: Charts\nauthors: A. Author\ndate: 2025-01-01\n---\n\n# Harmony Link\n\n"
                      "Prose under the heading. It says something.\n\n" + block, encoding="utf-8")
    [deck] = pipeline.build(source, ["pptx"], tmp_path / "out")
    return deck.path


def test_a_chart_says_what_it_is_and_its_labels_fit(tmp_path):
    block = ('::: {.chart type="column" units="cubic metres" source="Operators\' reports"}\n'
             "| Country | Capacity |\n|:--|--:|\n| Federal Republic of Germany (onshore and offshore) | 1250000 |\n"
             "| Republic of Lithuania | 540000 |\n| Kingdom of the Netherlands | 980000 |\n\n"
             "Storage capacity of the three countries on the Harmony Link pipeline. Figures for 2024.\n:::\n")
    deck = _chart_deck(tmp_path, block)
    prs = Presentation(str(deck))
    slide = next(s for s in prs.slides if any(getattr(sh, "has_chart", False) for sh in s.shapes))
    assert slide.shapes.title.text == "Storage capacity of the three countries on the Harmony Link pipeline"  # not the heading
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "Figures for 2024." in text and "Operators' reports" in _norm(text)  # the apostrophe set as ’
    chart = next(sh for sh in slide.shapes if getattr(sh, "has_chart", False)).chart
    assert chart.value_axis.axis_title.text_frame.text == "cubic metres"  # the unit once, on the axis
    assert "cubic" not in chart.plots[0].data_labels.number_format  # not in every label
    [pdf] = convert([deck], tmp_path / "rendered")
    assert overflows(deck, pdf) == []  # long country names wrap inside the chart
    from builders.checks.outputs import check_deck

    assert not [f for f in check_deck(deck, None) if f.severity == "error"]  # the same measurement, rerun on the deck


@pytest.mark.parametrize("kind", ["pie", "doughnut"])
def test_a_round_chart_shows_its_unit_on_the_slide(tmp_path, kind):
    """A pie has no value axis to carry the unit: it heads the small print under the chart, once,
    not in the labels and not only in the speaker notes; a pie's values sit beside their slices, a
    doughnut's on its ring in the colour that reads there (default theme: deep blue, red, pale blue)."""
    block = (f'::: {{.chart type="{kind}" units="million cubic metres" source="Operators\' reports"}}\n'
             "| Route | Volume |\n|:--|--:|\n| Pipeline | 410 |\n| LNG terminals | 260 |\n| Storage withdrawal | 130 |\n\n"
             "Where the winter's gas came from. Figures for 2024.\n:::\n")
    deck = _chart_deck(tmp_path, block)
    slide = next(s for s in Presentation(str(deck)).slides if any(getattr(sh, "has_chart", False) for sh in s.shapes))
    lines = [p.text for sh in slide.shapes if sh.has_text_frame and sh != slide.shapes.title for p in sh.text_frame.paragraphs]
    assert "million cubic metres" in lines, lines
    assert "Figures for 2024." in " ".join(lines)
    chart = next(sh for sh in slide.shapes if getattr(sh, "has_chart", False)).chart
    assert "cubic" not in chart.plots[0].data_labels.number_format
    if kind == "pie":  # each value beside its slice, on the paper: never dark ink on a dark slice
        from pptx.enum.chart import XL_LABEL_POSITION

        assert chart.plots[0].data_labels.position == XL_LABEL_POSITION.OUTSIDE_END
    [pdf] = convert([deck], tmp_path / "rendered")
    assert overflows(deck, pdf) == []
    drawn = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "million cubic metres" in drawn  # LibreOffice draws it on the slide
    assert {"410", "260", "130"} <= set(drawn.split()), drawn  # and every value (a doughnut showed none)
    if kind == "doughnut":  # values sit on the ring: each in the paper's colour on a dark segment, ink on a light one
        from pptx.enum.dml import MSO_THEME_COLOR

        colours = [point.data_label.font.color.theme_color for point in chart.plots[0].series[0].points]
        assert colours == [MSO_THEME_COLOR.BACKGROUND_1, MSO_THEME_COLOR.BACKGROUND_1, MSO_THEME_COLOR.TEXT_1], colours


def test_a_chart_that_cannot_fit_fails_the_build_at_the_chart(tmp_path):
    rows = "".join(f"| {'Extraordinarily'}{n}longcategorylabelwithoutanyspaces{n} | {n} |\n" for n in range(40))
    block = '::: {.chart type="column" title="Too much"}\n| Label | Value |\n|:--|--:|\n' + rows + ":::\n"
    from builders.core.errors import TriptychError

    with pytest.raises(TriptychError) as caught:
        _chart_deck(tmp_path, block)
    assert "charts.md:" in str(caught.value) and "does not fit" in str(caught.value)


def _sentence(words: int) -> str:
    """One sentence of `words` words, no comma, semicolon or colon: nowhere to split it."""
    pool = ("the regulator would publish every year an audited account of how the donor funds pledged at the "
            "recovery conferences had been spent by the operator and its contractors across the regions").split()
    text = " ".join(pool[i % len(pool)] for i in range(words))
    return text[0].upper() + text[1:] + "."


def _sentence_slide(tmp_path: Path, words: int, block: str = "") -> tuple[Path, str, list[float], list[str]]:
    """(deck, the slide's layout, sizes of the frame holding the sentence, build warnings) of a
    narrative whose paragraph leads with one sentence of `words` words (in a `::: block`, if named)."""
    sentence = _sentence(words)
    paragraph = f"{sentence} A short sentence follows."
    if block:
        paragraph = f"::: {block}\n{paragraph}\n:::"
    source = tmp_path / "long.md"
    source.write_text("---\ntitle: Reform\nauthors: A. Author\ndate: 2025-01-01\n---\n\n# The reform\n\n"
                      f"{paragraph}\n\nAnother paragraph. It has two sentences.\n", encoding="utf-8")
    log = pipeline.BuildLog()
    [deck] = pipeline.build(source, ["pptx"], tmp_path / "out", log=log)
    holders = [(slide, shape) for slide in Presentation(str(deck.path)).slides for shape in slide.shapes
               if shape.has_text_frame and "regulator" in shape.text_frame.text]
    [(slide, shape)] = holders  # the whole sentence in one frame: never continued on a further slide
    texts = [p.text for p in shape.text_frame.paragraphs]
    assert texts == [sentence.rstrip(".")], texts  # alone on its slide, whole (a bullet drops its full stop)
    sizes = [r.font.size.pt for p in shape.text_frame.paragraphs for r in p.runs]
    return deck.path, slide.slide_layout.name, sizes, [str(w) for w in log.warnings]


def test_a_sentence_longer_than_the_body_gets_a_slide_and_room_of_its_own_at_the_theme_size(tmp_path):
    """255 words do not fit the body at the default theme's 18 pt minimum; on a slide of its own,
    with the free area under the title, they do: set at 18 pt, not smaller, not cut."""
    deck, layout, sizes, warnings = _sentence_slide(tmp_path, 255)
    assert layout == "Title and Content" and min(sizes) >= 18, (layout, sizes)
    assert warnings == []
    [pdf] = convert([deck], tmp_path / "pdf")
    assert overflows(deck, pdf) == []


def test_a_sentence_too_long_for_any_slide_is_set_smaller_whole_and_said_so(tmp_path):
    """300 words are more than a slide holds at 18 pt: the sentence stays whole on one slide in
    smaller type, and a warning on its line tells the author to split it."""
    deck, _, sizes, warnings = _sentence_slide(tmp_path, 300)
    assert 12 <= min(sizes) < 18, sizes
    [warning] = warnings
    assert warning.startswith(f"{tmp_path / 'long.md'}:9:") and "a sentence too long for a slide at 18 pt" in warning
    [pdf] = convert([deck], tmp_path / "pdf")
    assert overflows(deck, pdf) == []


def test_a_callout_sentence_too_long_for_its_panel_takes_the_content_layout(tmp_path):
    """A callout's panel keeps text in its frame: a sentence too long for it at 18 pt goes on the
    content layout, which has more room, still at 18 pt and whole (in the panel: 17 pt)."""
    deck, layout, sizes, warnings = _sentence_slide(tmp_path, 240, "callout")
    assert layout == "Title and Content" and min(sizes) >= 18, (layout, sizes)
    assert warnings == []
    [pdf] = convert([deck], tmp_path / "pdf")
    assert overflows(deck, pdf) == []
