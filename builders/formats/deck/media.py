"""Figures and charts: the image or native chart under the title, caption and credit beside or below."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...core import model as m
from .digest import bullet, sentences
from .flow import TEXT_INSETS, Typesetter, fit_size, fits, inner, last_resort, scaled, truncate
from .frames import GLYPH_RESERVE, ChartFrame, Para, Picture, Run, TextFrame
from .geometry import EMU_PER_IN, EMU_PER_PT, Box
from .mapping import resolve
from .measure import LINE_HEIGHT
from .planning import Planning

GUTTER = int(0.12 * EMU_PER_IN)


def figure_slide(pl: Planning, figure: m.Figure, section_title: str) -> None:
    """The image fitted whole into its placeholder (never stretched or cropped), caption and credit beside it."""
    kind, layout = pl.kind("figure")
    title_ph, pic_ph, cap_ph = (resolve(kind, layout, r) for r in ("title", "picture", "caption"))
    caption = " ".join(m.plain_text(figure.caption).split())
    parts = sentences(caption)
    title = bullet(parts[0], 14) if parts else section_title
    rest = " ".join(parts[1:])
    area = pic_ph.box if pic_ph else pl.free_area(layout)
    items: list[Any] = [pl.title_frame(title_ph, title)]
    credit_size = pl.size("credit")[0]
    if cap_ph:
        paras = []
        if rest:
            paras.append(pl.para(cap_ph, [Run(rest)], pl.size("caption")[0], first=True))
        if figure.credit:
            paras.append(pl.para(cap_ph, [Run(figure.credit)], credit_size, first=not paras, color="accent5"))
        if paras:
            items.append(_caption_frame(pl, cap_ph, paras))
    elif figure.credit:
        # No caption placeholder: the credit runs in small print under the picture.
        strip = int(credit_size * (2 * LINE_HEIGHT + 2 * GLYPH_RESERVE) * EMU_PER_PT) + TEXT_INSETS[1] + TEXT_INSETS[3]
        credit_box = Box(area.left, area.bottom - strip, area.width, strip)
        area = Box(area.left, area.top, area.width, area.height - strip)
        para = Para((Run(figure.credit),), credit_size, color="accent5")
        width, _ = inner(credit_box, TEXT_INSETS)
        items.append(TextFrame(credit_box, (truncate(Typesetter(pl.metrics), para, width, 2),), None, TEXT_INSETS, "t",
                               role="credit"))
    items.append(Picture(area.fit(figure.width, figure.height), figure.src, figure.alt, pic_ph.idx if pic_ph else None))
    notes = "\n\n".join(filter(None, [caption, figure.alt if figure.alt != caption else "", figure.credit]))
    pl.add("figure", layout, items, notes)


def _caption_frame(pl: Planning, ph: Any, paras: list[Para]) -> TextFrame:
    """Caption shrunk within bounds, then shortened line by line; the credit is the last to give way."""
    setter = pl.setter(ph)
    largest, smallest = pl.size("caption")
    found = fit_size(setter, tuple(paras), ph.box, ph.style.insets, largest, smallest)
    if found:
        return pl.frame(ph, found[1], role="caption")
    small = list(scaled(paras, smallest, largest))
    width, _ = inner(ph.box, ph.style.insets)
    while len(small) > 1 and not fits(setter, small, ph.box, ph.style.insets):
        lines = setter.line_count(small[0], width)
        if lines > 1:
            small[0] = truncate(setter, small[0], width, lines - 1)
        else:
            small.pop(0)
            small[0] = replace(small[0], space_before=0.0)
    return pl.frame(ph, last_resort(setter, small, ph.box, ph.style.insets), role="caption")


def chart_slide(pl: Planning, chart: m.Chart, section_title: str) -> None:
    """A data block as a native chart under the slide title; caption and source in small print below."""
    kind, layout = pl.kind("chart")
    title_ph, area_ph = resolve(kind, layout, "title"), resolve(kind, layout, "area")
    area = area_ph.box if area_ph else pl.free_area(layout)
    caption = " ".join(m.plain_text(chart.caption).split())
    title = chart.title or (bullet(sentences(caption)[0], 14) if caption else section_title)
    size = pl.size("caption")[0]
    paras = [Para((Run(caption),), size)] if caption and chart.title else []
    if chart.source:
        paras.append(Para((Run(f"{pl.labels['source']}: {chart.source}"),), size, color="accent5",
                          space_before=0.0 if not paras else round(size * 0.3, 1)))
    items: list[Any] = [pl.title_frame(title_ph, title)]
    if paras:
        setter = Typesetter(pl.metrics)
        strip = Box(area.left, area.top, area.width, area.height // 3)
        kept = last_resort(setter, paras, strip, TEXT_INSETS)
        width, _ = inner(strip, TEXT_INSETS)
        height = int(setter.height(kept, width) * EMU_PER_PT) + TEXT_INSETS[1] + TEXT_INSETS[3] + 1
        text_box = Box(area.left, area.bottom - height, area.width, height)
        items.append(TextFrame(text_box, tuple(kept), None, TEXT_INSETS, "b", role="caption"))
        area = Box(area.left, area.top, area.width, area.height - height - GUTTER)
    decimals = max((len(f"{v:g}".partition(".")[2]) for s in chart.series for v in s.values), default=0)
    number_format = "#,##0" + ("." + "0" * min(decimals, 3) if decimals else "")
    units = chart.units.replace('"', "").replace("\\", "")
    if units and chart.type not in ("pie", "doughnut"):
        number_format += f'" {units}"'  # the labels carry the unit: "95 km"
    items.append(ChartFrame(area, chart.type, tuple(chart.categories),
                            tuple((s.name, tuple(s.values)) for s in chart.series), pl.size("chart")[0], number_format,
                            area_ph.idx if area_ph else None, title[:60], chart.summary()))
    unit = f" {chart.units}" if chart.units else ""
    rows = [f"{c}: " + "; ".join(f"{s.name} {s.values[i]:g}{unit}" for s in chart.series) for i, c in enumerate(chart.categories)]
    pl.add("chart", layout, items, "\n\n".join(filter(None, [chart.summary(), caption, chart.source and f"Source: {chart.source}",
                                                            "\n".join(rows)])))
