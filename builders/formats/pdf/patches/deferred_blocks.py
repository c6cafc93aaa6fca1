"""A figure or table that does not fit the rest of a page waits for the next one while the text after it fills the page.

WeasyPrint has no `float: page`: a block kept whole (`break-inside: avoid`) that does not fit
is pushed to the next page and the text after it does not flow back, leaving a hole. Fixing
that afterwards costs a second layout of the whole briefing (seconds for a long one). Here it
is done inside the one layout, the moment the block does not fit: the block is moved in the
box tree, past the paragraphs that follow it (never past a heading or another figure or
table, so it stays in its section and in order), those paragraphs fill this page, and the
block opens the next one, after the rest of a paragraph split at the foot (unless that rest
and the block cannot share the next page: the page then ends before that paragraph, if that
leaves the smaller hole). When no text follows before the next heading, the block is moved
up instead, ahead of the last paragraphs of this page, if it fits there. The move is a
reordering of siblings in the box tree, made once per block: a page WeasyPrint lays out
again (its counters changed) finds the same order, and every page before this one keeps its
resume points.

Changes: `weasyprint.layout.block._in_flow_layout`, wrapped (block_container_layout looks it
up in its module at each call). Only children of `<body>` that `placement.MOVABLE` names
and that carry a `data-block` key move; only text blocks (`data-block`, not a heading) fill.
Checked on: WeasyPrint 70.0.
Applied when: `_in_flow_layout` carries `triptych_defers_blocks`.
"""

from __future__ import annotations

from math import inf
from typing import Any

from ..placement import HEADINGS, HOLE_SHARE, MOVABLE, MOVED
from .patch import Patch, install, marked

MARK = "triptych_defers_blocks"
INPUTS = "triptych_inputs"  # on the layout context: where each child of <body> was laid out from
SIGNATURE = ("context", "box", "index", "child", "new_children", "page_is_empty", "absolute_boxes", "fixed_boxes",
             "adjoining_margins", "bottom_space", "position_y", "skip_stack", "first_letter_style",
             "first_line_style", "discard", "next_page", "max_lines")


def _block() -> Any:
    from weasyprint.layout import block

    return block


def apply() -> bool:
    block = _block()
    original = getattr(block, "_in_flow_layout", None)
    if original is None or not all(hasattr(block, n) for n in (
            "remove_placeholders", "find_last_class_a_break_point_child", "block_level_page_break",
            "block_level_page_name", "force_page_break", "block_level_layout")):
        return False
    if marked(block, "_in_flow_layout", MARK):
        return True
    if original.__code__.co_varnames[:17] != SIGNATURE:
        return False  # another signature than the one this was written for

    def in_flow_layout(context, box, index, child, new_children, page_is_empty, absolute_boxes, fixed_boxes,
                       adjoining_margins, bottom_space, position_y, skip_stack, first_letter_style,
                       first_line_style, discard, next_page, max_lines):
        flow = _is_flow(box)
        if flow:
            _inputs(context)[index] = (position_y, list(adjoining_margins))
        result = original(context, box, index, child, new_children, page_is_empty, absolute_boxes, fixed_boxes,
                          adjoining_margins, bottom_space, position_y, skip_stack, first_letter_style,
                          first_line_style, discard, next_page, max_lines)
        if not flow or skip_stack is not None or not _movable(child) or getattr(child, MOVED, False):
            return result
        abort, stop, resume_at, _, _, _, children, _ = result
        if abort or not stop or resume_at != {index: None} or children is not new_children or not new_children:
            return result  # it fitted, or the page breaks earlier (a heading kept with it)
        gap = context.page_bottom - bottom_space - position_y
        if gap <= HOLE_SHARE * context.current_footnote_area.page.height:
            return result
        mover = _Mover(block, original, context, box, absolute_boxes, fixed_boxes, bottom_space, discard, max_lines)
        return mover.defer(index, child, new_children, page_is_empty, next_page) or result

    install(block, "_in_flow_layout", in_flow_layout, MARK, original)
    return True


def applied() -> bool:
    return marked(_block(), "_in_flow_layout", MARK)


