"""The theme's deck mapping (deck.yaml): slide kind → layout name and placeholder roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.errors import Location, Problems, TriptychError, suggest
from ...core.strict_yaml import key_places, parse_yaml
from ...theming.themes import Theme
from .geometry import LayoutInfo, PlaceholderInfo, normal_type

FILE = "deck.yaml"
# kind → (roles it needs, roles it may use). A missing optional role degrades gracefully:
# a byline joins the subtitle, an attribution joins the quote, a figure takes the free area.
ROLES: dict[str, tuple[set[str], set[str]]] = {
    "chart": ({"title"}, {"area"}),
    "title": (set(), {"title", "subtitle", "byline"}),  # artwork titles: the title goes in a text box
    "keypoints": ({"title", "body"}, set()),
    "section": ({"title"}, {"number"}),
    "content": ({"title", "body"}, set()),
    "quote": ({"body"}, {"title", "attribution"}),
    "timeline": ({"title"}, {"area"}),
    "figure": ({"title"}, {"picture", "caption"}),
    "table": ({"title"}, {"area"}),
    "callout": ({"title", "body"}, set()),
    "sources": ({"title", "body"}, set()),
}
SIZE_ROLES = {"title", "cover-title", "subtitle", "byline", "section-title", "number", "body", "keypoints", "quote",
              "attribution", "kicker", "caption", "credit", "date", "label", "table", "chart", "sources", "footer"}
TOP_KEYS = {"reference", "generated", "kinds", "sizes"}


@dataclass(frozen=True)
class Slot:
    """Where a role goes: a placeholder idx, or the first placeholder of a type."""

    idx: int | None = None
    type: str | None = None

    def find(self, layout: LayoutInfo) -> PlaceholderInfo | None:
        return layout.find(self.idx, self.type)

    def __str__(self) -> str:
        return f"idx {self.idx}" if self.idx is not None else f"type {self.type}"


@dataclass(frozen=True)
class KindMap:
    kind: str
    layout: str
    roles: dict[str, Slot]
    where: Location


@dataclass
class DeckMapping:
    kinds: dict[str, KindMap]
    reference: Path | None = None
    reference_where: Location | None = None
    generated: bool = False  # the reference is made from the theme's tokens: another aspect regenerates it
    owner: Path | None = None  # the theme folder whose deck.yaml named the reference
    sizes: dict[str, tuple[float, float]] = field(default_factory=dict)


def load_mapping(theme: Theme) -> DeckMapping:
    """The theme's deck.yaml files, parents first, a child's entries replacing its parent's."""
    problems = Problems()
    mapping = DeckMapping({})
    for folder in reversed(theme.folders):
        path = folder / FILE
        if path.is_file():
            _merge(mapping, path, problems)
    problems.raise_if_any()
    for kind in ROLES:
        if kind not in mapping.kinds:
            problems.add(Location(theme.folders[0] / FILE), f'deck mapping: no entry for slide kind "{kind}"')
    problems.raise_if_any()
    return mapping


