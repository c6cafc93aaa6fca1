"""Fitting text into frames: greedy wrapping, heights, shrinking within bounds, splitting."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from .frames import Para, Run
from .geometry import EMU_PER_IN, EMU_PER_PT, Box
from .line_metrics import glyph_reserve, line_height, reserve_pt
from .measure import Metrics
from .sentences import sentence_ends

# Renderers round glyph positions and may break lines a little differently; keep 2 % of
# the width in hand so a line we measured as full still fits everywhere.
WIDTH_SLACK = 0.98
ELLIPSIS = "…"
# Text boxes the deck draws itself (timeline labels, credits): a little air inside the frame.
TEXT_INSETS = (int(0.08 * EMU_PER_IN), int(0.04 * EMU_PER_IN), int(0.08 * EMU_PER_IN), int(0.04 * EMU_PER_IN))
SPACES = re.compile(r"([^\S\u00a0\u202f]+)")  # a no-break space joins (reading/unbreakable.py)
CLAUSE_END = re.compile(r"[;:](?=\s)")
FLOOR_PT = 12.0  # below the theme's minimum only for one sentence longer than a whole slide body

Segment = tuple[int, str]  # (index of the run, text)
Word = list[Segment]


def _words(para: Para) -> list[Word | None]:
    """The paragraph as words (runs may change inside a word); None marks a forced line break."""
    words: list[Word | None] = []
    current: Word = []
    for index, run in enumerate(para.runs):
        for piece in SPACES.split(run.text):
            if not piece:
                continue
            if piece.isspace():
                if current:
                    words.append(current)
                    current = []
                if "\n" in piece:
                    words.append(None)
            else:
                current.append((index, piece))
    if current:
        words.append(current)
    return words


class Typesetter:
    """Wraps paragraphs for one frame's text style."""

    def __init__(self, metrics: Metrics, bold: bool = False, italic: bool = False, caps: bool = False) -> None:
        self.metrics, self.bold, self.italic, self.caps = metrics, bold, italic, caps
        self.cache: dict[tuple[Para, float], list[list[Word]]] = {}

    def _width(self, para: Para, index: int, text: str) -> float:
        run = para.runs[index]
        text = text.upper() if self.caps else text
        return self.metrics.width(text, para.size, run.bold or self.bold, run.italic or self.italic)

    def lines(self, para: Para, width: float) -> list[list[Word]]:
        """Greedy line breaking at spaces; a word wider than the line is broken between characters."""
        key = (para, width)
        if key not in self.cache:
            self.cache[key] = self._lines(para, width)
        return self.cache[key]

    def _lines(self, para: Para, width: float) -> list[list[Word]]:
        width = max(1.0, (width - para.margin_left / EMU_PER_PT) * WIDTH_SLACK)
        lines: list[list[Word]] = [[]]
        used = 0.0
        for word in _words(para):
            if word is None:
                lines.append([])
                used = 0.0
                continue
            w = sum(self._width(para, i, t) for i, t in word)
            space = self._width(para, word[0][0], " ")
            if lines[-1] and used + space + w <= width:
                lines[-1].append(word)
                used += space + w
                continue
            if lines[-1]:
                lines.append([])
            for piece in self._break_word(para, word, width):
                if lines[-1]:
                    lines.append([])
                lines[-1].append(piece)
                used = sum(self._width(para, i, t) for i, t in piece)
        return lines

    def breaks_words(self, para: Para, width: float) -> bool:
        """Whether some word is wider than the line and would be broken between characters."""
        room = max(1.0, (width - para.margin_left / EMU_PER_PT) * WIDTH_SLACK)
        return any(word is not None and sum(self._width(para, i, t) for i, t in word) > room for word in _words(para))

    def _break_word(self, para: Para, word: Word, width: float) -> list[Word]:
        pieces: list[Word] = [[]]
        used = 0.0
        for index, text in word:
            for char in text:
                w = self._width(para, index, char)
                if used + w > width and pieces[-1]:
                    pieces.append([])
                    used = 0.0
                if pieces[-1] and pieces[-1][-1][0] == index:
                    pieces[-1][-1] = (index, pieces[-1][-1][1] + char)
                else:
                    pieces[-1].append((index, char))
                used += w
        return pieces

    def height(self, paras: Iterable[Para], width: float) -> float:
        """Points the paragraphs take in a frame of inner `width` points, glyph reserve included."""
        paras = list(paras)
        total = 0.0
        for n, para in enumerate(paras):
            if n:
                total += para.space_before
            total += len(self.lines(para, width)) * para.size * line_height(para.text) * para.line_spacing
        return total + 2 * reserve_pt(paras)

    def line_count(self, para: Para, width: float) -> int:
        return len(self.lines(para, width))


