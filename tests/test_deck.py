"""The deck clears the presenter's bar: real layouts, speaker notes, and no text outside its box anywhere."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.util import Emu

from builders.build import pipeline
from builders.formats.deck.inspect import inspect_template
from builders.formats.deck.mapping import load_mapping
from regenerate_reference_deck import generate
from builders.core.errors import TriptychError
from builders.theming.themes import load_theme
from conftest import REPO, SAMPLE
from builders.checks.deck_overflow import convert, overflows, pdf_lines

FIXTURES = Path(__file__).parent / "fixtures"
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
CONTENT_KINDS = ("Title and Content", "Key Points", "Callout", "Two Content", "Comparison")


@dataclass
class Deck:
    path: Path
    pdf: Path
    source: Path

    @cached_property
    def prs(self):
        return Presentation(str(self.path))


def _long_narrative(folder: Path) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("long_narrative", FIXTURES / "long_narrative" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write(folder)


def _alt_project(folder: Path, narrative: Path) -> Path:
    """A project whose own theme points at python-pptx's stock 4:3 template: other sizes, other layouts."""
    shutil.copytree(FIXTURES / "alt_template" / "themes", folder / "themes")
    Presentation().save(str(folder / "themes" / "plain43" / "reference.pptx"))
    shutil.copy(narrative, folder / "briefing.md")
    if (narrative.parent / "images").is_dir():
        shutil.copytree(narrative.parent / "images", folder / "images")
    return folder / "briefing.md"


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Deck]:
    """Each deck built once, all converted by one LibreOffice run."""
    root = tmp_path_factory.mktemp("decks")
    long_source = _long_narrative(root / "long")
    sample_43 = root / "sample43" / "briefing.md"
    shutil.copytree(SAMPLE.parent, sample_43.parent)
    text = sample_43.read_text(encoding="utf-8")
    sample_43.write_text(text.replace("theme: default\n", 'theme: default\nslides: {aspect: "4:3"}\n', 1), encoding="utf-8")
    builds = {
        "sample": (SAMPLE, None),
        "long": (long_source, None),
        "alt-long": (_alt_project(root / "alt-long", long_source), "plain43"),
        "alt-sample": (_alt_project(root / "alt-sample", SAMPLE), "plain43"),
        "sample-4x3": (sample_43, None),
    }
    built = {}
    for name, (source, theme) in builds.items():
        [artefact] = pipeline.build(source, ["pptx"], root / "out" / name, theme)
        target = root / "pptx" / f"{name}.pptx"
        target.parent.mkdir(exist_ok=True)
        shutil.copy(artefact.path, target)
        built[name] = (target, source)
    built["broken"] = (_overflowing_deck(root / "pptx" / "broken.pptx"), SAMPLE)
    pdfs = convert([path for path, _ in built.values()], root / "pdf")
    return {name: Deck(path, pdf, source) for (name, (path, source)), pdf in zip(built.items(), pdfs)}


ALL = ["sample", "long", "alt-long", "alt-sample", "sample-4x3"]


def _overflowing_deck(path: Path) -> Path:
    """What the check must catch: a box far too small for its text, and autofit off."""
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches, Pt

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(3), Inches(0.6))
    box.text_frame.word_wrap, box.text_frame.auto_size = True, MSO_AUTO_SIZE.NONE
    box.text_frame.text = "Overflowing words keep coming long after the box has run out of room for them"
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
    prs.save(str(path))
    return path


def test_the_check_sees_text_that_overflows(decks):
    found = overflows(decks["broken"].path, decks["broken"].pdf)
    assert found and any('"them"' in line for line in found)


@pytest.mark.parametrize("name", ALL)
def test_no_character_lies_outside_its_shape(decks, name):
    assert overflows(decks[name].path, decks[name].pdf) == []


