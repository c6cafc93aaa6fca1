"""The e-book's reading order: one XHTML file per top-level section, links and notes between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from markupsafe import Markup

from ...core import model as m
from ...core.errors import Location, TriptychError
from ...core.model import is_back_matter
from ...core.slugs import slugify
from ...theming.templating import BlockRenderer

TITLEPAGE = "titlepage.xhtml"


@dataclass
class Chapter:
    file: str
    section: m.Section

    @property
    def back_matter(self) -> bool:
        return is_back_matter(self.section)


def chapters(doc: m.Document) -> list[Chapter]:
    """A file per top-level section; the number keeps names unique and in reading order."""
    return [Chapter(f"{n:02d}-{slugify(s.id, max_length=40) or 'section'}.xhtml", s) for n, s in enumerate(doc.sections, 1)]


def id_files(doc: m.Document, parts: list[Chapter]) -> dict[str, str]:
    """Every id a link may target (sections, headings, figures, tables) → the file holding it."""
    tops = {id(c.section): c.file for c in parts}
    files: dict[str, str] = {}
    current = TITLEPAGE
    for block in doc.walk():
        current = tops.get(id(block), current)
        if isinstance(block, m.Section):
            files[block.id] = files[f"{block.id}-h"] = current
        elif isinstance(block, (m.Figure, m.Table, m.Chart)) and block.id:
            files[block.id] = current
        elif isinstance(block, m.Sources):
            files.update((key, current) for key in block.ids)  # a bibliography's entries: citations link to them
    return files


def link_targets(doc: m.Document, files: dict[str, str]) -> Callable[[str], str]:
    """`link_target(id)` for the renderer: `#id` in the source becomes `file.xhtml#id`."""

    def link_target(target: str) -> str:
        if target not in files:
            # A dangling fragment is an epubcheck error; say which link, not what the checker says.
            raise TriptychError.at(Location(doc.source), f'link to "#{target}": no section, figure or table has this id')
        return f"{files[target]}#{target}"

    return link_target


@dataclass
class RenderedNote:
    note: m.Footnote
    back: str  # href of the first reference
    lead: Markup  # the first paragraph's text, set after the note's number
    rest: Markup


@dataclass
class NotePlacer:
    """Puts each footnote at the end of the file that first cites it, where pop-ups find it."""

    current: str = TITLEPAGE
    home: dict[str, str] = field(default_factory=dict)
    placed: dict[str, list[m.Footnote]] = field(default_factory=dict)
    first_ref: dict[str, tuple[str, str]] = field(default_factory=dict)
    ref_counts: dict[str, int] = field(default_factory=dict)

    def note_href(self, note: m.Footnote) -> str:
        if note.id not in self.home:
            self.home[note.id] = self.current
            self.placed.setdefault(self.current, []).append(note)
        home = self.home[note.id]
        return f"#{note.id}" if home == self.current else f"{home}#{note.id}"

    def noteref_id(self, ref: m.FootnoteRef) -> str:
        """Unique per reference: a note cited twice gets ref-fn-3 and ref-fn-3-2."""
        count = self.ref_counts[ref.note.id] = self.ref_counts.get(ref.note.id, 0) + 1
        ref_id = f"ref-{ref.note.id}" + (f"-{count}" if count > 1 else "")
        self.first_ref.setdefault(ref.note.id, (self.current, ref_id))
        return ref_id

    def render_notes(self, render: BlockRenderer) -> list[RenderedNote]:
        """The notes placed in the current file, rendered once each (a note may cite another)."""
        notes = self.placed.setdefault(self.current, [])
        out: list[RenderedNote] = []
        index = 0
        while index < len(notes):  # grows while notes cite notes
            note = notes[index]
            first = note.blocks[0] if note.blocks else None
            lead_para = isinstance(first, m.Paragraph)
            lead = render.inlines(first.inlines) if lead_para else Markup("")
            rest = render(note.blocks[1:] if lead_para else note.blocks)
            # A theme's own footnote_ref.j2 may not call noteref_id; its ids follow the default's.
            file, ref_id = self.first_ref.get(note.id, (self.current, f"ref-{note.id}"))
            out.append(RenderedNote(note, f"#{ref_id}" if file == self.current else f"{file}#{ref_id}", lead, rest))
            index += 1
        return out
