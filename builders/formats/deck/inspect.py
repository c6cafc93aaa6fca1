"""`triptych themes inspect`: a template's layouts and placeholders, how the theme's deck mapping fits it, and a mapping to paste."""

from __future__ import annotations

from pathlib import Path

from ...core.errors import Location, suggest
from .geometry import EMU_PER_IN, TemplateInfo
from .layout_choice import adapt, mapping_yaml
from .mapping import ROLES, DeckMapping, load_mapping
from .template import load_template, theme_fonts


def inspect_template(path: Path, mapping: DeckMapping | None = None, theme_name: str = "default",
                     project_dir: Path | None = None) -> str:
    """A report on `path` (.pptx or .potx): every layout with its placeholders (idx, type, name,
    size); how each kind of slide will be built on it with `mapping` (default: the theme's own
    deck.yaml), every entry the template cannot serve as written at once, and a ready mapping."""
    prs, info = load_template(Path(path))
    if mapping is None:
        from ...theming.themes import load_theme

        mapping = load_mapping(load_theme(theme_name, project_dir or Path.cwd()))
    heading, body = theme_fonts(prs)
    lines = [f"{Path(path).name}: {_inches(info.width)} × {_inches(info.height)} in ({_aspect(info)}), "
             f"{len(info.layouts)} layouts; fonts: headings {heading or '(none)'}, text {body or '(none)'}", ""]
    for layout in info.layouts:
        declared = f"  [{layout.kind}]" if layout.kind else ""
        lines.append(f"{layout.name}{declared}")
        if not layout.placeholders:
            lines.append("    (no placeholders)")
        for ph in sorted(layout.placeholders, key=lambda p: p.idx):
            size = f"{_inches(ph.box.width)} × {_inches(ph.box.height)} in"
            at = f"at {_inches(ph.box.left)}, {_inches(ph.box.top)}"
            vertical = "  (vertical text)" if ph.vertical else ""
            lines.append(f"    idx {ph.idx:<3} {ph.type:<9} {ph.name:<30} {size:<18} {at}{vertical}")
        lines.append("")
    problems, notes = check(info, mapping)
    adapted, fallbacks = adapt(mapping, info, Location(Path(path)))
    lines.append("How each kind of slide is built on it:")
    for kind in ROLES:
        entry = adapted.kinds.get(kind)
        if entry is None:
            continue
        layout = info.layout(entry.layout)
        roles = ", ".join(f"{role} = {_where(slot.find(layout)) if layout else slot}" for role, slot in entry.roles.items())
        chosen = "" if mapping.kinds.get(kind) == entry else "   (chosen by structure)"
        lines.append(f"    {kind:<10} → {entry.layout}: {roles}{chosen}")
    lines.append("")
    if problems:
        lines.append(f"The theme's mapping does not fit this template as written ({len(problems)}); the deck falls back:")
        lines.extend(f"    {p}" for p in problems)
    else:
        lines.append(f"Every slide kind ({len(mapping.kinds)}) can be built on this template as the mapping says.")
    if fallbacks:
        lines.append("Kinds without a layout of their own:")
        lines.extend(f"    {f.kind}: {f.layout} ({f.why})" for f in fallbacks)
    if notes:
        lines.append("Notes:")
        lines.extend(f"    {n}" for n in notes)
    lines += ["", "A deck.yaml mapping for this template (put it in your theme folder, beside the template):", "",
              f"reference: {Path(path).name}", mapping_yaml(adapted)]
    return "\n".join(lines)


def check(info: TemplateInfo, mapping: DeckMapping) -> tuple[list[str], list[str]]:
    """(entries the template cannot satisfy, softer remarks) for a deck mapping."""
    problems: list[str] = []
    notes: list[str] = []
    for kind, entry in mapping.kinds.items():
        layout = info.layout(entry.layout)
        if layout is None:
            problems.append(f'{kind}: no layout "{entry.layout}"{suggest(entry.layout, info.names)}')
            continue
        needed, optional = ROLES[kind]
        for role, slot in entry.roles.items():
            ph = slot.find(layout)
            if ph is None:
                fallback = f" (optional: {_FALLBACK[role]})" if role in optional and role in _FALLBACK else ""
                problems.append(f'{kind}.{role}: no placeholder with {slot} on "{layout.name}"{fallback}')
            elif ph.vertical:
                problems.append(f'{kind}.{role}: {_where(ph)} on "{layout.name}" sets vertical text')
            elif role == "picture" and ph.type not in ("pic", "obj"):
                problems.append(f'{kind}.{role}: {_where(ph)} on "{layout.name}" cannot hold a picture')
            elif role == "picture" and ph.type == "obj":
                notes.append(f"{kind}.{role}: {_where(ph)} is a content placeholder; the image is placed over its frame")
        for role in sorted(optional - set(entry.roles)):
            notes.append(f"{kind}: no {role} placeholder named; {_FALLBACK.get(role, 'left out')}")
    return problems, notes


_FALLBACK = {"subtitle": "the summary is left out", "byline": "authors and date join the subtitle",
             "attribution": "the attribution joins the quote", "title": "the slide has no title",
             "area": "drawn content takes the space under the title", "picture": "the image takes the space under the title",
             "caption": "the credit runs under the image", "number": "the section number is left out"}


def _where(ph: object) -> str:
    return f"{ph.type} idx {ph.idx}" if ph is not None else "missing"  # type: ignore[attr-defined]


def _inches(emu: int) -> str:
    return f"{emu / EMU_PER_IN:.2f}"


def _aspect(info: TemplateInfo) -> str:
    ratio = info.width / info.height
    for name, value in (("16:9", 16 / 9), ("4:3", 4 / 3), ("16:10", 1.6)):
        if abs(ratio - value) < 0.01:
            return name
    return f"{ratio:.2f}:1"
