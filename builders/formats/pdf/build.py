"""The print-ready PDF briefing: model → HTML (shared block macros) → WeasyPrint."""

from __future__ import annotations

import contextlib
import gc
import logging
import mimetypes
import os
import urllib.parse
from pathlib import Path
from typing import Any, Iterator

from markupsafe import Markup

from ...core import model as m
from ...core.build_time import epoch_seconds
from ..context import BuildContext, PageStarts
from ..raster import eight_bit_png, needs_conversion
from ...core.errors import Location, Problem, TriptychError
from ...theming.markup import (block_marks, css_content, css_string, date_text, font_faces, labels_for, numbering,
                               shortened, stylesheet, text_width, wants_toc)
from ...core.confine import OutsideRoots, confine
from ...reading.typography import display_mark
from ...theming.templating import Templates
from ...theming.themes import Theme
from .patches import apply_all as apply_patches
from .page_starts import page_starts as read_page_starts
from .placement import Findings, add_class, inspect_layout, move
from . import landscape
from .footnotes import break_before_calls, misplaced_footnotes

NAME = "pdf"
SUFFIX = ".pdf"
PAGE_SIZES = {"A4": "A4", "Letter": "letter", "A5": "A5"}
MAX_FOOTNOTE_REPAIRS = 4
# Layouts spent on placing blocks (each costs a full layout), and moves of any one block.
MAX_PLACEMENT_PASSES = 6
# Past this many pages every hole is moved in one pass, and at most this many passes are made:
# a layout of a long briefing costs seconds.
CAREFUL_PAGES = 40
LONG_PLACEMENT_PASSES = 1
# …and, in a long briefing with landscape tables, this many more to place them and fill the
# pages around them (landscape.py: deferral and columns, then corrections). A 58-page briefing
# with three wide tables left five pages a quarter empty or more with one pass, none with four.
LANDSCAPE_PASSES = 3
BIG_HOLE_SHARE = 0.25
MAX_MOVES = 2
FETCHABLE = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml", "text/css",
             "font/ttf", "font/otf", "font/woff", "font/woff2"}
VARIANTS = {"pdf/a-3b": "pdf/a-3b", "pdf/ua-1": "pdf/ua-1"}
PAGE_WIDTHS_PT = {"A4": 595.28, "letter": 612.0, "A5": 419.53}
UNITS_PT = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "px": 0.75}
# The running head (print.css.j2 @top-left): its share of the text width, size and tracking.
HEAD_SHARE, HEAD_SIZE_PT, HEAD_TRACKING_EM = 0.65, 7.5, 0.06
# Semibold caps of a variable font are measured at its default weight: keep a tenth in hand.
HEAD_SAFETY = 1.1


class Addresses:
    """Resources by where they lie inside an allowed folder, not by their absolute path.

    WeasyPrint names each image in the PDF after a hash of its URL: with file: URLs the
    bytes changed with the narrative's folder (a build on a cluster worker, a moved
    checkout). Each allowed folder gets an address of its own that never resolves on a
    network (`.invalid`); the fetcher maps it back and confines it as before.
    """

    def __init__(self, roots: list[Path]) -> None:
        self.roots = [root.resolve() for root in roots]

    def url(self, path: Path) -> str:
        resolved = path.resolve()
        for index, root in enumerate(self.roots):
            if resolved.is_relative_to(root):
                return f"https://r{index}.triptych.invalid/" + urllib.parse.quote(resolved.relative_to(root).as_posix())
        return resolved.as_uri()  # outside every root: the fetcher refuses it, located

    def path(self, url: str) -> str:
        """A file: URL or absolute path for `url` (others pass through, to be refused by confine)."""
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme == "https" and host.endswith(".triptych.invalid") and host[1:].split(".")[0].isdigit():
            index = int(host[1:].split(".")[0])
            if index < len(self.roots):
                return str(self.roots[index] / urllib.parse.unquote(parts.path).lstrip("/"))
        return url


