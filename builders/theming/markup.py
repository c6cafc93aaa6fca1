"""What the PDF's HTML, the e-book's XHTML and the deck share: numbering, words and dates, contents, stylesheet."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from markupsafe import Markup

from ..core import model as m
from ..core.labels import Labels
from .mirror import mirrored
from .script_fonts import with_fallbacks
from .templating import Templates
from .themes import Theme


def numbering(doc: m.Document) -> Callable[[Any], str]:
    """`number(node)`: "3" for the third figure, table or numbered top-level section."""
    numbers = m.numbered_targets(doc)
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


def labels_for(doc: m.Document, theme: Theme) -> Labels:
    """The words the product adds, in the narrative's language, the theme's own first."""
    return Labels(doc.meta.language, theme.labels)


def date_text(doc: m.Document, labels: Labels) -> str:
    """The narrative's date in its language: "21 February 2025", "21 лютого 2025 р."."""
    return labels.date(doc.meta.date) if doc.meta.date else ""


def css_content(pattern: str, counters: dict[str, str]) -> str:
    """A label as a CSS `content` value, its {fields} as counters: "Seite " counter(page) " von " counter(pages)."""
    import string

    parts = []
    for literal, name, _, _ in string.Formatter().parse(pattern):
        if literal:
            parts.append(f'"{css_string(literal)}"')
        if name:
            parts.append(counters[name])
    return " ".join(parts) or '""'


def css_string(text: str) -> str:
    """Text for a CSS string literal: quotes, backslashes and `<` escaped, no newlines."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", " ")


def wants_toc(doc: m.Document) -> bool:
    """A contents list pays off from four top-level sections or about six pages up."""
    if doc.meta.pdf.toc == "always":
        return True
    if doc.meta.pdf.toc == "never":
        return False
    return len(doc.sections) >= 4 or doc.word_count() >= 3000


def shortened(text: str, fits: Callable[[str], bool], ellipsis: str = "\u2026") -> str:
    """`text` itself if it fits, else its longest run of whole words that fits with an ellipsis."""
    if fits(text):
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(" ,;:.\u2013\u2014-") + ellipsis
        if fits(candidate):
            return candidate
    return words[0] if words else text


def text_width(path: Path, text: str, size: float, tracking: float = 0.0) -> float:
    """Width in points of `text` set in the font file at `path` (no kerning; `tracking` in em)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap() or {}
        advances = font["hmtx"].metrics
        upem = font["head"].unitsPerEm
        em = sum(advances[cmap[ord(c)]][0] / upem if ord(c) in cmap else _estimated_em(c) for c in text)
    return size * (em + tracking * len(text))


def _estimated_em(char: str) -> float:
    """The advance of a letter the font lacks (a script's fallback face draws it): a full em for
    Chinese and Japanese, none for a combining mark, about half an em for an Arabic or Hindi letter."""
    import unicodedata

    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.5


@dataclass(frozen=True)
class Face:
    family: str
    url: str
    style: str
    weight: str = ""  # a variable font's range, e.g. "200 900"; WeasyPrint wants none
    fallback: bool = False  # a face for a script the theme's own faces lack


def stylesheet(templates: Templates, name: str, faces: list[Face], direction: str = "ltr", **context: Any) -> str:
    """A theme stylesheet rendered from its tokens; mirrored for a right-to-left narrative."""
    css = templates.render(name, faces=faces, **context)
    css = with_fallbacks(css, [f.family for f in faces if not f.fallback], [f.family for f in faces if f.fallback])
    return mirrored(css) if direction == "rtl" else css


def font_faces(theme: Theme, url_for: Callable[[Path], str]) -> list[Face]:
    """@font-face entries for print: a static file's own weight, none for a variable font
    (WeasyPrint picks instances from the file and rejects a weight range)."""
    faces = []
    for font in theme.fonts:
        weight, variable = font_weight(font.path)
        faces.append(Face(font.family, url_for(font.path), font.style, "" if variable else weight, font.fallback))
    return faces


def font_weight(path: Path) -> tuple[str, bool]:
    """The font-weight descriptor of a font file, and whether it is variable.

    A variable font gets its axis range, so readers pick weights instead of faking bold;
    a static one its own weight, so a family's Regular and Bold are not both "normal".
    """
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        axis = next((a for a in font["fvar"].axes if a.axisTag == "wght"), None) if "fvar" in font else None
        if axis is not None:
            return f"{axis.minValue:g} {axis.maxValue:g}", True
        return str(font["OS/2"].usWeightClass if "OS/2" in font else 400), False
