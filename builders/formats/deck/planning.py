"""What a slide kind's helper (tables, charts, timelines, authored slides) may ask of the planner.

The planner calls these helpers and passes itself in; they know it only by this protocol,
so no helper imports the planner back.
"""

from __future__ import annotations

from typing import Any, Iterable, Protocol

from ...core.labels import Labels
from .digest import NoteWriter
from .flow import Typesetter
from .frames import Para, Run, SlidePlan, TextFrame
from .geometry import Box, LayoutInfo, PlaceholderInfo
from .mapping import KindMap
from .measure import Metrics
from ...core.errors import Location


class Planning(Protocol):
    metrics: Metrics
    labels: Labels
    max_bullets: int

    def size(self, role: str) -> tuple[float, float]: ...

    def writer(self) -> NoteWriter: ...

    def kind(self, kind: str) -> tuple[KindMap, LayoutInfo]: ...

    def setter(self, ph: PlaceholderInfo) -> Typesetter: ...

    def para(self, ph: PlaceholderInfo | None, items: Iterable[Run], size: float, bullet: str | None = None,
             level: int = 0, first: bool = False, **extra: Any) -> Para: ...

    def frame(self, ph: PlaceholderInfo, paras: Iterable[Para], anchor: str | None = None, role: str = "",
              box: Box | None = None) -> TextFrame: ...

    def title_frame(self, ph: PlaceholderInfo, text: str, role: str = "title", max_lines: int = 2,
                    spacing: float = 1.0) -> TextFrame: ...

    def pages(self, ph: PlaceholderInfo, paras: list[Para], role: str,
              max_paras: int | None = None) -> list[tuple[Para, ...]]: ...

    def add(self, kind: str, layout: LayoutInfo, items: list[Any], notes: str) -> SlidePlan: ...

    def continued(self, title: str, n: int) -> str: ...

    def free_area(self, layout: LayoutInfo) -> Box: ...

    def title_fits(self, ph: PlaceholderInfo, text: str, role: str = "title") -> bool: ...

    def fitted_sentences(self, ph: PlaceholderInfo, paras: list[Para], role: str, box: Box | None = None) -> TextFrame: ...

    def room_below(self, layout: LayoutInfo, ph: PlaceholderInfo, keep_clear: PlaceholderInfo | None = None) -> Box: ...

    def problem(self, where: Location, message: str) -> None: ...
