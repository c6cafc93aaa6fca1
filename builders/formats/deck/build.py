"""The slide deck: model → slide plan (builders.formats.deck) → python-pptx on the theme's reference template."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ..context import BuildContext
from .marking import stamp_layouts
from .frames import TITLE_ROLES, ChartFrame, DeckPlan, Group, Para, Picture, Shape, SlidePlan, TableFrame, TextFrame
from .layout_choice import adapt, describe
from .line_metrics import padded
from .mapping import DeckMapping, load_mapping
from .measure import Metrics, SlideFonts, load_metrics
from .partnames import counted_partnames
from .plan import plan_deck, used_kinds
from .reference import reference_deck
from .scripts import mirror_layouts, mirror_paragraph, mirrored_plan, name_script_faces, right_to_left
from ...core.build_time import build_time
from .stable_zip import restamp
from .template import load_template, read_template, theme_fonts
from ...core.errors import Location, TriptychError
from ...core.confine import OutsideRoots, confine
from ...core.text import clean
from ...theming.markup import labels_for
from ..raster import eight_bit_png, needs_conversion

NAME = "pptx"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
SUFFIX = ".pptx"
ANCHORS = {"t": "TOP", "ctr": "MIDDLE", "b": "BOTTOM"}
ALIGN = {"l": "LEFT", "ctr": "CENTER", "r": "RIGHT"}
SLOTS = {"tx1": "TEXT_1", "tx2": "TEXT_2", "bg1": "BACKGROUND_1", "bg2": "BACKGROUND_2",
         **{f"accent{n}": f"ACCENT_{n}" for n in range(1, 7)}}
APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/'
           'officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           "<Application>triptych</Application><PresentationFormat>{format}</PresentationFormat><Slides>{slides}</Slides>"
           "<Notes>{notes}</Notes></Properties>")


def build(ctx: BuildContext, target: Path) -> dict:
    """Write the deck to `target`; returns facts for the summary (slides)."""
    doc, theme = ctx.doc, ctx.theme
    mapping = load_mapping(theme)
    prs, template = _template(ctx, mapping)
    mapping = _fitted_mapping(ctx, mapping, template)
    corporate = bool(doc.meta.slides.reference) or not mapping.generated
    labels = labels_for(doc, theme)
    fonts = _fonts(ctx, prs, corporate, mapping)
    plan = plan_deck(doc, theme.tokens, mapping, template, fonts, labels)
    covering = _covering(fonts, plan)
    if covering:
        plan = plan_deck(doc, theme.tokens, mapping, template, covering, labels)
    for where, message in plan.warnings:
        ctx.warn(where, message)
    if right_to_left(doc.meta.language) and not corporate:
        plan = mirrored_plan(plan)  # the theme's design in a mirror; a corporate template stays as drawn
        mirror_layouts(prs)
    if doc.meta.marking or doc.meta.draft:
        colours = theme.tokens.get("colors", {})
        stamp_layouts(prs, doc.meta.marking, colours.get("marking", colours.get("accent", "#000000")), doc.meta.draft,
                      plan.font, colours.get("paper", "#FFFFFF"), labels("draft"))
    write(prs, plan, target, build_time(doc).replace(tzinfo=None))  # zip times are naive
    return {"slides": len(plan.slides)}


def _fitted_mapping(ctx: BuildContext, mapping: DeckMapping, template: Any) -> DeckMapping:
    """The mapping on this template: entries it serves as written, the others by structure; one
    warning, on the line that named the template, for the kinds that had to take another's layout."""
    doc = ctx.doc
    wanted = doc.meta.slides.reference
    where = doc.place_of("slides") if wanted else (mapping.reference_where or Location(ctx.theme.folders[0] / "deck.yaml"))
    adapted, fallbacks = adapt(mapping, template, where, used_kinds(doc))
    if fallbacks:
        name = Path(str(wanted)).name if wanted else (mapping.reference.name if mapping.reference else "the template")
        ctx.warn(where, describe(fallbacks, name))
    return adapted


