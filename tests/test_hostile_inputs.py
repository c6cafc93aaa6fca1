"""Hostile narratives and themes: each fails with one located line, leaks nothing, changes nothing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from builders.cli import main
from builders.core.errors import TriptychError
from builders.reading import read_narrative
from conftest import REPO, write_narrative

CANARY = "CANARY-7f3a9c-secret"
LOCATED = re.compile(r"^\S+:\d+:\d+: \S.*$")
PREVIOUS = b"%PDF-1.7 previous build, must survive\n"


@pytest.fixture
def project(tmp_path: Path):
    """A project folder, a canary file outside it, and an output folder with an earlier build."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(CANARY)
    Image.new("RGB", (8, 8), "red").save(outside / "secret.png")
    out = tmp_path / "out"
    out.mkdir()
    (out / "doc.pdf").write_bytes(PREVIOUS)
    return tmp_path


def build_fails(project: Path, body: str, front: str = "title: T", located_in: str = "doc.md") -> str:
    path = write_narrative(project / "p", body, front)
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(project / "out")])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines and all(LOCATED.match(line) for line in lines), lines
    assert located_in in lines[0]
    assert sorted(p.name for p in (project / "out").iterdir() if not p.name.startswith(".")) == ["doc.pdf"]
    assert (project / "out" / "doc.pdf").read_bytes() == PREVIOUS
    return result.output


# ------------------------------------------------------------------ resources

@pytest.mark.parametrize("reference", [
    "../../outside/secret.png",
    "images/../../../outside/secret.png",
    "%2e%2e/%2e%2e/outside/secret.png",
    "..%2f..%2foutside%2fsecret.png",
    "{outside}/secret.png",
    "file://{outside}/secret.png",
    "file:///etc/passwd",
    "/etc/passwd",
])
def test_path_traversal_in_every_spelling(project, reference):
    reference = reference.format(outside=project / "outside")
    output = build_fails(project, f"![x]({reference})\n")
    assert "outside the narrative's folder" in output or "does not exist" in output


@pytest.mark.parametrize("reference, message", [
    ("http://example.com/x.png", "is a http: address"),
    ("https://example.com/x.png", "is a https: address"),
    ("data:image/png;base64,iVBORw0KGgo=", "is a data: address"),
    ("images", "is not a regular file"),
])
def test_no_network_no_data_urls_no_folders(project, reference, message):
    assert message in build_fails(project, f"![x]({reference})\n")


def test_symlink_to_a_file_outside(project):
    folder = project / "p"
    write_narrative(folder, "x")
    (folder / "images" / "link.png").symlink_to(project / "outside" / "secret.png")
    assert "outside the narrative's folder" in build_fails(project, "![x](images/link.png)\n")


def test_symlink_to_dev_zero(project):
    folder = project / "p"
    write_narrative(folder, "x")
    (folder / "images" / "zero.png").symlink_to("/dev/zero")
    assert "outside the narrative's folder" in build_fails(project, "![x](images/zero.png)\n")


def test_corrupt_image(project):
    folder = project / "p"
    write_narrative(folder, "x")
    (folder / "images" / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    assert "is not a readable image" in build_fails(project, "![x](images/bad.png)\n")


def test_decompression_bomb_png(project):
    folder = project / "p"
    write_narrative(folder, "x")
    Image.new("1", (20000, 20000)).save(folder / "images" / "bomb.png", optimize=True)
    assert "has too many pixels" in build_fails(project, "![x](images/bomb.png)\n")


def test_svg_as_image_is_refused(project):
    folder = project / "p"
    write_narrative(folder, "x")
    (folder / "images" / "x.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><image href="file://{project}/outside/secret.png"/></svg>')
    assert "not a readable image" in build_fails(project, "![x](images/x.svg)\n")


# ------------------------------------------------------------------ YAML

@pytest.mark.parametrize("front, message", [
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\ntitle: T", "too many aliases"),
    ("title: !!python/object/apply:os.system [echo pwned]", "could not determine a constructor"),
    ("title: T\ntitle: U", 'duplicate key "title"'),
    ("title: T\ndate: 12:30", 'is not an ISO 8601 date'),
    ("title: T\ndate: no", 'is not an ISO 8601 date'),
    ("title: [unclosed", "front matter"),
    ("- just\n- a list", "front matter must be a mapping"),
    ("title: T\nauthors: {x: y}", "authors: must be a name or a list"),
    ("title: T\npdf: {variant: pdf/x-4}", 'variant "pdf/x-4" is not one of'),
])
def test_yaml_faults(project, front, message):
    assert message in build_fails(project, "Text.\n", front=front)


# ------------------------------------------------------------------ text

def test_invalid_utf8(project):
    folder = project / "p"
    path = write_narrative(folder, "x")
    path.write_bytes(b"---\ntitle: T\n---\n\nBad \xff byte.\n")
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(project / "out")])
    assert result.exit_code == 1 and result.output.strip().endswith("doc.md:5:5: invalid UTF-8 byte")


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\ufffe", "\u0085"[0:0] + "\x9b"])
def test_control_and_non_xml_characters(project, char):
    assert "is not allowed" in build_fails(project, f"Text {char} here.\n")