def _inside_theme(folder: Path, name: str) -> bool:
    """A reference deck is a file of the theme itself (symlinks out were refused at load)."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or ":" in name:
        return False
    return (folder / relative).resolve().is_relative_to(folder.resolve())


def _merge(mapping: DeckMapping, path: Path, problems: Problems) -> None:
    data, node = parse_yaml(path.read_text(encoding="utf-8"), path, 1, problems)
    if node is None:
        return
    marks = key_places(node, path)
    top = Location(path)
    if not isinstance(data, dict):
        problems.add(top, f"{FILE} is a mapping")
        return
    for key in data:
        if key == "labels":  # the deck's words come from the one catalogue, in the narrative's language
            problems.add(marks.get(str(key), top), "labels: set them in theme.yaml, per language "
                         "(labels: {en: {keypoints: …}}), for the PDF, e-book and deck alike")
        elif key not in TOP_KEYS:
            problems.add(marks.get(str(key), top), f'unknown deck key "{key}"{suggest(str(key), TOP_KEYS)}')
    if "reference" in data:
        value = data["reference"]
        if value is None or value == "":
            mapping.reference = None
        elif isinstance(value, str) and not _inside_theme(path.parent, value):
            problems.add(marks.get("reference", top), f'reference: "{value}" lies outside the theme folder')
        elif isinstance(value, str):
            mapping.reference, mapping.reference_where = path.parent / value, marks.get("reference", top)
            mapping.owner = path.parent
        else:
            problems.add(marks.get("reference", top), "reference: a file name, relative to the theme folder")
    if "generated" in data:
        mapping.generated = data["generated"] is True
    elif "reference" in data:
        mapping.generated = False  # a theme's own reference (a corporate template) unless it says otherwise
    for kind, spec in (data.get("kinds") or {}).items():
        where = marks.get(f"kinds.{kind}", top)
        if kind not in ROLES:
            problems.add(where, f'unknown slide kind "{kind}"{suggest(str(kind), ROLES)}')
            continue
        entry = _kind(kind, spec, where, marks, problems)
        if entry:
            mapping.kinds[kind] = entry
    for role, bounds in (data.get("sizes") or {}).items():
        where = marks.get(f"sizes.{role}", top)
        if role not in SIZE_ROLES:
            problems.add(where, f'unknown text role "{role}"{suggest(str(role), SIZE_ROLES)}')
        elif not (isinstance(bounds, list) and len(bounds) == 2 and all(_number(b) is not None for b in bounds)
                  and 6 <= _number(bounds[1]) <= _number(bounds[0]) <= 120):
            problems.add(where, f"sizes.{role}: [largest, smallest] in points, e.g. [32, 24]")
        else:
            mapping.sizes[role] = (_number(bounds[0]), _number(bounds[1]))


def _kind(kind: str, spec: Any, where: Location, marks: dict[str, Location], problems: Problems) -> KindMap | None:
    if not isinstance(spec, dict) or not isinstance(spec.get("layout"), str):
        problems.add(where, f'kinds.{kind}: needs "layout: <layout name>"')
        return None
    needed, optional = ROLES[kind]
    roles: dict[str, Slot] = {}
    for role, value in spec.items():
        if role == "layout":
            continue
        here = marks.get(f"kinds.{kind}.{role}", where)
        if role not in needed | optional:
            problems.add(here, f'slide kind "{kind}" has no role "{role}"{suggest(str(role), needed | optional)}')
            continue
        slot = _slot(value)
        if slot is None:
            problems.add(here, f"kinds.{kind}.{role}: {{idx: N}} or {{type: title|body|pic|…}}")
            continue
        roles[role] = slot
    for role in sorted(needed - set(roles)):
        problems.add(where, f'kinds.{kind}: role "{role}" needs a placeholder')
    return KindMap(kind, spec["layout"], roles, where)


def _slot(value: Any) -> Slot | None:
    if not isinstance(value, dict) or len(value) != 1:
        return None
    if "idx" in value:
        idx = _number(value["idx"])
        return Slot(idx=int(idx)) if idx is not None and idx == int(idx) and idx >= 0 else None
    if isinstance(value.get("type"), str):
        return Slot(type=normal_type(value["type"]))
    return None


def _number(value: Any) -> float | None:
    """A number as YAML wrote it; the project's strict loader keeps plain scalars as text."""
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def resolve(kind: KindMap, layout: LayoutInfo, role: str) -> PlaceholderInfo | None:
    """The placeholder a role of this kind fills on `layout`, if the mapping names one there."""
    slot = kind.roles.get(role)
    return slot.find(layout) if slot else None


def missing_layout(name: str, names: list[str], where: Location) -> TriptychError:
    return TriptychError.at(where, f'the deck template has no layout "{name}"{suggest(name, names)}; '
                            f'it has: {", ".join(names)}')
