"""Themes: inheritance, a project's own folder first, single-template overrides, located errors."""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner

from builders.build import pipeline
from builders.cli import main
from builders.core.errors import TriptychError
from builders.formats.pdf.build import render_html
from builders.theming.themes import available, load_theme


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


def _contrast(one: str, other: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_theme_is_accessible_and_inherits_from_default():
    theme = load_theme("contrast")
    assert [f.name for f in theme.folders] == ["contrast", "default"]
    colours, kind = theme.tokens["colors"], theme.tokens["type"]
    assert kind["body"] == "11.5pt" and float(kind["small"].removesuffix("pt")) >= 9
    for text in ("ink", "muted", "brand", "accent"):  # every colour that is set as text
        for ground in ("paper", "tint"):
            assert _contrast(colours[text], colours[ground]) >= 7, (text, ground)
    assert _contrast(colours["on-brand"], colours["brand"]) >= 7
    assert theme.tokens["page"] == load_theme("default").tokens["page"]  # inherited, not copied


def test_contrast_theme_underlines_links_and_keeps_text_opaque(narrative):
    path = narrative("# One\n\nSee [the source](https://example.org).\n", front="title: T\ntheme: contrast")
    ctx = pipeline.prepare(path)
    html = render_html(ctx.doc, ctx.theme, ctx.templates)
    css = html.split("/* contrast:", 1)[1]
    assert "a { color: #0033A0; text-decoration: underline; }" in css
    assert ".masthead .kicker { opacity: 1; }" in css
    assert "Atkinson Hyperlegible" in html


@pytest.mark.parametrize("name", ["default", "modern", "contrast"])
def test_every_builtin_theme_builds_the_sample(name, tmp_path):
    from conftest import SAMPLE

    [pdf] = pipeline.build(SAMPLE, ["pdf"], tmp_path, name)
    fonts = subprocess.run(["pdffonts", str(pdf.path)], capture_output=True, text=True).stdout
    assert pdf.count >= 5
    expected = {"default": "Source", "modern": "Inter", "contrast": "Atkinson"}[name]
    assert expected in fonts.replace("-", " ")


def test_an_installed_theme_package_is_found_through_its_entry_point(tmp_path, monkeypatch, narrative):
    """A dist-info folder on sys.path is all importlib.metadata needs: nothing is installed."""
    site = tmp_path / "site"
    package = site / "acme_themes"
    (package / "acme").mkdir(parents=True)
    (package / "__init__.py").write_text("raise RuntimeError('listing themes must not import the package')\n")
    (package / "acme" / "theme.yaml").write_text(
        "name: acme\nextends: modern\ndescription: Acme Corp.\ncolors: {brand: '#AA3300'}\n")
    (package / "modern").mkdir()  # a package theme shadows a built-in of the same name
    (package / "modern" / "theme.yaml").write_text("name: modern\nextends: default\ndescription: Acme's modern.\n")
    dist = site / "acme_themes-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-themes\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[triptych.themes]\nacme = acme_themes\n")
    monkeypatch.syspath_prepend(str(site))

    path = narrative("Text.\n", front="title: T\ntheme: acme")
    themes = available(path.parent)
    assert themes["acme"] == package / "acme" and themes["modern"] == package / "modern"
    assert themes["default"].parent.name == "themes"  # built-ins still there, last
    theme = pipeline.prepare(path).theme
    assert theme.tokens["colors"]["brand"] == "#AA3300" and [f.name for f in theme.folders] == ["acme", "modern", "default"]

    mine = path.parent / "themes" / "acme"  # the project's own folder still comes first
    mine.mkdir(parents=True)
    (mine / "theme.yaml").write_text("name: acme\nextends: default\n")
    assert available(path.parent)["acme"] == mine
    monkeypatch.chdir(path.parent)
    listing = CliRunner().invoke(main, ["themes", "list"]).output
    assert any(line.startswith("modern") and "package" in line for line in listing.splitlines())


def test_the_subtitle_style_is_one_token_for_the_page_and_the_cover(narrative, monkeypatch, tmp_path):
    """modern sets its subtitle upright: the PDF's page 1, the e-book's title page and its
    drawn cover follow the same token (the cover was always italic before)."""
    import zipfile

    from builders.core.labels import Labels
    from builders.formats.epub import cover

    def subtitle_rule(css: str) -> str:
        return css[css.index(".titleblock .subtitle {"):].split("}", 1)[0]

    def cover_styles(ctx) -> list[str]:
        drawn: list[str] = []
        real = cover._font
        monkeypatch.setattr(cover, "_font", lambda theme, family, style, *rest: drawn.append(style) or real(theme, family, style, *rest))
        cover.draw_cover(ctx.doc, ctx.theme, Labels(ctx.doc.meta.language))
        monkeypatch.setattr(cover, "_font", real)
        return drawn

    path = narrative("Text.\n", front="title: T\nsubtitle: An upright subtitle\ntheme: modern")
    modern = pipeline.prepare(path)
    assert "font-style: normal" in subtitle_rule(render_html(modern.doc, modern.theme, modern.templates))
    [book] = pipeline.build(path, ["epub"], tmp_path / "epub")
    with zipfile.ZipFile(book.path) as archive:
        css = next(archive.read(n).decode() for n in archive.namelist() if n.endswith(".css"))
    assert "font-style: normal" in subtitle_rule(css)
    assert "italic" not in cover_styles(modern)
    default = pipeline.prepare(narrative("Text.\n", front="title: T\nsubtitle: A subtitle", name="d.md"))
    assert "font-style: italic" in subtitle_rule(render_html(default.doc, default.theme, default.templates))
    assert "italic" in cover_styles(default)


def test_a_subtitle_style_other_than_italic_or_normal_is_located(narrative):
    path = narrative("Text.\n", front="title: T\ntheme: slanted")
    theme = path.parent / "themes" / "slanted"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: slanted\nextends: default\ntype: {subtitle-style: oblique}\n")
    with pytest.raises(TriptychError, match=r'theme.yaml:1:1: type.subtitle-style: "oblique" is neither italic nor normal'):
        pipeline.prepare(path)
