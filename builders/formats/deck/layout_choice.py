"""Any template as users bring it: each kind of slide takes the layout whose placeholders fit it.

A deck mapping entry whose layout and placeholders exist in the template is kept as written.
Otherwise the layout is chosen by structure — the layout's OOXML type where the template sets
one (title, secHead, obj, titleOnly, picTx …), else its placeholders — so Google Slides'
TITLE_AND_BODY or a ministry's "Folie mit Inhalt" serve as well as Office's names. A kind the
template has no layout of its own for falls back to the nearest one, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ...core.errors import Location
from .geometry import TEXT_TYPES, LayoutInfo, PlaceholderInfo, TemplateInfo
from .mapping import ROLES, DeckMapping, KindMap, Slot, resolve

# What each kind would ideally sit on: OOXML layout types and words in layout names.
WANTED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "title": (("title",), ("title slide", "title_slide", "titel", "cover", "title")),
    "section": (("secHead",), ("section", "abschnitt", "divider", "розділ")),
    "keypoints": ((), ("key point", "key_point", "keypoint", "summary")),
    "content": (("obj", "tx"), ("title and content", "title_and_body", "title and body", "content", "inhalt")),
    "callout": ((), ("callout",)),
    "quote": ((), ("quote", "zitat", "citation")),
    "sources": (("obj", "tx"), ("title and content", "title_and_body", "title and body", "content")),
    "timeline": (("titleOnly",), ("title only", "title_only", "nur titel")),
    "table": (("titleOnly",), ("title only", "title_only", "nur titel")),
    "chart": (("titleOnly",), ("title only", "title_only", "nur titel")),
    "figure": (("picTx",), ("picture with caption", "picture", "caption", "bild")),
}
# Kinds whose own layout a template rarely has: they take the content layout, and say so.
NEAREST = {"keypoints": "content", "callout": "content", "quote": "content", "sources": "content"}


@dataclass(frozen=True)
class Fallback:
    kind: str
    layout: str
    why: str  # e.g. "no layout of its own"


def _bodies(layout: LayoutInfo) -> list[PlaceholderInfo]:
    """Text placeholders that can hold a body, largest first."""
    found = [ph for ph in layout.placeholders if ph.type in TEXT_TYPES and not ph.vertical]
    return sorted(found, key=lambda ph: -(ph.box.width * ph.box.height))


def _fits(kind: str, layout: LayoutInfo) -> bool:
    """Whether the layout has the placeholders the kind needs (title kinds may do without)."""
    title = layout.title is not None
    bodies = [b for b in _bodies(layout) if b.type != "subTitle"] or _bodies(layout)
    if kind == "title":
        return True
    if kind in ("content", "keypoints", "callout", "sources", "quote"):
        return title and bool(bodies) or (kind == "quote" and bool(bodies))
    if kind == "figure":
        return title and any(ph.type in ("pic", "obj") for ph in layout.placeholders)
    return title  # section, timeline, table, chart: a title is enough


def _score(kind: str, layout: LayoutInfo) -> float:
    """How well a layout suits a kind: its declared type, its name, then its shape."""
    types, words = WANTED[kind]
    name = layout.name.lower()
    score = 0.0
    if layout.kind and layout.kind in types:
        score += 10
    if any(w in name for w in words):
        score += 6 + (2 if name in words else 0)
    bodies = _bodies(layout)
    if kind in ("content", "keypoints", "callout", "sources", "quote"):
        score += 3 if len(bodies) == 1 else 1 if bodies else 0
        score -= 2 * any(ph.type == "pic" for ph in layout.placeholders)
    elif kind in ("timeline", "table", "chart"):
        score += 4 if not bodies and not any(ph.type == "pic" for ph in layout.placeholders) else 0
    elif kind == "figure":
        score += 4 * any(ph.type == "pic" for ph in layout.placeholders)
    elif kind == "title":
        score += 5 * any(ph.type == "ctrTitle" for ph in layout.placeholders)
        score += 2 * any(ph.type == "subTitle" for ph in layout.placeholders)
    elif kind == "section":
        score += 2 if layout.title and len(bodies) <= 1 else 0
    return score


def _roles(kind: str, layout: LayoutInfo) -> dict[str, Slot]:
    """Placeholders for the kind's roles, by structure."""
    roles: dict[str, Slot] = {}
    if layout.title:
        roles["title"] = Slot(idx=layout.title.idx)
    bodies = _bodies(layout)
    main = [b for b in bodies if b.type != "subTitle"] or bodies
    if kind == "title":
        subtitle = next((b for b in bodies if b.type == "subTitle"), bodies[0] if bodies else None)
        if subtitle:
            roles["subtitle"] = Slot(idx=subtitle.idx)
            below = [b for b in bodies if b is not subtitle and b.box.top >= subtitle.box.bottom]
            if below:
                roles["byline"] = Slot(idx=below[0].idx)
    elif kind == "figure":
        picture = next((ph for ph in layout.placeholders if ph.type == "pic"), None) or (main[0] if main else None)
        if picture:
            roles["picture"] = Slot(idx=picture.idx)
        caption = next((b for b in main if picture is None or b.idx != picture.idx), None)
        if caption:
            roles["caption"] = Slot(idx=caption.idx)
    elif kind in ("content", "keypoints", "callout", "sources", "quote") and main:
        roles["body"] = Slot(idx=main[0].idx)
    return {role: slot for role, slot in roles.items() if role in ROLES[kind][0] | ROLES[kind][1]}


