"""The deck's typefaces: each built-in theme names faces viewers have, measured by metric twins
that install with triptych, and a script a twin lacks never overflows (issue 13)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from builders.build import pipeline
from builders.checks.deck_overflow import convert, overflows
from conftest import REPO, SAMPLE

FIXTURES = Path(__file__).parent / "fixtures"
UKRAINIAN = FIXTURES / "deck_fidelity" / "ukrainian.md"
# theme → (titles, text): Office's Cambria over Calibri for the sober default, Calibri for the
# all-sans modern theme, Arial's open letters for the high-contrast one.
FACES = {"default": ("Cambria", "Calibri"), "modern": ("Calibri", "Calibri"), "contrast": ("Arial", "Arial")}


def run_fonts(deck: Path) -> dict[str, set[str]]:
    """Family names on the runs of title placeholders and of everything else."""
    found: dict[str, set[str]] = {"titles": set(), "text": set()}

    def walk(shape, titled: bool) -> None:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            for child in shape.shapes:
                walk(child, False)
        elif shape.has_text_frame:
            found["titles" if titled else "text"].update(r.font.name for p in shape.text_frame.paragraphs for r in p.runs
                                                         if r.text.strip())

    for slide in Presentation(str(deck)).slides:
        for shape in slide.shapes:
            walk(shape, shape.is_placeholder and shape.placeholder_format.type in (PP_PLACEHOLDER.TITLE,
                                                                                   PP_PLACEHOLDER.CENTER_TITLE))
    return found


def _build(source: Path, theme: str, out: Path) -> Path:
    [deck] = pipeline.build(source, ["pptx"], out, theme_name=theme)
    return deck.path


@pytest.mark.parametrize("theme", sorted(FACES))
def test_each_theme_sets_its_deck_in_its_own_faces(tmp_path, theme):
    """The sample's titles and text name the theme's faces, and LibreOffice (which shows Calibri
    as Carlito, Cambria as Caladea, Arial as Liberation Sans) draws no word outside its box."""
    deck = _build(SAMPLE, theme, tmp_path / "out")
    titles, text = FACES[theme]
    assert run_fonts(deck) == {"titles": {titles}, "text": {text}}
    [pdf] = convert([deck], tmp_path / "pdf")
    assert overflows(deck, pdf) == []


@pytest.mark.parametrize("theme", sorted(FACES))
def test_a_ukrainian_deck_fits_in_every_theme(tmp_path, theme):
    """Caladea has no Cyrillic: a viewer would draw Cambria's Ukrainian titles in some other,
    wider serif. The titles take the theme's body face instead (Calibri, whose twin covers
    Cyrillic), so what is measured is what is shown, and nothing overflows."""
    deck = _build(UKRAINIAN, theme, tmp_path / "out")
    text = FACES[theme][1]
    assert run_fonts(deck) == {"titles": {text}, "text": {text}}
    [pdf] = convert([deck], tmp_path / "pdf")
    assert overflows(deck, pdf) == []


def test_one_cyrillic_title_sets_every_title_in_the_body_face(tmp_path):
    """An English briefing quoting a Ukrainian name in a heading: all its titles in one face."""
    text = SAMPLE.read_text(encoding="utf-8").replace("# Outlook", "# Outlook: the «Укренерго» lesson", 1)
    assert "Укренерго" in text
    source = tmp_path / "briefing.md"
    source.write_text(text, encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "images", tmp_path / "images")
    deck = _build(source, "default", tmp_path / "out")
    assert run_fonts(deck) == {"titles": {"Calibri"}, "text": {"Calibri"}}
    [pdf] = convert([deck], tmp_path / "pdf")
    assert overflows(deck, pdf) == []


def test_a_child_theme_that_names_its_slide_face_gets_its_titles_in_it(tmp_path):
    """A house theme that sets `fonts.slide` alone: its titles follow (no inherited Cambria), and
    the face is measured with its own twin, not the parent's Carlito."""
    theme = tmp_path / "themes" / "house"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: house\nextends: default\ndescription: House style.\n"
                                      "fonts:\n  slide: {family: Arial, embed: false}\n", encoding="utf-8")
    text = SAMPLE.read_text(encoding="utf-8").replace("theme: default\n", "theme: house\n", 1)
    (tmp_path / "briefing.md").write_text(text, encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "images", tmp_path / "images")
    [deck] = pipeline.build(tmp_path / "briefing.md", ["pptx"], tmp_path / "out")
    assert run_fonts(deck.path) == {"titles": {"Arial"}, "text": {"Arial"}}
    [pdf] = convert([deck.path], tmp_path / "pdf")
    assert overflows(deck.path, pdf) == []


