"""The slide plan: what each slide holds, already measured and placed (plain data, EMU)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Union

from ...core.errors import Location
from .geometry import Box


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""
    field: str = ""  # a field PowerPoint fills in itself, e.g. "slidenum"; text is its current value


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    size: float  # points
    bullet: str | None = None  # a character, "#" for automatic numbering, None for none
    number: int = 1  # with "#": this item's number (a continuation slide counts on)
    level: int = 0
    space_before: float = 0.0  # points
    line_spacing: float = 1.0  # multiple of single spacing
    align: str | None = None  # l, ctr, r
    color: str | None = None  # a theme colour slot (tx1, tx2, accent1 …) for text outside placeholders
    margin_left: int = 0  # EMU; text starts here, the bullet hangs in `indent`
    indent: int = 0
    ref: int = -1  # which source block the paragraph shows: its slide's notes carry that block in full

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    def sized(self, size: float) -> "Para":
        return replace(self, size=size)


@dataclass(frozen=True)
class TextFrame:
    box: Box
    paras: tuple[Para, ...]
    placeholder: int | None = None  # idx on the layout; None draws a text box
    insets: tuple[int, int, int, int] = (91440, 45720, 91440, 45720)
    anchor: str | None = None  # t, ctr, b; None keeps the layout's
    bold: bool = False  # what the placeholder's inherited style does, written out explicitly
    italic: bool = False
    caps: bool = False
    role: str = ""
    cut: str = ""  # the full text when it had to be shortened to fit: the notes carry it


@dataclass(frozen=True)
class Picture:
    box: Box  # already fitted to the image's proportions
    path: Path
    alt: str
    placeholder: int | None = None


@dataclass(frozen=True)
class Cell:
    paras: tuple[Para, ...]
    fill: str | None = None  # theme colour slot
    anchor: str = "t"


@dataclass(frozen=True)
class TableFrame:
    box: Box
    columns: tuple[int, ...]  # widths, EMU
    heights: tuple[int, ...]  # row heights, EMU
    rows: tuple[tuple[Cell, ...], ...]
    margins: tuple[int, int, int, int]
    placeholder: int | None = None
    caption: str = ""


@dataclass(frozen=True)
class ChartFrame:
    """A native chart: the viewer draws it from the data, in the template's theme colours."""

    box: Box
    type: str  # bar, column, line, pie, doughnut, stacked-bar, stacked-column
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    size: float  # points, for axis and data labels
    number_format: str = "General"
    placeholder: int | None = None
    name: str = "Chart"
    alt: str = ""  # what a screen reader says instead of the drawing
    units: str = ""  # said once, on the value axis title, not in every label
    value_max: float | None = None  # the value axis maximum that leaves the data labels room


@dataclass(frozen=True)
class Shape:
    kind: str  # line, dot, rect
    box: Box
    fill: str | None = None  # theme colour slot
    line: str | None = None
    line_pt: float = 0.0


Item = Union[TextFrame, Picture, TableFrame, ChartFrame, Shape]


@dataclass
class Group:
    """Shapes that belong together (a timeline) and move as one when edited."""

    name: str
    items: list[Item]


@dataclass
class SlidePlan:
    kind: str
    layout: str
    items: list[Union[Item, Group]] = field(default_factory=list)
    notes: str = ""
    # Placeholders the slide does not fill are removed by the writer: no "Click to add text" left behind.


TITLE_ROLES = frozenset({"title", "cover-title", "section-title", "kicker"})  # set in the heading font


@dataclass
class DeckPlan:
    width: int
    height: int
    slides: list[SlidePlan]
    title: str
    author: str
    subject: str
    keywords: list[str]
    language: str
    font: str  # the body's family
    heading_font: str  # titles' family (TITLE_ROLES)
    warnings: list[tuple[Location, str]] = field(default_factory=list)  # located, for the build to report
