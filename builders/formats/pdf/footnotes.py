"""Footnotes on the page of their call: a targeted WeasyPrint fix, a check, and a fallback."""

from __future__ import annotations

import inspect
from typing import Any

# WeasyPrint, to fit one more line at a page's foot (for orphans), moves that page's notes to
# the next page while their calls stay; a moved note then drags every later one along. We
# turn that one branch off, so the line breaks to the next page instead; with
# `footnote-policy: line` a note that does not fit takes its calling line along too.
_BRANCH = "report = not context.in_column and can_break_now and not could_break_before"
_patched = False


def keep_footnotes_with_their_calls() -> bool:
    """Apply the fix once; False when this WeasyPrint has no such branch (the check remains)."""
    global _patched
    if _patched:
        return True
    from weasyprint.layout import block

    source = inspect.getsource(block._linebox_layout)
    if _BRANCH not in source:
        return False
    code = compile(source.replace(_BRANCH, "report = False"), block.__file__, "exec")
    exec(code, block.__dict__)  # redefines _linebox_layout in WeasyPrint's own namespace
    _patched = True
    return True


def footnote_pages(document: Any) -> dict[str, tuple[int, int | None]]:
    """Note id → (page of its call, page of its text), pages counted from 1."""
    calls: dict[str, int] = {}
    bodies: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for box in _descendants(page._page_box):
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


def _descendants(box: Any) -> Any:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _descendants(child)


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