def render_html(doc: m.Document, theme: Theme, templates: Templates) -> str:
    """The briefing as one HTML document, resources at path-independent addresses (Addresses)."""
    addresses = Addresses(resource_roots(doc, theme))
    page_size = PAGE_SIZES[doc.meta.pdf.page_size or theme.tokens.get("page", {}).get("size", "A4")]
    faces = font_faces(theme, lambda p: p.resolve().as_uri())
    labels = labels_for(doc, theme)
    css = stylesheet(
        templates, "print.css.j2", faces, doc.meta.direction,
        page_size=page_size, publisher=css_string(doc.meta.publisher),
        date_text=css_string(date_text(doc, labels)),
        page_of=Markup(css_content(labels.words["page_of"], {"page": "counter(page)", "pages": "counter(pages)"})),
    )
    head = running_head(doc.meta.running_title, theme, page_size)
    number = numbering(doc)
    render = templates.renderer("pdf", number=number, image_url=lambda fig: addresses.url(fig.src), mark=block_marks(doc),
                                label=labels, quote_mark=display_mark(doc.meta.language))
    # Subsections earn a place in the contents only in long documents.
    toc = doc.outline(2 if doc.word_count() > 8000 else 1) if wants_toc(doc) else []
    return templates.render(
        "document.html.j2", doc=doc, meta=doc.meta, css=Markup(css), render=render, number=number,
        toc=toc, date_text=date_text(doc, labels), label=labels, running_head=head,
    )


def running_head(title: str, theme: Theme, page_size: str) -> str:
    """The title for the running head, shortened at a word so that it fits one line."""
    face = next((f.path for f in theme.fonts if f.family == theme.tokens["fonts"]["heading"]["family"]
                 and f.style == "normal"), None)
    if face is None:
        return title
    page = theme.tokens.get("page", {})
    measure = PAGE_WIDTHS_PT[page_size] - _points(page.get("margin-inner", "0mm")) - _points(page.get("margin-outer", "0mm"))
    room = measure * HEAD_SHARE
    return shortened(title, lambda t: text_width(face, t.upper(), HEAD_SIZE_PT, HEAD_TRACKING_EM) * HEAD_SAFETY <= room)


def _points(length: str) -> float:
    """A CSS length token ("46mm", "1in") in points."""
    for unit, factor in UNITS_PT.items():
        if str(length).endswith(unit):
            return float(str(length)[: -len(unit)]) * factor
    return float(length)


def layout(doc: m.Document, theme: Theme, templates: Templates) -> Any:
    """WeasyPrint's laid-out document (the EPUB's page list reads the same layout).

    Laid out again while that improves it: footnotes moved to the page of their call, tables
    too wide for the measure turned to landscape pages, deferred figures and tables moved
    down the flow so that the text after them fills the hole they left. The layout's
    warnings travel with it (`document.triptych_warnings`) to the process that writes it.
    """
    apply_patches()  # imports WeasyPrint, then changes it (formats/pdf/patches/)
    from weasyprint import HTML

    roots = resource_roots(doc, theme)
    fetcher = _confined_fetcher(roots, Addresses(roots))
    html = render_html(doc, theme, templates)
    landscaped: list[str] = []
    moves: dict[str, int] = {}
    flows: dict[str, landscape.Flow] = {}  # where each landscape table went, what shares its pages
    best: tuple[tuple[int, int], Any, Findings] | None = None
    placements = 0
    for _ in range(MAX_FOOTNOTE_REPAIRS + MAX_PLACEMENT_PASSES + 1):
        with _collect_weasyprint_errors() as problems, fewer_collections():
            document = HTML(string=html, base_url=Addresses(roots).url(doc.base_dir) + "/", url_fetcher=fetcher).render()
        refused = fetcher.refused + problems
        if refused:
            raise TriptychError.at(Location(doc.source), f"PDF: {refused[0]}")
        stray = misplaced_footnotes(document)
        if stray:
            html = break_before_calls(html, stray)
            continue
        findings = inspect_layout(document)
        around_landscape = landscape.empty_pages(document.pages)
        score = (len(findings.too_wide), len(findings.hole_pages) + len(findings.split) + len(around_landscape))
        if best is None or score <= best[0]:
            best = (score, document, findings)
        long = len(document.pages) > CAREFUL_PAGES
        passes = LONG_PLACEMENT_PASSES + (LANDSCAPE_PASSES if landscaped else 0) if long else MAX_PLACEMENT_PASSES
        if score == (0, 0) or placements >= passes or (long and not (around_landscape or _worth_a_layout(document, findings))):
            break
        html, changed = _placed(html, findings, landscaped, moves, at_once=long)
        wanted = landscape.replan(document.pages, flows)
        if wanted:
            html, changed = landscape.apply(html, wanted), True
            flows.update(wanted)
        if not changed:
            break
        placements += 1
    if best is not None:
        document = best[1]
        document.triptych_warnings = _placement_warnings(doc, landscaped, best[2].too_wide)
    else:
        document.triptych_warnings = []
    return document


