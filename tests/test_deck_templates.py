"""Corporate templates as users bring them build the whole deck without a hand-written mapping:
Google Slides' layout names, a title that is artwork, a 4:3 Verdana .potx."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from builders.build import pipeline
from builders.checks.deck_overflow import convert, overflows
from builders.cli import main
from builders.core.errors import TriptychError
from conftest import SAMPLE

FIXTURES = Path(__file__).parent / "fixtures"


def _templates(folder: Path) -> dict[str, Path]:
    spec = importlib.util.spec_from_file_location("make_templates", FIXTURES / "corporate" / "make_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_all(folder)


def _narrative(folder: Path, template: Path) -> Path:
    """The sample, its front matter naming the template (slides: {reference: …})."""
    shutil.copytree(SAMPLE.parent, folder)
    shutil.copy(template, folder / template.name)
    text = SAMPLE.read_text(encoding="utf-8").replace("theme: default\n", f"theme: default\nslides: {{reference: {template.name}}}\n", 1)
    (folder / "briefing.md").write_text(text, encoding="utf-8")
    return folder / "briefing.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, Path, list]]:
    """name → (deck, its LibreOffice PDF, the narrative, the build's warnings)."""
    root = tmp_path_factory.mktemp("corporate")
    out: dict[str, tuple[Path, Path, list]] = {}
    for name, template in _templates(root / "templates").items():
        source = _narrative(root / name, template)
        log = pipeline.BuildLog()
        [deck] = pipeline.build(source, ["pptx"], root / "out" / name, log=log)
        copy = root / f"{name}.pptx"
        shutil.copy(deck.path, copy)
        out[name] = (copy, source, log.warnings)
    pdfs = convert([deck for deck, _, _ in out.values()], root / "pdf")
    return {name: (deck, pdf, source, warnings) for (name, (deck, source, warnings)), pdf in zip(out.items(), pdfs)}


NAMES = ["google", "artwork", "university"]
TEMPLATE_FILES = {"google": "google.pptx", "artwork": "artwork.pptx", "university": "university.potx"}


@pytest.mark.parametrize("name", NAMES)
def test_the_whole_deck_builds_on_the_template_and_nothing_overflows(built, name):
    deck, pdf, source, _ = built[name]
    template = source.parent / TEMPLATE_FILES[name]
    ours, theirs = Presentation(str(deck)), Presentation(str(template)) if template.suffix == ".pptx" else None
    layouts = {layout.name for layout in ours.slide_layouts}
    assert all(slide.slide_layout.name in layouts for slide in ours.slides)
    if theirs is not None:  # the template's own size and layouts, not lookalikes
        assert (ours.slide_width, ours.slide_height) == (theirs.slide_width, theirs.slide_height)
        assert layouts == {layout.name for layout in theirs.slide_layouts}
    assert len(ours.slides) > 25
    assert overflows(deck, pdf) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_title_slide_keeps_title_summary_author_and_date(built, name):
    deck = Presentation(str(built[name][0]))
    text = " ".join(sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame)
    assert "How Lukashenko Helped Russia Invade Ukraine" in text
    assert "why that bargain now ties the future of Belarus to the outcome of the war in Ukraine." in text
    assert "Clara Lindqvist" in text and "2024" in text and "…" not in text


def test_fallbacks_are_named_once_on_the_line_that_names_the_template(built):
    for name in NAMES:
        _, _, source, warnings = built[name]
        line = next(n for n, text in enumerate(source.read_text(encoding="utf-8").splitlines(), 1) if "reference:" in text)
        [fallback] = [w for w in warnings if "no layout made for" in w.message]
        assert str(fallback).startswith(f"{source}:{line}:")
        assert 'key points on "' in fallback.message and "deck.yaml" not in str(fallback)
    artwork = [w for w in built["artwork"][3] if "no layout made for" in w.message][0]
    assert "the title slide on \"Cover\"" in artwork.message


def test_an_artwork_title_goes_where_the_artwork_leaves_room(built):
    deck = Presentation(str(built["artwork"][0]))
    cover = deck.slides[0]
    band_bottom = max(shape.top + shape.height for shape in cover.slide_layout.shapes if not shape.is_placeholder)
    title = next(sh for sh in cover.shapes if sh.has_text_frame and "How Lukashenko" in sh.text_frame.text)
    assert title.top >= band_bottom and title.left + title.width <= deck.slide_width


def test_layouts_named_like_google_slides_are_chosen_by_their_structure(built):
    deck = Presentation(str(built["google"][0]))
    used = {slide.slide_layout.name for slide in deck.slides}
    assert {"TITLE", "SECTION_HEADER", "TITLE_AND_BODY", "TITLE_ONLY"} <= used


def test_inspect_prints_a_mapping_that_builds_without_fallbacks(tmp_path):
    templates = _templates(tmp_path / "templates")
    result = CliRunner().invoke(main, ["themes", "inspect", str(templates["google"])])
    assert result.exit_code == 0, result.output
    assert "keypoints: TITLE_AND_BODY (no layout of its own)" in result.output
    pasted = result.output.split("put it in your theme folder, beside the template):\n\n", 1)[1]
    theme = tmp_path / "project" / "themes" / "ministry"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: ministry\nextends: default\n", encoding="utf-8")
    (theme / "deck.yaml").write_text(pasted, encoding="utf-8")
    shutil.copy(templates["google"], theme / "google.pptx")
    source = tmp_path / "project" / "briefing.md"
    shutil.copytree(SAMPLE.parent / "images", source.parent / "images")
    source.write_text(SAMPLE.read_text(encoding="utf-8").replace("theme: default\n", "theme: ministry\n", 1), encoding="utf-8")
    log = pipeline.BuildLog()
    [deck] = pipeline.build(source, ["pptx"], tmp_path / "out", log=log)
    assert not [w for w in log.warnings if "layout" in w.message]  # the theme's mapping wins as written
    assert {s.slide_layout.name for s in Presentation(str(deck.path)).slides} >= {"TITLE", "TITLE_AND_BODY"}
    again = CliRunner().invoke(main, ["themes", "inspect", str(theme / "google.pptx")])
    assert "can be built on this template as the mapping says" in again.output  # it reads the theme's own deck.yaml


def test_a_template_that_is_no_presentation_is_reported_on_the_users_line(tmp_path):
    source = _narrative(tmp_path / "n", SAMPLE)  # any file: it is copied under its own name
    (source.parent / "briefing.md").write_text(source.read_text(encoding="utf-8").replace(
        "reference: briefing.md", "reference: corp.pptx"), encoding="utf-8")
    (source.parent / "corp.pptx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(TriptychError) as caught:
        pipeline.build(source, ["pptx"], tmp_path / "out")
    line = next(n for n, text in enumerate(source.read_text(encoding="utf-8").splitlines(), 1) if "reference:" in text)
    assert str(caught.value).startswith(f"{source}:{line}:") and "corp.pptx" in str(caught.value)