@pytest.mark.parametrize("name", ALL)
def test_every_shape_stays_on_the_slide(decks, name):
    prs = decks[name].prs
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            assert 0 <= shape.left and shape.left + shape.width <= prs.slide_width, (number, shape.name)
            assert 0 <= shape.top and shape.top + shape.height <= prs.slide_height, (number, shape.name)


@pytest.mark.parametrize("name", ALL)
def test_every_slide_uses_a_named_layout_and_every_content_slide_has_notes(decks, name):
    prs = decks[name].prs
    names = {layout.name for master in prs.slide_masters for layout in master.slide_layouts}
    for number, slide in enumerate(prs.slides, 1):
        assert slide.slide_layout.name in names and slide.slide_layout.name, number
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), f"slide {number} has no notes"


@pytest.mark.parametrize("name", ALL)
def test_titles_are_whole_and_take_at_most_two_lines(decks, name):
    deck = decks[name]
    pages = pdf_lines(deck.pdf)
    for number, (slide, (_, _, lines)) in enumerate(zip(deck.prs.slides, pages), 1):
        title = slide.shapes.title
        if title is None:
            continue
        assert "…" not in title.text, f"slide {number}: a title cut short"
        words = len(title.text.split())
        if words > 20:
            continue  # the stress test's 30-word heading: whole on more lines, never cut
        top, bottom = title.top / 12700, (title.top + title.height) / 12700
        left, right = title.left / 12700, (title.left + title.width) / 12700
        baselines = {round(w.box.bottom) for line in lines for w in line
                     if top - 1 <= w.box.top and w.box.bottom <= bottom + 1 and left - 1 <= w.box.left <= right}
        # A long heading in a narrow title box (a caption layout) may take a third line rather than be cut.
        assert 1 <= len(baselines) <= (2 if words <= 12 else 3), f"slide {number}: title on {len(baselines)} lines"


@pytest.mark.parametrize("name", ALL)
def test_body_text_is_18pt_or_more_and_at_most_five_points_a_slide(decks, name):
    for number, slide in enumerate(decks[name].prs.slides, 1):
        for shape in slide.placeholders:
            kind = shape.placeholder_format.type
            if kind is None or int(kind) not in (2, 7) or not shape.has_text_frame:  # body, object
                continue
            paragraphs = [p for p in shape.text_frame.paragraphs if p.text.strip()]
            if slide.slide_layout.name in CONTENT_KINDS:
                assert len([p for p in paragraphs if p._p.find(f"{A}pPr/{A}buNone") is None]) <= 5, number
            sizes = {r.font.size.pt for p in paragraphs for r in p.runs}
            if number == 1 and shape.placeholder_format.idx == max(p.placeholder_format.idx for p in slide.placeholders):
                continue  # the cover's byline is small print: a list of long names may set it smaller, never cut
            assert min(sizes, default=18) >= 18, f"slide {number}: {shape.name} at {sorted(sizes)} pt"


@pytest.mark.parametrize("name", ["sample", "alt-long"])
def test_text_never_relies_on_autofit_and_names_its_font(decks, name):
    # The theme's own reference: its slide faces, Cambria titles over Calibri text (the default
    # theme). A corporate template (python-pptx's stock one for the alt decks): that template's
    # own font, Calibri, measured with Carlito.
    heading, family = ("Calibri", "Calibri") if name.startswith("alt") else ("Cambria", "Calibri")
    for number, slide in enumerate(decks[name].prs.slides, 1):
        for shape in slide.shapes:
            titled = shape.is_placeholder and shape.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
            for frame in _frames(shape):
                body_pr = frame._txBody.find(f"{A}bodyPr")
                assert body_pr.find(f"{A}noAutofit") is not None and body_pr.get("wrap") == "square", (number, shape.name)
                for p in frame.paragraphs:
                    for r in p.runs:
                        assert r.font.name == (heading if titled else family) and r.font.size is not None, (number, shape.name, r.text)


def _frames(shape):
    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        for child in shape.shapes:
            yield from _frames(child)
    elif shape.has_text_frame and shape.text_frame.text.strip():
        yield shape.text_frame


