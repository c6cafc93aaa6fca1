"""The print page list: where each page of the PDF begins, carried over to the XHTML as markers."""

from __future__ import annotations

import re

from markupsafe import Markup

from ..context import PageStarts

MARK = re.compile(r' data-block="([^"]+)"')


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
