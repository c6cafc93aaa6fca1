"""The built-in reference deck: python-pptx's default template restyled from a theme's tokens.

`python tools/regenerate_reference_deck.py` writes the shipped copy (same tokens, same bytes).
"""

from __future__ import annotations

from typing import Any

from .geometry import EMU_PER_IN

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:a="{A}" xmlns:r="{R}" xmlns:p="{P}"'
MARGIN = 0.6  # inches, every side: the grid all layouts share
GAP = 0.4
PROMPTS = {"title": "Click to edit title", "ctrTitle": "Click to edit title", "pic": "Picture"}


def _in(value: float) -> int:
    return int(round(value * EMU_PER_IN))


class Layouts:
    """Layout XML for one slide size; every position derives from the same margins."""

    def __init__(self, width: int, height: int) -> None:
        self.w, self.h = width / EMU_PER_IN, height / EMU_PER_IN
        self.cw = self.w - 2 * MARGIN  # content width
        self.body_top, self.body_bottom = 1.95, self.h - MARGIN

    # ------------------------------------------------------------ shapes

    def _xfrm(self, x: float, y: float, w: float, h: float) -> str:
        return f'<a:xfrm><a:off x="{_in(x)}" y="{_in(y)}"/><a:ext cx="{_in(w)}" cy="{_in(h)}"/></a:xfrm>'

    def ph(self, sid: int, name: str, kind: str, idx: int | None, box: tuple[float, float, float, float],
           anchor: str = "t", size: int = 0, color: str = "", bold: bool | None = None, bullets: bool = False,
           spacing: int = 0, prompt: str = "", align: str = "") -> str:
        attrs = (f' type="{kind}"' if kind != "obj" else "") + (' sz="quarter"' if (idx or 0) >= 10 else "")
        attrs += f' idx="{idx}"' if idx is not None else ""
        run_props = (f' sz="{size * 100}"' if size else "") + ({True: ' b="1"', False: ' b="0"'}.get(bold, "") if bold is not None else "")
        fill = f'<a:solidFill><a:schemeClr val="{color}"/></a:solidFill>' if color else ""
        bullet = "" if bullets else "<a:buNone/>"
        margin = "" if bullets else ' marL="0" indent="0"'
        line = f'<a:lnSpc><a:spcPct val="{spacing}"/></a:lnSpc>' if spacing else ""
        margin += f' algn="{align}"' if align else ""
        level = f'<a:lvl1pPr{margin}>{line}{bullet}<a:defRPr{run_props}>{fill}</a:defRPr></a:lvl1pPr>'
        text = prompt or PROMPTS.get(kind, "Click to edit text")
        return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
                f'<p:nvPr><p:ph{attrs}/></p:nvPr></p:nvSpPr><p:spPr>{self._xfrm(*box)}</p:spPr>'
                f'<p:txBody><a:bodyPr anchor="{anchor}" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720">'
                f'<a:noAutofit/></a:bodyPr><a:lstStyle>{level}</a:lstStyle>'
                f'<a:p><a:r><a:rPr lang="en-US"/><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>')

    def rect(self, sid: int, name: str, box: tuple[float, float, float, float], color: str) -> str:
        return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
                f'<p:spPr>{self._xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
                f'<a:solidFill><a:schemeClr val="{color}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>')

    def layout(self, name: str, kind: str, shapes: list[str], background: str = "") -> str:
        bg = (f'<p:bg><p:bgPr><a:solidFill><a:schemeClr val="{background}"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>'
              if background else "")
        hide = ' showMasterSp="0"' if background else ""
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sldLayout {NSDECL} type="{kind}" preserve="1"{hide}>'
                f'<p:cSld name="{name}">{bg}<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
                '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
                + "".join(shapes) + '</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>')

    # ------------------------------------------------------------ the layouts

    def _title(self, sid: int = 2) -> list[str]:
        """The title block every content layout shares: title on the grid, a short accent rule under it."""
        return [self.ph(sid, "Title 1", "title", None, (MARGIN, 0.4, self.cw, 1.3), anchor="b"),
                self.rect(sid + 1, "Accent rule", (MARGIN + 0.1, 1.78, 0.9, 0.06), "accent2")]

    def _footer(self, sid: int) -> list[str]:
        y = self.h - 0.52
        return [self.ph(sid, "Footer Placeholder", "ftr", 11, (MARGIN, y, self.cw * 0.7, 0.4), anchor="ctr", size=12,
                        color="accent5", align="l"),
                self.ph(sid + 1, "Slide Number Placeholder", "sldNum", 12, (self.w - MARGIN - 1.2, y, 1.2, 0.4),
                        anchor="ctr", size=12, color="accent5", prompt="‹#›", align="r")]

    def all(self) -> list[tuple[str, str]]:
        """(name, xml) of every layout, in the order PowerPoint's layout gallery shows them."""
        m, cw, top = MARGIN, self.cw, self.body_top
        body_h = self.body_bottom - top - 0.3
        half = (cw - GAP) / 2
        pic_w = round(self.w * 0.62, 2)
        side_x = m + pic_w + GAP
        side_w = self.w - m - side_x
        footer = self._footer(20)
        return [
            ("Title Slide", self.layout("Title Slide", "title", [
                self.ph(2, "Title 1", "ctrTitle", None, (m, 0.6, cw, 2.2), anchor="b", size=40, color="bg1", bold=True, spacing=95000),
                self.rect(3, "Accent rule", (m + 0.1, 2.98, 1.1, 0.08), "accent2"),
                self.ph(4, "Subtitle 2", "subTitle", 1, (m, 3.2, cw * 0.9, self.h - 4.75), size=20, color="bg2"),
                self.ph(5, "Byline", "body", 13, (m, self.h - 1.5, cw, 1.0), anchor="b", size=18, color="bg1",
                        prompt="Author · Date"),
            ], background="tx2")),
            ("Title and Content", self.layout("Title and Content", "obj", [
                *self._title(), self.ph(4, "Content Placeholder 2", "obj", 1, (m, top, cw, body_h), bullets=True), *footer])),
            ("Section Header", self.layout("Section Header", "secHead", [
                self.ph(2, "Section number", "body", 1, (m, 1.5, cw, 1.0), anchor="b", size=28, color="accent6", bold=True,
                        prompt="01"),
                self.rect(3, "Accent rule", (m + 0.1, 2.7, 1.1, 0.08), "accent2"),
                self.ph(4, "Title 1", "title", None, (m, 2.95, cw * 0.9, 2.9), size=44, color="bg1", bold=True, spacing=95000),
            ], background="tx2")),
            ("Two Content", self.layout("Two Content", "twoObj", [
                *self._title(), self.ph(4, "Content Placeholder 2", "obj", 1, (m, top, half, body_h), bullets=True),
                self.ph(5, "Content Placeholder 3", "obj", 2, (m + half + GAP, top, half, body_h), bullets=True), *footer])),
            ("Comparison", self.layout("Comparison", "twoTxTwoObj", [
                *self._title(),
                self.ph(4, "Text Placeholder 2", "body", 1, (m, top, half, 0.6), anchor="b", bold=True, color="tx2"),
                self.ph(5, "Content Placeholder 3", "obj", 2, (m, top + 0.7, half, body_h - 0.7), bullets=True),
                self.ph(6, "Text Placeholder 4", "body", 3, (m + half + GAP, top, half, 0.6), anchor="b", bold=True, color="tx2"),
                self.ph(7, "Content Placeholder 5", "obj", 4, (m + half + GAP, top + 0.7, half, body_h - 0.7), bullets=True),
                *footer])),
            ("Title Only", self.layout("Title Only", "titleOnly", [*self._title(), *footer])),
            ("Key Points", self.layout("Key Points", "cust", [
                *self._title(),
                self.rect(4, "Panel", (m, top, cw, body_h), "bg2"),
                self.rect(5, "Panel rule", (m, top, 0.08, body_h), "tx2"),
                self.ph(6, "Key points", "body", 1, (m + 0.3, top + 0.15, cw - 0.5, body_h - 0.3), bullets=True), *footer])),
            ("Quote", self.layout("Quote", "cust", [
                self.ph(2, "Title 1", "title", None, (m, 0.4, cw, 0.8), anchor="b", size=20, color="accent5", bold=False),
                self.rect(3, "Quote rule", (m + 0.1, 1.55, 0.09, self.h - 3.2), "accent2"),
                self.ph(4, "Quote", "body", 1, (m + 0.45, 1.45, cw - 0.55, self.h - 3.35), anchor="ctr", size=32, color="tx2"),
                self.ph(5, "Attribution", "body", 13, (m + 0.45, self.h - 1.75, cw - 0.55, 0.95), size=20, color="tx1"),
                *footer])),
            ("Picture with Caption", self.layout("Picture with Caption", "picTx", [
                *self._title(),
                self.ph(4, "Picture Placeholder 2", "pic", 1, (m, top, pic_w, body_h)),
                self.ph(5, "Caption", "body", 2, (side_x, top, side_w, body_h), size=18, color="tx1"), *footer])),
            ("Callout", self.layout("Callout", "cust", [
                *self._title(),
                self.rect(4, "Panel", (m, top, cw, body_h), "bg2"),
                self.rect(5, "Panel rule", (m, top, 0.08, body_h), "accent2"),
                self.ph(6, "Callout text", "body", 1, (m + 0.3, top + 0.15, cw - 0.5, body_h - 0.3), bullets=True), *footer])),
            ("Blank", self.layout("Blank", "blank", [*footer])),
        ]


