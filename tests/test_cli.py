"""The command line: help everywhere, a summary table, check, and exit codes scripts can trust."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from builders.cli import main


@pytest.mark.parametrize("args", [[], ["build"], ["check"], ["themes"], ["themes", "list"], ["themes", "show"]])
def test_every_command_has_help(args):
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_help_does_not_load_the_heavy_libraries():
    code = "import sys; from builders.cli import main\ntry:\n main(['--help'])\nexcept SystemExit: pass\nprint('weasyprint' in sys.modules, 'pptx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False False")


def test_build_prints_a_summary_and_json(narrative, tmp_path):
    path = narrative("# One\n\nText.\n")
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "doc.pdf" in result.output and "pages/slides" in result.output and "built 1 file" in result.output
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(tmp_path / "o"), "--json"])
    [row] = json.loads(result.output)
    assert row["format"] == "pdf" and row["count"] == 1 and row["bytes"] > 1000


def test_unknown_format_is_a_usage_error(narrative):
    result = CliRunner().invoke(main, ["build", str(narrative("Text.\n")), "--format", "docx"])
    assert result.exit_code == 2 and '"docx" is not one of' in result.output


def test_check_validates_without_writing(narrative, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ok = CliRunner().invoke(main, ["check", str(narrative("# One\n\nSome words here.\n"))])
    assert ok.exit_code == 0 and "ok" in ok.output
    bad = CliRunner().invoke(main, ["check", str(narrative("::: keypionts\n- x\n:::\n"))])
    assert bad.exit_code == 1 and 'unknown block "keypionts" (did you mean "keypoints"?)' in bad.output
    assert not (tmp_path / "output").exists()


def test_missing_source_is_reported(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope.md")])
    assert result.exit_code == 1 and "nope.md:1:1: no such file or folder" in result.output
