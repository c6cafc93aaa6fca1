"""Parametrised narratives: one source, one briefing per row of parameters."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from builders.cli import main

PROFILE = """\
---
title: "Energy profile: {{ params.country }}"
date: 2024-08-26
params:
  country: Latvia
  capacity: "1,000"
---

# {{ params.country }} at a glance

{{ params.country }} runs {{ params.capacity }} megawatts of wind, *more than {{ params.country | upper }} planned*.

- Grid operator of {{ params.country }}

::: {.chart type="bar" title="Capacity in {{ params.country }}" units="MW"}
| Source | MW |
|:--|--:|
| Wind | {{ params.capacity }} |
| Solar | 200 |
:::
"""


def _profile(folder: Path, text: str = PROFILE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "profile.md"
    path.write_text(text, encoding="utf-8")
    return path


def _pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def _epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return " ".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))


def test_one_parameter_from_the_command_line_reaches_every_format(tmp_path):
    source = _profile(tmp_path / "p")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "--param", "country=Estonia", "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    # Named from the rendered title, so each briefing of a series gets its own files.
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == ["energy-profile-estonia.epub", "energy-profile-estonia.pdf", "energy-profile-estonia.pptx"]
    text = _pdf_text(out / "energy-profile-estonia.pdf")
    assert "Estonia at a glance" in text and "ESTONIA" in text and "Latvia" not in text
    assert "Capacity in Estonia" in _epub_text(out / "energy-profile-estonia.epub")


def test_defaults_apply_without_parameters(tmp_path):
    source = _profile(tmp_path / "p")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(source), "--format", "pdf", "--out", str(out)]).exit_code == 0
    assert "Latvia at a glance" in _pdf_text(out / "energy-profile-latvia.pdf")


def test_a_csv_of_rows_builds_one_briefing_per_row(tmp_path):
    source = _profile(tmp_path / "p")
    rows = tmp_path / "p" / "rows.csv"
    rows.write_text("country,capacity\nEstonia,900\nLithuania,1200\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "--params", str(rows), "--format", "pdf,epub",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Estonia at a glance" in _pdf_text(out / "energy-profile-estonia.pdf")
    assert "1,200" in _pdf_text(out / "energy-profile-lithuania.pdf") or "1200" in _pdf_text(out / "energy-profile-lithuania.pdf")
    assert "Lithuania" in _epub_text(out / "energy-profile-lithuania.epub")


@pytest.mark.parametrize("suffix, text", [
    (".json", '[{"country": "Estonia"},\n {"country": "Finland"}]\n'),
    (".yaml", "- country: Estonia\n- country: Finland\n"),
])
def test_rows_may_come_from_json_or_yaml(tmp_path, suffix, text):
    source = _profile(tmp_path / "p")
    rows = tmp_path / f"rows{suffix}"
    rows.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "--params", str(rows), "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "energy-profile-finland.pdf").is_file() and (out / "energy-profile-estonia.pdf").is_file()


def test_an_unknown_parameter_in_a_row_is_located_at_the_row_and_names_the_key(tmp_path):
    source = _profile(tmp_path / "p")
    rows = tmp_path / "rows.csv"
    rows.write_text("contry\nEstonia\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "--params", str(rows), "--out", str(out)])
    assert result.exit_code == 1
    assert 'rows.csv:2:1: row 1: unknown parameter "contry" (did you mean "country"?)' in result.output
    assert "Traceback" not in result.output
    assert not any(p.suffix in (".pdf", ".pptx", ".epub") for p in out.glob("*")) if out.exists() else True


def test_a_parameter_without_value_or_default_is_located(tmp_path):
    source = _profile(tmp_path / "p", PROFILE.replace('capacity: "1,000"', "capacity:"))
    result = CliRunner().invoke(main, ["build", str(source), "--param", "country=Estonia", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert 'parameter "capacity" has no value and no default in profile.md' in result.output


def test_a_misspelt_parameter_in_the_text_is_located_at_its_line_and_column(tmp_path):
    text = PROFILE.replace("- Grid operator of {{ params.country }}", "- Grid operator of {{ params.contry }}")
    source = _profile(tmp_path / "p", text)
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 1
    line = text.split("\n").index("- Grid operator of {{ params.contry }}") + 1
    column = "- Grid operator of {{ params.contry }}".index("contry") + 1
    assert f"profile.md:{line}:{column}: unknown parameter \"contry\" (did you mean \"country\"?)" in result.output


def test_substitution_reaches_nothing_but_the_parameters(tmp_path):
    text = PROFILE.replace("- Grid operator of {{ params.country }}", "- {{ ''.__class__.__mro__ }} {{ config }}")
    source = _profile(tmp_path / "p", text)
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert '"config" is not known here: only params.NAME can be substituted' in result.output


def test_locations_after_a_substitution_still_point_at_the_authors_lines(tmp_path):
    text = PROFILE + "\n::: qoute\nText.\n:::\n"
    source = _profile(tmp_path / "p", text)
    result = CliRunner().invoke(main, ["check", str(source), "--param", "country=A much longer country name"])
    line = text.split("\n").index("::: qoute") + 1
    assert result.exit_code == 1 and f"profile.md:{line}:5: unknown block \"qoute\"" in result.output


def test_two_rows_that_would_share_artefacts_are_refused_naming_both_rows(tmp_path):
    source = _profile(tmp_path / "p")
    rows = tmp_path / "rows.csv"
    rows.write_text("country\nEstonia\nLatvia\nEstonia\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "--params", str(rows), "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 1
    assert "rows.csv:4:1: row 3: its artefacts would be named \"energy-profile-estonia\", like those of row 1 (rows.csv:2)" in result.output
    assert (out / "energy-profile-latvia.pdf").is_file()


def test_a_narrative_without_params_keeps_its_braces(narrative, tmp_path):
    source = narrative("# One\n\nTemplates write {{ name }} and {#id} literally.\n")
    out = tmp_path / "o"
    assert CliRunner().invoke(main, ["build", str(source), "--format", "pdf", "--out", str(out)]).exit_code == 0
    assert "{{ name }}" in _pdf_text(out / "doc.pdf")
