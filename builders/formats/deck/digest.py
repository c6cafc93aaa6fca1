"""Prose → slide text: concise bullets derived deterministically, the full text for speaker notes."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ...core import model as m
from ...core.text import single_spaces
from ...reading.unbreakable import for_slides
from .frames import Run
from .sentences import enumeration, sentences

SHORT_SENTENCE = 8  # a teaser like "Moscow moved quickly." says little alone: the next sentence joins it
LONG_ITEM = 45  # words: a list item longer than this shows its lead sentence(s), like a paragraph
LINK_SCHEMES = ("http://", "https://", "mailto:")


def visible(blocks: Iterable[m.Block], fmt: str = "pptx") -> Iterator[m.Block]:
    """Blocks as the deck sees them: `only` blocks opened for this format, dropped for others."""
    for block in blocks:
        if isinstance(block, m.Only):
            if fmt in block.formats:
                yield from visible(block.blocks, fmt)
            continue
        yield block


def slide_text(inlines: list[m.Inline]) -> str:
    """The words of a run of inlines for a slide: spaces single, a number and its unit or a range
    joined by no-break spaces (slide software has no span that does not wrap)."""
    return single_spaces(for_slides(m.plain_text(inlines, joiners=True)))


def runs(inlines: list[m.Inline], bold: bool = False, italic: bool = False, href: str = "") -> list[Run]:
    """Inline nodes as styled runs; footnote marks stay out of slides (the notes carry them)."""
    out: list[Run] = []
    for node in inlines:
        if isinstance(node, m.Text):
            out.append(Run(for_slides(node.text), bold, italic, href))
        elif isinstance(node, m.Code):
            out.append(Run(node.text, bold, italic, href))
        elif isinstance(node, m.LineBreak):
            out.append(Run("\n", bold, italic, href))
        elif isinstance(node, m.Emph):
            out.extend(runs(node.children, bold, True, href))
        elif isinstance(node, m.Strong):
            out.extend(runs(node.children, True, italic, href))
        elif isinstance(node, m.Link):
            link = node.href if node.href.startswith(LINK_SCHEMES) else href
            out.extend(runs(node.children, bold, italic, link))
        elif isinstance(node, m.CrossRef):
            out.append(Run(node.text, bold, italic, href))  # plain text: a slide has no page to link to
        elif isinstance(node, m.Citation) and node.in_text:
            out.extend(runs(node.shown, bold, italic, href))  # the name is the author's sentence; the rest goes to the notes
    return _merge([r for r in out if r.text])


def _merge(items: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in items:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (run.bold, run.italic, run.href):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.href)
        else:
            merged.append(run)
    return merged


def lead(text: str) -> str:
    """A paragraph's lead: its first sentence, whole, and the next one too when the first is a
    short teaser. Always a run of the author's text that ends where a sentence ends."""
    found = sentences(text)
    if not found:
        return ""
    if len(found) > 1 and len(found[0].split()) < SHORT_SENTENCE:
        return f"{found[0]} {found[1]}"
    return found[0]


def point(text: str) -> str:
    """A slide bullet without the closing full stop the author put at the end of the sentence."""
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


Derived = tuple[str, int, m.Block]


OPENING_QUOTES = ('"', "'", "“", "‘", "„", "‚", "«", "»", "‹", "›", "「", "『", "”")


def derive(blocks: Iterable[m.Block], detail: int = 0, quotes: tuple[str, str] = ("“", "”")) -> list[Derived]:
    """(bullet text, list level, source block): each paragraph's lead sentence(s), every
    enumerated point of its prose, every list item; with `detail`, a paragraph's next
    sentences follow as sub-bullets (for thin slides). Every text is whole sentences."""
    out: list[Derived] = []
    for block in visible(blocks):
        if isinstance(block, m.Paragraph):
            out.extend(_paragraph(slide_text(block.inlines), block, detail))
        elif isinstance(block, m.ListBlock):
            out.extend(_items(block, block, 0))
        elif isinstance(block, m.BlockQuote):
            text = " ".join(slide_text(b.inlines) for b in visible(block.blocks) if isinstance(b, m.Paragraph))
            if text.strip():
                shown = point(lead(text))
                # The author's own quotation marks are kept, not doubled: “"Water will be …"”.
                if not shown.lstrip().startswith(OPENING_QUOTES):
                    shown = f"{quotes[0]}{shown}{quotes[1]}"
                out.append((shown, 0, block))
    return out