def test_oversized_source(project):
    output = build_fails(project, "word " * (11 * 1024 * 1024 // 5))
    assert "larger than 5 MB" in output


def test_deep_nesting_of_quotes_and_blocks(project):
    assert "nested deeper than" in build_fails(project, "> " * 40 + "deep\n")
    assert "nested deeper than" in build_fails(project, "".join(f"{':' * (3 + i)} callout\n" for i in range(30)) + "x\n")


def test_chapter_cycle(project):
    assert "includes itself" in build_fails(project, "Text.\n", front="title: T\nchapters: [doc.md]")


def test_unknown_block_and_attribute(project):
    output = build_fails(project, '::: {.calout title="x"}\nHi\n:::\n')
    assert 'unknown block "calout" (did you mean "callout"?)' in output


# ------------------------------------------------------------------ themes

def _theme(project: Path, css: str = "", block: str = "") -> None:
    theme = project / "p" / "themes" / "evil"
    (theme / "templates" / "blocks").mkdir(parents=True, exist_ok=True)
    (theme / "theme.yaml").write_text("name: evil\nextends: default\n")
    if css:  # fonts.css.j2 opens the stylesheet, where @import takes effect
        (theme / "templates" / "fonts.css.j2").write_text(css)
    if block:
        (theme / "templates" / "blocks" / "paragraph.j2").write_text(block)


def test_theme_css_import_of_a_local_file(project):
    _theme(project, css=f'@import url("file://{project}/outside/secret.txt");')
    output = build_fails(project, "Text.\n", front="title: T\ntheme: evil", located_in="fonts.css.j2:1:9")
    assert "lies outside the theme" in output


def test_theme_css_import_hidden_from_the_load_check_is_refused_by_the_pdf(project):
    _theme(project, css='@import url("{{ "file://" }}' + f'{project}/outside/secret.txt");')
    output = build_fails(project, "Text.\n", front="title: T\ntheme: evil")
    assert "PDF: resource" in output and "outside" in output


def test_theme_template_image_outside(project):
    _theme(project, block='{% macro paragraph(node) %}<img src="file:///etc/passwd"/>{% endmacro %}')
    assert "outside" in build_fails(project, "Text.\n", front="title: T\ntheme: evil", located_in="paragraph.j2:1:33")


def test_theme_template_reaching_python_internals(project):
    _theme(project, block="{% macro paragraph(node) %}{{ ''.__class__.__mro__[1].__subclasses__() }}{% endmacro %}")
    assert "template error" in build_fails(project, "Text.\n", front="title: T\ntheme: evil", located_in="paragraph.j2")


def test_theme_template_undefined_variable(project):
    _theme(project, block="{% macro paragraph(node) %}{{ no_such_thing }}{% endmacro %}")
    output = build_fails(project, "Text.\n", front="title: T\ntheme: evil", located_in="paragraph.j2")
    assert "no_such_thing" in output


def test_theme_escapes_what_authors_write(project, tmp_path):
    path = write_narrative(project / "p", '<script>alert(1)</script> and [x](javascript:alert(2))\n')
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    from builders.build import pipeline
    from builders.formats.pdf.build import render_html
    ctx = pipeline.prepare(path)
    html = render_html(ctx.doc, ctx.theme, ctx.templates)
    assert "<script>" not in html and "javascript:" not in html and "&lt;script&gt;" in html


# ------------------------------------------------------------------ publishing

def test_output_folder_that_cannot_be_created(project):
    path = write_narrative(project / "p", "Text.\n")
    blocker = project / "a-file"
    blocker.write_text("x")
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(blocker / "out")])
    assert result.exit_code == 1 and "cannot write to the output folder" in result.output
    assert LOCATED.match(result.output.strip())


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder(project):
    path = write_narrative(project / "p", "Text.\n")
    (project / "out").chmod(0o555)
    try:
        result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(project / "out")])
    finally:
        (project / "out").chmod(0o755)
    assert result.exit_code == 1 and "cannot write to the output folder" in result.output
    assert (project / "out" / "doc.pdf").read_bytes() == PREVIOUS


def test_sigkill_mid_build_leaves_earlier_outputs_intact(project):
    out = project / "out"
    sample = REPO / "source"
    subprocess.run([sys.executable, "-m", "builders.cli", "build", str(sample), "--format", "pdf", "--out", str(out)], check=True)
    [earlier] = [p for p in out.glob("how-*.pdf")]
    before = earlier.read_bytes()
    # --no-cache: an unchanged build would be a no-op, over long before the kill
    child = subprocess.Popen([sys.executable, "-m", "builders.cli", "build", str(sample), "--format", "pdf", "--out", str(out),
                              "--no-cache"])
    time.sleep(1.2)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert earlier.read_bytes() == before
    # the next build sweeps the killed build's temporary file
    subprocess.run([sys.executable, "-m", "builders.cli", "build", str(sample), "--format", "pdf", "--out", str(out), "-q"], check=True)
    assert not list(out.glob(".*.part"))


def test_two_builds_into_one_folder_at_once(project):
    out = project / "out"
    sample = REPO / "source"
    cmd = [sys.executable, "-m", "builders.cli", "build", str(sample), "--format", "pdf", "--out", str(out), "-q"]
    first, second = subprocess.Popen(cmd), subprocess.Popen(cmd)
    assert first.wait() == 0 and second.wait() == 0
    [pdf] = out.glob("how-*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.read_bytes().rstrip().endswith(b"%%EOF")
    assert oct(pdf.stat().st_mode & 0o777) != "0o600"


def test_no_canary_in_any_artefact_built_next_to_it(project, tmp_path):
    import zipfile

    path = write_narrative(project / "p", "# One\n\nText with a [link](../outside/secret.txt).\n")
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    artefacts = sorted((tmp_path / "o").glob("doc.*"))
    assert {p.suffix for p in artefacts} == {".pdf", ".pptx", ".epub"}
    for artefact in artefacts:
        data = artefact.read_bytes()
        if artefact.suffix == ".pdf":
            parts = [data] + [zlib.decompress(m.group(1)) for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S) if m.group(1)[:1] == b"x"]
        else:
            with zipfile.ZipFile(artefact) as archive:
                parts = [archive.read(name) for name in archive.namelist()]
        assert all(CANARY.encode() not in part for part in parts), artefact.name


# ------------------------------------------------------------------ fuzz

@example("---\n[^1]:")  # a flow sequence as a YAML key: once a TypeError
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("abc :{}[]#*_`|-!\n>\"'=.^\\$%&~") + ["::: ", "---\n", "[^1]", "[^1]: n\n", "![x](y.png)", "| a | b |\n", "\x00", "é", "::: {.quote by=\"x\"}\n", "::: timeline\n- **2020** x\n"]), max_size=120).map("".join))
def test_any_input_either_parses_or_fails_with_our_error(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "doc.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        read_narrative(path)
    except TriptychError as exc:
        assert all(LOCATED.match(str(p)) for p in exc.problems), exc.problems


def test_theme_attachment_of_a_project_file_is_refused(project):
    folder = project / "p"
    write_narrative(folder, "x")
    (folder / "notes.txt").write_text(CANARY)
    _theme(project)
    document = (REPO / "themes/default/templates/document.html.j2").read_text()
    document = document.replace("<head>", '<head><link rel="attachment" href="notes.txt"/>')
    (folder / "themes/evil/templates/document.html.j2").write_text(document)
    path = write_narrative(folder, "Text.\n", front="title: T\ntheme: evil")
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(project / "o")])
    data = (project / "o" / "doc.pdf").read_bytes()
    assert result.exit_code == 0 and b"/EmbeddedFile" not in data and CANARY.encode() not in data


def test_theme_import_of_a_project_text_file_is_refused(project):
    folder = project / "p"
    write_narrative(folder, "x")
    (folder / "notes.txt").write_text(CANARY)
    _theme(project, css='@import url("notes.txt");')
    assert "is not an image, font or stylesheet" in build_fails(project, "Text.\n", front="title: T\ntheme: evil")


# ------------------------------------------------------------------ network, only when asked

@pytest.mark.parametrize("reference, message", [
    ("http://example.com/x.png", "is a http: address"),
    ("https://127.0.0.1/x.png", "is a loopback address (127.0.0.1)"),
    ("https://localhost/x.png", "is a loopback address"),
    ("https://10.1.2.3/x.png", "is a private address (10.1.2.3)"),
    ("https://192.168.0.7/x.png", "is a private address"),
    ("https://169.254.169.254/latest/meta-data", "is a link-local address"),
    ("https://[::1]/x.png", "is a loopback address (::1)"),
    ("https://user:pw@example.com/x.png", "names no plain host"),
])
def test_allow_network_still_refuses_plain_http_and_non_public_hosts(project, reference, message):
    # Every case is refused before any connection is made: the tests never reach the network.
    path = write_narrative(project / "p", f"![x]({reference})\n")
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(project / "out"),
                                       "--allow-network"])
    assert result.exit_code == 1 and message in result.output, result.output
    assert LOCATED.match(result.output.strip())
    assert (project / "out" / "doc.pdf").read_bytes() == PREVIOUS


def test_https_image_without_the_flag_names_the_flag(project):
    assert "fetched only with --allow-network" in build_fails(project, "![x](https://example.org/x.png)\n")