def _fonts(ctx: BuildContext, prs: Any, corporate: bool, mapping: DeckMapping) -> SlideFonts:
    """The theme's slide faces (`fonts.slide` for text, `fonts.slide-heading` for titles); on a
    corporate template, the template's own heading and body fonts wherever they (or a
    metric-compatible twin) can be measured here."""
    theme, doc = ctx.theme, ctx.doc
    where = Location(theme.folders[0] / "theme.yaml")
    folders = tuple(f / "fonts" for f in theme.folders)
    fonts = theme.tokens.get("fonts", {})
    family, metrics = _slide_face(fonts.get("slide", {"family": "Arial"}), folders, where, "slide")
    heading, heading_metrics = family, metrics
    if "slide-heading" in fonts:
        heading, heading_metrics = _slide_face(fonts["slide-heading"], folders, where, "slide-heading")
    own = SlideFonts(family, metrics, heading, heading_metrics)
    if not corporate:
        return own
    template_heading, body = theme_fonts(prs)
    body_metrics = measurable(body, folders)
    if body_metrics is None:
        if body:
            where = doc.place_of("slides") if doc.meta.slides.reference else (
                mapping.reference_where or Location(theme.folders[0] / "deck.yaml"))
            titles = f" (titles in {heading})" if heading != family else ""
            ctx.warn(where, f'the slide template\'s font "{body}" cannot be measured here (install it, or a font with '
                            f"its metrics); the deck is set in {family}{titles}")
        return own
    template_heading_metrics = measurable(template_heading, folders)
    if template_heading_metrics is None:
        return SlideFonts(body, body_metrics, body, body_metrics)
    return SlideFonts(body, body_metrics, template_heading, template_heading_metrics)


def _slide_face(spec: Any, folders: tuple[Path, ...], where: Location, role: str) -> tuple[str, Metrics]:
    """(family the deck names, metrics it is measured with) of a `fonts.slide…` token."""
    family = spec.get("family", "Arial") if isinstance(spec, dict) else str(spec)
    measure_with = spec.get("metrics", family) if isinstance(spec, dict) else family
    return family, load_metrics(measure_with, folders, where, role)


def _covering(fonts: SlideFonts, plan: DeckPlan) -> SlideFonts | None:
    """The body face for titles too when the heading face's twin lacks letters the titles use
    (Cyrillic in Caladea): a viewer would draw them in some other, wider font that no twin
    measures. None when the titles are covered."""
    if fonts.heading == fonts.body:
        return None
    titles = "".join(p.text for s in plan.slides for i in _frames(s.items) if i.role in TITLE_ROLES for p in i.paras)
    if not fonts.heading_metrics.lacks(titles) or fonts.body_metrics.lacks(titles):
        return None
    return SlideFonts(fonts.body, fonts.body_metrics, fonts.body, fonts.body_metrics)


def _frames(items: list[Any]) -> list[TextFrame]:
    out: list[TextFrame] = []
    for item in items:
        if isinstance(item, Group):
            out.extend(_frames(list(item.items)))
        elif isinstance(item, TextFrame):
            out.append(item)
    return out


def measurable(family: str, folders: tuple[Path, ...]) -> Metrics | None:
    if not family:
        return None
    try:
        return load_metrics(family, folders)
    except TriptychError:
        return None


def _template(ctx: BuildContext, mapping: DeckMapping) -> tuple[Any, Any]:
    """The narrative's own template (slides.reference), else the theme's. A reference generated
    from tokens is made afresh for a child theme (its own colours) or another slide aspect."""
    doc = ctx.doc
    wanted = doc.meta.slides.reference
    aspect = doc.meta.slides.aspect
    reference = mapping.reference
    if wanted:
        try:
            path = confine(str(wanted), doc.base_dir, [doc.base_dir])
        except OutsideRoots as exc:
            raise TriptychError.at(doc.place_of("slides"), f"slides: reference {exc}") from None
        prs, info = load_template(path, doc.place_of("slides"), ctx.warnings)
    elif mapping.generated and (reference is None or not reference.is_file() or mapping.owner != ctx.theme.folders[0]
                                or (aspect and not _same_aspect(reference, aspect))):
        prs = reference_deck(ctx.theme.tokens, aspect)
        info = read_template(prs)
    elif reference and reference.is_file():
        prs, info = load_template(reference, mapping.reference_where, ctx.warnings)
    else:
        raise TriptychError.at(mapping.reference_where or Location(ctx.theme.folders[0] / "deck.yaml"),
                               f"reference: {reference.name if reference else 'no reference deck'} does not exist")
    if aspect and not _ratio_is(info.width, info.height, aspect):
        raise TriptychError.at(doc.place_of("slides"), f'slides: aspect "{aspect}" does not match the template '
                               f"({info.width / 914400:.2f} × {info.height / 914400:.2f} in)")
    return prs, info