def master_styles(size_title: int, size_body: int) -> tuple[str, str]:
    """titleStyle and bodyStyle of the master: sizes, brand colours, bullets in the accent colour."""
    title = (f'<p:titleStyle xmlns:p="{P}" xmlns:a="{A}"><a:lvl1pPr algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
             '<a:lnSpc><a:spcPct val="95000"/></a:lnSpc><a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/>'
             f'<a:defRPr sz="{size_title * 100}" b="1" kern="1200"><a:solidFill><a:schemeClr val="tx2"/></a:solidFill>'
             '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr></p:titleStyle>')
    levels = []
    for n in range(1, 10):
        mar = 342900 + (n - 1) * 400050
        char, size = ("•", size_body) if n == 1 else ("–", max(size_body - 4, 18))
        levels.append(
            f'<a:lvl{n}pPr marL="{mar}" indent="-342900" algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
            '<a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPts val="1000"/></a:spcBef>'
            f'<a:buClr><a:schemeClr val="accent2"/></a:buClr><a:buFont typeface="Arial"/><a:buChar char="{char}"/>'
            f'<a:defRPr sz="{size * 100}" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>'
            f'<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{n}pPr>')
    body = f'<p:bodyStyle xmlns:p="{P}" xmlns:a="{A}">' + "".join(levels) + "</p:bodyStyle>"
    return title, body


