"""markdown-it's syntax tree → model blocks, with a source location on every node."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it.tree import SyntaxTreeNode
from PIL import Image

from ..core import model as m
from ..core.confine import OutsideRoots, confine
from ..core.errors import Location, Problems, suggest
from ..core.slugs import slugify
from .chart_data import chart_series, csv_rows, pipe_rows
from .citation_syntax import CiteGroup, RefMark, scan
from .fenced_divs import DivSpec
from .typography import plain

if TYPE_CHECKING:
    from .citing import Citer

FORMATS = {"pdf", "epub", "pptx"}
# block name → (required attributes, optional attributes)
BLOCKS: dict[str, tuple[set[str], set[str]]] = {
    "keypoints": (set(), {"title"}),
    "quote": ({"by"}, {"role"}),
    "timeline": (set(), {"title"}),
    "callout": (set(), {"title"}),
    "notes": (set(), set()),
    "only": ({"formats"}, set()),
    "sources": (set(), set()),
    "slide": (set(), {"layout", "title"}),
    "figure": (set(), {"caption", "alt", "credit"}),
    "table": (set(), {"caption"}),
    "chart": ({"type"}, {"title", "units", "source", "src", "caption"}),
}
HEADING_ATTRS = re.compile(r"\s*\{(?P<attrs>[^{}]*)\}\s*$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\]")
MAX_DEPTH = 12
PROSE_ATTRS = {"title", "caption", "credit", "by", "role", "alt", "units", "source"}
# Deeper list levels than this are set as items of the deepest shown level: every format can
# indent five levels readably (a slide's placeholders less), and no word is lost.
MAX_LIST_LEVELS = 5
Image.MAX_IMAGE_PIXELS = 40_000_000  # ~ a 6300 × 6300 photo; anything larger is a bomb
FIGURE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
MAX_TABLE_CELLS = 10_000  # a 1,000-row, ten-column table already runs to some 100 slides


def image_size(path: Path, formats: tuple[str, ...]) -> tuple[int, int]:
    """Width and height of a readable image in one of `formats`; a ValueError says what is wrong."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                size, kind = img.size, img.format
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValueError(f"has too many pixels (limit {Image.MAX_IMAGE_PIXELS:,})") from None
    except Exception:  # noqa: BLE001 - Pillow raises many types for corrupt files
        raise ValueError("is not a readable image") from None
    if kind not in formats:
        raise ValueError(f"is a {kind} image; use {' or '.join(formats[:2])}")
    return size


