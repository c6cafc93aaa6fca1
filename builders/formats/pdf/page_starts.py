"""Where each PDF page begins, read from WeasyPrint's layout: the e-book receives only these keys."""

from __future__ import annotations

from typing import Any

from ..context import PageStarts
from .boxes import descendants

START = "start"  # the key of the title page's top: where page 1 begins in the e-book
# Boxes that are on a page but outside its text flow.
OUTSIDE_FLOW = ("MarginBox", "FootnoteAreaBox")
LEAVES = ("LineBox", "InlineReplacedBox", "BlockReplacedBox")


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
            for inner in descendants(box):
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