@pytest.mark.parametrize("style", ["Regular", "Bold", "Italic", "BoldItalic"])
def test_the_shipped_width_table_measures_as_carlito(style):
    """The default theme's fonts/Carlito.widths.json gives the widths Carlito's own files give
    (Debian's fonts-crosextra-carlito, where installed), in Latin, Cyrillic and Greek."""
    from builders.formats.deck.measure import FONT_DIRS, STYLES, file_faces

    key = next(k for k, names in STYLES.items() if style in names)
    system = file_faces("Carlito", FONT_DIRS)
    if key not in system or not hasattr(system[key], "path"):
        pytest.skip("Carlito is not installed (.ci/system-packages installs fonts-crosextra-carlito)")
    table = file_faces("Carlito", (REPO / "themes" / "default" / "fonts",))[key]
    sample = "The quick brown fox, 1,234.56 € — «Житло» naïve Straße Ελλάδα (ÆØÅ) @#%&*!?"
    assert [table.em(c) for c in sample] == [system[key].em(c) for c in sample]


def test_cambria_is_measured_with_the_package_indexs_caladea():
    """Debian's Caladea is a later cut whose widths are not Cambria's (its M is 9 % wider, its
    e 10 % narrower); the deck measures Cambria with font-caladea's 2013 cut on every machine."""
    import font_caladea

    from builders.formats.deck.measure import load_metrics

    metrics = load_metrics("Cambria", (REPO / "themes" / "default" / "fonts",))
    assert metrics.family == "Caladea"
    assert all(Path(face.path).is_relative_to(Path(font_caladea.__file__).parent) for face in metrics.faces.values())
    assert metrics.lacks("Київ") == {"К", "и", "ї", "в"}


def test_a_no_break_space_is_measured_as_the_space_it_is_drawn_as(tmp_path):
    """Carlito has no U+00A0, and slides join a number and its unit with one ("90 km"):
    LibreOffice draws it as a space, so it is measured as one, not as a 1 em unknown glyph
    (which wrapped Calibri lines early)."""
    import subprocess

    from pptx.util import Inches, Pt

    from builders.formats.deck.measure import load_metrics

    metrics = load_metrics("Calibri", (REPO / "themes" / "default" / "fonts",))
    assert metrics.width("90\u00a0km", 20) == metrics.width("90 km", 20)
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    for n, joint in enumerate((" ", "\u00a0")):
        box = slide.shapes.add_textbox(Inches(0.2), Inches(0.5 + n), Inches(9.5), Inches(0.8))
        box.text_frame.word_wrap = False
        run = box.text_frame.paragraphs[0].add_run()
        run.text, run.font.name, run.font.size = "x" + (joint + "x") * 20, "Calibri", Pt(20)
    prs.save(str(tmp_path / "spaces.pptx"))
    [pdf] = convert([tmp_path / "spaces.pptx"], tmp_path / "pdf")
    words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    extents: dict[float, list[float]] = {}
    for line in words.splitlines():
        if line.strip().startswith("<word "):
            attrs = dict(part.split("=") for part in line.strip()[6:].split(">")[0].split())
            x0, y0, x1 = (float(attrs[k].strip('"')) for k in ("xMin", "yMin", "xMax"))
            lo, hi = extents.get(round(y0), [x0, x1])
            extents[round(y0)] = [min(lo, x0), max(hi, x1)]
    spaced, joined = (hi - lo for lo, hi in (extents[y] for y in sorted(extents)))
    assert abs(spaced - joined) < 1.0, (spaced, joined)  # points: the same line length


def test_a_damaged_width_table_is_one_located_error(tmp_path):
    """A house theme's fonts/Calibri.widths.json that is not a table: one line naming the file,
    non-zero exit, no traceback, no deck."""
    import subprocess
    import sys

    theme = tmp_path / "themes" / "house"
    (theme / "fonts").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: house\nextends: default\ndescription: House style.\n"
                                      "fonts:\n  slide: {family: Calibri, embed: false}\n", encoding="utf-8")
    (theme / "fonts" / "Calibri.widths.json").write_text('{"units_per_em": 2048, "styles": {"Regular": [1, 2', encoding="utf-8")
    text = SAMPLE.read_text(encoding="utf-8").replace("theme: default\n", "theme: house\n", 1)
    (tmp_path / "briefing.md").write_text(text, encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "images", tmp_path / "images")
    run = subprocess.run([sys.executable, "-m", "builders.cli", "build", str(tmp_path / "briefing.md"), "--format", "pptx",
                          "--out", str(tmp_path / "out"), "--no-cache"], capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr + run.stdout
    assert f"{theme / 'fonts' / 'Calibri.widths.json'}:" in run.stderr + run.stdout
    assert not list(tmp_path.glob("out/*.pptx"))