def _inputs(context: Any) -> dict[int, tuple[float, list]]:
    """Where each child of <body> on the page being made was laid out from: (position_y, margins)."""
    return vars(context).setdefault(INPUTS, {})


class _Mover:
    """One deferral: the block at `index` of `<body>` did not fit the rest of this page."""

    def __init__(self, block: Any, original: Any, context: Any, box: Any, absolute_boxes: list, fixed_boxes: list,
                 bottom_space: float, discard: bool, max_lines: Any) -> None:
        self.block, self.original, self.context, self.box = block, original, context, box
        self.absolute_boxes, self.fixed_boxes = absolute_boxes, fixed_boxes
        self.bottom_space, self.discard, self.max_lines = bottom_space, discard, max_lines

    def defer(self, index: int, child: Any, new_children: list, page_is_empty: bool, next_page: dict) -> tuple | None:
        """The layout result with the block moved, or None to keep WeasyPrint's (a page break before it)."""
        children = self.box.children
        placed = len(new_children)
        self.next_page = next_page
        position_y, margins = _inputs(self.context)[index]
        # Down: the text after it, on this page; the block after what this page takes of it.
        del children[index]
        result, full = self._fill(index, new_children, page_is_empty, position_y, margins, next_page)
        filled = result[6]
        if result[0]:  # no break anywhere (everything kept together): leave it to WeasyPrint
            return self._undo(index, child, filled, placed)
        (at, rest), = (result[2] or {len(children): None}).items()
        took = at > index or rest is not None
        if full and took and at >= index:
            stranded = self._stranded(child, children[at], rest) if rest is not None and filled[-1].index == at else None
            moved = self._before_split(index, child, filled, placed, at, stranded) if stranded is not None else None
            if moved is not None:
                return moved
            children.insert(at + 1 if rest is not None else at, child)
            setattr(child, MOVED, True)
            return result
        # The text ran out before the next heading: up, ahead of the page's last paragraphs.
        up = self._up_anchor(child, new_children[:placed])
        if up is not None:
            target = new_children[up].index
            self.block.remove_placeholders(self.context, filled[up:], self.absolute_boxes, self.fixed_boxes)
            del filled[up:]
            anchor_y, anchor_margins = _inputs(self.context)[target]
            children.insert(target, child)
            setattr(child, MOVED, True)
            result, full = self._fill(target, filled, page_is_empty, anchor_y, anchor_margins, next_page,
                                      last=index, first=child)
            if not full or result[2] != {target: None}:
                return result  # the outer loop goes on after `index` (unless this page is full)
            # It did not fit there after all: its paragraphs back, and the block at its place.
            del children[target]
            delattr(child, MOVED)
            result, full = self._fill(target, result[6], page_is_empty, anchor_y, anchor_margins, next_page,
                                      last=index - 1)
            children.insert(index, child)
            return result if full else (False, True, {index: None}, *result[3:])
        if not full and len(filled) > placed:
            # Some text after it fits here, not all: the block opens the next page after that text.
            children.insert(at, child)
            setattr(child, MOVED, True)
            return result
        return self._undo(index, child, filled, placed)

    def _stranded(self, child: Any, split: Any, rest: Any) -> float | None:
        """The hole the next page would keep if the block followed the rest of `split` (a paragraph
        broken at this page's foot) and did not fit there either: that rest alone on it; else None."""
        page = self.context.current_footnote_area.page.height
        height, remainder = self._height(child), self._height(split, rest)
        if height is None or remainder is None or remainder + height <= page:
            return None
        return page - remainder

    def _before_split(self, index: int, child: Any, filled: list, placed: int, at: int,
                      stranded: float) -> tuple | None:
        """The block ahead of the paragraph this page would break, if that leaves a smaller hole here
        than the one the next page would keep: this page ends with the whole blocks before it."""
        position_y, margins = _inputs(self.context)[at]
        here = self.context.page_bottom - self.bottom_space - position_y
        if len(filled) - 1 == placed or here >= stranded:
            return None  # no whole block fills this page better: the block follows the paragraph
        split = filled.pop()
        self.block.remove_placeholders(self.context, [split], self.absolute_boxes, self.fixed_boxes)
        self.box.children.insert(at, child)
        setattr(child, MOVED, True)
        return (False, True, {at: None}, position_y, margins, self.next_page, filled, self.max_lines)

    def _undo(self, index: int, child: Any, filled: list, placed: int) -> None:
        """The block back where it was, whatever the text after it took undone: WeasyPrint's result stands."""
        self.block.remove_placeholders(self.context, filled[placed:], self.absolute_boxes, self.fixed_boxes)
        del filled[placed:]
        self.box.children.insert(index, child)
        return None

    def _fill(self, start: int, new_children: list, page_is_empty: bool, position_y: float, margins: list,
              next_page: dict, last: int | None = None, first: Any = None) -> tuple[tuple, bool]:
        """Lay out the text blocks from `start` (`first` too, the block moved up) until the page is full,
        a heading, figure or table comes, or index `last` is done; the result, and whether the page is full.

        Ended by a heading (or the end): a page break before it, unless `last` was given (the caller's
        loop goes on after it)."""
        block, children = self.block, self.box.children
        index = start
        result = (False, False, None, position_y, margins, next_page, new_children, self.max_lines)
        while index < len(children) and (last is None or index <= last):
            child = children[index]
            if child is not first and not _filler(child):
                break
            before = block.find_last_class_a_break_point_child(new_children)
            if before is not None and (block.block_level_page_name(before, child) or block.force_page_break(
                    block.block_level_page_break(before, child), self.context)):
                break
            _, _, _, position_y, margins, next_page, _, _ = result
            child.position_x, child.position_y = self.box.content_box_x(), position_y
            _inputs(self.context)[index] = (position_y, list(margins))
            result = self.original(self.context, self.box, index, child, new_children, page_is_empty,
                                   self.absolute_boxes, self.fixed_boxes, list(margins), self.bottom_space,
                                   position_y, None, None, None, self.discard, next_page, self.max_lines)
            if result[0] or result[1]:
                return result, True
            new_children = result[6]
            index += 1
        if last is not None:
            return result, False
        return (False, True, {index: None}, *result[3:]) if index < len(children) else result, False

    def _up_anchor(self, child: Any, here: list) -> int | None:
        """Position in `here` of the paragraph the block may precede and still fit on this page."""
        height = self._height(child)
        if height is None:
            return None
        bottom = self.context.page_bottom - self.bottom_space
        for position in range(len(here) - 1, 0, -1):  # never ahead of the page's first block
            box = here[position]
            if not _filler(box):
                return None
            if box.position_y + height <= bottom:
                return position
        return None

    def _height(self, child: Any, rest: Any = None) -> float | None:
        """The block's margin height (from `rest`, a resume point inside it), laid out with no page
        foot, and undone."""
        child.position_x, child.position_y = self.box.content_box_x(), 0
        laid = self.block.block_level_layout(self.context, child, -inf, rest, self.box, rest is not None, [], [], [])[0]
        if laid is None:
            return None
        self.block.remove_placeholders(self.context, [laid], [], [])
        return laid.margin_height()


def _is_flow(box: Any) -> bool:
    return getattr(box, "element_tag", None) == "body"


def _tag(box: Any) -> str:
    element = getattr(box, "element", None)
    return element.tag if element is not None and "::" not in (getattr(box, "element_tag", "") or "") else ""


def _keyed(box: Any) -> bool:
    return bool(_tag(box)) and bool(box.element.get("data-block"))


def _movable(box: Any) -> bool:
    return (_tag(box) in MOVABLE and _keyed(box) and box.is_in_normal_flow()
            and "landscape" not in (box.element.get("class") or "").split())


def _filler(box: Any) -> bool:
    return _keyed(box) and _tag(box) not in HEADINGS + MOVABLE and box.is_in_normal_flow()


PATCH = Patch("deferred_blocks", "weasyprint.layout.block._in_flow_layout: a block that does not fit waits "
              "for the next page while the text after it fills this one", (("weasyprint", "70.0"),), apply, applied)
