"""Timelines as native shapes: a line with dots, dates above, labels below, a few events a slide."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...core import model as m
from .digest import point, slide_text
from .flow import FLOOR_PT, TEXT_INSETS, Typesetter, fit_size, inner
from .frames import Group, Para, Run, Shape, TextFrame
from .geometry import EMU_PER_IN, EMU_PER_PT, Box
from .mapping import resolve
from .line_metrics import GLYPH_RESERVE, LINE_HEIGHT
from .planning import Planning

MAX_EVENTS = 6  # per timeline slide: more and the labels get too narrow to read
DOT = int(0.24 * EMU_PER_IN)
GUTTER = int(0.12 * EMU_PER_IN)


def timeline_slides(pl: Planning, timeline: m.Timeline, title: str) -> None:
    """Events on a horizontal line with dots: dates above, labels below, a few events a slide."""
    if not timeline.events:
        return
    kind, layout = pl.kind("timeline")
    title_ph, area_ph = resolve(kind, layout, "title"), resolve(kind, layout, "area")
    area = area_ph.box if area_ph else pl.free_area(layout)
    writer = pl.writer()
    events = [(pl.labels.when(e.when, e.date), point(slide_text(e.inlines)), writer.inline(e.inlines)) for e in timeline.events]
    setter = Typesetter(pl.metrics)
    chunks: list[list[tuple[str, str, str]]] = []
    for per in range(min(MAX_EVENTS, len(events)), 0, -1):
        chunks = _balanced(events, per)
        columns = max(len(c) for c in chunks)
        if all(_event_frames(pl, setter, area, columns, i, e, cut=False) for chunk in chunks for i, e in enumerate(chunk)):
            break
    columns = max(len(c) for c in chunks)
    laid = [[_event_frames(pl, setter, area, columns, i, e, cut=True) or [] for i, e in enumerate(chunk)] for chunk in chunks]
    # Centre the drawing in the free area, at the same height on every slide of the timeline.
    tallest = max(_text_height(setter, frames[1]) for chunk in laid for frames in chunk)
    used = _label_top(pl, area) - area.top + tallest
    shift = max(0, (area.height - used) // 2)
    line_y = _line_y(pl, area) + shift
    title = title or pl.labels("timeline")
    for n, (chunk, frames) in enumerate(zip(chunks, laid)):
        items: list[Any] = [Shape("line", Box(area.left, line_y, area.width, 0), line="accent6", line_pt=2.5)]
        for i, (date, label) in enumerate(frames):
            left = area.left + i * (area.width // columns) + TEXT_INSETS[0]
            items.append(Shape("dot", Box(left, line_y - DOT // 2, DOT, DOT), fill="accent2", line="bg1", line_pt=1.5))
            items.append(replace(date, box=Box(date.box.left, date.box.top + shift, date.box.width, date.box.height)))
            items.append(replace(label, box=Box(label.box.left, label.box.top + shift, label.box.width, label.box.height - shift)))
        notes = writer.text(f"{when} — {full}" for when, _, full in chunk)
        slide_items: list[Any] = [pl.title_frame(title_ph, pl.continued(title, n)), Group("Timeline", items)]
        pl.add("timeline", layout, slide_items, notes)


def _text_height(setter: Typesetter, frame: TextFrame) -> int:
    width, _ = inner(frame.box, frame.insets)
    return int(setter.height(frame.paras, width) * EMU_PER_PT) + frame.insets[1] + frame.insets[3]


def _balanced(items: list[Any], per: int) -> list[list[Any]]:
    """Split into the fewest chunks of at most `per`, as even as possible (11 → 6 + 5)."""
    count = -(-len(items) // per)
    size = -(-len(items) // count)
    return [items[i:i + size] for i in range(0, len(items), size)]


def _line_y(pl: Planning, area: Box) -> int:
    size = pl.size("date")[0]
    date_lines = (2 * LINE_HEIGHT + 2 * GLYPH_RESERVE) * size * EMU_PER_PT + TEXT_INSETS[1] + TEXT_INSETS[3]
    return area.top + int(date_lines) + int(0.2 * EMU_PER_IN)


def _label_top(pl: Planning, area: Box) -> int:
    return _line_y(pl, area) + DOT // 2 + int(0.15 * EMU_PER_IN)


def _event_frames(pl: Planning, setter: Typesetter, area: Box, columns: int, index: int,
                  event: tuple[str, str, str], cut: bool) -> list[TextFrame] | None:
    """The date and label boxes of one event; None if they do not fit (unless `cut` allows '…')."""
    width = area.width // columns
    left = area.left + index * width
    line_y = _line_y(pl, area)
    date_box = Box(left, area.top, width - GUTTER, line_y - area.top - int(0.2 * EMU_PER_IN))
    label_top = _label_top(pl, area)
    label_box = Box(left, label_top, width - GUTTER, area.bottom - label_top)
    frames = []
    for text, box, role, bold, color, anchor in ((event[0], date_box, "date", True, "tx2", "b"),
                                                  (event[1], label_box, "label", False, "tx1", "t")):
        largest, smallest = pl.size(role)
        para = Para((Run(text, bold=bold),), largest, color=color)
        found = fit_size(setter, (para,), box, TEXT_INSETS, largest, smallest)
        if not cut and (found is None or setter.breaks_words(found[1][0], inner(box, TEXT_INSETS)[0])):
            return None  # too long, or a word split mid-word: try fewer, wider columns
        if found is None:  # one event alone too long for its column: smaller type, never cut
            found = fit_size(setter, (para,), box, TEXT_INSETS, largest, FLOOR_PT) or (FLOOR_PT, (para.sized(FLOOR_PT),))
        frames.append(TextFrame(box, found[1], None, TEXT_INSETS, anchor, role=role))
    return frames
