"""Warnings about a valid narrative that will still come out poorly; `--strict` makes them errors."""

from __future__ import annotations

from typing import Iterator

from ..core import model as m
from ..core.errors import Problem

# A figure set at the text width (~16 cm on A4) needs about 600 px to print at ~100 dpi;
# anything narrower looks soft or pixelated on paper even when it looks fine on screen.
MIN_FIGURE_PX = 600
# What templating.BlockRenderer keeps as a link; anything else is printed as its text only.
LINK_SCHEMES = ("https://", "http://", "mailto:", "#")


def advise(doc: m.Document) -> list[Problem]:
    """Every warning the model shows, in reading order."""
    warnings: list[Problem] = []
    for block in [*doc.walk(), *_note_blocks(doc.footnotes)]:
        if isinstance(block, m.Figure) and block.width < MIN_FIGURE_PX:
            warnings.append(Problem(block.location, f'image "{block.src.name}" is only {block.width} px wide; '
                                                    f"print needs at least {MIN_FIGURE_PX} px for a sharp figure"))
        if isinstance(block, m.Timeline):
            warnings.extend(_timeline_order(block))
        for link in _links(block):
            href = link.href.strip()
            if not href.lower().startswith(LINK_SCHEMES):
                warnings.append(Problem(block.location, f'link "{href}" is not a web, mail or #section address; '
                                                        "it will appear as plain text"))
    return warnings


def dangling_links(front: list[m.Block], sections: list[m.Section], notes: list[m.Footnote]) -> list[Problem]:
    """In-document links whose #id names nothing: an error, since every format would break."""
    blocks = [*m._walk(front), *m._walk(sections)]
    targets = {block.id for block in blocks if getattr(block, "id", "")}
    targets |= {note.id for note in notes} | {key for b in blocks if isinstance(b, m.Sources) for key in b.ids}
    return [
        Problem(block.location, f'link "{link.href.strip()}" points to no section, figure or table id')
        for block in [*blocks, *_note_blocks(notes)]
        for link in _links(block)
        if link.href.strip().startswith("#") and link.href.strip()[1:] not in targets
    ]


def _note_blocks(notes: list[m.Footnote]) -> Iterator[m.Block]:
    """Blocks of footnote bodies, which Document.walk leaves out of the reading order."""
    stack = [b for note in reversed(notes) for b in reversed(note.blocks)]
    while stack:
        block = stack.pop()
        yield block
        inner = [*(getattr(block, "blocks", None) or [])]
        if isinstance(block, m.ListBlock):
            inner = [b for item in block.items for b in item]
        stack.extend(reversed(inner))


def _timeline_order(timeline: m.Timeline) -> list[Problem]:
    out = []
    for before, event in zip(timeline.events, timeline.events[1:]):
        # "2021-11" after "2021-11-04" is in order: compare at the coarser of the two precisions.
        digits = min(len(before.when), len(event.when))
        if event.date.isoformat()[:digits] < before.date.isoformat()[:digits]:
            out.append(Problem(event.location, f"timeline entry {event.when} comes after {before.when}; "
                                               "a timeline reads in date order"))
    return out


def _links(block: m.Block) -> Iterator[m.Link]:
    """Links in the block's own inline text (not in its child blocks, which are visited on their own)."""
    for run in _inline_runs(block):
        yield from _links_in(run)


def _inline_runs(block: m.Block) -> Iterator[list]:
    for name in ("inlines", "title", "caption"):
        value = getattr(block, name, None)
        if isinstance(value, list):
            yield value
    if isinstance(block, m.KeyPoints):
        yield from block.items
    if isinstance(block, m.Timeline):
        yield from (event.inlines for event in block.events)
    if isinstance(block, m.Table):
        yield from (cell.inlines for cell in block.header)
        yield from (cell.inlines for row in block.rows for cell in row)


def _links_in(inlines: list) -> Iterator[m.Link]:
    for node in inlines:
        if isinstance(node, m.Link):
            yield node
        children = getattr(node, "children", None)
        if isinstance(children, list):
            yield from _links_in(children)
