"""Where blocks land on the printed page: deferred figures and tables, landscape tables.

WeasyPrint has no `float: page`: a figure or table that does not fit the rest of a page is
pushed whole to the next one, and the text after it does not flow back, leaving a hole. The
layout itself moves such a block the moment it does not fit (patches/deferred_blocks.py, by
the rules below). This module reads a finished layout and changes the HTML for the next one
for what is left (a WeasyPrint without that patch, a block already moved once): a block that
opens the page after a hole moves down the flow, past as much of the following text as fills
the hole (never past a heading), so that text fills the page and the block heads the next one.
When no text follows it before the next heading, the block moves up instead, ahead of the
last blocks of the page before, if that lets it fit there. A table whose text runs past the
measure is given landscape pages of its own (landscape.py fills the pages around them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

# A gap this tall at a page's foot is a hole worth a second layout (the instrument's limit is
# a quarter of the page, measured between the head and foot bands: keep well inside it).
HOLE_SHARE = 0.15
MOVABLE = ("figure", "table")
# A table kept whole but taller than this share of the text block breaks across pages
# instead of being deferred: deferring it would only move the hole.
TALL_SHARE = 0.5
HEADINGS = ("h1", "h2", "h3")
SLACK = 0.5  # px a glyph may poke past the measure (rounding, italic overhang)
CRAMPED_EM = 3.5  # a wrapped column narrower than this is too narrow to read
# Set on a block's box by the layout itself (patches/deferred_blocks.py) once it moved the block
# down or up the flow: a hole left beside it is one that no move fills.
MOVED = "triptych_moved"


@dataclass
class Hole:
    page: int  # 1-based
    gap: float  # px
    block: str  # the key of the deferred block opening the next page
    anchor: str  # the key of the block it should follow (or precede) instead
    before: bool = False  # moved up, ahead of `anchor`


@dataclass
class Findings:
    holes: list[Hole] = field(default_factory=list)
    too_wide: list[str] = field(default_factory=list)  # keys of tables running past the measure
    hole_pages: list[int] = field(default_factory=list)  # every page with a hole, movable or not
    split: list[str] = field(default_factory=list)  # keys of tables kept whole that span pages


def inspect_layout(document: Any) -> Findings:
    """The holes a move can fill, and the tables wider than the text block."""
    found = Findings()
    pages = document.pages
    seen: set[str] = set()
    for number, page in enumerate(pages, 1):
        found.too_wide.extend(k for k in _overflowing_tables(page._page_box) if k not in found.too_wide)
        # A table too tall for any page breaks anyway; kept whole, it first leaves its caption
        # behind on a page of its own. Such a table may break from the start.
        tables = set(_kept_tables(page._page_box))
        found.split.extend(sorted(k for k in tables & seen if k not in found.split))
        seen |= tables
        if number == len(pages):
            continue
        gap = free_space(page._page_box)
        # The page before a landscape table is landscape.py's to fill.
        if (gap <= HOLE_SHARE * page._page_box.margin_height() or _landscape_table(pages[number]._page_box)
                or _forced_break_after(page._page_box, pages[number]._page_box)):
            continue
        found.hole_pages.append(number)
        tall = _tall_table(pages[number]._page_box)
        if tall:
            found.split.append(tall)  # it may break, from the hole on, rather than move
            continue
        hole = _deferred_block(page._page_box, pages[number]._page_box, gap)
        if hole is not None:
            found.holes.append(Hole(number, gap, *hole))
    return found


def move(html: str, hole: Hole) -> str:
    """The HTML with the hole's block taken out and put right after (or before) its anchor."""
    start, end = element_span(html, hole.block)
    if start < 0:
        return html
    block = html[start:end]
    rest = html[:start] + html[end:]
    anchor_start, anchor_end = element_span(rest, hole.anchor)
    if anchor_end < 0:
        return html
    at = anchor_start if hole.before else anchor_end
    return rest[:at] + block + "\n" + rest[at:] if hole.before else rest[:at] + "\n" + block + rest[at:]


def add_class(html: str, key: str, name: str) -> str:
    """The HTML with `name` added to the class of block `key`."""
    start, _ = element_span(html, key)
    if start < 0:
        return html
    tag_end = html.index(">", start)
    tag = html[start:tag_end]
    if ' class="' in tag:
        tag = tag.replace(' class="', f' class="{name} ', 1)
    else:
        tag += f' class="{name}"'
    return html[:start] + tag + html[tag_end:]


def element_span(html: str, key: str) -> tuple[int, int]:
    """(start, end) of the element carrying data-block=`key`, its end tag included."""
    at = html.find(f' data-block="{key}"')
    if at < 0:
        return -1, -1
    start = html.rfind("<", 0, at)
    name = re.match(r"<([A-Za-z][\w-]*)", html[start:]).group(1)  # type: ignore[union-attr]
    tags = re.compile(rf"<(/?){name}(?=[\s>/])[^>]*>")
    depth = 0
    for match in tags.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return start, match.end()
    return -1, -1


def page_flow(page_box: Any) -> list[Any]:
    """The top-level blocks of a page's text flow (print sets no wrapper around sections)."""
    roots = [b for b in page_box.children if type(b).__name__ not in ("MarginBox", "FootnoteAreaBox")]
    body = roots[0].children[0] if roots and roots[0].children else None
    return list(body.children) if body is not None else []