def colour_scheme(colors: dict[str, Any]) -> dict[str, str]:
    """Theme colour slots from the theme's tokens; drawn shapes refer to slots, so a new master recolours them."""
    chart = list(colors.get("chart") or [])
    palette = [colors["brand"], colors.get("accent", colors["brand"]), *chart[2:4]]
    while len(palette) < 4:
        palette.append(colors.get("muted", colors["ink"]))
    extra = chart[5] if len(chart) > 5 else colors.get("rule", colors["paper"])
    return {"dk1": colors["ink"], "lt1": colors["paper"], "dk2": colors["brand"], "lt2": colors.get("tint", colors["paper"]),
            "accent1": palette[0], "accent2": palette[1], "accent3": palette[2], "accent4": palette[3],
            "accent5": colors.get("muted", colors["ink"]), "accent6": extra,
            "hlink": colors["brand"], "folHlink": colors.get("muted", colors["brand"])}


def reference_deck(tokens: dict[str, Any], aspect: str | None = None) -> Any:
    """python-pptx's default template restyled from design tokens, as an open Presentation."""
    from lxml import etree
    from pptx import Presentation
    from pptx.oxml import parse_xml

    slides = tokens.get("slides", {})
    height = _length(slides.get("height", "7.5in"))
    ratio = {"16:9": 16 / 9, "4:3": 4 / 3}.get(aspect or "", _length(slides.get("width", "13.333in")) / height)
    ratio = min((16 / 9, 4 / 3), key=lambda r: abs(r - ratio)) if abs(ratio - 16 / 9) < 0.02 or abs(ratio - 4 / 3) < 0.02 else ratio
    prs = Presentation()
    prs.slide_height = height
    prs.slide_width = int(round(height * ratio))
    fonts = tokens.get("fonts", {})
    body = _family(fonts.get("slide", "Arial"))
    heading = _family(fonts.get("slide-heading", body))
    master = prs.slide_master
    _restyle_theme(master, tokens.get("colors", {}), heading, body, etree)
    geometry = Layouts(prs.slide_width, prs.slide_height)
    _restyle_master(master, geometry, int(slides.get("title-pt", 32)), int(slides.get("max-body-pt", 24)), parse_xml)
    ids = master._element.find(f"{{{P}}}sldLayoutIdLst")
    parts = [master.part.related_part(entry.get(f"{{{R}}}id")) for entry in ids]
    for part, (_, xml) in zip(parts, geometry.all()):
        part._element = parse_xml(xml.encode("utf-8"))
    return prs


