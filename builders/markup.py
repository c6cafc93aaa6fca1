"""What the PDF's HTML and the e-book's XHTML share: numbering, dates, contents, stylesheet."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from markupsafe import Markup

from . import model as m
from .templating import Templates
from .themes import Theme


def numbering(doc: m.Document) -> Callable[[Any], str]:
    """`number(node)`: "3" for the third figure, table or numbered top-level section."""
    numbers: dict[int, str] = {}
    counts = {"figure": 0, "table": 0, "section": 0}
    for block in doc.walk():
        if isinstance(block, (m.Figure, m.Table, m.Chart)):
            kind = "figure" if isinstance(block, m.Chart) else block.kind  # a chart is a figure
            counts[kind] += 1
            numbers[id(block)] = str(counts[kind])
        elif isinstance(block, m.Section) and block.level == 1 and not is_back_matter(block):
            counts["section"] += 1
            numbers[id(block)] = str(counts["section"])
    return lambda node: numbers.get(id(node), "")


def block_marks(doc: m.Document) -> Callable[..., Markup]:
    """`mark(node, item=0)`: ` data-block="b12"` (or "b12.3" for its third item), in reading order.

    The PDF's HTML and the e-book's XHTML carry the same keys, so the e-book can find
    the block at the top of each printed page (its page list) without a second layout.
    """
    keys = {id(block): f"b{index}" for index, block in enumerate(doc.walk(), 1)}

    def mark(node: Any, item: int = 0) -> Markup:
        key = keys.get(id(node))
        if key is None:  # footnote bodies are not in the reading order
            return Markup("")
        return Markup(' data-block="%s"') % (f"{key}.{item}" if item else key)

    return mark


def is_back_matter(section: m.Section) -> bool:
    """Sources and references close the document unnumbered."""
    return any(isinstance(c, m.Sources) for c in section.children) or section.id in ("sources", "references")


def date_text(doc: m.Document) -> str:
    date = doc.meta.date
    return f"{date.day} {date.strftime('%B %Y')}" if date else ""


def wants_toc(doc: m.Document) -> bool:
    """A contents list pays off from four top-level sections or about six pages up."""
    setting = str(doc.meta.pdf.get("toc", "auto"))
    if setting in ("always", "True"):
        return True
    if setting in ("never", "False"):
        return False
    return len(doc.sections) >= 4 or doc.word_count() >= 3000


@dataclass(frozen=True)
class Face:
    family: str
    url: str
    style: str
    weight: str = ""  # a variable font's range, e.g. "200 900"; WeasyPrint wants none


def stylesheet(templates: Templates, name: str, faces: list[Face], **context: Any) -> str:
    """A theme stylesheet rendered from its tokens."""
    return templates.render(name, faces=faces, **context)


def font_faces(theme: Theme, url_for: Callable[[Path], str]) -> list[Face]:
    return [Face(f.family, url_for(f.path), f.style) for f in theme.fonts]
