"""The command line: help everywhere, a summary table, check, and exit codes scripts can trust."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import cli_reference as clidoc
from builders.build import pipeline
from builders.cli import main
from builders.reading import read_narrative

from conftest import REPO


@pytest.mark.parametrize("args", [[], ["build"], ["check"], ["new"], ["watch"], ["schema"], ["themes"], ["themes", "list"],
                                  ["themes", "show"], ["themes", "inspect"]])
def test_every_command_has_help(args):
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_help_does_not_load_the_heavy_libraries():
    code = "import sys; from builders.cli import main\ntry:\n main(['--help'])\nexcept SystemExit: pass\nprint(*(m in sys.modules for m in ('weasyprint', 'pptx', 'watchfiles', 'pypdf', 'PIL', 'jinja2')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False False False False False False")


def test_build_prints_a_summary_and_json(narrative, tmp_path):
    path = narrative("# One\n\nText.\n")
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "doc.pdf" in result.output and "contents" in result.output and "1 page " in result.output and "built 1 file" in result.output
    assert "building" not in result.output  # progress lines only on a terminal
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


def test_quiet_verbose_and_their_conflict(narrative, tmp_path):
    path = narrative("# One\n\nText.\n")
    out = ["--format", "pdf", "--out", str(tmp_path / "o")]
    quiet = CliRunner().invoke(main, ["build", str(path), *out, "--quiet"])
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = CliRunner().invoke(main, ["build", str(path), *out, "--verbose", "--no-cache"])  # a build, not a no-op
    assert verbose.exit_code == 0 and "stages: parse" in verbose.output and "theme" in verbose.output and "pdf" in verbose.output
    both = CliRunner().invoke(main, ["build", str(path), *out, "-q", "-v"])
    assert both.exit_code == 2 and "exclude each other" in both.output


def test_warnings_are_located_and_strict_makes_them_fatal(narrative, tmp_path):
    # conftest's picture is 40 px wide: too coarse for print
    path = narrative("# One\n\n![A picture](images/pic.png)\n")
    out = tmp_path / "o"
    loose = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(out)])
    assert loose.exit_code == 0 and "doc.md:8:1: warning: image \"pic.png\" is only 40 px wide" in loose.output
    (out / "doc.pdf").unlink()
    strict = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(out), "--strict"])
    assert strict.exit_code == 1 and "doc.md:8:1: warning: image" in strict.output and "(--strict)" in strict.output
    assert not (out / "doc.pdf").exists()
    assert CliRunner().invoke(main, ["check", str(path), "--strict"]).exit_code == 1


def test_the_warnings_a_narrative_can_earn(narrative):
    path = narrative(
        "# One {#one}\n\nSee [here](#one) and [this](javascript:alert(1)).\n\n"
        "::: timeline\n- **2021-03** Later\n- **2020** Earlier\n- **2021-03-04** Same month, fine\n:::\n\n"
        "Cited.[^used]\n\n[^used]: Used.\n\n[^spare]: Never cited.\n")
    warnings = [str(w) for w in pipeline.prepare(path).warnings]
    assert any('link "javascript:alert(1)" is not a web' in w for w in warnings)
    assert any("timeline entry 2020 comes after 2021-03" in w for w in warnings)
    assert any(w.endswith("doc.md:20:1: footnote [^spare] is defined but never cited") for w in warnings)
    assert len(warnings) == 3, warnings


def test_the_sample_builds_without_warnings():
    assert pipeline.prepare(REPO / "source").warnings == []


def test_themes_list_shows_the_three_builtins_with_their_origin(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listing = CliRunner().invoke(main, ["themes", "list"])
    assert listing.exit_code == 0
    rows = {line.split()[0]: line for line in listing.output.splitlines()}
    assert {"default", "modern", "contrast"} <= set(rows)
    assert "built-in" in rows["contrast"] and "extends default" in rows["contrast"]


def test_themes_inspect_reports_a_reference_deck_or_says_it_cannot(monkeypatch):
    deck = REPO / "themes" / "default" / "reference.pptx"
    if not deck.exists():
        pytest.skip("no reference deck in this version")
    monkeypatch.setitem(sys.modules, "builders.formats.deck.inspect", None)  # as if the inspector were absent
    missing = CliRunner().invoke(main, ["themes", "inspect", str(deck)])
    assert missing.exit_code == 1 and len(missing.output.strip().splitlines()) == 1
    assert "themes inspect is not available" in missing.output
    monkeypatch.delitem(sys.modules, "builders.formats.deck.inspect")
    try:
        import builders.formats.deck.inspect
    except ImportError:
        return
    shown = CliRunner().invoke(main, ["themes", "inspect", str(deck)])
    assert shown.exit_code == 0 and "Title Slide" in shown.output


def test_the_cli_reference_in_docs_is_generated_from_the_commands():
    assert clidoc.current() == clidoc.reference(), "docs/cli.md is stale: run python tools/cli_reference.py"


def test_readme_starts_with_the_two_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert lines == ["python3 -m venv .venv && . .venv/bin/activate && pip install -e . && triptych build",
                     ".ci/test-tools && pip install -e '.[test]' && python -m pytest"]
    # CI runs exactly the README's test command.
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert any(line.split(" || ")[0] == lines[1] for line in ci)


def test_the_readme_is_a_short_front_door_whose_first_narrative_reads(tmp_path):
    import re

    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200  # the reference lives in docs/
    links = re.findall(r"\]\((docs/[^)#]+)", text)
    assert links and all((REPO / link).is_file() for link in links), links
    (tmp_path / "index.md").write_text(text.split("````markdown\n", 1)[1].split("````", 1)[0], encoding="utf-8")
    doc = read_narrative(tmp_path / "index.md")
    assert {"keypoints", "quote"} <= {block.kind for block in doc.walk()} and doc.footnotes and doc.sections


def test_the_syntax_reference_is_a_valid_narrative(tmp_path):
    from PIL import Image

    text = (REPO / "docs" / "narrative-markdown.md").read_text(encoding="utf-8")
    blocks = text.split("````markdown\n", 1)[1].split("````", 1)[0]
    front = text.split("## Front matter", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    front = "\n".join(line for line in front.splitlines() if not line.startswith(("cover:", "chapters:", "slides:")))
    (tmp_path / "images").mkdir()
    Image.new("RGB", (1200, 800), "#14375E").save(tmp_path / "images" / "map.png")
    (tmp_path / "doc.md").write_text(front + "\n" + blocks, encoding="utf-8")
    doc = read_narrative(tmp_path / "doc.md")
    kinds = {block.kind for block in doc.walk()}
    from builders.reading.blocks import BLOCKS

    assert {"keypoints", "quote", "timeline", "figure", "table", "callout", "notes", "only", "slide", "sources",
            "list", "blockquote", "code_block", "rule", "paragraph", "section"} <= kinds
    assert set(BLOCKS) <= kinds | {"chart"} and ("chart" not in BLOCKS or "chart" in kinds)


def test_the_console_script_exits_with_its_code_and_leaves_no_temporary_files(narrative, tmp_path):
    """`triptych` leaves without interpreter teardown (builders.cli.run): the exit code, the
    printed error and the artefacts must be exactly those of a normal exit, and WeasyPrint's
    temporary font copies must still be removed."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**__import__("os").environ, "TMPDIR": str(scratch)}
    good = narrative("# One\n\nText.\n")
    ok = subprocess.run([sys.executable, "-m", "builders.cli", "build", str(good), "--format", "pdf", "--out",
                         str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    assert "doc.pdf" in ok.stdout or ".pdf" in ok.stdout
    assert [p.suffix for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")] == [".pdf"]
    bad = good.parent / "bad.md"
    bad.write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "builders.cli", "build", str(bad), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, env=env)
    assert failed.returncode == 1
    assert f"{bad}:2:" in failed.stderr
    assert list(scratch.iterdir()) == []