def _same_aspect(path: Path, aspect: str) -> bool:
    _, info = load_template(path)
    return _ratio_is(info.width, info.height, aspect)


def _ratio_is(width: int, height: int, aspect: str) -> bool:
    a, b = (int(x) for x in aspect.split(":"))
    return abs(width / height - a / b) < 0.01


# ---------------------------------------------------------------- writing


def write(prs: Any, plan: DeckPlan, target: Path, when: dt.datetime) -> None:
    """Every planned slide on its named layout; unfilled placeholders removed; reproducible bytes."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    _drop_slides(prs)
    layouts = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            layouts.setdefault(layout.name, layout)
    with counted_partnames(prs.part.package):
        for slide_plan in plan.slides:
            _slide(prs, layouts[slide_plan.layout], slide_plan, plan)
    props = prs.core_properties
    props.title, props.author, props.subject = clean(plan.title), clean(plan.author), clean(plan.subject)[:255]
    props.keywords = clean(", ".join(plan.keywords))
    props.language, props.last_modified_by, props.revision = plan.language, clean(plan.author), 1
    props.comments, props.category, props.identifier = "", "", ""
    props.created = props.modified = when
    package = prs.part.package
    for rel_id, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # the template's picture of itself, not of this deck
            package.drop_rel(rel_id)
    prs.save(str(target))
    ratio = plan.width / plan.height
    shape = "On-screen Show (16:9)" if abs(ratio - 16 / 9) < 0.01 else "On-screen Show (4:3)" if abs(ratio - 4 / 3) < 0.01 else "Custom"
    app = APP_XML.format(format=shape, slides=len(plan.slides), notes=sum(1 for s in plan.slides if s.notes))
    restamp(target, when, replace={"docProps/app.xml": app.encode("utf-8")})


def _drop_slides(prs: Any) -> None:
    """A corporate template may carry sample slides; the deck starts from its layouts only."""
    ids = prs.slides._sldIdLst
    for entry in list(ids):
        prs.part.drop_rel(entry.rId)
        ids.remove(entry)


def _slide(prs: Any, layout: Any, plan: SlidePlan, deck: DeckPlan) -> None:
    slide = prs.slides.add_slide(layout)
    filled: set[int] = set()
    for item in plan.items:
        if isinstance(item, Group):
            group = slide.shapes.add_group_shape()
            group.name = item.name
            for inner in item.items:
                _place(slide, group.shapes, layout, inner, deck, filled)
        else:
            _place(slide, slide.shapes, layout, item, deck, filled)
    for ph in list(slide.placeholders):
        if ph.placeholder_format.idx not in filled:
            ph._element.getparent().remove(ph._element)
    if plan.notes:
        notes = slide.notes_slide.notes_text_frame
        notes.text = clean(plan.notes)
        for paragraph in notes.paragraphs:
            if right_to_left(deck.language):  # the presenter reads them right to left too
                mirror_paragraph(paragraph._p.get_or_add_pPr(), None)
            for run in paragraph.runs:  # and in a face for their script
                rpr = run._r.get_or_add_rPr()
                rpr.set("lang", deck.language)
                name_script_faces(rpr, run.text, deck.language)


def _placeholder(slide: Any, layout: Any, idx: int) -> Any:
    for ph in slide.placeholders:
        if ph.placeholder_format.idx == idx:
            return ph
    # python-pptx leaves footer and slide-number placeholders to the author: clone them on demand.
    source = next((ph for ph in layout.placeholders if ph.placeholder_format.idx == idx), None)
    if source is None:
        return None
    slide.shapes.clone_placeholder(source)
    return next(ph for ph in slide.placeholders if ph.placeholder_format.idx == idx)


def _place(slide: Any, shapes: Any, layout: Any, item: Any, deck: DeckPlan, filled: set[int]) -> None:
    from pptx.util import Emu

    if isinstance(item, TextFrame):
        shape = _placeholder(slide, layout, item.placeholder) if item.placeholder is not None else None
        if shape is None:
            shape = shapes.add_textbox(Emu(item.box.left), Emu(item.box.top), Emu(item.box.width), Emu(item.box.height))
        else:
            filled.add(item.placeholder)
            if (shape.left, shape.top, shape.width, shape.height) != (item.box.left, item.box.top, item.box.width, item.box.height):
                # the plan grew the frame into free space (a long summary on a small subtitle box)
                shape.left, shape.top, shape.width, shape.height = (Emu(item.box.left), Emu(item.box.top),
                                                                    Emu(item.box.width), Emu(item.box.height))
        _text(shape.text_frame, item, deck)
    elif isinstance(item, Picture):
        _picture(slide, shapes, layout, item, filled)
    elif isinstance(item, TableFrame):
        _table(shapes, item, deck)
    elif isinstance(item, ChartFrame):
        _chart(shapes, item, deck)
    elif isinstance(item, Shape):
        _shape(shapes, item)


def _text(frame: Any, item: TextFrame, deck: DeckPlan) -> None:
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE

    # Our measure decided every size and break: viewers must not shrink or grow anything.
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left, frame.margin_top, frame.margin_right, frame.margin_bottom = padded(item.insets, item.paras)
    if item.anchor:
        frame.vertical_anchor = getattr(MSO_ANCHOR, ANCHORS[item.anchor])
    if item.role in TITLE_ROLES and deck.heading_font != deck.font:
        deck = replace(deck, font=deck.heading_font)  # titles take the template's heading font
    _paragraphs(frame, item.paras, deck, item.bold, item.italic, item.caps)


def _paragraphs(frame: Any, paras: tuple[Para, ...], deck: DeckPlan, bold: bool, italic: bool, caps: bool) -> None:
    from pptx.oxml.ns import qn
    from pptx.text.text import _Paragraph

    body = frame._txBody
    for p in body.findall(qn("a:p")):
        body.remove(p)
    for para in paras:
        _paragraph(_Paragraph(body.add_p(), frame), para, deck, bold, italic, caps)


def _paragraph(p: Any, para: Para, deck: DeckPlan, bold: bool, italic: bool, caps: bool) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls, qn
    from pptx.text.text import Font
    from pptx.util import Pt

    p.level = min(para.level, 8)
    p.line_spacing = para.line_spacing
    p.space_before = Pt(para.space_before)
    p.space_after = Pt(0)
    if para.align:
        p.alignment = getattr(PP_ALIGN, ALIGN[para.align])
    ppr = p._p.get_or_add_pPr()
    ppr.set("marL", str(para.margin_left))
    ppr.set("indent", str(para.indent))
    if right_to_left(deck.language):
        mirror_paragraph(ppr, para.align)
    # Bullets are written out too: a template whose list style has none must not swallow them.
    if para.bullet == "#":
        ppr.append(parse_xml(f'<a:buFont {nsdecls("a")} typeface="{escape(deck.font)}"/>'))
        ppr.append(parse_xml(f'<a:buAutoNum {nsdecls("a")} type="arabicPeriod" startAt="{para.number}"/>'))
    elif para.bullet:
        ppr.append(parse_xml(f'<a:buFont {nsdecls("a")} typeface="{escape(deck.font)}"/>'))
        ppr.append(parse_xml(f'<a:buChar {nsdecls("a")} char="{escape(para.bullet)}"/>'))
    else:
        ppr.append(parse_xml(f'<a:buNone {nsdecls("a")}/>'))
    for run in para.runs:
        if run.field:  # e.g. the slide number, which PowerPoint keeps current itself
            element = parse_xml(f'<a:fld {nsdecls("a")} id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="{run.field}">'
                                f"<a:rPr/><a:t>{escape(clean(run.text))}</a:t></a:fld>")
            p._p.append(element)
            _font(Font(element.find(qn("a:rPr"))), para, run, deck, bold, italic, caps)
            continue
        for n, piece in enumerate(run.text.split("\n")):
            if n:
                p.add_line_break()  # a hard line break in the source, as the measure counted it
            if not piece:
                continue
            r = p.add_run()
            r.text = clean(piece)
            if run.href:
                r.hyperlink.address = run.href
            _font(Font(r._r.get_or_add_rPr()), para, run, deck, bold, italic, caps)


def _font(font: Any, para: Para, run: Any, deck: DeckPlan, bold: bool, italic: bool, caps: bool) -> None:
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.util import Pt

    # Everything the measure assumed is written out, so no inherited style can change it,
    # and the family is on each run so a viewer without the theme fonts still uses it.
    font.size = Pt(para.size)
    font.name = deck.font
    font.bold = run.bold or bold
    font.italic = run.italic or italic
    rpr = font._rPr
    rpr.set("lang", deck.language)
    rpr.set("cap", "all" if caps else "none")
    if para.color:
        font.color.theme_color = getattr(MSO_THEME_COLOR, SLOTS[para.color])
    name_script_faces(rpr, run.text, deck.language)


def _picture(slide: Any, shapes: Any, layout: Any, item: Picture, filled: set[int]) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.util import Emu

    holder = _placeholder(slide, layout, item.placeholder) if item.placeholder is not None else None
    if holder is not None and holder.placeholder_format.type == PP_PLACEHOLDER.PICTURE:
        picture = holder.insert_picture(_picture_file(item.path))
        # insert_picture crops to fill the placeholder; the plan fitted the whole image instead.
        picture.crop_left = picture.crop_right = picture.crop_top = picture.crop_bottom = 0.0
        picture.left, picture.top, picture.width, picture.height = (Emu(item.box.left), Emu(item.box.top),
                                                                    Emu(item.box.width), Emu(item.box.height))
        filled.add(item.placeholder)
    else:
        picture = shapes.add_picture(_picture_file(item.path), Emu(item.box.left), Emu(item.box.top), Emu(item.box.width),
                                     Emu(item.box.height))
    picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", clean(item.alt))


def _table(shapes: Any, item: TableFrame, deck: DeckPlan) -> None:
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Emu

    frame = shapes.add_table(len(item.rows), len(item.columns), Emu(item.box.left), Emu(item.box.top),
                             Emu(item.box.width), Emu(item.box.height))
    frame.name = clean(item.caption)[:60] or "Table"
    frame._element.nvGraphicFramePr.cNvPr.set("descr", clean(item.caption))
    table = frame.table
    table.first_row, table.horz_banding = True, False
    if right_to_left(deck.language):
        table._tbl.tblPr.set("rtl", "1")  # the first column on the right, as the PDF sets it
    for column, width in zip(table.columns, item.columns):
        column.width = Emu(width)
    for row, height in zip(table.rows, item.heights):
        row.height = Emu(height)
    for r, cells in enumerate(item.rows):
        for c, cell_plan in enumerate(cells):
            cell = table.cell(r, c)
            cell.margin_left, cell.margin_top, cell.margin_right, cell.margin_bottom = padded(item.margins, cell_plan.paras)
            cell.vertical_anchor = getattr(MSO_ANCHOR, ANCHORS[cell_plan.anchor])
            if cell_plan.fill:
                cell.fill.solid()
                cell.fill.fore_color.theme_color = getattr(MSO_THEME_COLOR, SLOTS[cell_plan.fill])
            cell.text_frame.word_wrap = True
            _paragraphs(cell.text_frame, cell_plan.paras, deck, False, False, False)


def _picture_file(path: Path) -> Any:
    """The figure's file, or an 8-bit PNG made from it when python-pptx cannot embed it (WebP)."""
    return io.BytesIO(eight_bit_png(path)) if needs_conversion(path) else str(path)