def laid_out(ctx: BuildContext) -> Any:
    """The context's layout, computed once for the PDF and the e-book's page list."""
    if "pdf_layout" not in ctx.extras:
        ctx.extras["pdf_layout"] = layout(ctx.doc, ctx.theme, ctx.templates)
    return ctx.extras["pdf_layout"]


def page_starts(ctx: BuildContext) -> PageStarts:
    """Where each page of the context's PDF begins: plain data the e-book receives."""
    return read_page_starts(laid_out(ctx))


def _worth_a_layout(document: Any, findings: Findings) -> bool:
    """For a long briefing: a table off the page or split from its caption, or a hole of more
    than a quarter page (the reader's bar; smaller gaps do not pay for a layout of seconds)."""
    pages = document.pages
    big = any(hole.gap > BIG_HOLE_SHARE * pages[hole.page - 1]._page_box.margin_height() for hole in findings.holes)
    return bool(findings.too_wide or findings.split or big)


def _placed(html: str, findings: Findings, landscaped: list[str], moves: dict[str, int],
            at_once: bool = False) -> tuple[str, bool]:
    """The HTML for the next layout; whether anything changed."""
    changed = False
    for key in findings.split:
        html, changed = add_class(html, key, "long"), True
    for key in findings.too_wide:
        if key not in landscaped:
            html, changed = add_class(html, key, "landscape"), True
            landscaped.append(key)
    # One hole at a time, the first: filling it shifts every page after it, so the holes
    # found further on were measured on pages that will no longer be. A long briefing
    # cannot pay a whole layout per hole (a 30,000-word one took five times WeasyPrint's
    # time): there every hole moves at once, and the best of the layouts is kept.
    for hole in findings.holes:
        if moves.get(hole.block, 0) < MAX_MOVES:
            html, changed = move(html, hole), True
            moves[hole.block] = moves.get(hole.block, 0) + 1
            if not at_once:
                break
    return html, changed


def _placement_warnings(doc: m.Document, landscaped: list[str], too_wide: list[str]) -> list[Problem]:
    """What was done to tables wider than the measure, at each table's place in the source."""
    blocks = {f"b{index}": block for index, block in enumerate(doc.walk(), 1)}
    number = numbering(doc)
    out = []
    for key in landscaped:
        table = blocks.get(key)
        if table is None:
            continue
        name = f"table {number(table)}" if number(table) else "a table"
        columns = len(getattr(table, "header", []))
        if key in too_wide:
            out.append(Problem(table.location, f"{name} ({columns} columns) is wider than the text block even on a "
                                               "landscape page: its last columns run into the margin; split it or shorten its cells"))
        else:
            out.append(Problem(table.location, f"{name} ({columns} columns) is wider than the text block: "
                                               "set on a landscape page"))
    return out


