"""Where a landscape table goes, and what shares its pages, so that no page is left a quarter empty.

A table too wide for the portrait measure gets landscape pages of its own (WeasyPrint's named
pages). Two holes follow from that. The upright page before it ends wherever the text before
the table ends; and a short table, or the last rows of a long one, fill only the top of their
last landscape page. Each layout is read back and the HTML changed for the next one, as a
typesetter would:

- the table is deferred (a float page) to the first place in the text that falls near the foot
  of an upright page, so that the page before it is full; it may pass a heading, never another
  figure or table, nor a page break the author asked for;
- the text that follows it is set below it on its last page, in two columns of a reading
  measure, and the flow turns back to upright pages after it. A named page cannot change in
  the middle of a block, so only whole blocks come up; a block that spilled onto a further
  page goes back to the upright pages;
- when no more text fits whole below it, the table (and its columns) is centred on the page,
  as a float page is.

Heights are estimated from the previous layout (text set narrower runs to more lines, in
proportion) and corrected by the next one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# The layout readers placement.py finds holes with, so that both measure a page alike.
from .placement import HOLE_SHARE, Hole, element_span, free_space, key_of, move, page_flow, tag_of

FLOW_CLASS = "landscape-flow"
# The stylesheet's column gap and the space above the columns (print.css.j2: .landscape-flow),
# in CSS px, for the estimate only.
COLUMN_GAP_PX = 8 / 25.4 * 96
COLUMNS_TOP_PX = 24.0
COLUMNS = 2
# Text that may be set in the columns or passed by the deferred table: not another figure or
# table (their order is kept, and an image's height shrinks with the column where text grows).
STOPS = ("table", "figure")
HEADINGS = ("h1", "h2", "h3")
FORCED = ("page", "left", "right", "recto", "verso")
# Keep a little in hand: widows, orphans and column balancing round each column up. Text
# added to columns already set is measured on them, and risks only a layout (a spill goes back).
FILL, MORE_FILL = 0.92, 1.0
# The page before the table should end this close to its foot, but not closer than two lines
# (widows and orphans move a line or two: the table would then leave a page of two lines).
SAFE_LINES_PX = 44.0
MAX_MOVES = 3


@dataclass
class Flow:
    """What the next layout does with one landscape table."""

    blocks: list[str] = field(default_factory=list)  # the blocks set in columns below it
    after: str | None = None  # the block the table moves after, in this change
    closed: bool = False  # a block spilled onto a further page: no more are added
    moves: int = 0
    top: float = 0.0  # px above the table: centred on its page


@dataclass
class _Item:
    key: str
    tag: str
    height: float  # on an upright page, px


def landscape_tables(pages: list[Any]) -> dict[str, list[int]]:
    """The landscape tables of a layout, each with the (0-based) pages it lies on."""
    found: dict[str, list[int]] = {}
    for index, page in enumerate(pages):
        for box in page_flow(page._page_box):
            if tag_of(box) == "table" and "landscape" in _classes(box) and key_of(box):
                found.setdefault(key_of(box), []).append(index)  # type: ignore[arg-type]
    return found


def empty_pages(pages: list[Any]) -> list[int]:
    """1-based numbers of the pages a landscape table leaves more than a hole's share empty: the
    upright page before it, its last page (never the document's last page)."""
    out = []
    for on in landscape_tables(pages).values():
        before, last = on[0] - 1, _last_page(pages, on[-1])
        if before >= 0 and not _is_landscape(pages[before]) and _hole(pages[before]):
            out.append(before + 1)
        if last < len(pages) - 1 and _hole(pages[last]):
            out.append(last + 1)
    return out


def replan(pages: list[Any], flows: dict[str, Flow]) -> dict[str, Flow]:
    """The changes the next layout should have, by table: deferred past the text that fills the
    page before it, text added below it in columns, or a spilled column cut back."""
    wanted: dict[str, Flow] = {}
    upright = next((p._page_box.width for p in pages if not _is_landscape(p)), 0.0)
    for table, on in landscape_tables(pages).items():
        current = flows.get(table, Flow())
        own = on[-1]
        following = _following(pages, own, table, upright)
        before = on[0] - 1
        if (before >= 0 and not _is_landscape(pages[before]) and _hole(pages[before]) and current.moves < MAX_MOVES
                and not _forced(pages[before + 1], table)):
            at = _boundary(pages[before], following)
            if at is not None:
                rest = following[at + 1:]
                wanted[table] = Flow(_chosen(rest, pages[own], _room_below(pages[own], table), upright), following[at].key,
                                     moves=current.moves + 1)
                continue
        spilled = _spilled_keys(pages, own, table)
        if spilled:
            wanted[table] = Flow([k for k in current.blocks if k not in spilled], closed=True, moves=current.moves)
            continue
        if current.closed or current.top or own == len(pages) - 1 or not _hole(pages[own]):
            continue
        rest = [item for item in following if item.key not in current.blocks]
        more = (_chosen(rest, pages[own], free_space(pages[own]._page_box), upright, MORE_FILL) if current.blocks
                else _chosen(rest, pages[own], free_space(pages[own]._page_box) - COLUMNS_TOP_PX, upright))
        if more:
            wanted[table] = Flow(current.blocks + more, moves=current.moves)
        elif on == [own]:
            # Nothing more fits whole: the table and its columns are centred on the page, as a
            # float page is, so the space left is shared above and below.
            wanted[table] = Flow(current.blocks, closed=True, moves=current.moves, top=_centring(pages[own], table))
    return wanted


def apply(html: str, wanted: dict[str, Flow]) -> str:
    """The HTML with each table's change made: its columns unwrapped, the table moved, the
    new columns wrapped."""
    for table, change in wanted.items():
        html = _top(_unwrap(html, table), table, change.top)
        if change.after:
            html = move(html, Hole(0, 0.0, table, change.after))
        if change.blocks:
            html = _wrap(html, table, change.blocks)
    return html


def _hole(page: Any) -> bool:
    return free_space(page._page_box) > HOLE_SHARE * page._page_box.margin_height()


def _forced(page: Any, table: str) -> bool:
    """The table opens its page because the author asked for a break before it."""
    boxes = page_flow(page._page_box)
    return bool(boxes) and key_of(boxes[0]) == table and boxes[0].style["break_before"] in FORCED


def _following(pages: list[Any], own: int, table: str, upright: float) -> list[_Item]:
    """The blocks after the table, with their height on an upright page (`upright` wide), up to
    the first that must keep its place (another figure or table, a page break, another
    landscape table)."""
    items: dict[str, _Item] = {}
    for page in pages[own:]:
        for box in page_flow(page._page_box):
            if tag_of(box) == "table" and key_of(box) == table:
                continue
            if tag_of(box) == "div" and box.element.get("data-flow") == table:
                # Already in columns: back to its upright height.
                for column in box.children:
                    for inner in column.children:
                        _add(items, inner, inner.margin_height() * column.width / upright)
                continue
            if _is_landscape(page) or not key_of(box) or (tag_of(box) in STOPS and not _text_figure(box)) or (
                    box.style["break_before"] in FORCED and key_of(box) not in items):
                return list(items.values())
            _add(items, box, box.margin_height())
    return list(items.values())


def _text_figure(box: Any) -> bool:
    """A pull quote is set as a figure, but it is text: it may go in the columns."""
    return "pullquote" in _classes(box)


def _add(items: dict[str, _Item], box: Any, height: float) -> None:
    key = key_of(box)
    if not key:
        return
    if key not in items:
        items[key] = _Item(key, tag_of(box), 0.0)
    items[key].height += height


def _boundary(page: Any, following: list[_Item]) -> int | None:
    """The index of the block after which the table should come so that the upright page before
    it ends near its foot: the first such, else the one leaving the least space."""
    box = page._page_box
    height = box.height
    used = height - free_space(box)
    target = HOLE_SHARE * box.margin_height()
    best: tuple[float, int] | None = None
    end = used
    for index, item in enumerate(following):
        end += item.height
        if item.tag in HEADINGS or index + 1 < len(following) and following[index + 1].key == item.key:
            continue  # a heading is never left above a page of its own
        left = height - end % height
        if SAFE_LINES_PX <= left <= target:
            return index
        if left >= SAFE_LINES_PX and (best is None or left < best[0]):
            best = (left, index)
    return best[1] if best is not None and best[0] < free_space(box) else None


def _centring(page: Any, table: str) -> float:
    """The space above the table that centres it in the page's text block."""
    box = page._page_box
    for block in page_flow(box):
        if tag_of(block) == "table" and key_of(block) == table:
            return block.position_y - box.content_box_y() + free_space(box) / 2
    return 0.0


def _top(html: str, table: str, top: float) -> str:
    """The HTML with the table's space above set to `top` px (none: the stylesheet's)."""
    start = html.find(f' data-block="{table}"')
    if start < 0:
        return html
    end = html.index(">", start)
    tag = re.sub(r' style="margin-top: [\d.]+px"', "", html[start:end])
    if top:
        tag += f' style="margin-top: {top:.1f}px"'
    return html[:start] + tag + html[end:]


def _room_below(page: Any, table: str) -> float:
    """The height left under the table's last rows on its own last page, less the columns' top."""
    box = page._page_box
    for block in page_flow(box):
        if tag_of(block) == "table" and key_of(block) == table:
            return box.content_box_y() + box.height - (block.position_y + block.margin_height()) - COLUMNS_TOP_PX
    return 0.0


def _chosen(following: list[_Item], page: Any, room: float, upright: float, fill: float = FILL) -> list[str]:
    """The first blocks of `following` whose text, reset in columns, fits `room` (px tall);
    `upright`: the width their heights were measured at."""
    column = (page._page_box.width - COLUMN_GAP_PX * (COLUMNS - 1)) / COLUMNS
    capacity = max(room, 0.0) * COLUMNS * fill
    chosen: list[_Item] = []
    used = 0.0
    for item in following:
        height = item.height * upright / column  # narrower, so more lines, in proportion
        if used + height > capacity:
            break
        chosen.append(item)
        used += height
    while chosen and chosen[-1].tag in HEADINGS:  # a heading never ends the columns
        chosen.pop()
    return [item.key for item in chosen]


def _last_page(pages: list[Any], index: int) -> int:
    """The last page of a table's landscape run: its own, or its columns' after it."""
    while index + 1 < len(pages) and _is_landscape(pages[index + 1]) and _continues(pages[index + 1]):
        index += 1
    return index


def _continues(page: Any) -> bool:
    boxes = page_flow(page._page_box)
    return bool(boxes) and (FLOW_CLASS in _classes(boxes[0]) or "landscape" in _classes(boxes[0]))


def _spilled_keys(pages: list[Any], own: int, table: str) -> set[str]:
    """Keys of the column blocks that lie past the table's own last page."""
    keys: set[str] = set()
    for page in pages[own + 1:]:
        if not _is_landscape(page):
            break
        for box in page_flow(page._page_box):
            if tag_of(box) == "div" and box.element.get("data-flow") == table:
                keys |= {key_of(b) for column in box.children for b in column.children if key_of(b)}  # type: ignore[misc]
    return keys


def _is_landscape(page: Any) -> bool:
    return page._page_box.page_type.name == "landscape"


def _unwrap(html: str, table: str) -> str:
    """The HTML without the column wrapper of `table`'s flow (its blocks stay where they are)."""
    opening = f'<div class="{FLOW_CLASS}" data-flow="{table}">'
    start = html.find(opening)
    if start < 0:
        return html
    depth = 0
    for match in re.finditer(r"<(/?)div(?=[\s>])[^>]*>", html[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            end = start + match.start()
            return html[:start] + html[start + len(opening):end] + html[end + len("</div>"):]
    return html


def _wrap(html: str, table: str, blocks: list[str]) -> str:
    first, last = element_span(html, blocks[0]), element_span(html, blocks[-1])
    if first[0] < 0 or last[1] < 0 or last[1] < first[0]:
        return html
    return (html[:first[0]] + f'<div class="{FLOW_CLASS}" data-flow="{table}">' + html[first[0]:last[1]]
            + "</div>" + html[last[1]:])


def _classes(box: Any) -> list[str]:
    return (box.element.get("class") or "").split() if tag_of(box) else []
