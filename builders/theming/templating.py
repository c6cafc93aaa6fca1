"""The one template environment: sandboxed, strict, escaping, shared by every format."""

from __future__ import annotations

import hashlib
import re
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import jinja2
from jinja2.debug import rewrite_traceback_stack
from markupsafe import Markup, escape

from ..core import model as m
from ..core import user_cache
from .chart_svg import chart_summary, render_chart_svg
from ..core.errors import Location, TriptychError
from ..core.text import clean
from ..core.labels import Labels
from ..core.sandbox import DataOnlySandbox
from .table_fit import table_classes
from .themes import Theme


def _autoescape(name: str | None) -> bool:
    # Stylesheets hold validated tokens only; every markup template escapes.
    return not (name or "").endswith(".css.j2")


OPTIONS: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs: compiling them was 0.06 s of every PDF build.

    Jinja keys an entry by the template's file and checks its source's hash; the folder
    name adds what else shapes the code (sandbox, options, Jinja's version).
    A cache that cannot be written only makes builds slower, never fails them.
    """

    def __init__(self) -> None:
        shape = repr(("sandboxed", sorted(OPTIONS.items()), jinja2.__version__)).encode()
        folder = user_cache.folder("templates") / hashlib.sha256(shape).hexdigest()[:16]
        super().__init__(str(folder))
        self.folder = folder

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            return


class Templates:
    """Renders documents and blocks of one theme for one target (pdf or epub)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.env = DataOnlySandbox(
            # The narrative's words, dates and numbers: label("key", …), label.when(…), label.number(…).
            helpers={BlockRenderer: frozenset({"inlines"}),
                     Labels: frozenset({"when", "date", "day", "month", "number", "percent", "names"})},
            loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
            autoescape=_autoescape,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=_CompiledTemplates(),
            **OPTIONS,
        )
        self.env.filters["plain"] = lambda inlines: m.plain_text(inlines)
        self.env.globals["theme"] = theme.tokens
        self.env.globals["table_classes"] = table_classes
        fallbacks = [f.family for f in theme.fonts if f.fallback]  # the narrative's other scripts (script_fonts.py)
        self.env.globals["chart_svg"] = lambda chart, labels, narrow=False: render_chart_svg(chart, theme.tokens, labels, narrow,
                                                                                          fallbacks)
        self.env.globals["chart_summary"] = chart_summary

    def render(self, name: str, **context: Any) -> str:
        """Render a whole template; theme errors name the template and line."""
        with self.errors(name):
            return self.env.get_template(name).render(**context)

    @contextmanager
    def errors(self, name: str) -> Iterator[None]:
        """Any failure inside a theme's template as one located TriptychError."""
        try:
            yield
        except TriptychError:
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise TriptychError.at(Location(Path(exc.filename or name), exc.lineno or 1), f"template error: {exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            raise TriptychError.at(Location(self.theme.folders[0]), f'theme "{self.theme.name}" has no template {exc.name}') from None
        except (jinja2.TemplateError, TypeError, AttributeError, ValueError, LookupError, ArithmeticError) as exc:
            # Jinja maps its generated code's lines back to the template's only when asked.
            rewritten = rewrite_traceback_stack()
            location = _template_location(rewritten, self.theme.folders[0] / "templates" / name)
            raise TriptychError.at(location, f"template error: {exc}") from None

    def renderer(self, target: str, **context: Any) -> "BlockRenderer":
        return BlockRenderer(self, target, context)



class BlockRenderer:
    """`render(node)` for templates: the macro named after the block kind, in blocks/<kind>.j2."""

    def __init__(self, templates: Templates, target: str, context: dict[str, Any]) -> None:
        self.templates, self.target = templates, target
        self.context = {"target": target, "render": self, **context}
        self._modules: dict[str, Any] = {}

    def __call__(self, node: Any) -> Markup:
        if isinstance(node, list):
            return Markup("").join(self(n) for n in node)
        if isinstance(node, m.Only) and self.target not in node.formats:
            return Markup("")
        name = f"blocks/{node.kind}.j2"
        with self.templates.errors(name):
            if node.kind not in self._modules:
                self._modules[node.kind] = self.templates.env.get_template(name).make_module(self.context)
            return Markup(getattr(self._modules[node.kind], node.kind)(node))

    def inlines(self, inlines: list[m.Inline]) -> Markup:
        """Inline runs as escaped (X)HTML; footnote marks go through their own template."""
        out: list[str] = []
        for node in inlines:
            if isinstance(node, m.Text):
                out.append(unbroken_runs(clean(node.text)))
            elif isinstance(node, m.Emph):
                out.append(Markup("<em>%s</em>") % self.inlines(node.children))
            elif isinstance(node, m.Strong):
                out.append(Markup("<strong>%s</strong>") % self.inlines(node.children))
            elif isinstance(node, m.Code):
                out.append(Markup("<code>%s</code>") % clean(node.text))
            elif isinstance(node, m.Link):
                out.append(self._link(node))
            elif isinstance(node, m.LineBreak):
                out.append(Markup("<br/>"))
            elif isinstance(node, m.FootnoteRef):
                out.append(self(node))
            elif isinstance(node, m.Citation):
                out.append(Markup('<span class="citation">%s</span>') % self.inlines(node.shown) if node.shown else Markup(""))
                if node.ref is not None:
                    out.append(self(node.ref))
            elif isinstance(node, m.CrossRef):
                out.append(self._link(m.Link("#" + node.target, [m.Text(node.text)])))
        return Markup("").join(out)

    def _link(self, node: m.Link) -> Markup:
        href = node.href.strip()
        # Only web, mail and in-document links survive; javascript: and friends become text.
        if not href.lower().startswith(("https://", "http://", "mailto:", "#")):
            return self.inlines(node.children)
        if href.startswith("#") and "link_target" in self.context:
            href = self.context["link_target"](href[1:])
        return Markup('<a href="%s">%s</a>') % (clean(href), self.inlines(node.children))


# A run the reader joined so that no line breaks inside it (a number and its unit, a range:
# reading/unbreakable.py marks each joint with a word joiner).
JOINED = re.compile(r"[^\s\u2060]*(?: ?\u2060[^\s\u2060]*)+")


def unbroken_runs(text: str) -> Markup:
    """`text` escaped, each joined run in a span that neither wraps nor hyphenates. The span
    holds the run on its line, so its joiners go: the words read back as written."""
    out, last = [], 0
    for match in JOINED.finditer(text):
        out.append(addresses(text[last:match.start()]))
        out.append(Markup('<span class="nobr">%s</span>') % match.group(0).replace(m.WORD_JOINER, ""))
        last = match.end()
    out.append(addresses(text[last:]))
    return Markup("").join(out)


# A web or mail address, or a path: long, and no word to hyphenate.
ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+|[^\s/]*/[^\s/]+/\S+")


def addresses(text: str) -> Markup:
    """`text` escaped, each address in a span that may break between any two characters but never
    takes a hyphen: "ht-tps://" would be another address, and a narrow table column must not
    be as wide as the longest address in it."""
    out, last = [], 0
    for match in ADDRESS.finditer(text):
        if len(match.group(0)) < 16:  # short enough to stay whole on a line
            continue
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<span class="address">%s</span>') % match.group(0))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _template_location(exc: Exception, fallback: Path) -> Location:
    """The innermost template frame: Jinja rewrites tracebacks to point into templates."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return Location(fallback)
    return Location(Path(frames[-1].filename), frames[-1].lineno or 1)
