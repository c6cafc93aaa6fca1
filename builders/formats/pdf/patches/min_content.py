"""A table cell's narrowest width is measured with one Pango layout per piece of text, not three or more.

To size table columns WeasyPrint measures each cell's min-content width: it splits the
cell's text at every break opportunity with a line width of 0. Our cells may break a word
anywhere (`overflow-wrap: anywhere`: a long web address never leaves the page), so every
piece is one character, and for each WeasyPrint lays the next word out, tries it on the
line, tries every hyphenation point of it (one layout each), and only then cuts the line at
the first character (its "step 5"), whatever the steps before found. On the 30,000-word
bench narrative that was a third of all of the layout's Pango line layouts (10,905 of
30,075) for 12 tables. Here the cut is made at once, on the same text WeasyPrint cuts
(the first word, a space and a letter), with the same layout settings; anything else
(no space left in the text, a cut that would end the text, a first line of no width)
takes WeasyPrint's own path. The line breaking of the layout itself is untouched.

Changes: `weasyprint.layout.preferred.split_first_line` (the name the min-content measure
calls), wrapped.
Checked on: WeasyPrint 70.0.
Applied when: `preferred.split_first_line` carries `triptych_min_content`.
"""

from __future__ import annotations

from typing import Any

from .patch import Patch, install, marked

MARK = "triptych_min_content"
SIGNATURE = ("text", "style", "context", "max_width", "justification_spacing", "is_line_start", "minimum")


def _preferred() -> Any:
    from weasyprint.layout import preferred

    return preferred


def apply() -> bool:
    preferred = _preferred()
    original = getattr(preferred, "split_first_line", None)
    if original is None:
        return False
    if marked(preferred, "split_first_line", MARK):
        return True
    try:
        from weasyprint.text import line_break
        from weasyprint.text.constants import PANGO_WRAP_MODE
        from weasyprint.text.ffi import pango
    except ImportError:
        return False
    needed = ("create_layout", "first_line_metrics")
    if original.__code__.co_varnames[:7] != SIGNATURE or not all(hasattr(line_break, n) for n in needed):
        return False  # another WeasyPrint than the one this was written for
    wrap_char = PANGO_WRAP_MODE["WRAP_CHAR"]

    def split_first_line(text: str, style: Any, context: Any, max_width: Any, justification_spacing: float,
                         is_line_start: bool = True, minimum: bool = False) -> Any:
        if (minimum and max_width == 0 and is_line_start and style["overflow_wrap"] == "anywhere"
                and style["white_space"] == "normal" and style["font_size"] and " " in text):
            # WeasyPrint's own draft text for a line of width 0: the first word, a space and a letter.
            short = text[:text.index(" ") + 2]
            layout = line_break.create_layout(short, style, context, 0, justification_spacing)
            pango.pango_layout_set_wrap(layout.layout, wrap_char)
            first_line, index = layout.get_first_line()
            resume_index = index or first_line.length
            if resume_index < len(short.encode()):
                found = line_break.first_line_metrics(first_line, short, layout, resume_index, True, style,
                                                      False, style["hyphenate_character"])
                if found[3] > 0:
                    return found
        return original(text, style, context, max_width, justification_spacing, is_line_start, minimum)

    install(preferred, "split_first_line", split_first_line, MARK, original)
    return True


def applied() -> bool:
    return marked(_preferred(), "split_first_line", MARK)


PATCH = Patch("min_content", "weasyprint.layout.preferred.split_first_line: the min-content of text that may "
              "break anywhere cut at its first character at once", (("weasyprint", "70.0"),), apply, applied)
