"""Same source, theme and SOURCE_DATE_EPOCH: the same bytes, whatever the time zone, locale or hash seed."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def build_all(out: Path, source: Path = REPO / "source", **env: str) -> dict[str, str]:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1724630400", **env}
    subprocess.run([sys.executable, "-m", "builders.cli", "build", str(source), "--out", str(out), "-q"],
                   check=True, env=environment)
    return {p.suffix: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def test_three_artefacts_are_byte_identical_across_time_zones_and_hash_seeds(tmp_path):
    first = build_all(tmp_path / "a", TZ="UTC", PYTHONHASHSEED="1", LC_ALL="C")
    second = build_all(tmp_path / "b", TZ="Pacific/Kiritimati", PYTHONHASHSEED="4242", LC_ALL="C.UTF-8")
    assert set(first) == {".pdf", ".pptx", ".epub"}
    assert first == second


def test_three_artefacts_are_byte_identical_wherever_the_narrative_folder_lies(tmp_path):
    """A cluster worker, a moved checkout: the folder's absolute path must not reach the bytes
    (WeasyPrint named each image after a hash of its file: URL)."""
    near = tmp_path / "a"
    far = tmp_path / "somewhere" / "much" / "deeper"
    for folder in (near, far):
        shutil.copytree(REPO / "source", folder / "source")
    assert build_all(tmp_path / "out-a", near / "source") == build_all(tmp_path / "out-b", far / "source")
