"""The PDF briefing clears the print bar: fonts, outline, metadata, footnotes, first page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from builders.build import pipeline
from builders.formats.pdf.build import laid_out
from builders.formats.pdf.footnotes import footnote_pages
from builders.core.model import KeyPoints, plain_text
from conftest import SAMPLE, note_heavy_body


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    [artefact] = pipeline.build(SAMPLE, ["pdf"], out)
    return artefact.path


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def _fonts(reader: PdfReader) -> list[dict]:
    fonts = []
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            fonts.append(descendants[0].get_object() if descendants else font)
    return fonts


def test_every_font_is_embedded_and_is_the_themes(sample_pdf):
    fonts = _fonts(PdfReader(sample_pdf))
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    names = {str(f["/BaseFont"]) for f in fonts}
    assert any("Source-Serif-4" in n for n in names) and any("Source-Sans-3" in n for n in names), names


def test_outline_lists_every_section(sample_pdf):
    reader = PdfReader(sample_pdf)
    titles: list[str] = []

    def walk(items):
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)

    walk(reader.outline)
    doc = pipeline.prepare(SAMPLE).doc
    expected = [s.title_text for s in doc.outline(3)]
    assert titles == expected


def test_language_and_document_metadata(sample_pdf):
    reader = PdfReader(sample_pdf)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    info = reader.metadata
    assert info.title == "How Lukashenko Helped Russia Invade Ukraine"
    assert info.author == "Clara Lindqvist"
    assert "Belarus" in info["/Keywords"]
    assert info.subject.startswith("In the eighteen months")


def test_key_points_and_title_are_on_page_one(sample_pdf):
    first = " ".join(page_text(sample_pdf, 1).split())
    doc = pipeline.prepare(SAMPLE).doc
    keypoints = next(b for b in doc.walk() if isinstance(b, KeyPoints))
    assert "How Lukashenko Helped Russia" in first
    for item in keypoints.items:
        assert " ".join(plain_text(item).split()[-3:]).rstrip(".") in first.replace("- ", "").replace("‐ ", "")


def test_each_footnote_sits_on_the_page_of_its_reference():
    ctx = pipeline.prepare(SAMPLE)
    pages = footnote_pages(laid_out(ctx))
    assert len(pages) == len(ctx.doc.footnotes) >= 5
    assert all(call == body for call, body in pages.values()), pages


def test_running_head_and_page_x_of_y(sample_pdf):
    total = len(PdfReader(sample_pdf).pages)
    second = page_text(sample_pdf, 2)
    assert "BELARUS, RUSSIA'S LAUNCH PAD" in second.upper().replace("’", "'")
    assert f"Page 2 of {total}" in second


def test_contents_give_the_pages_the_outline_points_to(sample_pdf):
    reader = PdfReader(sample_pdf)
    pages = {item.title: reader.get_destination_page_number(item) + 1 for item in reader.outline if not isinstance(item, list)}
    contents = page_text(sample_pdf, 1) + page_text(sample_pdf, 2)
    assert "CONTENTS" in contents.upper()
    entries = contents[contents.upper().index("CONTENTS"):].splitlines()
    for title, page in pages.items():
        line = next(l for l in entries if title in l)
        assert line.rstrip().endswith(f" {page}"), (title, page, line)


@pytest.mark.parametrize("size, width_pt", [("A4", 595), ("Letter", 612)])
def test_page_size_follows_the_front_matter(narrative, tmp_path, size, width_pt):
    path = narrative("# One\n\nText.\n", front=f"title: T\npdf: {{page-size: {size}}}")
    [artefact] = pipeline.build(path, ["pdf"], tmp_path / "out")
    assert round(float(PdfReader(artefact.path).pages[0].mediabox.width)) == width_pt


def test_pdf_ua_variant_is_tagged(narrative, tmp_path):
    path = narrative("# One\n\nText with a note[^n].\n\n[^n]: The note.\n", front="title: T\nlanguage: de\npdf: {variant: pdf/ua-1}")
    [artefact] = pipeline.build(path, ["pdf"], tmp_path / "out")
    root = PdfReader(artefact.path).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "de"
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def test_pdf_a3b_variant_declares_conformance(narrative, tmp_path):
    path = narrative("# One\n\nText.\n", front="title: T\npdf: {variant: pdf/a-3b}")
    [artefact] = pipeline.build(path, ["pdf"], tmp_path / "out")
    root = PdfReader(artefact.path).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in root


def test_sample_renders_without_weasyprint_warnings(no_weasyprint_warnings):
    ctx = pipeline.prepare(SAMPLE)
    assert len(laid_out(ctx).pages) >= 4


def test_a_note_cited_twice_is_printed_once_under_one_number(narrative, tmp_path):
    path = narrative("# One\n\nFirst[^a], second[^b], again[^a].\n\n[^a]: Alpha note.\n[^b]: Beta note.\n")
    [artefact] = pipeline.build(path, ["pdf"], tmp_path / "out")
    text = " ".join(page_text(artefact.path, 1).split())
    assert text.count("Alpha note.") == 1 and "1. Alpha note." in text and "2. Beta note." in text
    assert "again1" in text.replace(" ", "")


def test_footnotes_stay_with_their_calls_in_a_long_note_heavy_document(narrative):
    ctx = pipeline.prepare(narrative(note_heavy_body()))
    pages = footnote_pages(laid_out(ctx))
    assert len(pages) == 72 and len(laid_out(ctx).pages) > 10
    assert [note for note, (call, body) in pages.items() if call != body] == []


def test_a_long_contents_list_starts_on_page_one(narrative, tmp_path):
    """Seventy entries do not fit under the title: the list starts there and runs on, rather than
    leaving page 1 a third empty under the key points."""
    body = "::: keypoints\n- One judgement.\n- Another judgement.\n:::\n\n" + "".join(
        f"# Section {s:02d}\n\nText of section {s}.\n\n" for s in range(1, 71))
    path = narrative(body, front="title: A briefing with a long contents list\ndate: 2024-08-26\npdf: {toc: always}")
    pipeline.build(path, ["pdf"], tmp_path / "out")
    first = PdfReader(str(tmp_path / "out" / "doc.pdf")).pages[0].extract_text()
    assert "CONTENTS" in first.upper() and "Section 01" in first and "Section 10" in first, first
