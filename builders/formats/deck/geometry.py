"""Plain slide geometry shared by planner and writer: boxes, placeholders, layouts (EMU)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EMU_PER_PT = 12700
EMU_PER_IN = 914400
DEFAULT_INSETS = (91440, 45720, 91440, 45720)  # OOXML's defaults: 0.1 in sides, 0.05 in top/bottom
# Friendly aliases for the placeholder types of the OOXML schema (what deck.yaml may say).
TYPE_ALIASES = {
    "center_title": "ctrTitle", "centre_title": "ctrTitle", "ctrtitle": "ctrTitle", "subtitle": "subTitle",
    "object": "obj", "content": "obj", "picture": "pic", "table": "tbl", "date": "dt", "footer": "ftr",
    "slide_number": "sldNum", "sldnum": "sldNum",
}
TITLE_TYPES = {"title", "ctrTitle"}
TEXT_TYPES = {"body", "obj", "subTitle"}


def pt(emu: int) -> float:
    return emu / EMU_PER_PT


def emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


XML_TYPES = ("title", "ctrTitle", "subTitle", "body", "obj", "pic", "tbl", "chart", "dgm", "media", "clipArt",
             "dt", "ftr", "sldNum", "hdr", "sldImg")


def normal_type(name: str) -> str:
    """The schema's spelling of a placeholder type ("Picture" → "pic"); unknown names pass through."""
    key = name.strip().lower()
    return TYPE_ALIASES.get(key) or next((t for t in XML_TYPES if t.lower() == key), name)


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def shrink(self, left: int = 0, top: int = 0, right: int = 0, bottom: int = 0) -> "Box":
        return Box(self.left + left, self.top + top, max(0, self.width - left - right), max(0, self.height - top - bottom))

    def fit(self, width: int, height: int, centre: bool = False) -> "Box":
        """The largest box of the given proportions inside this one (images are never stretched),
        at its top left so it sits on the grid, or centred."""
        scale = min(self.width / width, self.height / height)
        w, h = int(width * scale), int(height * scale)
        if centre:
            return Box(self.left + (self.width - w) // 2, self.top + (self.height - h) // 2, w, h)
        return Box(self.left, self.top, w, h)


@dataclass(frozen=True)
class TextStyle:
    """What a placeholder's inherited style does to the measure of its text."""

    bold: bool = False
    italic: bool = False
    caps: bool = False
    insets: tuple[int, int, int, int] = DEFAULT_INSETS
    indents: tuple[tuple[int, int], ...] = ((0, 0), (0, 0))  # (marL, indent) per list level


@dataclass(frozen=True)
class PlaceholderInfo:
    idx: int
    type: str  # as in the XML: title, ctrTitle, subTitle, body, obj, pic, tbl, dt, ftr, sldNum …
    name: str
    box: Box
    style: TextStyle = TextStyle()
    vertical: bool = False


@dataclass(frozen=True)
class LayoutInfo:
    name: str
    placeholders: tuple[PlaceholderInfo, ...]
    artwork: tuple[Box, ...] = ()  # pictures and shapes the layout and its master draw (not the background)
    kind: str = ""  # the layout's OOXML type where the template declares one: title, secHead, obj, titleOnly …

    def find(self, idx: int | None = None, type: str | None = None) -> PlaceholderInfo | None:
        """A placeholder by idx, or the first of a type (title also finds a centred title)."""
        for ph in self.placeholders:
            if idx is not None and ph.idx == idx:
                return ph
        if type is not None:
            wanted = {type} | ({"title", "ctrTitle"} if type in TITLE_TYPES else set())
            exact = [ph for ph in self.placeholders if ph.type == type]
            near = [ph for ph in self.placeholders if ph.type in wanted]
            return (exact or near or [None])[0]
        return None

    @property
    def title(self) -> PlaceholderInfo | None:
        return self.find(type="title")

    @property
    def content(self) -> list[PlaceholderInfo]:
        """Placeholders an author's slide content may fill, in reading order (columns first)."""
        usable = [ph for ph in self.placeholders if ph.type in TEXT_TYPES | {"pic", "tbl"} and not ph.vertical]
        return sorted(usable, key=lambda ph: (ph.box.left // (EMU_PER_IN // 2), ph.box.top))


@dataclass(frozen=True)
class TemplateInfo:
    path: Path | None
    width: int
    height: int
    layouts: tuple[LayoutInfo, ...] = field(default=())

    def layout(self, name: str) -> LayoutInfo | None:
        return next((lay for lay in self.layouts if lay.name == name), None)

    @property
    def names(self) -> list[str]:
        return [lay.name for lay in self.layouts]


LOOSE_INSETS = (int(0.08 * EMU_PER_IN), int(0.04 * EMU_PER_IN), int(0.08 * EMU_PER_IN), int(0.04 * EMU_PER_IN))


def loose(box: Box, type: str = "body") -> PlaceholderInfo:
    """A text box the deck draws where a layout has no placeholder for the text (idx -1)."""
    return PlaceholderInfo(-1, type, "text box", box, TextStyle(insets=LOOSE_INSETS))


def largest_free_box(layout: LayoutInfo, width: int, height: int) -> Box:
    """The largest rectangle inside the slide's margins that no artwork or placeholder covers (at
    least half the slide wide): where a title can go on a layout whose title is a picture."""
    margin = int(0.5 * EMU_PER_IN)
    blocks = list(layout.artwork) + [ph.box for ph in layout.placeholders if ph.type not in ("dt", "ftr", "sldNum")]
    xs = sorted({margin, width - margin, *(b.left for b in blocks), *(b.right for b in blocks)})
    ys = sorted({margin, height - margin, *(b.top for b in blocks), *(b.bottom for b in blocks)})
    xs = [x for x in xs if margin <= x <= width - margin]
    ys = [y for y in ys if margin <= y <= height - margin]
    best, best_area = Box(margin, margin, width - 2 * margin, height - 2 * margin), -1
    for i, left in enumerate(xs):
        for right in xs[i + 1:]:
            if right - left < width // 2:
                continue
            for j, top in enumerate(ys):
                for bottom in ys[j + 1:]:
                    box = Box(left, top, right - left, bottom - top)
                    if box.height < EMU_PER_IN:
                        continue
                    if any(overlaps(box, b) for b in blocks):
                        break  # a taller box from this top overlaps too
                    if box.width * box.height > best_area:
                        best, best_area = box, box.width * box.height
    return best


def overlaps(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom
