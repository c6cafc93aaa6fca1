"""Themes: inheritance, a project's own folder first, single-template overrides, located errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import pipeline
from builders.cli import main
from builders.errors import TriptychError
from builders.formats.pdf_briefing import render_html
from builders.themes import available, load_theme


def test_at_least_two_builtin_themes_and_modern_inherits_from_default():
    assert {"default", "modern"} <= set(available())
    modern = load_theme("modern")
    assert [f.name for f in modern.folders] == ["modern", "default"]
    assert modern.tokens["colors"]["brand"] != load_theme("default").tokens["colors"]["brand"]
    # inherited tokens it does not set itself
    assert modern.tokens["page"] == load_theme("default").tokens["page"]
    assert {f.family for f in modern.fonts} == {"Inter"}


def test_the_two_themes_look_different_in_print(narrative, tmp_path):
    path = narrative("# One\n\n::: {.quote by=\"A\"}\nQ.\n:::\n")
    fonts = {}
    for theme in ("default", "modern"):
        [pdf] = pipeline.build(path, ["pdf"], tmp_path / theme, theme)
        fonts[theme] = subprocess.run(["pdffonts", str(pdf.path)], capture_output=True, text=True).stdout
    assert "SourceSerif" in fonts["default"].replace("-", "") and "Inter" not in fonts["default"]
    assert "Inter" in fonts["modern"] and "Source" not in fonts["modern"]


def test_project_theme_overrides_one_block_template(narrative):
    path = narrative('::: {.quote by="Ada"}\nQ.\n:::\n', front="title: T\ntheme: house")
    house = path.parent / "themes" / "house"
    (house / "templates" / "blocks").mkdir(parents=True)
    (house / "theme.yaml").write_text("name: house\nextends: default\ncolors: {brand: '#AA0000'}\n")
    (house / "templates" / "blocks" / "quote.j2").write_text(
        '{% macro quote(node) %}<p class="house-quote">{{ node.by }} says so</p>{% endmacro %}\n'
    )
    ctx = pipeline.prepare(path)
    html = render_html(ctx.doc, ctx.theme, ctx.templates)
    assert '<p class="house-quote">Ada says so</p>' in html
    assert "#AA0000" in html and 'class="keypoints"' not in html  # other templates still from default


def test_project_theme_shadows_a_builtin_of_the_same_name(narrative):
    path = narrative("Text.\n")
    mine = path.parent / "themes" / "default"
    mine.mkdir(parents=True)
    (mine / "theme.yaml").write_text("name: default\nextends: default\ncolors: {accent: '#00AA00'}\n")
    theme = pipeline.prepare(path).theme
    assert theme.tokens["colors"]["accent"] == "#00AA00"
    assert theme.tokens["colors"]["brand"] == "#14375E"


def test_unknown_theme_names_the_front_matter_and_suggests(narrative):
    with pytest.raises(TriptychError) as caught:
        pipeline.prepare(narrative("Text.\n", front="title: T\ntheme: modrn"))
    assert str(caught.value).endswith('unknown theme "modrn" (did you mean "modern"?)')


def test_bad_theme_tokens_and_template_errors_are_located(narrative, tmp_path):
    path = narrative("Text.\n", front="title: T\ntheme: broken")
    broken = path.parent / "themes" / "broken"
    (broken / "templates" / "blocks").mkdir(parents=True)
    (broken / "theme.yaml").write_text("name: broken\nextends: default\ncolors: {brand: 'red; } body { x'}\n")
    with pytest.raises(TriptychError, match=r"theme.yaml:1:1: colors.brand: .* is not a #RRGGBB colour"):
        pipeline.prepare(path)
    (broken / "theme.yaml").write_text("name: broken\nextends: default\n")
    (broken / "templates" / "blocks" / "paragraph.j2").write_text("{% macro paragraph(node) %}\n{{ node.nope }}{% endmacro %}\n")
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "paragraph.j2:2:" in result.output and "nope" in result.output


def test_templates_cannot_reach_python_internals(narrative, tmp_path):
    path = narrative("Text.\n", front="title: T\ntheme: evil")
    evil = path.parent / "themes" / "evil"
    (evil / "templates" / "blocks").mkdir(parents=True)
    (evil / "theme.yaml").write_text("name: evil\nextends: default\n")
    (evil / "templates" / "blocks" / "paragraph.j2").write_text(
        "{% macro paragraph(node) %}{{ node.__class__.__mro__[1].__subclasses__() }}{% endmacro %}\n")
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "template error" in result.output
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").glob("*.pdf"))


def test_themes_list_and_show(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listing = CliRunner().invoke(main, ["themes", "list"])
    assert listing.exit_code == 0 and "default" in listing.output and "modern" in listing.output
    shown = CliRunner().invoke(main, ["themes", "show", "modern"])
    assert shown.exit_code == 0 and "inherits: modern → default" in shown.output and "#0F4C45" in shown.output