def _paragraph(text: str, block: m.Block, detail: int) -> list[Derived]:
    text = single_spaces(text)
    if not text:
        return []
    listed = enumeration(text)
    if listed:
        before, points, _ = listed
        out: list[Derived] = []
        first = lead(" ".join(before))
        if first:
            out.append((point(first), 0, block))
            if before and not first.endswith(before[-1]):  # the sentence that announces the points
                out.append((point(before[-1]), 0, block))
        return out + [(point(p), 1 if out else 0, block) for p in points]
    first = lead(text)
    out = [(point(first), 0, block)]
    if detail:
        rest = sentences(text[len(first):])
        out.extend((point(s), 1, block) for s in rest[:detail])
    return out


def _items(block: m.ListBlock, source: m.Block, level: int) -> list[Derived]:
    out: list[Derived] = []
    for item in block.items:
        paras = [b for b in visible(item) if isinstance(b, m.Paragraph)]
        text = slide_text(paras[0].inlines) if paras else ""
        if text:
            shown = lead(text) if len(text.split()) > LONG_ITEM else text
            out.append((point(shown), min(level, 1), source))
        for nested in (b for b in visible(item) if isinstance(b, m.ListBlock)):
            out.extend(_items(nested, source, level + 1))
    return out


class NoteWriter:
    """Speaker-notes text: the full prose, footnote marks as [n], their texts after the prose."""

    def __init__(self, quotes: tuple[str, str] = ("“", "”"), notes_heading: str = "Notes:") -> None:
        self.footnotes: dict[int, m.Footnote] = {}
        self.quotes, self.notes_heading = quotes, notes_heading  # the narrative's language's

    def inline(self, inlines: list[m.Inline]) -> str:
        out: list[str] = []
        for node in inlines:
            if isinstance(node, (m.Text, m.Code)):
                out.append(node.text.replace(m.WORD_JOINER, ""))  # the speaker's notes wrap anywhere
            elif isinstance(node, m.LineBreak):
                out.append("\n")
            elif isinstance(node, (m.Emph, m.Strong, m.Link)):
                out.append(self.inline(node.children))
            elif isinstance(node, m.FootnoteRef):
                self.footnotes[node.note.number] = node.note
                out.append(f"[{node.note.number}]")
            elif isinstance(node, m.CrossRef):
                out.append(node.text)
            elif isinstance(node, m.Citation):
                out.append(self.inline(node.shown))
                if node.ref is not None:
                    self.footnotes[node.ref.note.number] = node.ref.note
                    out.append(f"[{node.ref.note.number}]")
        return "".join(out)

    def blocks(self, blocks: Iterable[m.Block]) -> list[str]:
        out: list[str] = []
        for block in visible(blocks):
            if isinstance(block, m.Paragraph):
                out.append(self.inline(block.inlines))
            elif isinstance(block, m.ListBlock):
                for n, item in enumerate(block.items, block.start):
                    mark = f"{n}." if block.ordered else "•"
                    out.append(f"{mark} " + " ".join(self.blocks(item)))
            elif isinstance(block, (m.BlockQuote, m.Callout, m.SlideOverride)):
                head = [block.title] if isinstance(block, m.Callout) and block.title else []
                out.extend(head + self.blocks(block.blocks))
            elif isinstance(block, m.CodeBlock):
                out.append(block.text.rstrip())
            elif isinstance(block, m.PullQuote):
                out.append(self.quotes[0] + " ".join(self.blocks(block.blocks)) + self.quotes[1] + " — "
                           + ", ".join(filter(None, [block.by, block.role])))
        return [text.strip() for text in out if text.strip()]

    def text(self, parts: Iterable[str]) -> str:
        """Parts joined as paragraphs, then the footnotes they cite."""
        body = "\n\n".join(p for p in parts if p)
        if self.footnotes:
            notes = [f"[{n}] " + " ".join(NoteWriter(self.quotes).blocks(self.footnotes[n].blocks)) for n in sorted(self.footnotes)]
            body += f"\n\n{self.notes_heading}\n" + "\n".join(notes)
            self.footnotes = {}
        return body
