"""Prose → slide text: concise bullets derived deterministically, the full text for speaker notes."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ...core import model as m
from .frames import Run

BULLET_WORDS = 18  # a derived bullet fits two lines of a 16:9 body at 24 pt
SUB_BULLET_WORDS = 24  # supporting sentences on a thin slide may run a little longer
MIN_CLAUSE_WORDS = 6  # never cut a sentence down to a stub like "In August 2020"
ABBREVIATIONS = {"e.g", "i.e", "etc", "vs", "cf", "al", "mr", "mrs", "ms", "dr", "prof", "st", "no", "fig", "approx",
                 "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd",
                 "co", "jr", "sr", "gen", "col", "lt", "sgt", "u.s", "u.k", "u.n", "e.u"}
END = re.compile(r"[.!?…][\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9À-Þ])")
CLAUSE_END = (",", ";", ":")
# Asides a listener does not need on the slide: ", which …," clauses and (parentheses).
ASIDES = re.compile(r",\s(?:which|who|whose|whom)\s[^,;:()]+,|\s\([^()]*\)")
SHORT_SENTENCE = 8  # a teaser like "Moscow moved quickly." says little alone: the next sentence joins it
# A sentence that opens with one of these usually opens with an adverbial phrase
# ("Through the summer of 2021, …"): cutting right after it would leave no statement.
INTRO = {"in", "on", "at", "through", "by", "after", "before", "during", "for", "with", "under", "as", "since", "when",
         "while", "although", "though", "if", "because", "despite", "according", "over", "within", "without", "from",
         "meanwhile", "however", "once", "until", "unlike", "like", "following", "amid", "across", "between"}
INTRO_WORDS = 7
DASHES = ("—", "–")
LINK_SCHEMES = ("http://", "https://", "mailto:")


def visible(blocks: Iterable[m.Block], fmt: str = "pptx") -> Iterator[m.Block]:
    """Blocks as the deck sees them: `only` blocks opened for this format, dropped for others."""
    for block in blocks:
        if isinstance(block, m.Only):
            if fmt in block.formats:
                yield from visible(block.blocks, fmt)
            continue
        yield block


def runs(inlines: list[m.Inline], bold: bool = False, italic: bool = False, href: str = "") -> list[Run]:
    """Inline nodes as styled runs; footnote marks stay out of slides (the notes carry them)."""
    out: list[Run] = []
    for node in inlines:
        if isinstance(node, m.Text):
            out.append(Run(node.text, bold, italic, href))
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


def sentences(text: str) -> list[str]:
    """Split at sentence ends, not at abbreviations (e.g., U.S.) or initials (J. Smith)."""
    text = " ".join(text.split())
    out, start = [], 0
    for match in END.finditer(text):
        before = text[start:match.start()].split(" ")[-1] if text[start:match.start()] else ""
        word = before.lower().rstrip(".")
        if match.group(0)[0] == "." and (word in ABBREVIATIONS or (len(before) == 1 and before.isupper())):
            continue
        out.append(text[start:match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def shorten(text: str, max_words: int = BULLET_WORDS, min_words: int = MIN_CLAUSE_WORDS, ellipsis: bool = True) -> str:
    """At most `max_words`, cut at the last clause boundary that keeps a real clause; else at a
    word with '…' (or "" when `ellipsis` is off and no clean cut exists)."""
    words = text.split()
    if len(words) <= max_words:
        return " ".join(words)
    best = 0
    for count in range(min_words, max_words + 1):
        last, following = words[count - 1], words[count] if count < len(words) else ""
        boundary = last.endswith(CLAUSE_END) or last.endswith(DASHES) or following in DASHES or following.startswith("(")
        if boundary and _balanced(words[:count]) and not _only_intro(words[:count]):
            best = count
    if best:
        return " ".join(words[:best]).rstrip(",;:—– ")
    return " ".join(words[:max_words]).rstrip(",;:—– ") + "…" if ellipsis else ""


def _only_intro(kept: list[str]) -> bool:
    """The kept words are just an opening adverbial phrase ("Through the summer of 2021,")."""
    text = " ".join(kept)
    first_clause = not any(text[:-1].count(mark) for mark in CLAUSE_END)
    return first_clause and len(kept) <= INTRO_WORDS and kept[0].lower().strip("“\"(") in INTRO


def _balanced(words: list[str]) -> bool:
    text = " ".join(words)
    return text.count("(") == text.count(")") and text.count("“") == text.count("”") and text.count('"') % 2 == 0


def bullet(text: str, max_words: int = BULLET_WORDS, join_short: bool = True) -> str:
    """A derived bullet: the first sentence without asides, shortened, without a closing full stop."""
    found = [ASIDES.sub("", s) for s in sentences(text)] or [text]
    first = found[0]
    if join_short and len(first.split()) < SHORT_SENTENCE and len(found) > 1:
        budget = max_words + 2 - len(first.split())
        second = shorten(found[1], budget, min(MIN_CLAUSE_WORDS, budget), ellipsis=False)
        if second:
            return first.rstrip(".") + ": " + second.rstrip(".")
    first = shorten(first, max_words)
    return first[:-1] if first.endswith(".") and not first.endswith("..") else first


def derive(blocks: Iterable[m.Block], detail: int = 0) -> list[tuple[str, int, m.Block]]:
    """(bullet text, list level, source block) for each paragraph, list item and quotation; with
    `detail`, a paragraph's next sentences follow its first as sub-bullets (for thin slides)."""
    out: list[tuple[str, int, m.Block]] = []
    for block in visible(blocks):
        if isinstance(block, m.Paragraph):
            text = m.plain_text(block.inlines).strip()
            if text and detail:
                found = sentences(text)
                out.append((bullet(found[0], join_short=False), 0, block))
                out.extend((bullet(s, SUB_BULLET_WORDS, join_short=False), 1, block) for s in found[1:1 + detail])
            elif text:
                out.append((bullet(text), 0, block))
        elif isinstance(block, m.ListBlock):
            for item in block.items:
                paras = [b for b in visible(item) if isinstance(b, m.Paragraph)]
                text = " ".join(m.plain_text(p.inlines) for p in paras).strip()
                if text:
                    out.append((bullet(text), 0, block))
        elif isinstance(block, m.BlockQuote):
            text = " ".join(m.plain_text(b.inlines) for b in visible(block.blocks) if isinstance(b, m.Paragraph))
            if text.strip():
                out.append((f"“{bullet(text)}”", 0, block))
    return out


class NoteWriter:
    """Speaker-notes text: the full prose, footnote marks as [n], their texts after the prose."""

    def __init__(self) -> None:
        self.footnotes: dict[int, m.Footnote] = {}

    def inline(self, inlines: list[m.Inline]) -> str:
        out: list[str] = []
        for node in inlines:
            if isinstance(node, (m.Text, m.Code)):
                out.append(node.text)
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
                out.append("“" + " ".join(self.blocks(block.blocks)) + "” — " + ", ".join(filter(None, [block.by, block.role])))
        return [text.strip() for text in out if text.strip()]

    def text(self, parts: Iterable[str]) -> str:
        """Parts joined as paragraphs, then the footnotes they cite."""
        body = "\n\n".join(p for p in parts if p)
        if self.footnotes:
            notes = [f"[{n}] " + " ".join(NoteWriter().blocks(self.footnotes[n].blocks)) for n in sorted(self.footnotes)]
            body += "\n\nNotes:\n" + "\n".join(notes)
            self.footnotes = {}
        return body