def lines_that_fit(height: float, size: float, spacing: float = 1.0, text: str = "") -> int:
    """How many lines of `size` points (of a paragraph of `text`) fit in `height` points, glyph reserve kept."""
    return max(0, int((height - 2 * glyph_reserve(text) * size) // (size * line_height(text) * spacing)))


def inner(box: Box, insets: tuple[int, int, int, int]) -> tuple[float, float]:
    """(width, height) in points inside a frame's insets."""
    left, top, right, bottom = insets
    return (box.width - left - right) / EMU_PER_PT, (box.height - top - bottom) / EMU_PER_PT


def fits(setter: Typesetter, paras: Iterable[Para], box: Box, insets: tuple[int, int, int, int]) -> bool:
    width, height = inner(box, insets)
    return setter.height(paras, width) <= height


def scaled(paras: Iterable[Para], size: float, design: float) -> tuple[Para, ...]:
    """Paragraphs set at `size` where they were designed for `design`; small print never shrinks."""
    factor = size / design
    out = []
    for p in paras:
        new = max(min(p.size, size), round(p.size * factor * 2) / 2)
        out.append(replace(p, size=new, space_before=round(p.space_before * factor, 1)))
    return tuple(out)


def fit_size(setter: Typesetter, paras: tuple[Para, ...], box: Box, insets: tuple[int, int, int, int],
             largest: float, smallest: float) -> tuple[float, tuple[Para, ...]] | None:
    """(size, paragraphs) at the largest size in [smallest, largest] that fits, or None."""
    size = largest
    while size >= smallest:
        candidate = scaled(paras, size, largest)
        if fits(setter, candidate, box, insets):
            return size, candidate
        size -= 1
    return None


def unit_ends(text: str) -> list[int]:
    """Offsets in `text` where a sentence, or a clause ending in ';' or ':', ends: where a
    paragraph may continue on the next slide without cutting the author's words."""
    ends = set(sentence_ends(text))
    ends.update(match.end() for match in CLAUSE_END.finditer(text))
    return sorted(e for e in ends if 0 < e < len(text.rstrip()))


def split_at(para: Para, offset: int) -> tuple[Para, Para]:
    """The paragraph up to `offset` characters, and the rest as a paragraph without a bullet."""
    head: list[Run] = []
    tail: list[Run] = []
    seen = 0
    for run in para.runs:
        if seen + len(run.text) <= offset:
            head.append(run)
        elif seen >= offset:
            tail.append(run)
        else:
            head.append(replace(run, text=run.text[:offset - seen]))
            tail.append(replace(run, text=run.text[offset - seen:]))
        seen += len(run.text)
    head[-1] = replace(head[-1], text=head[-1].text.rstrip())
    tail = [r for r in tail if r.text]
    if tail:
        tail[0] = replace(tail[0], text=tail[0].text.lstrip())
    return (replace(para, runs=tuple(head)),
            replace(para, runs=tuple(tail), bullet=None, indent=0, space_before=0))


def split_fitting(setter: "Typesetter", para: Para, box: Box, insets: tuple[int, int, int, int]) -> tuple[Para, Para | None]:
    """The longest run of whole sentences (or clauses) from the paragraph's start that fits the
    frame, and the rest; a first sentence too long for the frame alone comes whole, overfull."""
    ends = unit_ends(para.text)
    for offset in reversed(ends):
        head, tail = split_at(para, offset)
        if fits(setter, [head], box, insets):
            return head, tail
    if not ends:
        return para, None
    return split_at(para, ends[0])


def _rebuild(para: Para, words: list[Word]) -> tuple[Run, ...]:
    runs: list[Run] = []
    for n, word in enumerate(words):
        for k, (index, text) in enumerate(word):
            source = para.runs[index]
            prefix = " " if n and k == 0 else ""
            if runs and runs[-1].bold == source.bold and runs[-1].italic == source.italic and runs[-1].href == source.href:
                runs[-1] = replace(runs[-1], text=runs[-1].text + prefix + text)
            else:
                if prefix and runs:
                    runs[-1] = replace(runs[-1], text=runs[-1].text + prefix)
                runs.append(replace(source, text=text))
    return tuple(runs)


def truncate(setter: Typesetter, para: Para, width: float, max_lines: int) -> Para:
    """The paragraph cut at a word so that it, and an ellipsis, fit in `max_lines` lines."""
    lines = setter.lines(para, width)
    if len(lines) <= max_lines:
        return para
    words = [w for line in lines[:max_lines] for w in line]
    while words:
        words.pop()
        runs = list(_rebuild(para, words))
        if not runs:
            break
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip(" ,;:.–—-") + ELLIPSIS)
        candidate = replace(para, runs=tuple(runs))
        if len(setter.lines(candidate, width)) <= max_lines:
            return candidate
    return replace(para, runs=(Run(ELLIPSIS),))


def paginate(setter: Typesetter, paras: list[Para], box: Box, insets: tuple[int, int, int, int],
             largest: float, smallest: float, max_paras: int, room: Box | None = None) -> list[tuple[Para, ...]]:
    """Spread paragraphs over as many frames as needed: at most `max_paras` each, shrunk only
    to `smallest`, pages balanced (6 bullets become 3 + 3, not 5 + 1), one size for all.

    A sentence too long for the frame at `smallest` gets a page of its own, laid out in `room`
    (the slide's free area, where the caller gives one) at the largest size that fits it, and
    only below `smallest` when even that is too small: smaller type, never a cut sentence."""
    pages: list[list[Para]] = []
    rest = list(paras)
    while rest:
        slides_left = -(-len(rest) // max_paras)
        cap = -(-len(rest) // slides_left)
        count = 0
        while count < min(cap, len(rest)) and fits(setter, scaled(rest[: count + 1], smallest, largest), box, insets):
            count += 1
        if 1 < count < len(rest) and rest[count - 1].level < rest[count].level:
            count -= 1  # a point that announces sub-points ("Three implications follow:") goes with them
        if count:
            pages.append(rest[:count])
            rest = rest[count:]
            continue
        # One paragraph taller than the frame: its whole sentences that fit, the rest on the next.
        first = scaled([rest[0]], smallest, largest)[0]
        head, tail = split_fitting(setter, first, box, insets)
        pages.append([_unscale(head, rest[0])])
        rest = ([_unscale(tail, rest[0])] if tail else []) + rest[1:]
    # Every page takes the size the most crowded one needed: continuation slides match. A page
    # too full at the smallest size (one long sentence) is set on its own and sets no one's size.
    sizes = [found[0] for found in (fit_size(setter, tuple(page), box, insets, largest, smallest) for page in pages) if found]
    size = min(sizes, default=smallest)
    out = []
    for page in pages:
        page_paras = scaled(page, size, largest)
        if not fits(setter, page_paras, box, insets):
            page_paras = overfull(setter, page, room or box, insets, largest, size)
        out.append(page_paras)
    return out


def overfull(setter: Typesetter, page: list[Para], room: Box, insets: tuple[int, int, int, int], design: float,
             start: float) -> tuple[Para, ...]:
    """A page too long for its frame, set in `room` at the largest size from `start` down that
    fits; below the theme's smallest size (to FLOOR_PT) only when the room is too small even so."""
    size = start
    while size > FLOOR_PT and not fits(setter, scaled(page, size, design), room, insets):
        size -= 1
    return scaled(page, size, design)


def _unscale(part: Para, original: Para) -> Para:
    return replace(part, size=original.size, space_before=original.space_before if part.bullet else 0)


def last_resort(setter: Typesetter, paras: list[Para], box: Box, insets: tuple[int, int, int, int]) -> list[Para]:
    """Cut the last paragraph line by line; a box too small for one line at the smallest size gets smaller type."""
    width, _ = inner(box, insets)
    paras = list(paras)
    while paras and not fits(setter, paras, box, insets):
        lines = setter.line_count(paras[-1], width)
        if lines > 1:
            paras[-1] = truncate(setter, paras[-1], width, lines - 1)
        elif len(paras) > 1:
            paras.pop()
        elif paras[0].size > 6:
            paras[0] = replace(paras[0], size=paras[0].size - 1)
        else:
            break
    return paras


def first_flush(page: tuple[Para, ...]) -> tuple[Para, ...]:
    """The first paragraph of a frame starts at its top: no space above it."""
    return (replace(page[0], space_before=0.0),) + tuple(page[1:]) if page else page
