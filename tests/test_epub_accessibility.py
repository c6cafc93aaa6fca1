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

ACE = os.environ.get("TRIPTYCH_ACE")  # path to node_modules/.bin/ace-cli; .ci/run sets it
CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(not (ACE and CHROMIUM), reason="DAISY Ace and Chromium not installed (.ci/run installs them)")
def test_ace_reports_no_critical_or_serious_violation(tmp_path: Path):
    [epub] = pipeline.build(SAMPLE, ["epub"], tmp_path / "out")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}
    subprocess.run([ACE, "-f", "-s", "-o", str(tmp_path / "ace"), str(epub.path)], env=env, check=True,
                   capture_output=True, timeout=300)
    report = json.loads((tmp_path / "ace" / "report.json").read_text())
    impacts = [t["earl:test"]["earl:impact"] for a in report.get("assertions", []) for t in a.get("assertions", [])]
    assert not [i for i in impacts if i in ("critical", "serious")], impacts
    assert report["earl:result"]["earl:outcome"] == "pass", impacts