def test_the_sample_makes_every_kind_of_slide(decks):
    prs = decks["sample"].prs
    layouts = [s.slide_layout.name for s in prs.slides]
    assert layouts[0] == "Title Slide" and layouts[1] == "Key Points"
    assert layouts.count("Section Header") == 6  # one per top-level section; Sources closes without one
    assert layouts[-1] == "Title and Content" and prs.slides[len(layouts) - 1].shapes.title.text.startswith("Sources")
    assert {"Quote", "Picture with Caption", "Callout", "Title Only"} <= set(layouts)
    title = prs.slides[0]
    text = " ".join(s.text_frame.text for s in title.shapes if s.has_text_frame)
    assert "How Lukashenko Helped Russia Invade Ukraine" in text and "Clara Lindqvist" in text and "26 August 2024" in text
    assert "eighteen months between the mass protests" in text  # the summary


def test_prose_becomes_lead_sentences_and_the_full_prose_goes_to_the_notes(decks):
    prs = decks["sample"].prs
    slide = next(s for s in prs.slides if s.shapes.title and s.shapes.title.text == "Closing the sky and the border")
    body = next(p for p in slide.placeholders if p.placeholder_format.idx == 1)
    bullets = [p.text for p in body.text_frame.paragraphs]
    assert 2 <= len(bullets) <= 5
    assert bullets[0] == "In May 2021 the regime went further than most of its critics thought possible"  # a whole sentence
    assert "Minsk retaliated asymmetrically. Through the summer and autumn of 2021," in bullets[2]  # a teaser takes its next sentence
    notes = slide.notes_slide.notes_text_frame.text
    assert "Through the summer and autumn of 2021, the authorities facilitated the arrival of migrants" in notes
    assert "tarmac.[3]" in notes and "[3] International Civil Aviation Organization" in notes  # footnotes cited there follow the prose
    section_start = next(s for s in prs.slides if s.shapes.title and s.shapes.title.text == "The launch pad")
    assert "Describe the two axes from Belarus" in section_start.notes_slide.notes_text_frame.text  # the ::: notes block


def test_pptx_excluded_content_is_nowhere_in_the_deck(decks):
    everything = _all_text(decks["sample"].prs)
    assert "A note on sources and method" not in everything
    long_text = _all_text(decks["long"].prs)
    assert "MARKER-NOT-IN-DECK" not in long_text and "ONLY-IN-DECK" in long_text


def _all_text(prs) -> str:
    parts = []
    for slide in prs.slides:
        parts.extend(t.text or "" for t in slide._element.iter(f"{A}t"))
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def test_quotes_stand_alone_with_their_attribution(decks):
    quotes = [s for s in decks["sample"].prs.slides if s.slide_layout.name == "Quote"]
    assert len(quotes) == 3
    texts = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in quotes]
    assert "— Artyom Shraibman, Carnegie Russia Eurasia Center" in texts[0]
    assert "“It seems like this was a long-planned strategy.”" in texts[2] and "Veronica Laputska" in texts[2]


@pytest.mark.parametrize("name,events", [("sample", 11), ("long", 12), ("alt-long", 12)])
def test_timelines_are_native_shapes_a_few_events_a_slide(decks, name, events):
    groups = [g for s in decks[name].prs.slides for g in s.shapes if g.shape_type == MSO_SHAPE_TYPE.GROUP and g.name == "Timeline"]
    dots = [[sh for sh in g.shapes if sh.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and sh.auto_shape_type == MSO_SHAPE.OVAL]
            for g in groups]
    lines = [[sh for sh in g.shapes if sh.shape_type == MSO_SHAPE_TYPE.LINE] for g in groups]
    dates = [[sh.text_frame.text for sh in g.shapes if sh.has_text_frame and sh.text_frame.text
              and sh.text_frame.paragraphs[0].runs[0].font.bold] for g in groups]
    assert len(groups) >= 2 and sum(map(len, dots)) == events and max(map(len, dots)) <= 6
    assert all(len(found) == 1 for found in lines) and all(len(d) == len(o) for d, o in zip(dates, dots))


