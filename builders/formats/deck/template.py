"""Reads a .pptx/.potx template into plain geometry: slide size, layouts, placeholders, text styles."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from ...core.errors import Location, Problem, TriptychError
from .template_guard import sanitized
from .geometry import DEFAULT_INSETS, Box, LayoutInfo, PlaceholderInfo, TemplateInfo, TextStyle

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}
INSET_ATTRS = ("lIns", "tIns", "rIns", "bIns")


def open_presentation(path: Path, where: Location | None = None, warnings: list[Problem] | None = None) -> Any:
    """python-pptx's Presentation for a .pptx or a .potx, sanitised first (see template_guard)."""
    from pptx import Presentation

    where = where or Location(path)
    if not zipfile.is_zipfile(path):
        raise TriptychError.at(where, f"{path.name} is not a PowerPoint file")
    source = sanitized(path, where, warnings)
    try:
        return Presentation(source)
    except Exception as exc:  # python-pptx raises KeyError, ValueError, lxml errors … for broken files
        raise TriptychError.at(where, f"{path.name} cannot be read as a slide template ({type(exc).__name__})") from None


def read_template(prs: Any, path: Path | None = None) -> TemplateInfo:
    """Every layout of every master, with its placeholders' frames and inherited text styles."""
    layouts: list[LayoutInfo] = []
    seen: set[str] = set()
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            if layout.name in seen:
                continue  # a second master's layout of the same name is unreachable by name
            seen.add(layout.name)
            art = _artwork(layout, int(prs.slide_width), int(prs.slide_height))
            if _shows_master_shapes(layout):
                art += _artwork(master, int(prs.slide_width), int(prs.slide_height))
            layouts.append(LayoutInfo(layout.name, tuple(_placeholders(layout, master)), tuple(art),
                                      layout._element.get("type", "")))
    return TemplateInfo(path, int(prs.slide_width), int(prs.slide_height), tuple(layouts))


def _shows_master_shapes(layout: Any) -> bool:
    return layout._element.get("showMasterSp", "1") not in ("0", "false")


def _artwork(owner: Any, width: int, height: int) -> list[Box]:
    """Frames of the pictures and shapes a layout or master draws, a full-slide background aside."""
    boxes = []
    for shape in owner.shapes:
        if shape.is_placeholder or shape.left is None or shape.width is None:
            continue
        box = Box(int(shape.left), int(shape.top), int(shape.width), int(shape.height))
        if box.width * box.height >= 0.8 * width * height or box.width <= 0 or box.height <= 0:
            continue
        boxes.append(box)
    return boxes


def _placeholders(layout: Any, master: Any) -> list[PlaceholderInfo]:
    out = []
    for ph in layout.placeholders:
        element = ph._element
        ph_el = element.find("./p:nvSpPr/p:nvPr/p:ph", NS)
        kind = ph_el.get("type", "obj") if ph_el is not None else "obj"
        idx = int(ph_el.get("idx", "0")) if ph_el is not None else 0
        try:
            box = Box(int(ph.left), int(ph.top), int(ph.width), int(ph.height))
        except TypeError:  # no frame on the layout nor on the master: not placeable
            continue
        chain = [element, *_master_placeholders(master, kind)]
        body_pr = [el.find("./p:txBody/a:bodyPr", NS) for el in chain]
        vertical = any(b is not None and b.get("vert", "horz") not in ("horz", "") for b in body_pr[:1])
        out.append(PlaceholderInfo(idx, kind, ph.name, box, _style(chain, master, kind), vertical))
    return out


def _master_placeholders(master: Any, kind: str) -> list[Any]:
    wanted = "title" if kind in ("title", "ctrTitle") else kind if kind in ("dt", "ftr", "sldNum") else "body"
    found = []
    for sp in master._element.iterfind(".//p:sp", NS):
        ph = sp.find("./p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is not None and ph.get("type", "obj") in (wanted, "obj" if wanted == "body" else wanted):
            found.append(sp)
    return found[:1]


def _style(chain: list[Any], master: Any, kind: str) -> TextStyle:
    styles = "titleStyle" if kind in ("title", "ctrTitle") else "bodyStyle" if kind in ("body", "obj", "subTitle", "pic", "tbl") else "otherStyle"
    levels = [[el.find(f"./p:txBody/a:lstStyle/a:lvl{n}pPr", NS) for el in chain] for n in (1, 2)]
    tx = master._element.find(f"./p:txStyles/p:{styles}", NS)
    for n, level in enumerate(levels, 1):
        level.append(tx.find(f"./a:lvl{n}pPr", NS) if tx is not None else None)

    def first(elements: list[Any], attr: str, path: str = "") -> str | None:
        for el in elements:
            target = el.find(path, NS) if (el is not None and path) else el
            if target is not None and target.get(attr) is not None:
                return target.get(attr)
        return None

    insets = []
    for attr, default in zip(INSET_ATTRS, DEFAULT_INSETS):
        value = first([el.find("./p:txBody/a:bodyPr", NS) for el in chain], attr)
        insets.append(int(value) if value is not None else default)
    indents = tuple((int(first(level, "marL") or 0), int(first(level, "indent") or 0)) for level in levels)
    return TextStyle(
        bold=first(levels[0], "b", "./a:defRPr") in ("1", "true"),
        italic=first(levels[0], "i", "./a:defRPr") in ("1", "true"),
        caps=first(levels[0], "cap", "./a:defRPr") == "all",
        insets=tuple(insets),  # type: ignore[arg-type]
        indents=indents,
    )


def theme_fonts(prs: Any) -> tuple[str, str]:
    """The template's own typefaces (headings, body): its theme's major and minor Latin fonts."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        root = etree.fromstring(prs.slide_masters[0].part.part_related_by(RT.THEME).blob)
    except (KeyError, IndexError, etree.XMLSyntaxError):
        return "", ""
    major = root.xpath("//a:fontScheme/a:majorFont/a:latin/@typeface", namespaces=NS)
    minor = root.xpath("//a:fontScheme/a:minorFont/a:latin/@typeface", namespaces=NS)
    return (major[0] if major else ""), (minor[0] if minor else "")


def load_template(path: Path, where: Location | None = None,
                  warnings: list[Problem] | None = None) -> tuple[Any, TemplateInfo]:
    prs = open_presentation(path, where, warnings)
    return prs, read_template(prs, path)
