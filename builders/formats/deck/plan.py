"""The slide plan: which slides a narrative becomes, what each says, measured to fit its boxes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

from ...core import model as m
from ...core.errors import Location, Problems, TriptychError
from ...core.labels import Labels
from ...core.model import is_back_matter
from ...reading.typography import quotes
from ...theming.markup import date_text
from . import authored, media, tables, timeline
from .digest import NoteWriter, derive, runs, slide_text, visible
from .flow import FLOOR_PT, Typesetter, first_flush, fit_size, inner, paginate, scaled, split_at, unit_ends
from .frames import DeckPlan, Para, Run, SlidePlan, TextFrame
from .geometry import EMU_PER_IN, Box, LayoutInfo, PlaceholderInfo, TemplateInfo, largest_free_box, loose, overlaps
from .mapping import ROLES, DeckMapping, KindMap, missing_layout, resolve
from .measure import SlideFonts

BODY_ROLES = {"body", "keypoints", "quote", "caption", "credit", "label", "table", "sources", "subtitle", "attribution", "date"}
PROSE = (m.Paragraph, m.ListBlock, m.BlockQuote, m.CodeBlock)
SPACE_BEFORE = 0.45  # of the font size, between bullets: separate items without a blank line
NO_FOOTER = {"title", "section"}
SUMMARY_FLOOR_PT = 14.0  # the cover's summary is read before the talk starts: smaller than body text, still legible


class Planner:
    """Walks the model once and collects slide plans; knows the template only as geometry."""

    def __init__(self, doc: m.Document, tokens: dict[str, Any], mapping: DeckMapping, template: TemplateInfo,
                 fonts: SlideFonts, labels: Labels) -> None:
        self.doc, self.mapping, self.template, self.fonts = doc, mapping, template, fonts
        self.metrics = fonts.body_metrics
        slides = tokens.get("slides", {})
        self.min_body = float(slides.get("min-body-pt", 18))
        self.max_body = float(slides.get("max-body-pt", 24))
        self.title_pt = float(slides.get("title-pt", 32))
        self.max_bullets = _max_bullets(doc, slides.get("max-bullets", 5))
        self.labels = labels
        # The language's marks as the text sets them (French « » keeps its space, as a plain
        # no-break space: every slide font has that one, not every one the narrow U+202F).
        self.quotes = tuple(mark.replace("\u202f", "\u00a0") for mark in quotes(doc.meta.language)[:2])
        self.slides: list[SlidePlan] = []
        self.problems = Problems()  # what no fitting could make fit: the build fails, located
        self.warnings: list[tuple[Location, str]] = []  # what was set smaller than the theme asks

    # ------------------------------------------------------------ measuring helpers

    def size(self, role: str) -> tuple[float, float]:
        """(largest, smallest) points for a text role; body text never below the theme's minimum."""
        defaults = {"title": (self.title_pt, max(24.0, self.min_body)), "body": (self.max_body, self.min_body),
                    "keypoints": (self.max_body, self.min_body), "footer": (12.0, 10.0)}
        largest, smallest = self.mapping.sizes.get(role) or defaults.get(role, (self.max_body, self.min_body))
        if role in BODY_ROLES:
            smallest = max(smallest, self.min_body)
            largest = max(largest, smallest)
        return largest, smallest

    def problem(self, where: Location, message: str) -> None:
        self.problems.add(where, message)

    def kind(self, kind: str) -> tuple[KindMap, LayoutInfo]:
        """The mapping's entry for a slide kind and its layout; every role it needs must resolve."""
        entry = self.mapping.kinds[kind]
        layout = self.template.layout(entry.layout)
        if layout is None:
            raise missing_layout(entry.layout, self.template.names, entry.where)
        for role in sorted(ROLES[kind][0]):
            if resolve(entry, layout, role) is None:
                raise TriptychError.at(entry.where, f'kinds.{kind}.{role}: layout "{layout.name}" has no placeholder '
                                       f"with {entry.roles[role]} (see `triptych themes inspect`)")
        return entry, layout

    def setter(self, ph: PlaceholderInfo) -> Typesetter:
        return Typesetter(self.metrics, ph.style.bold, ph.style.italic, ph.style.caps)

    def para(self, ph: PlaceholderInfo | None, items: Iterable[Run], size: float, bullet: str | None = None,
             level: int = 0, first: bool = False, **extra: Any) -> Para:
        """A paragraph set the way `ph` indents its list levels (or flush left without a bullet)."""
        indents = ph.style.indents if ph else ((0, 0), (0, 0))
        margin, indent = indents[min(level, len(indents) - 1)] if bullet else (0, 0)
        if bullet and margin <= 0:  # a template without list indents: give the bullet room anyway
            margin, indent = 342900 * (level + 1), -342900
        return Para(tuple(items), size, bullet=bullet, level=level,
                    space_before=0.0 if first else round(size * SPACE_BEFORE, 1),
                    margin_left=margin, indent=indent, **extra)

    def frame(self, ph: PlaceholderInfo, paras: Iterable[Para], anchor: str | None = None, role: str = "",
              box: Box | None = None) -> TextFrame:
        idx = ph.idx if ph.idx >= 0 else None  # a loose frame is drawn as a text box
        return TextFrame(box or ph.box, tuple(paras), idx, ph.style.insets, anchor, ph.style.bold,
                         ph.style.italic, ph.style.caps, role)

    def title_frame(self, ph: PlaceholderInfo, text: str, role: str = "title", max_lines: int = 2,
                    spacing: float = 1.0) -> TextFrame:
        """The whole title at the largest size that keeps it within `max_lines` lines; a longer
        title takes more lines at a smaller size, never an ellipsis."""
        largest, smallest = self.size(role)
        # Titles sit in title placeholders: the template's heading font.
        setter = Typesetter(self.fonts.heading_metrics, ph.style.bold, ph.style.italic, ph.style.caps)
        width, height = inner(ph.box, ph.style.insets)
        para = Para((Run(" ".join(text.split())),), largest, line_spacing=spacing)
        # Within the role's sizes, then down to the body's floor on two lines, then on more lines.
        for lowest, lines in ((smallest, max_lines), (min(smallest, self.min_body), max_lines), (FLOOR_PT, 99)):
            size = largest
            while size >= lowest:
                candidate = para.sized(size)
                if (setter.line_count(candidate, width) <= lines and setter.height([candidate], width) <= height
                        and not setter.breaks_words(candidate, width)):
                    return self.frame(ph, [candidate], role=role)
                size -= 1
        return self.frame(ph, [para.sized(FLOOR_PT)], role=role)

    def fitted(self, ph: PlaceholderInfo, paras: list[Para], role: str, anchor: str | None = None,
               box: Box | None = None) -> TextFrame:
        """One frame of text shrunk within the role's bounds, and below them if it must: never cut."""
        largest, smallest = self.size(role)
        setter = self.setter(ph)
        box = box or ph.box
        found = fit_size(setter, tuple(paras), box, ph.style.insets, largest, FLOOR_PT)
        sized = found[1] if found else scaled(paras, FLOOR_PT, largest)
        return self.frame(ph, sized, anchor, role, box=box)

    def fitted_sentences(self, ph: PlaceholderInfo, paras: list[Para], role: str, box: Box | None = None) -> TextFrame:
        """Small print (captions, credits) shrunk to fit; past the smallest size whole sentences
        give way from the end (the speaker notes carry the full text), never part of one."""
        largest, smallest = self.size(role)
        setter = self.setter(ph)
        box = box or ph.box
        paras = list(paras)
        while paras:
            found = fit_size(setter, tuple(paras), box, ph.style.insets, largest, smallest)
            if found:
                return self.frame(ph, found[1], role=role, box=box)
            ends = unit_ends(paras[-1].text)
            paras = paras[:-1] + [split_at(paras[-1], ends[-1])[0]] if ends else paras[:-1]
        return self.frame(ph, [], role=role, box=box)

    def title_fits(self, ph: PlaceholderInfo, text: str, role: str = "title") -> bool:
        """Whether `text` makes a title of at most two lines at the role's smallest size."""
        setter = Typesetter(self.fonts.heading_metrics, ph.style.bold, ph.style.italic, ph.style.caps)
        width, height = inner(ph.box, ph.style.insets)
        para = Para((Run(" ".join(text.split())),), min(self.size(role)[1], self.min_body))
        return setter.line_count(para, width) <= 2 and setter.height([para], width) <= height

    def pages(self, ph: PlaceholderInfo, paras: list[Para], role: str, max_paras: int | None = None,
              layout: LayoutInfo | None = None, kind: str = "content") -> list[tuple[Para, ...]]:
        """Paragraphs spread over frames of `ph`; with `layout`, a sentence too long for the frame at
        the smallest size takes a slide of its own and the room `room()` finds (see body_slide)."""
        largest, smallest = self.size(role)
        room = self.room(kind, layout, ph)[2] if layout else None
        return paginate(self.setter(ph), paras, ph.box, ph.style.insets, largest, smallest, max_paras or self.max_bullets,
                        room)

    def text_room(self, layout: LayoutInfo, ph: PlaceholderInfo) -> Box:
        """The body grown over the free area under the title, where the layout draws nothing else
        (a panel behind the text keeps it in its frame)."""
        free = self.free_area(layout)
        left, top = min(ph.box.left, free.left), min(ph.box.top, free.top)
        grown = Box(left, top, max(ph.box.right, free.right) - left, max(ph.box.bottom, free.bottom) - top)
        others = [*layout.artwork, *(o.box for o in layout.placeholders
                                     if o.idx != ph.idx and o.type not in ("title", "ctrTitle", "dt", "ftr", "sldNum"))]
        return ph.box if any(overlaps(grown, other) for other in others) else grown

    def room(self, kind: str, layout: LayoutInfo, ph: PlaceholderInfo) -> tuple[str, LayoutInfo, Box]:
        """(kind, layout, box) for one sentence too long for `ph` at the smallest size: the layout's
        free area, or, where a panel keeps the text in its frame (key points, callouts), the
        content layout's when that is larger."""
        room = self.text_room(layout, ph)
        if room == ph.box and kind != "content":
            entry, content = self.kind("content")
            body = resolve(entry, content, "body")
            wider = self.text_room(content, body) if body else room
            if wider.width * wider.height > room.width * room.height:
                return "content", content, wider
        return kind, layout, room

    def body_slide(self, kind: str, layout: LayoutInfo, title_ph: PlaceholderInfo, body_ph: PlaceholderInfo, title: str,
                   page: tuple[Para, ...], role: str, notes: str, where: Location | None = None) -> None:
        """A slide of a page of `pages(…, layout, kind)`. A page too long for the body (one long
        sentence) goes where `room()` said, and a warning names it when even that set it smaller
        than the theme's minimum."""
        smallest = self.size(role)[1]
        size = min((p.size for p in page), default=smallest)
        if size < smallest and where:
            self.warnings.append((where, f"a sentence too long for a slide at {smallest:g} pt is set at {size:g} pt on "
                                         "a slide of its own (split it in two to keep the theme's size)"))
        box = None
        if not _fits(self.setter(body_ph), list(page), body_ph):
            roomy_kind, roomy_layout, box = self.room(kind, layout, body_ph)
            if roomy_layout is not layout:
                entry = self.kind(roomy_kind)[0]
                kind, layout = roomy_kind, roomy_layout
                title_ph, body_ph = resolve(entry, layout, "title"), resolve(entry, layout, "body")
        self.add(kind, layout, [self.title_frame(title_ph, title), self.frame(body_ph, page, box=box)], notes)

    def add(self, kind: str, layout: LayoutInfo, items: list[Any], notes: str) -> SlidePlan:
        items = [i for i in items if i is not None]
        cut = [i.cut for i in items if isinstance(i, TextFrame) and i.cut]
        slide = SlidePlan(kind, layout.name, items, "\n\n".join([*cut, notes.strip()]).strip())
        self.slides.append(slide)
        return slide

    def continued(self, title: str, n: int) -> str:
        return f"{title} {self.labels('continued')}" if n else title

    def writer(self) -> NoteWriter:
        """Speaker notes in the narrative's language: its quotation marks, its word for notes."""
        return NoteWriter(self.quotes, self.labels("notes_heading"))

    def room_below(self, layout: LayoutInfo, ph: PlaceholderInfo, keep_clear: PlaceholderInfo | None = None) -> Box:
        """`ph`'s frame grown down to the next frame below it (or the slide's bottom margin): a long
        summary takes the space the template leaves, rather than being cut or set tiny."""
        margin = int(0.4 * EMU_PER_IN)
        bottom = self.template.height - margin
        for other in [*layout.placeholders, *([keep_clear] if keep_clear else [])]:
            if other.idx != ph.idx and other.box.top >= ph.box.bottom and other.type not in ("dt", "ftr", "sldNum"):
                if other.box.left < ph.box.right and other.box.right > ph.box.left:
                    bottom = min(bottom, other.box.top - int(0.1 * EMU_PER_IN))
        return Box(ph.box.left, ph.box.top, ph.box.width, max(ph.box.height, bottom - ph.box.top))

    def free_area(self, layout: LayoutInfo) -> Box:
        """The space under a layout's title, above its footer: where drawn content goes."""
        width, height = self.template.width, self.template.height
        title = layout.title
        margin = title.box.left if title else int(0.5 * EMU_PER_IN)
        top = (title.box.bottom if title else margin) + int(0.25 * EMU_PER_IN)
        bottom = height - max(margin, int(0.4 * EMU_PER_IN))
        for ph in layout.placeholders:
            if ph.type in ("ftr", "sldNum", "dt") and ph.box.top > top:
                bottom = min(bottom, ph.box.top - int(0.1 * EMU_PER_IN))
        left = title.box.left if title else margin
        right = title.box.right if title else width - margin
        return Box(left, top, right - left, max(bottom - top, int(EMU_PER_IN)))

    # ------------------------------------------------------------ the walk

    def plan(self) -> DeckPlan:
        meta = self.doc.meta
        self.title_slide()
        front = list(visible(self.doc.front))
        start = len(self.slides)
        unplaced = self.blocks(front, self.labels("introduction"))
        # Notes before the first heading speak to the introduction (or, with none, the cover).
        self.attach_notes(self._author_notes(front) + unplaced, start if start < len(self.slides) else 0)
        number = 0
        has_sources = any(isinstance(b, m.Sources) for b in self.doc.walk())
        for section in self.doc.sections:
            if not is_back_matter(section) and section.level == 1:
                number += 1
            unplaced = self.section(section, number)
            self.attach_notes(unplaced, len(self.slides) - 1)  # a section of notes alone: its last slide before
        if not has_sources and self.doc.footnotes:
            self.footnote_sources()
        self.footers()
        self.problems.raise_if_any()
        keywords = list(meta.keywords)
        return DeckPlan(self.template.width, self.template.height, self.slides, meta.title, self.labels.names([a.name for a in meta.authors]),
                        meta.subtitle or meta.summary, keywords, meta.language, self.fonts.body, self.fonts.heading,
                        self.warnings)

    def section(self, section: m.Section, number: int) -> list[str]:
        """The section's slides, its `::: notes` leading the first of them. A section that made no
        slide hands its notes back to the section around it."""
        start = len(self.slides)
        if section.level == 1 and not is_back_matter(section):
            self.section_slide(section, number)
        children = list(visible(section.children))
        unplaced = self.blocks(children, section.title_text)
        notes = self._author_notes(children) + unplaced
        if len(self.slides) == start:
            return notes
        self.attach_notes(notes, start)
        return []

    def _author_notes(self, blocks: list[m.Block]) -> list[str]:
        writer = self.writer()
        return [writer.text(writer.blocks(b.blocks)) for b in blocks if isinstance(b, m.Notes)]

    def attach_notes(self, notes: list[str], index: int) -> None:
        """The author's notes lead slide `index`'s notes, before the prose the deck put there."""
        notes = [n for n in notes if n.strip()]
        if not notes or not self.slides:
            return
        slide = self.slides[max(0, index)]
        slide.notes = "\n\n".join([*notes, slide.notes]).strip()

    def blocks(self, blocks: list[m.Block], title: str) -> list[str]:
        """A section's own blocks in order: prose runs become bullet slides, other blocks their own.
        Returns the notes of subsections that made no slide, for this section to place."""
        unplaced: list[str] = []
        overrides = [b for b in blocks if isinstance(b, m.SlideOverride)]
        run: list[m.Block] = []
        held: list[m.Block] = []  # prose an author's slide replaces: it goes to that slide's notes
        override_slides: list[SlidePlan] = []

        def flush() -> None:
            if run and overrides:
                held.extend(run)
            elif run:
                self.content_slides(title, list(run))
            run.clear()

        for block in blocks:
            if isinstance(block, PROSE):
                run.append(block)
                continue
            flush()
            if isinstance(block, m.Section):
                unplaced.extend(self.section(block, 0))
            elif isinstance(block, m.SlideOverride):
                override_slides.extend(self.override_slides(block, title))
            elif isinstance(block, m.PullQuote):
                self.quote_slides(block, title)
            elif isinstance(block, m.Timeline):
                timeline.timeline_slides(self, block, block.title or title)
            elif isinstance(block, m.Figure):
                media.figure_slide(self, block, title)
            elif isinstance(block, m.Table):
                tables.table_slides(self, block, m.plain_text(block.caption) or title)
            elif isinstance(block, m.Chart):
                media.chart_slide(self, block, title)
            elif isinstance(block, m.Callout):
                self.content_slides(block.title or title, block.blocks, "callout")
            elif isinstance(block, m.KeyPoints):
                self.keypoints_slides(block)
            elif isinstance(block, m.Sources):
                self.sources_slides(block.items, title)
        flush()
        if held and override_slides:
            writer = self.writer()
            prose = writer.text(writer.blocks(held))
            override_slides[0].notes = (override_slides[0].notes + "\n\n" + prose).strip()
        return unplaced

    # ------------------------------------------------------------ kinds of slide

    def title_slide(self) -> None:
        """Title, subtitle, the whole summary, authors and date. A layout without a title placeholder
        gets the title in a text box where its artwork leaves room; a summary too long for the
        slide follows on a slide of its own."""
        meta = self.doc.meta
        kind, layout = self.kind("title")
        title_ph, sub_ph, by_ph = (resolve(kind, layout, r) for r in ("title", "subtitle", "byline"))
        title_ph, sub_ph = self.cover_frames(layout, title_ph, sub_ph)
        items: list[Any] = [self.title_frame(title_ph, meta.title, "cover-title", spacing=0.95)]
        # Names joined by commas only: each stays a whole run of the author's words, in any language.
        authors = ", ".join(filter(None, [*(a.name for a in meta.authors), _affiliations(meta)]))
        byline = " · ".join(filter(None, [authors, date_text(self.doc, self.labels)]))
        size, _ = self.size("subtitle")
        head = [self.para(sub_ph, [Run(meta.subtitle, bold=True)], size, first=True)] if meta.subtitle else []
        summary = [self.para(sub_ph, [Run(meta.summary)], size, first=not head)] if meta.summary else []
        tail = []
        if byline and by_ph:
            items.append(self.byline(by_ph, authors, date_text(self.doc, self.labels)))
        elif byline:
            tail.append(self.para(sub_ph, [Run(byline)], size, first=not (head or summary)))
        room = self.room_below(layout, sub_ph, by_ph if byline and by_ph else None)
        paras = head + summary + tail
        # The summary stays on the cover down to SUMMARY_FLOOR_PT; longer, it gets a slide of its own.
        summary_apart = bool(summary) and not _fits(self.setter(sub_ph), list(scaled(paras, SUMMARY_FLOOR_PT, size)),
                                                    sub_ph, room)
        if summary_apart:
            paras = head + [replace(p, space_before=0.0 if not head else p.space_before) for p in tail]
        if paras:
            items.append(self.fitted(sub_ph, paras, "subtitle", box=room))
        notes = "\n\n".join(filter(None, [meta.title, meta.subtitle, meta.summary, byline]))
        self.add("title", layout, items, notes)
        if summary_apart:
            self.summary_slides(meta.summary)

    def summary_slides(self, summary: str) -> None:
        """The front matter's summary, whole, paginated at sentence ends."""
        kind, layout = self.kind("content")
        title_ph, body_ph = resolve(kind, layout, "title"), resolve(kind, layout, "body")
        paras = [self.para(body_ph, [Run(summary)], self.size("body")[0], first=True)]
        for n, page in enumerate(self.pages(body_ph, paras, "body", layout=layout)):
            self.body_slide("content", layout, title_ph, body_ph, self.continued(self.labels("summary"), n),
                            first_flush(page), "body", summary, self.doc.place_of("summary"))

    def cover_frames(self, layout: LayoutInfo, title_ph: PlaceholderInfo | None,
                     sub_ph: PlaceholderInfo | None) -> tuple[PlaceholderInfo, PlaceholderInfo]:
        """The title's and subtitle's frames; where the layout has none, text boxes in the largest
        space its artwork leaves free (the title in the upper part of it)."""
        if title_ph and sub_ph:
            return title_ph, sub_ph
        free = largest_free_box(layout, self.template.width, self.template.height)
        if title_ph is None and sub_ph is None:
            split = free.top + free.height * 2 // 5
            return (loose(Box(free.left, free.top, free.width, split - free.top), "title"),
                    loose(Box(free.left, split, free.width, free.bottom - split)))
        if title_ph is None:
            top = free.top
            bottom = sub_ph.box.top if free.top < sub_ph.box.top <= free.bottom else free.top + free.height * 2 // 5
            return loose(Box(free.left, top, free.width, max(bottom - top, int(EMU_PER_IN))), "title"), sub_ph
        top = title_ph.box.bottom + int(0.1 * EMU_PER_IN)
        return title_ph, loose(Box(title_ph.box.left, top, title_ph.box.width, int(EMU_PER_IN)))

    def byline(self, ph: PlaceholderInfo, authors: str, date: str) -> TextFrame:
        """Authors and date on one line if they fit, else two; smaller type before anything is cut."""
        size = self.size("byline")[0]
        one = [self.para(ph, [Run(" · ".join(filter(None, [authors, date])))], size, first=True)]
        setter = self.setter(ph)
        width, _ = inner(ph.box, ph.style.insets)
        if setter.line_count(one[0], width) == 1 and _fits(setter, one, ph):
            return self.frame(ph, one, role="byline")
        two = [self.para(ph, [Run(authors)], size, first=True), self.para(ph, [Run(date)], size, first=True)]
        return self.fitted(ph, [p for p in two if p.text], "byline", box=self.room_below(self.kind("title")[1], ph))

    def keypoints_slides(self, points: m.KeyPoints) -> None:
        kind, layout = self.kind("keypoints")
        title_ph, body_ph = resolve(kind, layout, "title"), resolve(kind, layout, "body")
        title = points.title or self.labels("keypoints")
        largest, _ = self.size("keypoints")
        paras = [self.para(body_ph, runs(item), largest, "#", first=not n, number=n + 1, ref=n)
                 for n, item in enumerate(points.items)]
        writer = self.writer()
        for n, page in enumerate(self.pages(body_ph, paras, "keypoints", layout=layout, kind="keypoints")):
            page = first_flush(page)
            shown = sorted({p.ref for p in page})
            notes = writer.text(f"{i + 1}. {writer.inline(points.items[i])}" for i in shown)
            self.body_slide("keypoints", layout, title_ph, body_ph, self.continued(title, n), page, "keypoints", notes,
                            points.location)

    def section_slide(self, section: m.Section, number: int) -> None:
        kind, layout = self.kind("section")
        title_ph, number_ph = resolve(kind, layout, "title"), resolve(kind, layout, "number")
        items: list[Any] = [self.title_frame(title_ph, section.title_text, "section-title", spacing=0.95)]
        if number_ph:
            items.append(self.fitted(number_ph, [self.para(number_ph, [Run(f"{number:02d}")], self.size("number")[0], first=True)],
                                     "number"))
        parts = [s.title_text for s in section.subsections]
        notes = self.labels("part", n=number, title=section.title_text)
        notes += (" " + self.labels("in_this_part", items="; ".join(parts))) if parts else ""
        self.add("section", layout, items, notes)

    def content_slides(self, title: str, blocks: list[m.Block], kind_name: str = "content") -> None:
        """A run of prose as a few concise bullets a slide; the full prose in the speaker notes."""
        derived = derive(blocks, quotes=self.quotes)
        if not derived:
            return
        if len(derived) <= 2:  # one or two points leave a slide bare: their next sentences support them
            derived = derive(blocks, quotes=self.quotes, detail=(self.max_bullets - 1) if len(derived) == 1 else max(0, self.max_bullets // 2 - 1))
        kind, layout = self.kind(kind_name)
        title_ph, body_ph = resolve(kind, layout, "title"), resolve(kind, layout, "body")
        largest, smallest = self.size("body")
        sub = max(smallest, largest - 4)
        paras = [self.para(body_ph, [Run(text)], sub if level else largest, "•" if not level else "–", level,
                           first=not n, ref=n)
                 for n, (text, level, _) in enumerate(derived)]
        for n, page in enumerate(self.pages(body_ph, paras, "body", layout=layout, kind=kind_name)):
            page = first_flush(page)
            sources: list[m.Block] = []
            for p in page:
                block = derived[p.ref][2]
                if not any(block is s for s in sources):
                    sources.append(block)
            writer = self.writer()
            notes = writer.text(writer.blocks(sources))
            self.body_slide(kind_name, layout, title_ph, body_ph, self.continued(title, n), page, "body", notes,
                            getattr(sources[0], "location", None) if sources else None)

    def quote_slides(self, quote: m.PullQuote, kicker: str) -> None:
        kind, layout = self.kind("quote")
        title_ph, body_ph, attr_ph = (resolve(kind, layout, r) for r in ("title", "body", "attribution"))
        writer = self.writer()
        text = " ".join(slide_text(b.inlines) for b in visible(quote.blocks) if isinstance(b, m.Paragraph))
        largest, smallest = self.size("quote")
        attribution = [Run("— "), Run(quote.by, bold=True)] + ([Run(", " + quote.role)] if quote.role else [])
        paras = [self.para(body_ph, [Run(f"{self.quotes[0]}{text}{self.quotes[1]}")], largest, first=True)]
        if not attr_ph:
            paras.append(self.para(body_ph, attribution, self.size("attribution")[0]))
        pages = self.pages(body_ph, paras, "quote", max_paras=len(paras))
        size = min((p.size for page in pages for p in page), default=smallest)
        if size < smallest:  # one sentence of the quotation longer than its frame: said, as for the body
            self.warnings.append((quote.location, f"a sentence of this quotation too long for its slide at {smallest:g} pt "
                                                  f"is set at {size:g} pt (quote less, or split the sentence)"))
        notes = writer.text([self.quotes[0] + " ".join(writer.blocks(quote.blocks)) + self.quotes[1], "— " + ", ".join(filter(None, [quote.by, quote.role]))])
        for n, page in enumerate(pages):
            # A quotation continued on the next slide is closed on this one and opened again there.
            opening, closing = self.quotes
            page = tuple(p if p.text.startswith((opening, "— ")) else replace(p, runs=(Run(opening),) + p.runs) for p in page)
            page = tuple(p if p.text.endswith(closing) or p.text.startswith("— ")
                         else replace(p, runs=p.runs + (Run(closing),)) for p in page)
            items: list[Any] = [self.frame(body_ph, page)]
            if title_ph:
                items.insert(0, self.title_frame(title_ph, self.continued(kicker, n), "kicker"))
            if attr_ph:
                items.append(self.fitted(attr_ph, [self.para(attr_ph, attribution, self.size("attribution")[0], first=True)],
                                         "attribution"))
            self.add("quote", layout, items, notes)

    def sources_slides(self, items: list[list[m.Block]], title: str) -> None:
        kind, layout = self.kind("sources")
        title_ph, body_ph = resolve(kind, layout, "title"), resolve(kind, layout, "body")
        largest, _ = self.size("sources")
        texts = []
        for item in items:
            paragraphs = [b for b in visible(item) if isinstance(b, m.Paragraph)]
            texts.append([r for k, p in enumerate(paragraphs) for r in ([Run(" ")] if k else []) + runs(p.inlines)])
        paras = [self.para(body_ph, t, largest, "•", first=not n, ref=n) for n, t in enumerate(texts) if t]
        writer = self.writer()
        for n, page in enumerate(self.pages(body_ph, paras, "sources", layout=layout, kind="sources")):
            page = first_flush(page)
            notes = writer.text(" ".join(writer.blocks(items[i])) for i in sorted({p.ref for p in page}))
            self.body_slide("sources", layout, title_ph, body_ph, self.continued(title, n), page, "sources", notes)

    def footnote_sources(self) -> None:
        items = [[m.Paragraph([m.Text(f"[{note.number}] ")] + _first_inlines(note.blocks), note.location)]
                 for note in self.doc.footnotes]
        self.sources_slides(items, self.labels("sources"))

    def override_slides(self, block: m.SlideOverride, title: str) -> list[SlidePlan]:
        """Author-written slide content on the layout the author named (or the content layout)."""
        name = block.layout or self.mapping.kinds["content"].layout
        layout = self.template.layout(name)
        if layout is None:
            raise missing_layout(name, self.template.names, block.location)
        return authored.override_slides(self, block, layout, block.title or title)

    def footers(self) -> None:
        """Running title and slide number where the layout has room for them (not on cover or dividers)."""
        running = self.doc.meta.running_title
        for number, slide in enumerate(self.slides, 1):
            if slide.kind in NO_FOOTER:
                continue
            layout = self.template.layout(slide.layout)
            used = {getattr(i, "placeholder", None) for i in slide.items}
            for ph in layout.placeholders if layout else ():
                if ph.idx in used or ph.vertical:
                    continue
                if ph.type == "ftr" and running:
                    para = self.para(ph, [Run(running)], self.size("footer")[0], first=True)
                    slide.items.append(self.small_print(ph, para))
                elif ph.type == "sldNum":
                    para = self.para(ph, [Run(str(number), field="slidenum")], self.size("footer")[0], first=True)
                    slide.items.append(self.small_print(ph, para))
            slide.items = [i for i in slide.items if i is not None]

    def small_print(self, ph: PlaceholderInfo, para: Para) -> TextFrame | None:
        """One line of small print, smaller if the box is narrow; left out rather than cut."""
        setter = self.setter(ph)
        width, _ = inner(ph.box, ph.style.insets)
        size = para.size
        while size >= 8:
            candidate = para.sized(size)
            if setter.line_count(candidate, width) == 1 and _fits(setter, [candidate], ph):
                return self.frame(ph, [candidate], role="footer")
            size -= 1
        return None


def _fits(setter: Typesetter, paras: list[Para], ph: PlaceholderInfo, box: Box | None = None) -> bool:
    width, height = inner(box or ph.box, ph.style.insets)
    return setter.height(paras, width) <= height


def _first_inlines(blocks: list[m.Block]) -> list[m.Inline]:
    for block in blocks:
        if isinstance(block, m.Paragraph):
            return list(block.inlines)
    return []


def _affiliations(meta: m.Meta) -> str:
    seen: list[str] = []
    for author in meta.authors:
        if author.affiliation and author.affiliation not in seen:
            seen.append(author.affiliation)
    return ", ".join(seen)


def _max_bullets(doc: m.Document, default: Any) -> int:
    """The narrative's own (checked when its front matter was read), else the theme's token."""
    if doc.meta.slides.max_bullets is not None:
        return doc.meta.slides.max_bullets
    text = str(default).strip()
    if isinstance(default, bool) or not text.isdigit() or not 1 <= int(text) <= 10:
        raise TriptychError.at(doc.place_of("slides"), f'slides: max-bullets "{default}" is not a whole number from 1 to 10')
    return int(text)


KIND_OF = {m.KeyPoints: "keypoints", m.PullQuote: "quote", m.Timeline: "timeline", m.Figure: "figure", m.Table: "table",
           m.Chart: "chart", m.Callout: "callout", m.Sources: "sources"}


def used_kinds(doc: m.Document) -> set[str]:
    """The kinds of slide a narrative will make (for warnings about the ones a template lacks)."""
    used = {"title", "content"}
    for block in visible(doc.walk()):
        used.update(kind for cls, kind in KIND_OF.items() if isinstance(block, cls))
        if isinstance(block, m.Section) and block.level == 1:
            used.add("section")
    if doc.footnotes:
        used.add("sources")
    return used


def plan_deck(doc: m.Document, tokens: dict[str, Any], mapping: DeckMapping, template: TemplateInfo,
              fonts: SlideFonts, labels: Labels) -> DeckPlan:
    """The whole deck as measured slide plans, its own words in `labels`' language."""
    return Planner(doc, tokens, mapping, template, fonts, labels).plan()
