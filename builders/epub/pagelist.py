"""The print page list: where each page of the PDF begins, carried over to the XHTML as markers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from markupsafe import Markup

MARK = re.compile(r' data-block="([^"]+)"')
START = "start"  # the key of the title page's top: where page 1 begins in the e-book
# Boxes that are on a page but outside its text flow.
OUTSIDE_FLOW = ("MarginBox", "FootnoteAreaBox")
LEAVES = ("LineBox", "InlineReplacedBox", "BlockReplacedBox")


@dataclass
class PageStarts:
    """Per PDF page, the key of the block its first line belongs to; keys in reading order."""

    tops: list[str]
    order: list[str]


def page_starts(document: Any) -> PageStarts:
    """Read WeasyPrint's layout: the innermost marked block around each page's first line.

    A page that starts in content the e-book lacks (the PDF's contents list) starts at
    the next block that begins on it or later; pages before any block start at START.
    """
    order: list[str] = []
    first_page: dict[str, int] = {}
    found: list[str | None] = []
    for number, page in enumerate(document.pages, 1):
        flow = [box for box in page._page_box.children if type(box).__name__ not in OUTSIDE_FLOW]
        top = None
        for box in flow:
            path = _first_line(box)
            if path:
                top = next((k for k in map(_key, reversed(path)) if k), None)
                break
        for box in flow:
            for inner in _descendants(box):
                key = _key(inner)
                if key and key not in first_page:
                    first_page[key] = number
                    order.append(key)
        found.append(top)
    tops: list[str] = []
    for number, top in enumerate(found, 1):
        if top is None:
            seen_before = any(page < number for page in first_page.values())
            later = (k for k in order if first_page[k] >= number)
            top = next(later, None) if seen_before else START
        tops.append(top or (order[-1] if order else START))
    return PageStarts(tops, order)


def insert_markers(files: dict[str, str], starts: PageStarts) -> dict[str, list[int]]:
    """Put a pagebreak marker into `files` where each page begins; returns file → its page numbers.

    A marker goes before its block, or first inside a list item (a list holds only items).
    A block the e-book leaves out (pdf-only content) hands its marker to the next one.
    """
    where: dict[str, tuple[str, int]] = {}
    for name, text in files.items():
        for match in MARK.finditer(text):
            where.setdefault(match.group(1), (name, match.start()))
    rank = {key: i for i, key in enumerate(starts.order)}
    inserts: dict[str, dict[int, list[int]]] = {name: {} for name in files}
    for number, key in enumerate(starts.tops, 1):
        # A theme's title page without the START mark hands page 1 to the first block.
        candidates = [key, *starts.order[rank[key] + 1:]] if key in rank else [key, *starts.order]
        hit = next((where[k] for k in candidates if k in where), None)
        if hit is None:
            continue
        name, position = hit
        text = files[name]
        tag_start = text.rfind("<", 0, position)
        tag = re.match(r"<([A-Za-z][\w:-]*)", text[tag_start:])
        point = text.index(">", position) + 1 if tag and tag.group(1) == "li" else tag_start
        inserts[name].setdefault(point, []).append(number)
    pages: dict[str, list[int]] = {}
    for name, points in inserts.items():
        text = files[name]
        for point in sorted(points, reverse=True):
            text = text[:point] + "".join(marker(n) for n in points[point]) + text[point:]
        files[name] = text
        pages[name] = sorted(n for numbers in points.values() for n in numbers)
    return pages


def strip_marks(text: str) -> str:
    """The keys did their job; readers need not see them."""
    return MARK.sub("", text)


def marker(number: int) -> Markup:
    """An empty, labelled span: invisible in the text, announced and listed by reading systems."""
    return Markup(f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{number:d}" aria-label="{number:d}"></span>')


def _key(box: Any) -> str | None:
    element = getattr(box, "element", None)
    # Pseudo-elements (li::marker, span::before) point at their element but are not it.
    if element is None or "::" in (getattr(box, "element_tag", None) or ""):
        return None
    return element.get("data-block")


def _first_line(box: Any, path: list | None = None) -> list | None:
    """The boxes from `box` down to the first line or image on the page."""
    path = (path or []) + [box]
    if type(box).__name__ in LEAVES:
        return path
    for child in getattr(box, "children", None) or []:
        found = _first_line(child, path)
        if found:
            return found
    return None


def _descendants(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _descendants(child)