def _serves(entry: KindMap, template: TemplateInfo) -> bool:
    layout = template.layout(entry.layout)
    return layout is not None and all(resolve(entry, layout, role) is not None for role in ROLES[entry.kind][0])


def adapt(mapping: DeckMapping, template: TemplateInfo, where: Location,
          used: set[str] | None = None) -> tuple[DeckMapping, list[Fallback]]:
    """The mapping, each entry the template cannot serve replaced by the best-fitting layout;
    and the kinds (of those the document `used`) that had to take a layout not made for them."""
    kinds = dict(mapping.kinds)
    fallbacks: list[Fallback] = []
    for kind in ROLES:
        entry = kinds.get(kind)
        if entry is not None and _serves(entry, template):
            continue
        candidates = [lay for lay in template.layouts if _fits(kind, lay)]
        own = [lay for lay in candidates if _score(kind, lay) >= 6]  # its type or its name says so
        nearest = NEAREST.get(kind, kind)
        pool = own or [lay for lay in template.layouts if _fits(nearest, lay)] or candidates or list(template.layouts)
        if not pool:
            continue
        chosen = max(pool, key=lambda lay: _score(kind if own else nearest, lay))
        kinds[kind] = KindMap(kind, chosen.name, _roles(kind, chosen), where)
        if used is not None and kind not in used:
            continue
        if not own:
            fallbacks.append(Fallback(kind, chosen.name, "no layout of its own"))
        elif kind == "title" and chosen.title is None:
            fallbacks.append(Fallback(kind, chosen.name, "its title is artwork: the title goes in a text box"))
    return replace(mapping, kinds=kinds), fallbacks


def describe(fallbacks: list[Fallback], template_name: str) -> str:
    """One sentence naming every fallback, for the one located warning."""
    parts = [f'{KIND_NAMES.get(f.kind, f.kind)} on "{f.layout}"' + (f" ({f.why})" if f.why != "no layout of its own" else "")
             for f in fallbacks]
    return f"slides: {template_name} has no layout made for every kind of slide; the deck uses: {'; '.join(parts)}"


KIND_NAMES = {"keypoints": "key points", "title": "the title slide", "section": "section dividers", "quote": "quotes",
              "callout": "callouts", "figure": "figures", "chart": "charts", "table": "tables", "timeline": "timelines",
              "content": "text slides", "sources": "sources"}


def mapping_yaml(mapping: DeckMapping) -> str:
    """The `kinds:` block of a deck.yaml that maps every kind onto the template, ready to paste."""
    lines = ["kinds:"]
    for kind in ROLES:
        entry = mapping.kinds.get(kind)
        if entry is None:
            continue
        roles = "".join(f", {role}: {{idx: {slot.idx}}}" if slot.idx is not None else f", {role}: {{type: {slot.type}}}"
                        for role, slot in entry.roles.items())
        lines.append(f"  {kind + ':':<10} {{layout: {_quoted(entry.layout)}{roles}}}")
    return "\n".join(lines) + "\n"


def _quoted(name: str) -> str:
    plain = name and all(c.isalnum() or c in " _-" for c in name) and not name[0].isdigit() and name.strip() == name
    return name if plain and name.lower() not in ("yes", "no", "true", "false", "null", "on", "off") else '"' + name.replace('"', '\\"') + '"'
