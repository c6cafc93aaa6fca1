"""The deck's protective marking and DRAFT watermark, drawn on every slide layout (so every slide,
and every slide an editor adds later, carries them)."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from ...core.text import clean

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
EMU_PER_PT = 12700
MARKING_PT = 10
MARKING_HEIGHT = int(0.26 * 914400)  # a line of 10 pt with a little air
EDGE = int(0.06 * 914400)
PAD = int(0.12 * 914400)  # from the slide's top and bottom edges: above titles, below footers
NAMES = ("Protective marking (top)", "Protective marking (foot)", "Draft watermark")


def stamp_layouts(prs: Any, marking: str, colour: str, draft: bool, font: str, paper: str = "#FFFFFF",
                  draft_word: str = "DRAFT") -> None:
    """Add the marking (centred at the top and foot) and the watermark to every layout, once."""
    width, height = prs.slide_width, prs.slide_height
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            tree = layout.shapes._spTree
            for old in [sp for sp in tree.iterchildren(f"{{{P}}}sp") if _name(sp) in NAMES]:
                tree.remove(old)  # a template made by an earlier build keeps one set, not two
            next_id = max([int(e.get("id")) for e in tree.iter(f"{{{P}}}cNvPr")] + [1]) + 1
            if draft:
                # First in the tree: behind everything the layout and the slide draw.
                side = int(min(width, height) * 0.75)
                # The word in the narrative's language; a longer one than DRAFT set smaller to stay in its box.
                size = round(110 * min(1.0, 5.5 / max(len(draft_word), 1)))
                shape = _text_shape(next_id, NAMES[2], draft_word, (width - int(side * 1.3)) // 2, (height - side // 3) // 2,
                                    int(side * 1.3), side // 3, size, "969696", font, alpha=22000, rotation=-30)
                tree.insert(2, shape)
                next_id += 1
            if marking:
                # A label sized to its text (uppercase bold at 10 pt: ~0.72 em a letter), on paper
                # with a rule in the marking colour: legible on white slides and on brand-coloured ones.
                label = min(width, int(len(marking) * MARKING_PT * 0.72 * EMU_PER_PT) + 2 * PAD)
                for n, top in enumerate((EDGE, height - EDGE - MARKING_HEIGHT)):
                    tree.append(_text_shape(next_id + n, NAMES[n], marking.upper(), (width - label) // 2, top, label,
                                            MARKING_HEIGHT, MARKING_PT, colour.lstrip("#").upper(), font, boxed=paper))


def _name(sp: Any) -> str:
    found = sp.find(f"{{{P}}}nvSpPr/{{{P}}}cNvPr")
    return found.get("name", "") if found is not None else ""


def _text_shape(shape_id: int, name: str, text: str, x: int, y: int, cx: int, cy: int, size_pt: int, colour: str,
                font: str, alpha: int | None = None, rotation: int = 0, boxed: str = "") -> Any:
    box = (f'<a:solidFill><a:srgbClr val="{boxed.lstrip("#").upper()}"/></a:solidFill>'
           f'<a:ln w="9525"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:ln>') if boxed else "<a:noFill/>"
    fill = f'<a:srgbClr val="{colour}">' + (f'<a:alpha val="{alpha}"/>' if alpha else "") + "</a:srgbClr>"
    rot = f' rot="{(rotation % 360) * 60000}"' if rotation else ""
    xml = (
        f'<p:sp xmlns:p="{P}" xmlns:a="{A}">'
        f'<p:nvSpPr><p:cNvPr id="{shape_id}" name="{escape(name)}"/><p:cNvSpPr txBox="1"><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f'<p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr><a:xfrm{rot}><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{box}</p:spPr>'
        f'<p:txBody><a:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr"><a:noAutofit/></a:bodyPr>'
        f'<a:lstStyle/><a:p><a:pPr algn="ctr"/><a:r><a:rPr lang="en-GB" sz="{size_pt * 100}" b="1" spc="100">'
        f'<a:solidFill>{fill}</a:solidFill><a:latin typeface="{escape(font, {chr(34): "&quot;"})}"/></a:rPr>'
        f"<a:t>{escape(clean(text))}</a:t></a:r></a:p></p:txBody></p:sp>"
    )
    return etree.fromstring(xml)
