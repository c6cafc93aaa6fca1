"""SVG text is laid out as one run, so Arabic joins, Devanagari forms its clusters and bidi orders it.

WeasyPrint lays out and draws an SVG `<text>` one character at a time (to honour per-glyph x, y,
dx, dy, rotate and letter-spacing). A chart label in Arabic then prints as isolated letters in
left-to-right order ("مصر" read "رصم"), and a Hindi one with its vowel signs beside, not on,
their consonants. A text with no per-glyph positions is here handed over as a single "letter":
WeasyPrint shapes the whole string with Pango (HarfBuzz and FriBidi), as it does HTML text.
Texts with per-glyph positions, letter-spacing or textLength keep WeasyPrint's own path.

Changes: `weasyprint.svg.TAGS` entries for text, tspan, textPath and a, and the package's name `text` that its
drawing loop compares them with (all `weasyprint.svg.text.text`), wrapped.
Checked on: WeasyPrint 70.0.
Applied when: `weasyprint.svg.TAGS["text"]` and `weasyprint.svg.text` carry `triptych_whole_runs`.
"""

from __future__ import annotations

from typing import Any, Iterator

from .patch import Patch

TEXT_TAGS = ("text", "tspan", "textPath", "a")
PER_GLYPH = ("x", "y", "dx", "dy", "rotate")


class WholeRun(str):
    """A string that iterates as one item: WeasyPrint's letter loop then lays out the whole run."""

    def __iter__(self) -> Iterator[str]:
        return iter((str(self),))


def apply() -> bool:
    """Wrap WeasyPrint's SVG text drawing (once per process)."""
    try:
        from weasyprint import svg
        from weasyprint.svg.text import text as original
    except ImportError:
        return False
    tags = getattr(svg, "TAGS", None)
    if not isinstance(tags, dict) or any(tags.get(tag) not in (original, None) and not _ours(tags.get(tag))
                                         for tag in TEXT_TAGS):
        return False  # another WeasyPrint
    if _ours(tags.get("text")):
        return True

    def whole_runs(svg_drawing: Any, node: Any, font_size: float) -> Any:
        element = getattr(node, "_etree_node", None)
        raw = getattr(element, "text", None)
        if not raw or not _one_run(node):
            return original(svg_drawing, node, font_size)
        element.text = WholeRun(raw)
        try:
            return original(svg_drawing, node, font_size)
        finally:
            element.text = raw

    whole_runs.triptych_whole_runs = True  # type: ignore[attr-defined]
    for tag in TEXT_TAGS:
        if tag in tags:
            tags[tag] = whole_runs
    # The drawing loop tells text nodes by `TAGS.get(tag) == text`, its module's own name: both change.
    svg.text = whole_runs
    return True


def applied() -> bool:
    from weasyprint import svg

    return _ours(svg.TAGS.get("text")) and _ours(getattr(svg, "text", None))


def _ours(function: Any) -> bool:
    return bool(getattr(function, "triptych_whole_runs", False))


def _one_run(node: Any) -> bool:
    """No per-glyph position, rotation, spacing or forced length: the text is one run."""
    for name in PER_GLYPH:
        if len(str(node.get(name) or "").replace(",", " ").split()) > 1:
            return False
    spacing = str(node.get("letter-spacing") or "0").strip()
    return spacing in ("0", "normal", "0px", "0pt") and node.get("textLength") is None


PATCH = Patch("svg_text_runs", "weasyprint.svg.TAGS text drawing: one run per text without per-glyph positions",
              (("weasyprint", "70.0"),), apply, applied)
