"""DAISY Ace, the EPUB accessibility checker, finds no violation in the sample e-book."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from builders.build import pipeline
from conftest import SAMPLE


def _ace() -> str | None:
    """TRIPTYCH_ACE, else ace-cli on PATH, else where .ci/test-tools installs it."""
    installed = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "triptych-ace/node_modules/.bin/ace-cli"
    return os.environ.get("TRIPTYCH_ACE") or shutil.which("ace-cli") or (str(installed) if installed.is_file() else None)


ACE = _ace()  # read at import, before the tests' own XDG_CACHE_HOME is set
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MISSING = "; ".join(what for what, found in (("DAISY Ace (ace-cli; .ci/test-tools installs it)", ACE),
                                             ("Chromium (.ci/system-packages installs it)", CHROMIUM)) if not found)


@pytest.mark.skipif(bool(MISSING), reason=f"not installed: {MISSING}")
def test_ace_reports_no_critical_or_serious_violation(tmp_path: Path):
    [epub] = pipeline.build(SAMPLE, ["epub"], tmp_path / "out")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}
    subprocess.run([ACE, "-f", "-s", "-o", str(tmp_path / "ace"), str(epub.path)], env=env, check=True,
                   capture_output=True, timeout=300)
    report = json.loads((tmp_path / "ace" / "report.json").read_text())
    impacts = [t["earl:test"]["earl:impact"] for a in report.get("assertions", []) for t in a.get("assertions", [])]
    assert not [i for i in impacts if i in ("critical", "serious")], impacts
    assert report["earl:result"]["earl:outcome"] == "pass", impacts