CHART_TYPES = {"bar": "BAR_CLUSTERED", "column": "COLUMN_CLUSTERED", "line": "LINE_MARKERS", "pie": "PIE",
               "doughnut": "DOUGHNUT", "stacked-bar": "BAR_STACKED", "stacked-column": "COLUMN_STACKED"}


def _chart(shapes: Any, item: ChartFrame, deck: DeckPlan) -> None:
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION, XL_TICK_MARK
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Pt

    from .chart_workbook import TextCellsChartData

    data = TextCellsChartData(number_format=item.number_format)
    data.categories = [clean(c) for c in item.categories]
    for name, values in item.series:
        data.add_series(clean(name), values)
    frame = shapes.add_chart(getattr(XL_CHART_TYPE, CHART_TYPES[item.type]), Emu(item.box.left), Emu(item.box.top),
                             Emu(item.box.width), Emu(item.box.height), data)
    frame.name = clean(item.name)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", clean(item.alt))
    chart = frame.chart
    chart.font.size, chart.font.name = Pt(item.size), deck.font
    chart.has_title = False  # the slide title says what the chart shows
    round_chart = item.type in ("pie", "doughnut")
    chart.has_legend = len(item.series) > 1 or round_chart
    if chart.has_legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    plot = chart.plots[0]
    plot.vary_by_categories = round_chart
    if len(item.categories) <= 12:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.show_value = True  # python-pptx's doughnut comes with showVal="0": values would not show
        labels.number_format, labels.number_format_is_linked = item.number_format, False
        labels.font.size = Pt(item.size)
        # A data label stays on one line: LibreOffice would otherwise wrap "1,250,000" at a narrow width.
        labels._element.get_or_add_txPr().find(qn("a:bodyPr")).set("wrap", "none")
        if item.type == "pie":  # on the paper beside its slice: ink on a dark slice would be unreadable
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
        elif item.type == "doughnut":  # on the ring: each value in the paper's or the ink's colour, whichever reads
            for point, slot in zip(plot.series[0].points, _legible_on_accents(frame, len(item.categories))):
                point.data_label.font.color.theme_color = getattr(MSO_THEME_COLOR, SLOTS[slot])
                point.data_label.font.size = Pt(item.size)
    if not round_chart:
        if item.type.endswith("bar"):
            chart.category_axis.reverse_order = True  # read top to bottom in the source's order
        axis = chart.value_axis
        axis.has_major_gridlines = False
        if item.value_max is not None:
            axis.maximum_scale, axis.minimum_scale = item.value_max, 0  # room for the longest bar's label
        if plot.has_data_labels:  # labelled bars need no scale; the axis keeps only its title
            axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
            axis.major_tick_mark = XL_TICK_MARK.NONE
            axis.format.line.fill.background()
        if item.units:  # the unit said once, on the value axis, not in every label
            axis.has_title = True
            axis.axis_title.text_frame.text = clean(item.units)
            title_font = axis.axis_title.text_frame.paragraphs[0].runs[0].font
            title_font.size, title_font.bold, title_font.name = Pt(item.size), False, deck.font
        chart.category_axis.tick_labels.font.size = Pt(item.size)


