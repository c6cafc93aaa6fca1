"""The patches to WeasyPrint, cffi and pyphen internals: each applies on the pinned versions, and does its job."""

from __future__ import annotations

import json
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
