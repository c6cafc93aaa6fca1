"""Hostile themes, second round: a template sees data, never an object that can do I/O."""

from __future__ import annotations

import dataclasses
import io
import pathlib
import re
import types
import zipfile
from pathlib import Path
from typing import Any, Iterator

import jinja2
import pytest
from click.testing import CliRunner

from builders.cli import main
from builders.theming.templating import BlockRenderer, Templates
from conftest import SAMPLE, write_narrative

LOCATED = re.compile(r"^\S+:\d+:\d+: \S.*$")
SECRET = "CANARY-sandbox-4d2e"

EVERY_BLOCK = """\
::: keypoints
- A key point with a note[^a].
:::

A lede with *emphasis*, **strength**, `code` and a [link](https://example.org).

# First {#first}

Paragraph.

- one
- two

1. first
2. second

> A block quote.

```python
print("code")
```

---

::: {.quote by="Someone" role="Somewhere"}
Quoted words.
:::

::: timeline
- **2020-08** Something happened
- **2021-05-23** Something else
:::

![A picture](images/pic.png){credit="Photo desk"}

| Country | Share |
|:--------|------:|
| Belarus | 12 |
| Poland | 30 |

Table: A caption.

::: {.chart type="column" title="Money" units="bn" source="MoF"}
| Year | Loans |
|:-----|------:|
| 2020 | 1.5 |
| 2021 | 0.6 |

A chart caption.
:::

::: {.callout title="Why"}
Inside a callout.
:::

::: notes
Speaker notes.
:::

::: {.only formats="pdf,epub"}
Long form only.
:::

::: {.slide layout="Title and Content" title="Authored"}
- a bullet
:::

## Second level

Text.

# Sources

::: sources
- A source.
:::

[^a]: A footnote.
"""


def _evil_theme(project: Path, template: str) -> None:
    theme = project / "themes" / "evil"
    (theme / "templates" / "blocks").mkdir(parents=True, exist_ok=True)
    (theme / "theme.yaml").write_text("name: evil\nextends: default\n")
    (theme / "templates" / "blocks" / "paragraph.j2").write_text(template)


def _build(path: Path, out: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["build", str(path), "--out", str(out), *extra])


