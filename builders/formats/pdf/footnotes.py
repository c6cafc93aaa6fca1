"""Footnotes on the page of their call: a check of every layout, and a fallback repair.

The fix itself is a patch of WeasyPrint (patches/footnotes.py); this is what catches a note
it did not keep, on any WeasyPrint.
"""

from __future__ import annotations

from typing import Any

from .boxes import descendants


def footnote_pages(document: Any) -> dict[str, tuple[int, int | None]]:
    """Note id → (page of its call, page of its text), pages counted from 1."""
    calls: dict[str, int] = {}
    bodies: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for box in descendants(page._page_box):
            note = getattr(box, "footnote", None)
            if note is not None and note.element is not None:
                calls.setdefault(note.element.get("data-note", ""), number)
            if type(box).__name__ == "FootnoteAreaBox":
                for child in box.children:
                    if child.element is not None:
                        bodies.setdefault(child.element.get("data-note", ""), number)
    return {note: (page, bodies.get(note)) for note, page in calls.items()}


def misplaced_footnotes(document: Any) -> list[str]:
    return [note for note, (call, body) in footnote_pages(document).items() if call != body]


def break_before_calls(html: str, notes: list[str]) -> str:
    """Fallback: start each stray note's calling paragraph on a new page."""
    for note in notes:
        html = _break_before_call(html, note)
    return html


def _break_before_call(html: str, note: str) -> str:
    position = html.find(f'data-note="{note}"')
    # Block tags carry attributes (data-block), so match the name, not "<p>".
    start = max((html.rfind(f"<{tag}{end}", 0, position) for tag in ("p", "li") for end in (">", " ")), default=-1)
    if position < 0 or start < 0:
        return html
    tag = html[start:html.find(">", start)]
    return html[:start] + tag + ' style="break-before: page"' + html[start + len(tag):]