def build(ctx: BuildContext, target: Path) -> dict:
    """Write the PDF to `target`; returns facts for the summary (pages)."""
    doc, document = ctx.doc, laid_out(ctx)
    for problem in getattr(document, "triptych_warnings", []):
        ctx.warn(problem.location, problem.message)
    variant = doc.meta.pdf.variant
    options: dict[str, Any] = {"pdf_identifier": doc.slug.encode()[:32] or b"triptych"}
    if variant:
        options["pdf_variant"] = VARIANTS[variant]
    if variant == "pdf/ua-1":
        options["pdf_tags"] = True
    document.metadata.attachments = []  # a theme's <link rel="attachment"> never embeds files
    document.metadata.lang = doc.meta.language
    document.metadata.description = doc.meta.summary or None
    document.metadata.keywords = list(doc.meta.keywords) or None
    document.metadata.title = doc.meta.title
    document.metadata.authors = [a.name for a in doc.meta.authors] or None
    # The Info dictionary records the protective marking and a draft's status.
    custom = {**({"Marking": doc.meta.marking} if doc.meta.marking else {}), **({"Status": "DRAFT"} if doc.meta.draft else {})}
    if custom:
        document.metadata.custom = custom
        options["custom_metadata"] = True
    with _fixed_font_timestamps(doc), fewer_collections():
        document.write_pdf(target, **options)
    return {"pages": len(document.pages)}


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """WeasyPrint allocates millions of short-lived objects; at Python's default thresholds the
    cycle collector runs thousands of times in a long layout, ~5 % of a 30,000-word build.
    Collecting a tenth as often costs no measurable memory (peak 148 vs 149 MB)."""
    before = gc.get_threshold()
    gc.set_threshold(20_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextlib.contextmanager
def _fixed_font_timestamps(doc: m.Document) -> Iterator[None]:
    """Font subsetting stamps each font's `head.modified` with the clock unless
    SOURCE_DATE_EPOCH is set; set it to the build time so builds repeat."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch_seconds(doc))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def resource_roots(doc: m.Document, theme: Theme) -> list[Path]:
    """The folders a PDF may read from: the narrative's first, then fetched images, then the theme's."""
    return [doc.base_dir, *doc.extra_roots, *theme.roots]


def _confined_fetcher(roots: list[Path], addresses: Addresses) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):
        """Serves only regular files inside the narrative's and the theme's folders."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                path = confine(addresses.path(url), roots[0], roots)
            except OutsideRoots as exc:
                self.refused.append(f"resource {exc}")
                raise ValueError(str(exc)) from None
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind not in FETCHABLE and path.suffix.lower() not in (".ttf", ".otf", ".woff", ".woff2"):
                # Only what a page shows: no attachments of sources, data or anything else.
                self.refused.append(f'resource "{path.name}" is not an image, font or stylesheet')
                raise ValueError(path.name)
            if kind.startswith("image/") and kind != "image/svg+xml" and needs_conversion(path):
                # WeasyPrint draws a 16-bit PNG garbled: it gets an 8-bit one, under an address that
                # is not a file: URL (WeasyPrint reads a file: response's file again, unconverted).
                return URLFetcherResponse(f"converted:{url}", body=eight_bit_png(path),
                                          headers={"Content-Type": "image/png"})
            return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": kind})

    return ConfinedFetcher()


class _collect_weasyprint_errors:
    """WeasyPrint logs a failed image and carries on; we fail the build instead."""

    def __enter__(self) -> list[str]:
        self.problems: list[str] = []
        self.handler = _ListHandler(self.problems)
        self.logger = logging.getLogger("weasyprint")
        self.logger.addHandler(self.handler)
        return self.problems

    def __exit__(self, *exc: Any) -> None:
        self.logger.removeHandler(self.handler)


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage().splitlines()[0])