def _restyle_theme(master: Any, colors: dict[str, Any], heading: str, body: str, etree: Any) -> None:
    theme_part = next(rel.target_part for rel in master.part.rels.values() if rel.reltype.endswith("/theme"))
    root = etree.fromstring(theme_part.blob)
    root.set("name", "Triptych")
    scheme = root.find(f".//{{{A}}}clrScheme")
    scheme.set("name", "Triptych")
    for slot, value in colour_scheme(colors).items():
        holder = scheme.find(f"{{{A}}}{slot}")
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, f"{{{A}}}srgbClr", val=str(value).lstrip("#").upper())
    fonts = root.find(f".//{{{A}}}fontScheme")
    fonts.set("name", "Triptych")
    # Titles take the theme's major font, text its minor one: what PowerPoint offers as
    # "Headings" and "Body" when the deck is edited.
    for group, font in (("majorFont", heading), ("minorFont", body)):
        fonts.find(f"{{{A}}}{group}/{{{A}}}latin").set("typeface", font)
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _restyle_master(master: Any, geometry: Layouts, title_pt: int, body_pt: int, parse_xml: Any) -> None:
    m, cw = MARGIN, geometry.cw
    frames = {"title": (m, 0.4, cw, 1.3), "body": (m, geometry.body_top, cw, geometry.body_bottom - geometry.body_top - 0.3),
              "dt": (m, geometry.h - 0.52, 2.0, 0.4), "ftr": (m, geometry.h - 0.52, cw * 0.7, 0.4),
              "sldNum": (geometry.w - m - 1.2, geometry.h - 0.52, 1.2, 0.4)}
    for ph in master.placeholders:
        kind = ph._element.ph_type
        key = {1: "title", 2: "body", 16: "dt", 15: "ftr", 13: "sldNum"}.get(int(kind), "body")
        x, y, w, h = frames[key]
        ph.left, ph.top, ph.width, ph.height = _in(x), _in(y), _in(w), _in(h)
        body_pr = ph._element.find(f"{{{P}}}txBody/{{{A}}}bodyPr")
        for auto in list(body_pr):
            body_pr.remove(auto)
        body_pr.append(parse_xml(f'<a:noAutofit xmlns:a="{A}"/>'))
    tree = master._element.find(f"{{{P}}}cSld/{{{P}}}spTree")
    band = geometry.rect(99, "Brand band", (0, 0, geometry.w, 0.12), "tx2")
    tree.insert(2, parse_xml(band.replace("<p:sp>", f'<p:sp xmlns:p="{P}" xmlns:a="{A}">', 1)))
    styles = master._element.find(f"{{{P}}}txStyles")
    title, body = master_styles(title_pt, body_pt)
    styles.replace(styles.find(f"{{{P}}}titleStyle"), parse_xml(title))
    styles.replace(styles.find(f"{{{P}}}bodyStyle"), parse_xml(body))


def _family(spec: Any) -> str:
    return spec.get("family", "Arial") if isinstance(spec, dict) else str(spec)


def _length(value: Any) -> int:
    """EMU of a theme length: 13.333in, 190.5mm, 720pt or a bare number of inches."""
    text = str(value).strip()
    for unit, factor in (("in", EMU_PER_IN), ("mm", 36000), ("cm", 360000), ("pt", 12700)):
        if text.endswith(unit):
            return int(round(float(text[: -len(unit)]) * factor))
    return int(round(float(text) * EMU_PER_IN))