@pytest.mark.parametrize("name", ["long", "alt-long"])
def test_long_tables_continue_under_a_repeated_header(decks, name):
    slides = [s for s in decks[name].prs.slides if any(sh.has_table for sh in s.shapes)]
    tables = [next(sh.table for sh in s.shapes if sh.has_table) for s in slides]
    assert len(tables) >= 2
    assert all([c.text for c in t.rows[0].cells] == ["Indicator", "Value", "Comment"] for t in tables)
    assert sum(len(t.rows) - 1 for t in tables) == 30
    assert slides[1].shapes.title.text.endswith("(cont.)")
    sizes = [len(t.rows) - 1 for t in tables]
    assert max(sizes) - min(sizes) <= 2  # rows spread evenly, no one-row stub at the end


@pytest.mark.parametrize("name", ALL)
def test_pictures_are_never_stretched(decks, name):
    from PIL import Image

    for slide in decks[name].prs.slides:
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE or (shape.is_placeholder and hasattr(shape, "image") and shape._element.tag.endswith("pic")):
                with Image.open(__import__("io").BytesIO(shape.image.blob)) as image:
                    ratio = image.width / image.height
                visible_w = 1 - shape.crop_left - shape.crop_right
                visible_h = 1 - shape.crop_top - shape.crop_bottom
                assert shape.width / shape.height == pytest.approx(ratio * visible_w / visible_h, rel=0.01)
                assert (shape.crop_left, shape.crop_right, shape.crop_top, shape.crop_bottom) == (0, 0, 0, 0)


def test_figures_keep_their_credit(decks):
    slide = next(s for s in decks["sample"].prs.slides if s.slide_layout.name == "Picture with Caption")
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "Triptych Policy Desk. Schematic; borders and routes approximate." in text
    assert slide.shapes.title.text == "Belarus and the northern approaches to Kyiv"


def test_author_written_slides_win_on_the_layout_they_name(decks):
    slides = decks["long"].prs.slides
    layouts = [s.slide_layout.name for s in slides]
    assert "Two Content" in layouts and "Comparison" in layouts
    two = next(s for s in slides if s.slide_layout.name == "Two Content")
    assert two.shapes.title.text.startswith("An author-written slide with two columns")
    columns = [p for p in two.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.OBJECT and p.text_frame.text.strip()]
    assert len(columns) == 2 and columns[0].left < columns[1].left


def test_an_unknown_layout_is_a_located_error_with_a_suggestion(narrative, tmp_path):
    source = narrative('# A section\n\n::: {.slide layout="Tow Content"}\n- one\n:::\n')
    with pytest.raises(TriptychError) as caught:
        pipeline.build(source, ["pptx"], tmp_path / "out")
    assert str(caught.value.problems[0]).endswith(':8:1: the deck template has no layout "Tow Content" '
                                                  '(did you mean "Two Content"?); it has: ' + ", ".join(
                                                      lay.name for lay in Presentation(str(REPO / "themes/default/reference.pptx")).slide_layouts))


