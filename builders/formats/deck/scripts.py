"""The deck's words in other scripts: right-to-left paragraphs, and the typefaces viewers set them in.

PowerPoint draws a run's Latin letters in its `a:latin` face, its Arabic, Hebrew, Devanagari or
Thai ones in its `a:cs` ("complex script") face and its Chinese, Japanese or Korean ones in its
`a:ea` face; a paragraph reads right to left only with `rtl="1"`. The typefaces named are those
Office itself assigns each script (its theme's per-script font list), so every PowerPoint has them;
other viewers substitute a face that draws the script.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...core.writing import direction
from .frames import DeckPlan, Group, TextFrame

# Office's faces per ISO 15924 script (the default theme's <a:font script=…> list).
COMPLEX = {"Arab": "Arial", "Hebr": "Arial", "Syrc": "Estrangelo Edessa", "Thaa": "MV Boli", "Deva": "Mangal",
           "Beng": "Vrinda", "Guru": "Raavi", "Gujr": "Shruti", "Orya": "Kalinga", "Taml": "Latha", "Telu": "Gautami",
           "Knda": "Tunga", "Mlym": "Kartika", "Sinh": "Iskoola Pota", "Thai": "Tahoma", "Laoo": "DokChampa",
           "Tibt": "Microsoft Himalaya", "Khmr": "DaunPenh", "Mymr": "Myanmar Text", "Ethi": "Nyala",
           "Geor": "Sylfaen", "Armn": "Arial"}
EAST_ASIAN = {"ja": "Yu Gothic", "ko": "Malgun Gothic", "zh-hant": "Microsoft JhengHei", "zh-tw": "Microsoft JhengHei",
              "zh-hk": "Microsoft JhengHei", "zh": "Microsoft YaHei"}
EAST_ASIAN_SCRIPTS = {"Hani": "zh", "Hira": "ja", "Kana": "ja", "Hang": "ko", "Bopo": "zh-hant"}
FLIPPED = {"l": "r", "r": "l", None: "r"}  # a paragraph's alignment in a right-to-left deck


def right_to_left(language: str) -> bool:
    """Whether the narrative's paragraphs read right to left."""
    return direction(language) == "rtl"


def mirror_paragraph(ppr: Any, align: str | None) -> None:
    """A right-to-left paragraph, aligned to the side it starts from (what was left goes right)."""
    ppr.set("rtl", "1")
    ppr.set("algn", FLIPPED.get(align, align or "r"))


def name_script_faces(rpr: Any, text: str, language: str) -> None:
    """`a:ea` and `a:cs` typefaces on a run whose text has East Asian or complex-script letters."""
    from fontTools.unicodedata import script
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls, qn

    scripts = {script(c) for c in text if not c.isascii() and c.isalpha()}
    east = next((s for s in sorted(scripts) if s in EAST_ASIAN_SCRIPTS), None)
    complex_script = next((s for s in sorted(scripts) if s in COMPLEX), None)
    faces = []
    if east is not None:
        faces.append(("ea", _east_asian_face(language, EAST_ASIAN_SCRIPTS[east])))
    if complex_script is not None:
        faces.append(("cs", COMPLEX[complex_script]))
    # Schema order: latin, ea, cs, sym, then the hyperlink; python-pptx wrote latin already.
    anchor = rpr.find(qn("a:latin"))
    for tag, face in faces:
        element = parse_xml(f'<a:{tag} {nsdecls("a")} typeface="{face}"/>')
        if anchor is not None:
            anchor.addnext(element)
        else:
            rpr.insert(0, element)
        anchor = element


def _east_asian_face(language: str, by_script: str) -> str:
    """The language's own face where it is East Asian (zh-TW gets traditional Chinese), else the script's."""
    tag = language.lower()
    for key in (tag, "-".join(tag.split("-")[:2]), tag.split("-")[0]):
        if key in EAST_ASIAN:
            return EAST_ASIAN[key]
    return EAST_ASIAN[by_script]


def mirrored_plan(plan: DeckPlan) -> DeckPlan:
    """Every frame, picture, table, chart and shape at its mirror position across the slide:
    a right-to-left deck reads from the right (the timeline's first date on the right)."""
    return replace(plan, slides=[replace(s, items=[_mirrored(i, plan.width) for i in s.items]) for s in plan.slides])


def _mirrored(item: Any, width: int) -> Any:
    if isinstance(item, Group):
        return Group(item.name, [_mirrored(i, width) for i in item.items])
    box = replace(item.box, left=width - item.box.left - item.box.width)
    if isinstance(item, TextFrame):
        left, top, right, bottom = item.insets
        return replace(item, box=box, insets=(right, top, left, bottom))
    return replace(item, box=box)


def mirror_layouts(prs: Any) -> None:
    """The theme's own masters and layouts in a mirror (title rule, quote bar, footer sides), so the
    mirrored slides sit on a mirrored design. Not for a corporate template: that is the author's design."""
    from pptx.oxml.ns import qn

    width = prs.slide_width
    for master in prs.slide_masters:
        for part in (master, *master.slide_layouts):
            for off in part.shapes._spTree.iter(qn("a:off")):
                xfrm = off.getparent()
                ext = xfrm.find(qn("a:ext"))
                if ext is None or xfrm.getparent().tag == qn("p:grpSpPr") and xfrm.getparent().getparent() is part.shapes._spTree:
                    continue  # the tree's own (empty) group frame
                off.set("x", str(width - int(off.get("x")) - int(ext.get("cx"))))