ATTACKS = {
    "read": "node.location.file.joinpath('{secret}').read_text()",
    "write": "node.location.file.joinpath('{planted}').write_text('pwned')",
    "mkdir": "node.location.file.parent.joinpath('{planted}').mkdir()",
    "list": "node.location.file.joinpath('/etc').iterdir() | list",
    "figure file": "node.src.read_bytes()",
    "renderer internals": "render.templates.theme.folders[0].joinpath('{secret}').read_text()",
    "environment": "render.templates.env.loader.searchpath",
    "cover path": "meta.cover",
}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_theme_template_cannot_reach_the_file_system(tmp_path, attack, jobs):
    secret, planted = tmp_path / "secret.txt", tmp_path / "planted"
    secret.write_text(SECRET)
    project = tmp_path / "p"
    path = write_narrative(project, "Hello.\n", front="title: T\ntheme: evil")
    expression = ATTACKS[attack].format(secret=secret, planted=planted)
    # Line 3 of the template: the error must name it, not 1:1.
    _evil_theme(project, "{% macro paragraph(node) %}\n<p>\n{{ " + expression + " }}\n</p>\n{% endmacro %}\n")
    result = _build(path, tmp_path / "out", "--jobs", jobs)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines and all(LOCATED.match(line) for line in lines), result.output
    assert "paragraph.j2:3:" in lines[0] and "template error" in lines[0], lines
    assert "Traceback" not in result.output
    assert not planted.exists()
    assert not (tmp_path / "out").exists() or not [p for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")]


def test_theme_template_error_is_located_in_the_pdf_process_too(tmp_path):
    project = tmp_path / "p"
    path = write_narrative(project, "Hello.\n", front="title: T\ntheme: evil")
    _evil_theme(project, "{% macro paragraph(node) %}\n\n{{ node.no_such_field }}\n{% endmacro %}\n")
    result = _build(path, tmp_path / "out", "--format", "pdf")  # the default: PDF in its own process
    assert result.exit_code == 1
    assert re.match(r"^\S*paragraph\.j2:3:\d+: template error", result.output), result.output


# ------------------------------------------------------------------ every reachable object

def _can_do_io(obj: Any) -> bool:
    """Judged independently of the sandbox's own rule: paths, files, modules, classes, the template machinery."""
    dangerous = (pathlib.PurePath, io.IOBase, types.ModuleType, type, jinja2.Environment, jinja2.BaseLoader,
                 Templates)
    if obj in JINJA_CONSTRUCTORS:
        return False
    if isinstance(obj, dangerous):
        return True
    owner = getattr(obj, "__self__", None)
    if isinstance(obj, types.BuiltinFunctionType) and isinstance(owner, types.ModuleType):
        return owner.__name__ != "builtins" or obj.__name__ in {"open", "eval", "exec", "compile", "__import__", "input"}
    if owner is not None and isinstance(owner, dangerous):
        return True
    module = getattr(obj, "__module__", "") or ""
    return callable(obj) and module.split(".")[0] in {"os", "posix", "io", "pathlib", "shutil", "subprocess", "socket", "_io"}


# Jinja's default globals: they make plain data.
JINJA_CONSTRUCTORS = (dict, jinja2.utils.Namespace, jinja2.utils.Cycler, jinja2.utils.Joiner)


def _reachable(env: jinja2.Environment, roots: list[Any]) -> Iterator[tuple[str, Any]]:
    """Every object a template can reach from `roots` through attributes the sandbox allows."""
    seen: set[int] = set()
    keep: list[Any] = []  # ids stay unique only while the objects live
    stack = [(f"root{n}", r) for n, r in enumerate(roots)]
    while stack:
        trail, obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        keep.append(obj)
        yield trail, obj
        if isinstance(obj, dict):
            stack.extend((f"{trail}[{k!r}]", v) for k, v in obj.items())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend((f"{trail}[{n}]", v) for n, v in enumerate(obj))
        if isinstance(obj, (str, bytes, int, float)):
            continue  # their methods compute only
        for name in dir(obj):
            try:
                value = getattr(obj, name)
            except Exception:  # noqa: BLE001 - a property that needs more than data is not reachable either
                continue
            if env.is_safe_attribute(obj, name, value):
                stack.append((f"{trail}.{name}", value))


@pytest.mark.parametrize("which", ["sample", "every block"])
def test_nothing_reachable_from_a_template_can_do_io(tmp_path, monkeypatch, which):
    from builders.build import pipeline
    from builders.formats.epub import build as epub_book
    from builders.formats.pdf import build as pdf_briefing

    path = SAMPLE if which == "sample" else write_narrative(tmp_path / "p", EVERY_BLOCK, front="title: T\ndate: 2024-08-26\nsummary: S")
    contexts: list[Any] = []
    render, call = Templates.render, BlockRenderer.__call__
    monkeypatch.setattr(Templates, "render", lambda self, name, **ctx: (contexts.append(ctx), render(self, name, **ctx))[1])
    monkeypatch.setattr(BlockRenderer, "__call__", lambda self, node: (contexts.append((self.context, node)), call(self, node))[1])
    ctx = pipeline.prepare(path)
    pdf_briefing.render_html(ctx.doc, ctx.theme, ctx.templates)
    ctx.doc.meta.epub = dataclasses.replace(ctx.doc.meta.epub, page_list=False)  # no layout: the templates are examined
    epub_book.build(ctx, tmp_path / "x.epub")
    assert len(contexts) > 20
    env = ctx.templates.env
    roots = [env.globals, env.filters, *contexts]
    found = [trail for trail, obj in _reachable(env, roots) if _can_do_io(obj)]
    assert not found, found[:10]
    # The check itself can fail: the unsandboxed model does hold paths.
    assert any(_can_do_io(o) for _, o in _reachable(jinja2.sandbox.SandboxedEnvironment(), [ctx.doc]))


# ------------------------------------------------------------------ files a theme contributes

def _theme_with(project: Path, files: dict[str, str] | None = None, tokens: str = "") -> Path:
    theme = project / "themes" / "evil"
    (theme / "templates").mkdir(parents=True, exist_ok=True)
    (theme / "theme.yaml").write_text("name: evil\nextends: default\n" + tokens)
    for name, text in (files or {}).items():
        (theme / name).parent.mkdir(parents=True, exist_ok=True)
        (theme / name).write_text(text)
    return theme


def _fails_located(result: Any, where: str) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines and all(LOCATED.match(line) for line in lines), result.output
    assert where in lines[0], lines
    return result.output


@pytest.mark.parametrize("fmt", ["epub", "pdf", "pptx"])
def test_theme_font_linked_out_of_the_theme_is_refused_whatever_is_built(tmp_path, fmt):
    import fontpkg

    outside = tmp_path / "outside"
    outside.mkdir()
    real = Path(fontpkg.path("Source Serif 4"))
    (outside / "Evil-Regular.ttf").write_bytes(real.read_bytes())
    project = tmp_path / "p"
    path = write_narrative(project, "Hello.\n", front="title: T\ntheme: evil")
    theme = _theme_with(project, tokens="fonts:\n  body: {family: Evil}\n")
    (theme / "fonts").mkdir()
    (theme / "fonts" / "Evil-Regular.ttf").symlink_to(outside / "Evil-Regular.ttf")
    output = _fails_located(_build(path, tmp_path / "out", "--format", fmt), "Evil-Regular.ttf:1:1")
    assert "outside the theme" in output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.*"))


@pytest.mark.parametrize("fmt", ["epub", "pdf"])
def test_theme_stylesheet_url_outside_the_theme_is_refused_at_load(tmp_path, fmt):
    project = tmp_path / "p"
    path = write_narrative(project, "Hello.\n", front="title: T\ntheme: evil")
    _theme_with(project, {"templates/theme.css.j2": 'h1 { color: red; }\nbody { background: url("file:///etc/hostname"); }\n'})
    output = _fails_located(_build(path, tmp_path / "out", "--format", fmt), "theme.css.j2:2:")
    assert "lies outside the theme" in output


def test_theme_stylesheet_url_made_by_the_template_never_reaches_the_ebook(tmp_path):
    project = tmp_path / "p"
    path = write_narrative(project, "Hello.\n", front="title: T\ntheme: evil")
    _theme_with(project, {"templates/theme.css.j2": 'body { background: url("{{ "/etc/" }}hostname"); }\n'})
    output = _fails_located(_build(path, tmp_path / "out", "--format", "epub"), "theme.css.j2:1:")
    assert "not a file of the book" in output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.epub"))


def test_theme_reference_deck_linked_out_of_the_theme_is_refused_even_for_a_pdf(tmp_path):
    outside = tmp_path / "outside.pptx"
    outside.write_bytes((Path(__file__).parent.parent / "themes" / "default" / "reference.pptx").read_bytes())
    project = tmp_path / "p"
    path = write_narrative(project, "Hello.\n", front="title: T\ntheme: evil")
    theme = _theme_with(project, {"deck.yaml": "reference: corporate.pptx\n"})
    (theme / "corporate.pptx").symlink_to(outside)
    _fails_located(_build(path, tmp_path / "out", "--format", "pdf"), "corporate.pptx:1:1")


@pytest.mark.parametrize("reference", ["../../outside.pptx", "/etc/passwd"])
def test_theme_reference_deck_named_outside_the_theme_is_refused(tmp_path, reference):
    project = tmp_path / "p"
    path = write_narrative(project, "Hello.\n", front="title: T\ntheme: evil")
    _theme_with(project, {"deck.yaml": f"kinds: {{}}\nreference: {reference}\n"})
    output = _fails_located(_build(path, tmp_path / "out", "--format", "pptx"), "deck.yaml:2:")
    assert "outside the theme folder" in output