def free_space(page_box: Any) -> float:
    """Height left empty between the last block of the flow and the foot (or the notes)."""
    flow = page_flow(page_box)
    if not flow:
        return 0.0
    bottom = page_box.content_box_y() + page_box.height
    for area in page_box.children:
        if type(area).__name__ == "FootnoteAreaBox" and area.children:
            bottom = min(bottom, area.position_y)
    last = flow[-1]
    return bottom - (last.position_y + last.margin_height())


def _forced_break_after(page: Any, next_page: Any) -> bool:
    """The next page opens with a block the author or the theme starts on a new page (a break,
    or a page of another kind: a landscape table's)."""
    flow = page_flow(next_page)
    breaks = bool(flow) and flow[0].style["break_before"] in ("page", "left", "right", "recto", "verso")
    return breaks or page.page_type.name != next_page.page_type.name


def _deferred_block(page: Any, next_page: Any, gap: float) -> tuple[str, str, bool] | None:
    """(block, anchor, before) when the next page opens with a movable block: the block to
    follow so that the text after it fills the hole, else the block to precede on this page
    so that it fits here; None when neither stays inside its section."""
    flow = page_flow(next_page)
    first = flow[0] if flow else None
    classes = (first.element.get("class") or "").split() if first is not None and tag_of(first) else []
    if first is None or tag_of(first) not in MOVABLE or not key_of(first) or "long" in classes:
        return None
    if getattr(first, MOVED, False):
        return None
    filled, after = 0.0, None
    following = flow[1:]
    # Never past a heading, nor past another figure or table: they keep their order.
    for box in following:
        if tag_of(box) in HEADINGS + MOVABLE or not key_of(box):
            break
        filled += box.margin_height()
        after = key_of(box)
        if filled >= gap:
            return key_of(first), after, False  # type: ignore[return-value]
    # Not enough text before the next heading: try it higher up on this page.
    bottom = page.content_box_y() + page.height - _notes_height(page)
    here = page_flow(page)
    for box in reversed(here[1:]):
        if tag_of(box) in HEADINGS + MOVABLE or not key_of(box):
            break
        if box.position_y + first.margin_height() <= bottom:
            return key_of(first), key_of(box), True  # type: ignore[return-value]
    return (key_of(first), after, False) if after else None  # type: ignore[return-value]


def _landscape_table(next_page: Any) -> bool:
    """The next page is a landscape table's own."""
    flow = page_flow(next_page)
    return bool(flow) and tag_of(flow[0]) == "table" and "landscape" in (flow[0].element.get("class") or "").split()


def _tall_table(next_page: Any) -> str | None:
    """The key of a table kept whole that opens the next page taller than half of it."""
    flow = page_flow(next_page)
    first = flow[0] if flow else None
    if first is None or tag_of(first) != "table" or not key_of(first) or "long" in (first.element.get("class") or "").split():
        return None
    return key_of(first) if first.margin_height() > TALL_SHARE * next_page.height else None


def _notes_height(page_box: Any) -> float:
    return sum(a.margin_height() for a in page_box.children if type(a).__name__ == "FootnoteAreaBox" and a.children)


def _overflowing_tables(page_box: Any) -> Iterator[str]:
    """Keys of the tables on this page too wide for the text block: text past its right edge,
    or columns squeezed so narrow that their words are broken letter by letter."""
    right = page_box.content_box_x() + page_box.width + SLACK
    for box in page_flow(page_box):
        for inner in _descendants(box):
            if tag_of(inner) == "table" and key_of(inner) and "landscape" not in (inner.element.get("class") or "").split():
                boxes = list(_descendants(inner))
                if any(t.position_x + t.width > right for t in boxes if type(t).__name__ == "TextBox") or any(
                        _cramped(cell) for cell in boxes if type(cell).__name__ == "TableCellBox"):
                    yield key_of(inner)  # type: ignore[misc]


def _cramped(cell: Any) -> bool:
    """A cell narrower than a few letters whose words had to be broken to fit ("Report 0" set
    on two lines is a narrow column, not a cramped one)."""
    if cell.width >= CRAMPED_EM * cell.style["font_size"]:
        return False
    lines = ["".join(t.text for t in _descendants(line) if type(t).__name__ == "TextBox")
             for line in _descendants(cell) if type(line).__name__ == "LineBox"]
    if len(lines) < 2:
        return False
    words = set("".join(cell.element.itertext()).split()) if cell.element is not None else set()
    return any(piece not in words for line in lines[:-1] for piece in line.split()[-1:]) or any(
        piece not in words for line in lines[1:] for piece in line.split()[:1]) or any(
        line.rstrip().endswith(("-", "\u2010", "\u00ad")) for line in lines[:-1])


def _kept_tables(page_box: Any) -> Iterator[str]:
    """Keys of the tables on this page that the stylesheet keeps whole."""
    for box in page_flow(page_box):
        for inner in _descendants(box):
            if tag_of(inner) == "table" and key_of(inner) and "long" not in (inner.element.get("class") or "").split():
                yield key_of(inner)  # type: ignore[misc]


def tag_of(box: Any) -> str:
    element = getattr(box, "element", None)
    return element.tag if element is not None and "::" not in (getattr(box, "element_tag", "") or "") else ""


def key_of(box: Any) -> str | None:
    return box.element.get("data-block") if tag_of(box) else None


def _descendants(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _descendants(child)
