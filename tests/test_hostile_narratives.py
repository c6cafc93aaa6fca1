"""Hostile narratives, second round: odd figures and covers, smuggled characters, errors at their real line."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import Image

from builders.cli import main
from conftest import write_narrative

LOCATED = re.compile(r"^\S+:\d+:\d+: \S.*$")


def _build(path: Path, out: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["build", str(path), "--out", str(out), *extra])


def _fails_at(result: Any, where: str) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines and all(LOCATED.match(line) for line in lines), result.output
    assert where in lines[0], lines
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize("key", ["cover", "epub: {cover"])
def test_cover_that_is_not_an_image_is_located_at_its_line(tmp_path, key):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "cover.png").write_text("not an image")
    value = "cover.png" if key == "cover" else "cover.png}"
    path = write_narrative(folder, "Hello.\n", front=f"title: T\ndate: 2024-01-01\n{key}: {value}")
    assert "is not a readable image" in _fails_at(_build(path, tmp_path / "out"), "doc.md:4:")


def test_cover_of_900_megapixels_is_refused_before_it_is_decoded(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    Image.new("1", (30000, 30000)).save(folder / "huge.png")  # 900 MP, a few hundred KB on disk
    path = write_narrative(folder, "Hello.\n", front="title: T\ndate: 2024-01-01\ncover: huge.png")
    assert "too many pixels" in _fails_at(_build(path, tmp_path / "out", "--format", "epub"), "doc.md:4:")


def test_webp_figure_reaches_the_deck_as_png(tmp_path):
    from pptx import Presentation

    folder = tmp_path / "p"
    folder.mkdir()
    Image.new("RGB", (120, 80), "#336699").save(folder / "pic.webp")
    path = write_narrative(folder, "# One\n\n![A WebP figure](pic.webp)\n", front="title: T\ndate: 2024-01-01")
    result = _build(path, tmp_path / "out")
    assert result.exit_code == 0, result.output
    [deck] = (tmp_path / "out").glob("*.pptx")
    pictures = [s for slide in Presentation(str(deck)).slides for s in slide.shapes if hasattr(s, "image")]
    assert [p.image.content_type for p in pictures] == ["image/png"]
    assert pictures[0].image.size == (120, 80)


def test_sixteen_bit_png_figure_prints_as_drawn(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    gradient = Image.new("I;16", (256, 64))
    gradient.putdata([x * 257 for _ in range(64) for x in range(256)])  # black to white, left to right
    gradient.save(folder / "deep.png")
    path = write_narrative(folder, "# One\n\n![A 16-bit grey ramp](deep.png)\n", front="title: T\ndate: 2024-01-01")
    result = _build(path, tmp_path / "out", "--format", "pdf")
    assert result.exit_code == 0, result.output
    [pdf] = (tmp_path / "out").glob("*.pdf")
    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / "img")], check=True)
    [image] = tmp_path.glob("img-*.png")
    with Image.open(image) as drawn:
        row = [drawn.convert("L").getpixel((x, 32)) for x in (0, 64, 128, 192, 255)]
    assert row[0] < 8 and row[-1] > 247 and row == sorted(row), row


@pytest.mark.parametrize("field, value", [("publisher", '"Acme\\rPress"'), ("title", '"Split\\r\\nTitle"'),
                                          ("rights", '"Tab\\there"')])
def test_line_breaks_smuggled_into_one_line_fields_become_spaces(tmp_path, field, value):
    front = f"title: T\ndate: 2024-01-01\n{field}: {value}" if field != "title" else f"title: {value}\ndate: 2024-01-01"
    path = write_narrative(tmp_path / "p", "# One\n\nHello.\n", front=front)
    result = _build(path, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_control_character_smuggled_by_a_yaml_escape_is_located(tmp_path):
    path = write_narrative(tmp_path / "p", "Hello.\n", front='title: T\ndate: 2024-01-01\npublisher: "Acme\\x01"')
    assert "control character U+0001" in _fails_at(_build(path, tmp_path / "out"), "doc.md:4:")


def test_unknown_theme_is_located_at_the_theme_line(tmp_path):
    path = write_narrative(tmp_path / "p", "Hello.\n", front="title: T\ndate: 2024-01-01\ntheme: defualt")
    assert 'unknown theme "defualt"' in _fails_at(_build(path, tmp_path / "out"), "doc.md:4:8")


def test_missing_slide_reference_is_located_at_the_slides_line(tmp_path):
    path = write_narrative(tmp_path / "p", "Hello.\n", front="title: T\ndate: 2024-01-01\nslides: {reference: nope.pptx}")
    assert "reference" in _fails_at(_build(path, tmp_path / "out", "--format", "pptx"), "doc.md:4:")


# ------------------------------------------------------------------ the same bytes on every machine

def _turkish_locale(tmp_path: Path) -> dict[str, str] | None:
    """LC_ALL=tr_TR.UTF-8, compiled into a folder of this test when the system lacks it."""
    import shutil

    if not shutil.which("localedef") or not Path("/usr/share/i18n/locales/tr_TR").exists():
        return None
    folder = tmp_path / "locales"
    folder.mkdir()
    made = subprocess.run(["localedef", "-i", "tr_TR", "-f", "UTF-8", str(folder / "tr_TR.UTF-8")], capture_output=True)
    return {"LOCPATH": str(folder), "LC_ALL": "tr_TR.UTF-8"} if made.returncode in (0, 1) else None


def test_same_bytes_whatever_the_folder_locale_time_zone_and_hash_seed(tmp_path):
    import os
    import shutil
    import sys

    from conftest import REPO

    turkish = _turkish_locale(tmp_path)
    if turkish is None:
        pytest.skip("no tr_TR locale sources to compile")
    runs = {
        "here": ("a", {}),
        "elsewhere, Turkish, Kiritimati, another seed": ("b/deeper/folder", {**turkish, "TZ": "Pacific/Kiritimati",
                                                                             "PYTHONHASHSEED": "4242"}),
    }
    built: dict[str, dict[str, bytes]] = {}
    for label, (where, env) in runs.items():
        folder = tmp_path / where / "source"
        shutil.copytree(REPO / "source", folder)
        out = tmp_path / where / "out"
        done = subprocess.run([sys.executable, "-m", "builders.cli", "build", str(folder), "--out", str(out), "-q"],
                              env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **env}, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        built[label] = {p.suffix: p.read_bytes() for p in out.glob("*.*") if not p.name.startswith(".")}
    first, second = built.values()
    assert sorted(first) == [".epub", ".pdf", ".pptx"]
    for suffix in first:
        assert first[suffix] == second[suffix], f"{suffix} differs"


# ------------------------------------------------------------------ bounded work

def test_too_many_footnotes_is_located_at_the_first_one_past_the_bound(tmp_path):
    calls = " ".join(f"C[^n{i}]." for i in range(10_001))
    notes = "".join(f"[^n{i}]: N.\n" for i in range(10_001))
    path = write_narrative(tmp_path / "p", f"{calls}\n\n{notes}", front="title: T\ndate: 2024-01-01")
    output = _fails_at(_build(path, tmp_path / "out", "--format", "epub"), "doc.md:")
    assert "more than 10,000 footnotes" in output


def test_a_table_of_too_many_cells_is_located(tmp_path):
    rows = "".join(f"| r{i} | {i} | {i} | {i} |\n" for i in range(2600))
    path = write_narrative(tmp_path / "p", f"# One\n\n| a | b | c | d |\n|---|---|---|---|\n{rows}",
                           front="title: T\ndate: 2024-01-01")
    assert "at most 10,000" in _fails_at(_build(path, tmp_path / "out"), "doc.md:8:1")