def test_core_properties_and_reproducible_bytes(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = pipeline.build(SAMPLE, ["pptx"], tmp_path / "a")[0].path.read_bytes()
    second = pipeline.build(SAMPLE, ["pptx"], tmp_path / "b")[0].path.read_bytes()
    assert first == second
    path = tmp_path / "a" / "how-lukashenko-helped-russia-invade-ukraine.pptx"
    props = Presentation(str(path)).core_properties
    assert props.title == "How Lukashenko Helped Russia Invade Ukraine" and props.author == "Clara Lindqvist"
    assert props.subject.startswith("From the crushed revolt") and "Belarus" in props.keywords and props.language == "en"
    assert props.created.isoformat().startswith("2023-11-14T22:13:20") and props.modified == props.created
    with zipfile.ZipFile(path) as archive:
        names = [i.filename for i in archive.infolist()]
        assert names[0] == "[Content_Types].xml" and {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert "docProps/thumbnail.jpeg" not in names


def test_the_shipped_reference_deck_is_what_the_generator_makes(tmp_path):
    theme = load_theme("default")
    made = generate(theme.tokens, tmp_path / "reference.pptx")
    assert made.read_bytes() == (REPO / "themes" / "default" / "reference.pptx").read_bytes()
    prs = Presentation(str(made))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))
    assert "14375E" in zipfile.ZipFile(made).read("ppt/theme/theme1.xml").decode()


def test_inspect_lists_placeholders_and_what_the_mapping_lacks(tmp_path):
    stock = tmp_path / "stock.pptx"
    Presentation().save(str(stock))
    report = inspect_template(stock, load_mapping(load_theme("default")))
    assert "Picture with Caption" in report and "idx 1   pic" in report
    assert "fonts: headings Calibri, text Calibri" in report.splitlines()[0]  # what the deck will be set in
    assert 'quote: no layout "Quote"' in report and 'keypoints: no layout "Key Points"' in report
    assert "keypoints: Title and Content (no layout of its own)" in report  # the fallback it will take
    assert "Every slide kind" in inspect_template(REPO / "themes" / "default" / "reference.pptx")


def _template_with_fonts(path: Path, heading: str, body: str) -> Path:
    """python-pptx's stock template with its theme's heading and body fonts renamed."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    prs = Presentation()
    part = prs.slide_masters[0].part.part_related_by(RT.THEME)
    xml = part.blob.decode()
    major, minor = xml.index("<a:majorFont>"), xml.index("<a:minorFont>")
    xml = (xml[:major] + xml[major:minor].replace('typeface="Calibri"', f'typeface="{heading}"', 1)
           + xml[minor:].replace('typeface="Calibri"', f'typeface="{body}"', 1))
    part._blob = xml.encode()
    prs.save(str(path))
    return path


def _corporate_narrative(folder: Path, heading: str, body: str) -> Path:
    folder.mkdir(parents=True)
    _template_with_fonts(folder / "corporate.pptx", heading, body)
    text = SAMPLE.read_text(encoding="utf-8").replace("theme: default\n", "theme: plain43\nslides: {reference: corporate.pptx}\n", 1)
    (folder / "briefing.md").write_text(text, encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "images", folder / "images")
    shutil.copytree(FIXTURES / "alt_template" / "themes", folder / "themes")
    Presentation().save(str(folder / "themes" / "plain43" / "reference.pptx"))
    return folder / "briefing.md"


def _run_fonts(deck: Path) -> dict[str, set[str]]:
    """Family names on the runs of title placeholders and of everything else."""
    found: dict[str, set[str]] = {"titles": set(), "text": set()}
    for slide in Presentation(str(deck)).slides:
        for shape in slide.shapes:
            titled = shape.is_placeholder and shape.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
            for frame in _frames(shape):
                for p in frame.paragraphs:
                    found["titles" if titled else "text"].update(r.font.name for r in p.runs)
    return found


@pytest.mark.parametrize("heading, body", [("Times New Roman", "Calibri"), ("Cambria", "Calibri")])
def test_a_corporate_template_keeps_its_own_heading_and_body_fonts(tmp_path, heading, body):
    """Titles in the template's heading font, text in its body font — each measured with a
    metric-compatible twin (Times New Roman: Liberation Serif, Cambria: Caladea, Calibri:
    Carlito) — and no word outside its box when LibreOffice renders the deck."""
    path = _corporate_narrative(tmp_path / "corp", heading, body)
    log = pipeline.BuildLog()
    [deck] = pipeline.build(path, ["pptx"], tmp_path / "out", log=log)
    assert _run_fonts(deck.path) == {"titles": {heading}, "text": {body}}
    assert not [w for w in log.warnings if "font" in w.message]
    [pdf] = convert([deck.path], tmp_path / "rendered")
    assert overflows(deck.path, pdf) == []


def test_a_template_font_that_cannot_be_measured_falls_back_with_a_warning(tmp_path):
    path = _corporate_narrative(tmp_path / "corp", "Nonesuch Display", "Nonesuch Text")
    log = pipeline.BuildLog()
    [deck] = pipeline.build(path, ["pptx"], tmp_path / "out", log=log)
    assert _run_fonts(deck.path) == {"titles": {"Cambria"}, "text": {"Calibri"}}  # the theme's own faces
    [warning] = [w for w in log.warnings if "font" in w.message]
    assert str(warning).startswith(f"{path}:14:") and '"Nonesuch Text" cannot be measured' in str(warning)  # the slides: line


def test_table_columns_go_where_they_save_lines(narrative, tmp_path):
    """Width goes where it saves the most lines: a heading over a column of figures does not
    stack one word a line while a prose column keeps room to spare."""
    path = narrative("""# Water