def _legible_on_accents(frame: Any, count: int) -> list[str]:
    """For each of `count` slices coloured accent1, accent2 … (vary by category), the text slot
    ("bg1" paper or "tx1" ink) with the more contrast on it, from the deck's own theme colours."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    master = frame.part.slide_layout.slide_master
    scheme = etree.fromstring(master.part.part_related_by(RT.THEME).blob).find(".//a:clrScheme", {"a": A_NS})
    def colour(slot: str) -> str:
        holder = scheme.find(f"a:{slot}", {"a": A_NS})
        value = holder[0].get("val") if holder is not None and len(holder) else None
        value = holder[0].get("lastClr", value) if value and holder[0].tag.endswith("sysClr") else value
        return value or "808080"
    paper, ink = colour("lt1"), colour("dk1")
    slots = []
    for n in range(count):
        fill = colour(f"accent{n % 6 + 1}")
        slots.append("bg1" if _contrast(fill, paper) >= _contrast(fill, ink) else "tx1")
    return slots


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two RRGGBB colours."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _shape(shapes: Any, item: Shape) -> None:
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Pt

    box = item.box
    if item.kind == "line":
        shape = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(box.left), Emu(box.top), Emu(box.right), Emu(box.bottom))
    else:
        kind = MSO_SHAPE.OVAL if item.kind == "dot" else MSO_SHAPE.RECTANGLE
        shape = shapes.add_shape(kind, Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    style = shape._element.find(qn("p:style"))
    if style is not None:  # the theme's effect styles would add shadows; colours are set below
        shape._element.remove(style)
    if item.kind != "line":
        if item.fill:
            shape.fill.solid()
            shape.fill.fore_color.theme_color = getattr(MSO_THEME_COLOR, SLOTS[item.fill])
        else:
            shape.fill.background()
    if item.line:
        shape.line.color.theme_color = getattr(MSO_THEME_COLOR, SLOTS[item.line])
        shape.line.width = Pt(item.line_pt)
    else:
        shape.line.fill.background()
