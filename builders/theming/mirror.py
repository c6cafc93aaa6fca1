"""A theme's stylesheet mirrored for a right-to-left narrative: every left and right swapped.

Themes are written for left-to-right text (`margin-left`, `border-left`, `@top-left`, a 4-value
`padding`). A right-to-left briefing is the same design seen in a mirror, as Arabic and Hebrew
publishers set it: the hanging section numbers, the pull quote's rule, the timeline's date column
and the running head change sides. Selectors are left alone (a class named `align-right` is a
name, not a side); strings, comments and url() are never touched.
"""

from __future__ import annotations

import re

# Quoted strings, comments and url(): copied as they are.
_OPAQUE = re.compile(r"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|/\*.*?\*/|url\([^)]*\))""", re.S)
_SIDE = re.compile(r"\b(left|right)\b")
# Page-margin boxes (@top-left, @bottom-right-corner, @left-top …) and @page's :left / :right.
_MARGIN_BOX = re.compile(r"@(?:(?:top|bottom)-(?:left|right)(?:-corner)?|(?:left|right)-(?:top|middle|bottom))\b")
_PAGE_SIDE = re.compile(r":(left|right)\b")
# Shorthands whose four values run top, right, bottom, left.
_FOUR_SIDED = re.compile(r"^\s*(margin|padding|inset|border-width|border-style|border-color|scroll-margin|scroll-padding)\s*$")
_SWAP = {"left": "right", "right": "left"}


def mirrored(css: str) -> str:
    """`css` with left and right exchanged in every declaration, margin box and page side."""
    out: list[str] = []
    # Preludes end at "{", declarations at ";" or "}": cut there, outside strings and comments.
    protected, saved = _protect(css)
    pieces = re.split(r"([{};])", protected)
    for piece, end in zip(pieces[0::2], [*pieces[1::2], ""]):
        if end == "{":
            piece = _MARGIN_BOX.sub(lambda m: _swap(m.group(0)), piece)
            if piece.lstrip().startswith("@page"):
                piece = _PAGE_SIDE.sub(lambda m: ":" + _SWAP[m.group(1)], piece)
        elif ":" in piece:
            name, _, value = piece.partition(":")
            if _FOUR_SIDED.match(name):
                value = _four_sides(value)
            piece = _swap(name) + ":" + _swap(value)
        out.append(piece + end)
    return _restore("".join(out), saved)


def _swap(text: str) -> str:
    return _SIDE.sub(lambda m: _SWAP[m.group(1)], text)


def _four_sides(value: str) -> str:
    """top right bottom left → top left bottom right (fewer values are symmetric already)."""
    important = value.rstrip().endswith("!important")
    body = value.rstrip()[: -len("!important")] if important else value
    parts = re.findall(r"\S+\([^)]*\)|\S+", body)
    if len(parts) != 4:
        return value
    top, right, bottom, left = parts
    lead = value[: len(value) - len(value.lstrip())]
    return f"{lead}{top} {left} {bottom} {right}" + (" !important" if important else "")


def _protect(css: str) -> tuple[str, list[str]]:
    """Strings, comments and url() replaced by numbered placeholders free of {};: and sides."""
    saved: list[str] = []

    def keep(match: re.Match) -> str:
        saved.append(match.group(0))
        return f"\x00{len(saved) - 1}\x00"

    return _OPAQUE.sub(keep, css), saved


def _restore(css: str, saved: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: saved[int(m.group(1))], css)
