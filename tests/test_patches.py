"""The patches to WeasyPrint, cffi and pyphen internals: each applies on the pinned versions, and does its job."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

import pytest

from builders.build import pipeline
from builders.formats.pdf import build as pdf
from builders.formats.pdf.footnotes import misplaced_footnotes
from builders.formats.pdf.patches import PATCHES
from conftest import note_heavy_body

REPORT = """
import json
from builders.formats.pdf.patches import PATCHES, apply_all
report = apply_all()
print(json.dumps({p.name: [report[p.name], p.applied()] for p in PATCHES}))
"""


def _installed(distribution: str) -> str | None:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def test_every_patch_applies_on_the_versions_it_was_checked_on():
    """In a fresh process, as a build starts: apply_all() applies each patch, and the patched
    object itself shows it. A WeasyPrint upgrade that silently drops one fails here."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the fast import applies on Linux only")
    mismatched = [f"{p.name}: {d} {_installed(d)} (checked on {v})" for p in PATCHES for d, v in p.checked_on
                  if _installed(d) != v]
    if mismatched:
        pytest.skip("not the pinned versions: " + "; ".join(mismatched))
    found = json.loads(subprocess.run([sys.executable, "-c", REPORT], capture_output=True, text=True,
                                      check=True).stdout)
    assert found == {p.name: [True, True] for p in PATCHES}


def test_every_patch_says_what_it_changes_where_it_was_checked_and_how_to_tell():
    for patch in PATCHES:
        module = sys.modules[patch.apply.__module__]
        assert patch.changes and patch.checked_on, patch.name
        for heading in ("Changes:", "Checked on:", "Applied when:"):
            assert heading in (module.__doc__ or ""), f"{patch.name}: no {heading!r} in its docstring"


def test_the_first_layout_keeps_every_footnote_with_its_call(narrative, monkeypatch):
    """The footnote patch, not the repair behind it: in this document WeasyPrint alone moves a
    note to the next page to fit a line for orphans (TRIPTYCH_SKIP_PATCHES=footnotes shows it)."""
    ctx = pipeline.prepare(narrative(note_heavy_body()))
    monkeypatch.setattr(pdf, "MAX_FOOTNOTE_REPAIRS", 0)  # one layout, as the build makes it, never repaired
    document = pdf.layout(ctx.doc, ctx.theme, ctx.templates)
    assert len(document.pages) > 10
    assert misplaced_footnotes(document) == []


def _empty_bands(pdf_bytes: bytes) -> list[float]:
    """print_fidelity.py's rule, per upright page but the last: the tallest empty band between the
    head and foot bands, as a share of the page."""
    import io

    import pdfplumber

    bands = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as read:
        for page in read.pages[:-1]:
            if page.width > page.height:
                continue  # a landscape table's page of its own
            top, bottom = 0.08 * float(page.height), 0.92 * float(page.height)
            marks = sorted((max(float(o["top"]), top), min(float(o["bottom"]), bottom))
                           for o in page.chars + page.images + page.rects + page.curves + page.lines
                           if float(o["bottom"]) >= top and float(o["top"]) <= bottom)
            edge, gap = top, 0.0
            for y0, y1 in marks:
                gap, edge = max(gap, y0 - edge), max(edge, y1)
            bands.append(max(gap, bottom - edge) / float(page.height))
    return bands


@pytest.mark.parametrize("which", ["sample", "long"])
def test_one_layout_fills_the_page_a_figure_did_not_fit(which, tmp_path, monkeypatch):
    """The deferred-blocks patch, not the placement passes behind it: laid out once, the figure that
    does not fit waits for the next page while the text after it fills this one. Without the patch
    (TRIPTYCH_SKIP_PATCHES=deferred_blocks) the sample's page 5 is 37 % empty."""
    from conftest import SAMPLE
    from test_print_layout import long_narrative

    source = SAMPLE if which == "sample" else long_narrative(tmp_path / "long")
    ctx = pipeline.prepare(source)
    monkeypatch.setattr(pdf, "MAX_PLACEMENT_PASSES", 0)
    monkeypatch.setattr(pdf, "LONG_PLACEMENT_PASSES", 0)
    document = pdf.layout(ctx.doc, ctx.theme, ctx.templates)
    bands = _empty_bands(document.write_pdf())
    assert len(bands) > 4
    assert max(bands) <= 0.25, f"page {bands.index(max(bands)) + 1}: an empty band of {max(bands):.0%}"


def test_page_streams_are_deflated_at_the_default_level(narrative, tmp_path):
    """The page_compression patch: every deflated stream of a built PDF starts with zlib's header for
    the default level (78 9C), not pydyf's best (78 DA), which costs four times the CPU."""
    source = narrative("# One\n\n" + "Words of a short briefing. " * 200)
    [artefact] = pipeline.build(source, ["pdf"], tmp_path / "out")
    data = artefact.path.read_bytes()
    headers = {data[m.end():m.end() + 2] for m in re.finditer(rb"stream\r?\n", data)}
    assert b"\x78\xda" not in headers
    assert b"\x78\x9c" in headers


def test_a_cells_narrowest_width_is_cut_at_once_and_as_weasyprint_cuts_it(narrative, monkeypatch):
    """The min_content patch: measuring table cells that may break anywhere takes one Pango layout a
    piece (WeasyPrint alone: three or more), and every piece is cut exactly where WeasyPrint cuts it —
    web addresses, German compounds, Ukrainian, French, numbers with units."""
    from weasyprint.layout import preferred
    from weasyprint.text import line_break

    source = narrative(
        "# Tables\n\nSome text before the table.\n\n| Name | Note | Link |\n|:--|:--|--:|\n"
        "| Übertragungsnetzbetreiber | Donaudampfschifffahrtsgesellschaft, l'électricité québécoise | "
        "https://example.org/reports/2024/annual-capacity-statistics.pdf |\n"
        "| Електропередавальна інфраструктура | «Цитата» — тире… (a) [b]; c: d! | 1 234,5 € and 30 % |\n\n"
        "Table: Words that break anywhere\n", front="title: Cells\ndate: 2024-08-26\nlanguage: de")
    ctx = pipeline.prepare(source)
    pdf.layout(ctx.doc, ctx.theme, ctx.templates)  # patches applied, WeasyPrint imported
    quick = preferred.split_first_line
    weasyprint_own = quick.__wrapped__  # no wrapper: the patch is not in place
    made = [0]
    create_layout = line_break.create_layout

    def counted(*args, **kwargs):
        made[0] += 1
        return create_layout(*args, **kwargs)

    pieces: list[tuple[bool, int]] = []

    def compared(*args, **kwargs):
        before = made[0]
        ours = quick(*args, **kwargs)
        layouts = made[0] - before
        pieces.append((ours[1:] == weasyprint_own(*args, **kwargs)[1:], layouts))
        return ours

    monkeypatch.setattr(line_break, "create_layout", counted)
    monkeypatch.setattr(preferred, "split_first_line", compared)
    pdf.layout(ctx.doc, ctx.theme, ctx.templates)
    assert len(pieces) > 100
    assert all(same for same, _ in pieces)
    assert sum(1 for _, layouts in pieces if layouts == 1) > len(pieces) / 2  # the last word of a cell: its own path