class Converter:
    """Turns one file's syntax tree into blocks; shares footnotes and ids across chapters."""

    def __init__(self, file: Path, line_offset: int, lines: list[str], base_dir: Path, problems: Problems,
                 ids: set[str], footnotes: list[m.Footnote], chapter: int, network: bool = False,
                 citer: "Citer | None" = None, crossrefs: list[tuple[m.CrossRef, Location]] | None = None,
                 citations_unchecked: bool = False, language: str = "en") -> None:
        self.file, self.offset, self.lines = file, line_offset, lines
        self.base_dir, self.problems, self.ids = base_dir, problems, ids
        self.footnotes, self.chapter, self.network = footnotes, chapter, network
        self.citer, self.citations_unchecked = citer, citations_unchecked
        self.language = language
        self.crossrefs = crossrefs if crossrefs is not None else []
        self.in_note = 0  # converting a footnote's body: a note style's citations stay in its text
        self.note_nodes: dict[int, SyntaxTreeNode] = {}
        self.note_by_id: dict[int, m.Footnote] = {}
        self.list_level = 0

    # ------------------------------------------------------------ helpers

    def loc(self, node: SyntaxTreeNode | None, column: int = 1) -> Location:
        line = node.map[0] if node is not None and node.map else 0
        return Location(self.file, self.offset + line + 1, column)

    def find(self, node: SyntaxTreeNode, needle: str) -> Location:
        """Location of `needle` within the lines a node spans (column of its first hit)."""
        if node.map:
            for i in range(node.map[0], min(node.map[1], len(self.lines))):
                col = self.lines[i].find(needle)
                if col >= 0:
                    return Location(self.file, self.offset + i + 1, col + 1)
        return self.loc(node)

    def unique_id(self, wanted: str, node: SyntaxTreeNode) -> str:
        base = wanted or "section"
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    # ------------------------------------------------------------ document

    def document(self, root: SyntaxTreeNode) -> tuple[list[m.Block], list[m.Section]]:
        """Blocks before the first heading, and the section tree."""
        for node in root.children:
            if node.type == "footnote_block":
                for note in node.children:
                    self.note_nodes[note.meta["id"]] = note
        front: list[m.Block] = []
        sections: list[m.Section] = []
        stack: list[m.Section] = []
        for node in root.children:
            if node.type == "footnote_block":
                continue
            if node.type == "heading":
                section = self.heading(node)
                if section is None:
                    continue
                while stack and stack[-1].level >= section.level:
                    stack.pop()
                if stack:
                    if section.level > stack[-1].level + 1:
                        self.problems.add(section.location, f"heading level {section.level} follows level {stack[-1].level}; skip no levels")
                    stack[-1].children.append(section)
                else:
                    if section.level > 1 and not sections:
                        pass  # a narrative may start at ## — it is then its own top
                    sections.append(section)
                stack.append(section)
                continue
            blocks = self.block(node, 0)
            target = stack[-1].children if stack else front
            self.attach(target, blocks)
        return front, sections

    def attach(self, target: list[m.Block], blocks: list[m.Block]) -> None:
        for block in blocks:
            if isinstance(block, m.Paragraph) and target and isinstance(target[-1], m.Table):
                caption = m.plain_text(block.inlines)
                if caption.startswith(("Table: ", ": ")) and not target[-1].caption:
                    target[-1].caption = _strip_caption_prefix(block.inlines)
                    target[-1].id = target[-1].id or self._caption_id(target[-1].caption, block.location)
                    continue
            target.append(block)

    def _caption_id(self, caption: list[m.Inline], where: Location) -> str:
        """pandoc-crossref's `Table: Caption {#tbl:id}`: the id leaves the caption for the table."""
        last = caption[-1] if caption else None
        match = HEADING_ATTRS.search(last.text) if isinstance(last, m.Text) else None
        found = re.search(r"#([A-Za-z][\w:.-]*)", match.group("attrs")) if match else None
        if not (match and found):
            return ""
        caption[-1] = m.Text(last.text[: match.start()])
        if found.group(1) in self.ids:
            self.problems.add(where, f'id "{found.group(1)}" is used twice')
            return ""
        self.ids.add(found.group(1))
        return found.group(1)

    def heading(self, node: SyntaxTreeNode) -> m.Section | None:
        level = int(node.tag[1])
        if level > 3:
            self.problems.add(self.loc(node), f"heading level {level}: at most three levels (#, ##, ###)")
            return None
        inlines_node = node.children[0]
        wanted_id = ""
        children = list(inlines_node.children)
        if children and children[-1].type == "text":
            match = HEADING_ATTRS.search(children[-1].content)
            if match:
                attrs = match.group("attrs")
                id_match = re.search(r"#([A-Za-z][\w:.-]*)", attrs)
                if id_match:
                    wanted_id = id_match.group(1)
        title = self.inlines(inlines_node)
        if title and isinstance(title[-1], m.Text):
            match = HEADING_ATTRS.search(title[-1].text)
            if match:
                title[-1] = m.Text(title[-1].text[: match.start()])
        text = m.plain_text(title).strip()
        if not text:
            self.problems.add(self.loc(node), "heading has no text")
        if wanted_id and wanted_id in self.ids:
            self.problems.add(self.find(node, "#" + wanted_id), f'id "{wanted_id}" is used twice')
        section_id = self.unique_id(wanted_id or slugify(text) or "section", node)
        return m.Section(level, title, section_id, [], self.loc(node))

    # ------------------------------------------------------------ blocks

    def blocks(self, nodes: list[SyntaxTreeNode], depth: int) -> list[m.Block]:
        out: list[m.Block] = []
        for node in nodes:
            self.attach(out, self.block(node, depth))
        return out

    def block(self, node: SyntaxTreeNode, depth: int) -> list[m.Block]:
        if depth > MAX_DEPTH:
            self.problems.add(self.loc(node), f"blocks nested deeper than {MAX_DEPTH} levels")
            return []
        where = self.loc(node)
        kind = node.type
        if kind == "paragraph":
            return [self.paragraph(node)]
        if kind in ("bullet_list", "ordered_list"):
            start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
            return [m.ListBlock(self.list_items(node, depth), kind == "ordered_list", where, start)]
        if kind == "blockquote":
            return [m.BlockQuote(self.blocks(node.children, depth + 1), where)]
        if kind in ("fence", "code_block"):
            return [m.CodeBlock(node.content, (node.info or "").strip(), where)]
        if kind == "hr":
            return [m.Rule(where)]
        if kind == "table":
            return [self.table(node)]
        if kind == "heading":
            self.problems.add(where, "headings cannot stand inside a block; close the ::: block first")
            return []
        if kind == "div":
            return self.div(node, depth)
        self.problems.add(where, f"unsupported Markdown element ({kind})")
        return []

    def list_items(self, node: SyntaxTreeNode, depth: int) -> list[list[m.Block]]:
        """A list's items; at the deepest level shown, nested lists become further items."""
        self.list_level += 1
        try:
            if self.list_level < MAX_LIST_LEVELS:
                return [self.blocks(item.children, depth + 1) for item in node.children]
            items: list[list[m.Block]] = []
            for item in node.children:
                blocks = self.blocks(item.children, depth)
                nested = [b for b in blocks if isinstance(b, m.ListBlock)]
                items.append([b for b in blocks if not isinstance(b, m.ListBlock)])
                for inner in nested:
                    items.extend(inner.items)
            if self.list_level == MAX_LIST_LEVELS and any(c.type.endswith("_list") for i in node.children for c in i.children):
                self.problems.warn(self.loc(node), f"list nested deeper than {MAX_LIST_LEVELS} levels: the deeper items are set at level {MAX_LIST_LEVELS}")
            return [item for item in items if item]
        finally:
            self.list_level -= 1

    def paragraph(self, node: SyntaxTreeNode) -> m.Block:
        inline = node.children[0]
        parts = [c for c in inline.children if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"]
        if len(parts) == 1 and parts[0].type == "image":
            return self.figure(parts[0], node)
        for child in inline.children:
            if child.type == "image":
                self.problems.add(self.find(node, "!["), "an image must stand alone in its paragraph to become a figure")
        return m.Paragraph(self.inlines(inline), self.loc(node))

    def figure(self, image: SyntaxTreeNode, para: SyntaxTreeNode, extra: dict[str, str] | None = None) -> m.Block:
        attrs = dict(image.attrs)
        attrs.update(extra or {})
        attrs = self.typeset(attrs)
        src = str(attrs.get("src", ""))
        where = self.find(para, src) if src else self.loc(para)
        caption = self.inlines(image)
        if extra and extra.get("caption"):
            caption = [m.Text(extra["caption"])]
        alt = str(attrs.get("alt") or m.plain_text(caption)).strip()
        try:
            path = self._image_file(src)
        except OutsideRoots as exc:
            self.problems.add(where, f"image {exc}")
            return m.Paragraph(caption, self.loc(para))
        try:
            width, height = image_size(path, FIGURE_FORMATS)
        except ValueError as exc:
            self.problems.add(where, f'image "{src}" {exc}')
            return m.Paragraph(caption, self.loc(para))
        return m.Figure(path, caption, alt, str(attrs.get("credit", "")).strip(), width, height, self.loc(para),
                        id=str(attrs.get("id", "")))

    def _image_file(self, src: str) -> Path:
        """A local image inside the narrative's folder, or with --allow-network a fetched https one."""
        if src.strip().lower().startswith("https://"):
            if not self.network:
                raise OutsideRoots(f'"{src}" is a https: address; images are fetched only with --allow-network')
            from .remote import fetch

            return fetch(src)
        return confine(src, self.base_dir, [self.base_dir])

    def table(self, node: SyntaxTreeNode) -> m.Table:
        header: list[m.Cell] = []
        rows: list[list[m.Cell]] = []
        cells = sum(len(tr.children) for part in node.children for tr in part.children)
        if cells > MAX_TABLE_CELLS:
            self.problems.add(self.loc(node), f"a table of {cells:,} cells; at most {MAX_TABLE_CELLS:,} (split it, or chart it)")
            return m.Table(header, rows, [], self.loc(node))
        for part in node.children:
            for tr in part.children:
                cells = [m.Cell(self.inlines(cell.children[0]) if cell.children else [], _align(cell.attrs.get("style", ""))) for cell in tr.children]
                (header.extend(cells) if part.type == "thead" else rows.append(cells))
        return m.Table(header, rows, [], self.loc(node))

    # ------------------------------------------------------------ fenced divs

    def div(self, node: SyntaxTreeNode, depth: int) -> list[m.Block]:
        spec: DivSpec = node.meta["spec"]
        line_loc = self.loc(node)
        if spec.error:
            self.problems.add(Location(self.file, line_loc.line, spec.error_column), spec.error)
            return []
        if not node.meta["closed"]:
            self.problems.add(Location(self.file, line_loc.line, node.meta["column"]), f'block "{spec.name}" is never closed with :::')
        if spec.name not in BLOCKS:
            self.problems.add(Location(self.file, line_loc.line, spec.name_column), f'unknown block "{spec.name}"{suggest(spec.name, BLOCKS)}')
            return []
        required, optional = BLOCKS[spec.name]
        ok = True
        for key in spec.attrs:
            if key not in required | optional:
                hint = suggest(key, required | optional)
                self.problems.add(Location(self.file, line_loc.line, spec.attr_columns[key]), f'block "{spec.name}" has no attribute "{key}"{hint}')
                ok = False
        for key in sorted(required - set(spec.attrs)):
            self.problems.add(Location(self.file, line_loc.line, spec.name_column), f'block "{spec.name}" needs {key}="…"')
            ok = False
        if not ok:
            return []
        inner = self.blocks(node.children, depth + 1)
        return getattr(self, "div_" + spec.name)(replace(spec, attrs=self.typeset(spec.attrs)), inner, node)

    def typeset(self, attrs: dict[str, str]) -> dict[str, str]:
        """Attribute values that are prose (a callout's title, a quote's role, a caption) get the
        language's quotes and dashes, as the text does; names of files, kinds and ids stay as written."""
        return {key: plain(value, self.language) if key in PROSE_ATTRS and isinstance(value, str) else value
                for key, value in attrs.items()}

    def _only_list(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> m.ListBlock | None:
        lists = [b for b in inner if isinstance(b, m.ListBlock)]
        if len(lists) != 1 or len(inner) != 1:
            self.problems.add(Location(self.file, self.loc(node).line, spec.name_column), f'block "{spec.name}" must hold exactly one list')
            return None
        return lists[0]

    def div_keypoints(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> list[m.Block]:
        items = self._only_list(spec, inner, node)
        if items is None:
            return []
        points = [_item_inlines(item) for item in items.items]
        return [m.KeyPoints(points, self.loc(node), spec.attrs.get("title", ""))]

    def div_quote(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> list[m.Block]:
        return [m.PullQuote(inner, spec.attrs["by"].strip(), spec.attrs.get("role", "").strip(), self.loc(node))]

    def div_timeline(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> list[m.Block]:
        items = self._only_list(spec, inner, node)
        if items is None:
            return []
        events: list[m.TimelineEvent] = []
        list_node = next(c for c in node.children if c.type in ("bullet_list", "ordered_list"))
        for item, item_node in zip(items.items, list_node.children):
            inlines = _item_inlines(item)
            where = self.loc(item_node, 3)
            first = inlines[0] if inlines else None
            if not isinstance(first, m.Strong):
                self.problems.add(where, "a timeline entry starts with its date in bold: **2020-08** …")
                continue
            when = m.plain_text(first.children).strip()
            match = DATE.match(when)
            date = None
            if match:
                try:
                    date = dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
                except ValueError:
                    date = None
            if date is None:
                self.problems.add(self.find(item_node, when) if when else where, f'timeline date "{when}" is not YYYY, YYYY-MM or YYYY-MM-DD')
                continue
            rest = inlines[1:]
            if rest and isinstance(rest[0], m.Text):
                rest[0] = m.Text(rest[0].text.lstrip(" —–-:"))
            events.append(m.TimelineEvent(when, date, rest, where))
        return [m.Timeline(events, self.loc(node), spec.attrs.get("title", ""))]

    def div_callout(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> list[m.Block]:
        return [m.Callout(spec.attrs.get("title", "").strip(), inner, self.loc(node))]

    def div_notes(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> list[m.Block]:
        return [m.Notes(inner, self.loc(node))]

    def div_only(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> list[m.Block]:
        formats = {f.strip().lower() for f in spec.attrs["formats"].split(",") if f.strip()}
        for bad in sorted(formats - FORMATS):
            self.problems.add(Location(self.file, self.loc(node).line, spec.attr_columns["formats"]), f'unknown format "{bad}"{suggest(bad, FORMATS)}')
        return [m.Only(frozenset(formats & FORMATS), inner, self.loc(node))]

    def div_sources(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> list[m.Block]:
        items = self._only_list(spec, inner, node)
        return [m.Sources(items.items, self.loc(node))] if items else []

    def div_slide(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> list[m.Block]:
        return [m.SlideOverride(spec.attrs.get("layout", ""), spec.attrs.get("title", ""), inner, self.loc(node))]

    def div_figure(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> list[m.Block]:
        figures = [b for b in inner if isinstance(b, m.Figure)]
        if len(figures) != 1:
            self.problems.add(self.loc(node, spec.name_column), 'block "figure" must hold exactly one image')
            return []
        figure = figures[0]
        if spec.attrs.get("caption"):
            figure.caption = [m.Text(spec.attrs["caption"])]
        figure.alt = spec.attrs.get("alt", figure.alt)
        figure.credit = spec.attrs.get("credit", figure.credit)
        figure.id = spec.id or figure.id
        return [figure]

    def div_table(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> list[m.Block]:
        tables = [b for b in inner if isinstance(b, m.Table)]
        if len(tables) != 1:
            self.problems.add(self.loc(node, spec.name_column), 'block "table" must hold exactly one table')
            return []
        if spec.attrs.get("caption"):
            tables[0].caption = [m.Text(spec.attrs["caption"])]
        tables[0].id = spec.id
        return [tables[0]]

    def div_chart(self, spec: DivSpec, inner: list[m.Block], node: SyntaxTreeNode) -> list[m.Block]:
        line = self.loc(node).line
        kind = spec.attrs["type"].strip().lower()
        if kind not in m.CHART_TYPES:
            self.problems.add(Location(self.file, line, spec.attr_columns["type"]), f'chart type "{kind}" is not one of {", ".join(m.CHART_TYPES)}{suggest(kind, m.CHART_TYPES)}')
            return []
        table_nodes = [c for c in node.children if c.type == "table"]
        if spec.attrs.get("src"):
            rows = csv_rows(spec.attrs["src"], self.base_dir, Location(self.file, line, spec.attr_columns["src"]), self.problems)
        elif len(table_nodes) == 1:
            start, end = table_nodes[0].map or (0, 0)
            rows = pipe_rows(self.lines, start, end, self.file, self.offset)
        else:
            self.problems.add(Location(self.file, line, spec.name_column), 'block "chart" needs one pipe table or src="data.csv"')
            return []
        if rows is None:
            return []
        chart = chart_series(kind, rows, self.loc(node), self.problems)
        if chart is None:
            return []
        caption = self.chart_caption(spec, inner)
        if caption is None:
            return []
        return [m.Chart(kind, chart[0], chart[1], spec.attrs.get("title", "").strip(), caption,
                        spec.attrs.get("units", "").strip(), spec.attrs.get("source", "").strip(), chart[2],
                        self.loc(node), id=spec.id)]

    def chart_caption(self, spec: DivSpec, inner: list[m.Block]) -> list[m.Inline] | None:
        """A chart's caption: its table's `Table: …` line, else one paragraph, else caption="…".

        Anything else inside the block is neither data nor caption: a located error, since
        the chart would silently drop it.
        """
        captions = [b.caption for b in inner if isinstance(b, m.Table) and b.caption]
        captions += [b.inlines for b in inner if isinstance(b, m.Paragraph)]
        stray = [b for b in inner if not isinstance(b, (m.Table, m.Paragraph))]
        if len(captions) > 1 or stray:
            extra = stray[0] if stray else [b for b in inner if isinstance(b, m.Paragraph)][-1]
            self.problems.add(extra.location, "a chart block holds its data table and one caption (a paragraph or a "
                                              "`Table: …` line); this is neither: move it out of the block")
            return None
        if captions:
            return captions[0]
        return [m.Text(spec.attrs["caption"])] if spec.attrs.get("caption") else []

    # ------------------------------------------------------------ inlines

    def inlines(self, node: SyntaxTreeNode) -> list[m.Inline]:
        out: list[m.Inline] = []
        for child in node.children:
            kind = child.type
            if kind == "text" and not child.content:
                continue
            if kind == "text":
                dangling = FOOTNOTE_MARK.search(child.content)
                if dangling:
                    self.problems.add(self.find(node, dangling.group(0)), f"footnote {dangling.group(0)} is never defined")
                if out and isinstance(out[-1], m.Text):
                    out[-1] = m.Text(out[-1].text + child.content)
                else:
                    out.append(m.Text(child.content))
            elif kind == "softbreak":
                out.append(m.Text(" ")) if not (out and isinstance(out[-1], m.Text)) else out.__setitem__(-1, m.Text(out[-1].text + " "))
            elif kind == "hardbreak":
                out.append(m.LineBreak())
            elif kind == "em":
                out.append(m.Emph(self.inlines(child)))
            elif kind == "strong":
                out.append(m.Strong(self.inlines(child)))
            elif kind == "code_inline":
                out.append(m.Code(child.content))
            elif kind == "link":
                out.append(m.Link(str(child.attrs.get("href", "")), self.inlines(child)))
            elif kind == "footnote_ref":
                out.append(_PendingNote(child.meta["id"]))  # numbered in citations(), in order with citation notes
            elif kind == "image":
                out.extend(self.inlines(child))
            else:
                out.append(m.Text(child.content))
        return self.citations(out, node)

    # ------------------------------------------------------------ citations and cross-references

    def citations(self, inlines: list[m.Inline], node: SyntaxTreeNode) -> list[m.Inline]:
        """[@key], @key, [-@key] and @fig:id in the text runs, as pandoc reads them."""
        out: list[m.Inline] = []
        for inline in inlines:
            if isinstance(inline, _PendingNote):
                repeat = inline.plugin_id in self.note_by_id
                out.append(m.FootnoteRef(self.footnote(inline.plugin_id), repeat))
                continue
            if not isinstance(inline, m.Text) or "@" not in inline.text:
                out.append(inline)
                continue
            for piece in scan(inline.text):
                if isinstance(piece, str):
                    _append_text(out, piece)
                    continue
                where = self.find(node, piece.written)
                if self._escaped(where):  # \@name: the author wants the sign, not a citation
                    _append_text(out, piece.written)
                elif isinstance(piece, RefMark):
                    for n, target in enumerate(piece.targets):
                        if n:
                            _append_text(out, ", ")
                        starts = not n and (not out or isinstance(out[-1], m.Text) and _ends_sentence(out[-1].text))
                        ref = m.CrossRef(target[0].lower() + target[1:], capital=target[0].isupper() or starts)
                        self.crossrefs.append((ref, where))
                        out.append(ref)
                else:
                    out.extend(self.citation(piece, where))
        return _notes_after_punctuation(out)

    def _escaped(self, where: Location) -> bool:
        line = self.lines[where.line - self.offset - 1] if 0 < where.line - self.offset <= len(self.lines) else ""
        return where.column >= 2 and line[where.column - 2: where.column - 1] == "\\"

    def citation(self, group: CiteGroup, where: Location) -> list[m.Inline]:
        if self.citer is None:
            if group.in_text or self.citations_unchecked:
                return [m.Text(group.written)]  # @name without a bibliography: a handle, not a citation
            self.problems.add(where, f'citation "{group.written}" but the front matter names no bibliography '
                                     '(bibliography: refs.json)')
            return [m.Text(group.written)]
        unknown = [key for key in group.keys if not self.citer.known(key)]
        for key in unknown:
            self.problems.add(Location(where.file, where.line, where.column + max(0, group.written.find("@" + key))),
                              f'unknown citation key "@{key}"{suggest(key, self.citer.entries)}')
        if unknown:
            return [m.Text(group.written)]
        shown, note_text = self.citer.cite(group)
        if note_text and self.in_note:  # a citation inside a note is part of the note's text
            return [m.Citation(group.keys, shown + ([m.Text(" ")] if shown else []) + note_text, None, group.in_text)]
        ref = None
        if note_text:
            number = len(self.footnotes) + 1
            note = m.Footnote(number, f"fn-{number}", [m.Paragraph(_capitalised(note_text), where)], where)
            self.footnotes.append(note)
            ref = m.FootnoteRef(note)
        return [m.Citation(group.keys, shown, ref, group.in_text)]

    def footnote(self, plugin_id: int) -> m.Footnote:
        if plugin_id not in self.note_by_id:
            number = len(self.footnotes) + 1
            node = self.note_nodes[plugin_id]
            note = m.Footnote(number, f"fn-{number}", [], self.loc(node.children[0] if node.children else None))
            self.footnotes.append(note)
            self.note_by_id[plugin_id] = note
            body = [c for c in node.children if c.type != "footnote_anchor"]
            self.in_note += 1
            try:
                note.blocks = self.blocks(body, 1)
            finally:
                self.in_note -= 1
        return self.note_by_id[plugin_id]


@dataclass
class _PendingNote:
    """A footnote mark waiting for its number until the citations before it have theirs."""

    plugin_id: int


def _notes_after_punctuation(inlines: list[m.Inline]) -> list[m.Inline]:
    """As pandoc sets a note style: "decades [@a]." → "decades.¹" — the mark after the stop, no
    space before it; a citation inside a note drops its own full stop before the author's."""
    out = list(inlines)
    for index, node in enumerate(out):
        if not isinstance(node, m.Citation):
            continue
        after = out[index + 1] if index + 1 < len(out) else None
        stops = re.match(r"^[.,;:!?]+", after.text) if isinstance(after, m.Text) else None
        if node.ref is not None and not node.shown:
            before = out[index - 1] if index else None
            if isinstance(before, m.Text):
                out[index - 1] = m.Text(before.text.rstrip() + (stops.group(0) if stops else ""))
                if stops:
                    out[index + 1] = m.Text(after.text[stops.end():])
        elif node.ref is None and stops and node.shown and isinstance(node.shown[-1], m.Text):
            node.shown[-1] = m.Text(node.shown[-1].text.rstrip("."))
    return [n for n in out if not (isinstance(n, m.Text) and not n.text)]


def _capitalised(inlines: list[m.Inline]) -> list[m.Inline]:
    """A note starts with a capital, as pandoc sets it: "see Doe …" → "See Doe …"."""
    first = inlines[0] if inlines else None
    while isinstance(first, (m.Link, m.Emph, m.Strong)) and first.children:
        holder, first = first, first.children[0]
    if isinstance(first, m.Text) and first.text[:1].islower():
        first.text = first.text[0].upper() + first.text[1:]
    return inlines


# Abbreviations that lead into a reference ("см. рис. 2", "cf. figure 2", "vgl. Abbildung 2"): their
# full stop does not start a sentence, so the reference's word keeps its small letter.
LEAD_ABBREVIATIONS = {"cf", "see", "e.g", "i.e", "vgl", "z.b", "s", "p", "pp", "voir", "v", "p.ej", "vid", "np", "zob",
                      "por", "ej", "см", "ср", "рис", "табл", "т.е", "див", "вж", "гл", "разд", "напр"}


def _ends_sentence(text: str) -> bool:
    match = re.search(r"(\S*?)[.!?…][\"”»’)]*\s+$", text)
    return bool(match) and match.group(1).lower().rstrip(".") not in LEAD_ABBREVIATIONS


def _append_text(out: list[m.Inline], text: str) -> None:
    if out and isinstance(out[-1], m.Text):
        out[-1] = m.Text(out[-1].text + text)
    elif text:
        out.append(m.Text(text))


def _item_inlines(item: list[m.Block]) -> list[m.Inline]:
    inlines: list[m.Inline] = []
    for block in item:
        if isinstance(block, m.Paragraph):
            if inlines:
                inlines.append(m.Text(" "))
            inlines.extend(block.inlines)
    return inlines


def _align(style: str) -> str:
    match = re.search(r"text-align:(\w+)", style)
    return match.group(1) if match else ""


def _strip_caption_prefix(inlines: list[m.Inline]) -> list[m.Inline]:
    first = inlines[0]
    assert isinstance(first, m.Text)
    text = first.text.removeprefix("Table: ").removeprefix(": ")
    return [m.Text(text), *inlines[1:]]