| Country | Population (m) | Irrigated land (kha) | Share of basin water (%) | Hydropower (TWh) | Main crop | Notes |
|---|--:|--:|--:|--:|---|---|
| Kazakhstan | 19.6 | 1,420 | 12 | 9.1 | Wheat, rice | Downstream on the Syr Darya; depends on releases from Toktogul |
| Kyrgyzstan | 6.9 | 1,020 | 4 | 13.9 | Cotton, fodder | Upstream; Toktogul reservoir operator |
| Tajikistan | 10.1 | 742 | 11 | 20.4 | Cotton | Upstream; Nurek and Rogun |
""")
    pipeline.build(path, ["pptx"], tmp_path / "out")
    prs = Presentation(str(tmp_path / "out" / "doc.pptx"))
    table = next(sh.table for s in prs.slides for sh in s.shapes if sh.has_table)
    size = max(r.font.size.pt for p in table.cell(0, 3).text_frame.paragraphs for r in p.runs)
    margins = table.cell(0, 3).margin_top + table.cell(0, 3).margin_bottom
    header_lines = (table.rows[0].height - margins) / Emu(int(size * 12700 * 1.2))
    assert header_lines <= 3.5, header_lines  # "Share of / basin / water (%)", not a word a line


def test_a_quoted_block_quote_keeps_the_authors_marks_without_doubling_them(narrative, tmp_path):
    path = narrative('# Water\n\nIntro.\n\n> "Water will be the oil of this century," said an adviser in 2009.\n\n'
                     "> Rivers do not stop at borders.\n")
    pipeline.build(path, ["pptx"], tmp_path / "out")
    text = "\n".join(sh.text_frame.text for s in Presentation(str(tmp_path / "out" / "doc.pptx")).slides
                     for sh in s.shapes if sh.has_text_frame)
    assert "“Water will be the oil of this century,” said an adviser in 2009" in text
    assert "““" not in text and '“"' not in text
    assert "“Rivers do not stop at borders”" in text


def test_a_quotation_sentence_set_below_the_themes_size_is_a_located_warning(narrative, tmp_path):
    sentence = " ".join(["the regime has always leaned on Moscow for money and for cover, and every turn of "
                         "its foreign policy"] * 12).capitalize() + "."
    path = narrative(f'# One\n\nText.\n\n::: {{.quote by="A. Person"}}\n{sentence}\n:::\n\n'
                     '::: {.quote by="B. Person"}\nShort and sweet.\n:::\n')
    log = pipeline.BuildLog()
    pipeline.build(path, ["pptx"], tmp_path / "out", log=log)
    quoted = [str(w.location) + ": " + w.message for w in log.warnings if "quotation" in w.message]
    assert len(quoted) == 1 and quoted[0].startswith(f"{path}:10:1: a sentence of this quotation"), quoted
