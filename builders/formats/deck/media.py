"""Figures and charts: the image or native chart under the title, caption and credit beside or below."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from ...core import model as m
from ...theming.chart_svg import chart_summary
from .digest import point, slide_text
from .sentences import sentences
from .flow import FLOOR_PT, TEXT_INSETS, Typesetter, inner, scaled
from .chart_fit import DATA_LABELS_UP_TO, ChartSpec, value_room
from .chart_fit import problems as chart_problems
from .frames import ChartFrame, Para, Picture, Run, TextFrame
from .geometry import EMU_PER_IN, EMU_PER_PT, Box
from .mapping import resolve
from .planning import Planning

GUTTER = int(0.12 * EMU_PER_IN)
ROUND_CHARTS = ("pie", "doughnut")  # no value axis: their unit goes in the small print below


def figure_slide(pl: Planning, figure: m.Figure, section_title: str) -> None:
    """The image fitted whole into its placeholder (never stretched or cropped), caption and credit beside it."""
    kind, layout = pl.kind("figure")
    title_ph, pic_ph, cap_ph = (resolve(kind, layout, r) for r in ("title", "picture", "caption"))
    caption = slide_text(figure.caption)
    title, rest = section_title, caption
    first = sentences(caption)[0] if caption else ""
    if first and pl.title_fits(title_ph, point(first)):  # the caption's first sentence names the figure
        title, rest = point(first), caption[len(first):].strip()
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
            items.append(pl.fitted_sentences(cap_ph, paras, "caption", box=pl.room_below(layout, cap_ph)))
    elif rest or figure.credit:
        # No caption placeholder: caption and credit run in small print under the picture.
        paras = [Para((Run(rest),), credit_size)] if rest else []
        if figure.credit:
            paras.append(Para((Run(figure.credit),), credit_size, color="accent5"))
        text_box, area = _strip_below(pl, area, paras)
        items.append(text_box)
    items.append(Picture(area.fit(figure.width, figure.height), figure.src, figure.alt, pic_ph.idx if pic_ph else None))
    notes = "\n\n".join(filter(None, [caption, figure.alt if figure.alt != caption else "", figure.credit]))
    pl.add("figure", layout, items, notes)


def _strip_below(pl: Planning, area: Box, paras: list[Para]) -> tuple[TextFrame, Box]:
    """Small print at the foot of `area`, as tall as its whole text needs (at most a third of
    the area, the type smaller if it must be), and the area left above it."""
    setter = Typesetter(pl.metrics)
    width, _ = inner(area, TEXT_INSETS)
    largest = max(p.size for p in paras)
    size = largest
    chosen = tuple(paras)
    while size > FLOOR_PT:
        chosen = scaled(paras, size, largest)
        if setter.height(chosen, width) * EMU_PER_PT <= area.height // 3:
            break
        size -= 1
    height = int(setter.height(chosen, width) * EMU_PER_PT) + TEXT_INSETS[1] + TEXT_INSETS[3] + 1
    text_box = Box(area.left, area.bottom - height, area.width, height)
    return (TextFrame(text_box, tuple(chosen), None, TEXT_INSETS, "b", role="caption"),
            Box(area.left, area.top, area.width, area.height - height - GUTTER))


def chart_title(chart: m.Chart, fits: Callable[[str], bool] | None = None) -> tuple[str, str]:
    """(slide title, caption left for the slide): the chart's own title, else its caption's lead
    sentence, else what its data is called — never the heading the chart happens to sit under."""
    caption = slide_text(chart.caption)
    if chart.title:
        return chart.title, caption
    names = [s.name for s in chart.series if s.name]
    named = names[0] if len(names) == 1 else chart.category_label or ", ".join(names)
    first = sentences(caption)[0] if caption else ""
    if first and (fits is None or fits(point(first))):
        return point(first), caption[len(first):].strip()
    return named, caption


def chart_slide(pl: Planning, chart: m.Chart, section_title: str) -> None:
    """A data block as a native chart under the slide title; caption, unit and source in small print below."""
    kind, layout = pl.kind("chart")
    title_ph, area_ph = resolve(kind, layout, "title"), resolve(kind, layout, "area")
    area = area_ph.box if area_ph else pl.free_area(layout)
    title, caption = chart_title(chart, lambda text: pl.title_fits(title_ph, text))
    title = title or section_title
    size = pl.size("caption")[0]
    paras = [Para((Run(caption),), size)] if caption else []
    if chart.units and chart.type in ROUND_CHARTS:  # the unit heads the small print
        paras = [Para((Run(chart.units),), size, color="accent5"),
                 *(replace(p, space_before=round(size * 0.3, 1)) for p in paras)]
    if chart.source:
        paras.append(Para((Run(pl.labels("source_line", source=chart.source)),), size, color="accent5",
                          space_before=0.0 if not paras else round(size * 0.3, 1)))
    items: list[Any] = [pl.title_frame(title_ph, title)]
    if paras:
        text_box, area = _strip_below(pl, area, paras)
        items.append(text_box)
    decimals = min(3, max((_decimals(v) for s in chart.series for v in s.values), default=0))
    number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
    kind, size, value_max = _fitted_chart(pl, chart, area, decimals)
    items.append(ChartFrame(area, kind, tuple(chart.categories),
                            tuple((s.name, tuple(s.values)) for s in chart.series), size, number_format,
                            area_ph.idx if area_ph else None, title[:60], chart_summary(chart, pl.labels), chart.units, value_max))
    unit = f" {chart.units}" if chart.units else ""
    full_caption = slide_text(chart.caption)
    rows = [f"{c}: " + "; ".join(f"{s.name} {pl.labels.number(s.values[i])}{unit}" for s in chart.series) for i, c in enumerate(chart.categories)]
    pl.add("chart", layout, items, "\n\n".join(filter(None, [chart_summary(chart, pl.labels), full_caption,
                                                            chart.source and pl.labels("source_line", source=chart.source), "\n".join(rows)])))


CHART_FLOOR_PT = 12.0  # chart labels may go this small before the chart is reported as not fitting


def chart_spec(kind: str, area: Box, categories: tuple[str, ...], series: list[tuple[float, ...]], size: float,
               decimals: int) -> ChartSpec:
    values = tuple(v for s in series for v in s)
    labelled = len(categories) <= DATA_LABELS_UP_TO and kind not in ("pie", "doughnut")
    labels = tuple(f"{v:,.{decimals}f}" for v in values) if labelled else ()
    return ChartSpec(kind, area.width / EMU_PER_PT, area.height / EMU_PER_PT, categories, values, len(series), labels,
                     size, len(series) > 1)


def _fitted_chart(pl: Planning, chart: m.Chart, area: Box, decimals: int) -> tuple[str, float, float | None]:
    """(chart type, label size, value axis maximum) at which every label fits: the author's type at
    the largest size, else columns turned into horizontal bars (long labels read there), else
    smaller labels. A chart that fits no way fails the build, located at the chart."""
    largest = pl.size("chart")[0]
    kinds = [chart.type] + ([chart.type.replace("column", "bar")] if "column" in chart.type else [])
    series = [tuple(s.values) for s in chart.series]
    found: list[str] = []
    size = largest
    while size >= CHART_FLOOR_PT:
        for kind in kinds:
            spec = chart_spec(kind, area, tuple(chart.categories), series, size, decimals)
            found = chart_problems(spec, pl.metrics)
            if not found:
                room = value_room(spec, pl.metrics) if spec.labels and min(spec.values, default=0) >= 0 else None
                return kind, size, room
        size -= 1
    pl.problem(chart.location, "the chart does not fit its slide: " + "; ".join(found[:3]))
    return chart.type, CHART_FLOOR_PT, None


def _decimals(value: float) -> int:
    """Digits after the point the author wrote (1250000 → 0, 2.75 → 2), not "%g"'s exponent."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        return 0 if float(value).is_integer() else 3
    return len(text.partition(".")[2].rstrip("0"))
