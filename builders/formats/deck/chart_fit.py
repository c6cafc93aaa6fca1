"""Whether a native chart's labels fit it: category labels in their slots, data labels beside their bars.

One measurement, used twice: the planner fits each chart with it (smaller labels, horizontal bars,
room on the value axis) and a build whose chart still does not fit fails, located at the chart;
`triptych check --outputs` runs it again on the built deck's charts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from .line_metrics import LINE_HEIGHT
from .measure import Metrics

EMU_PER_PT = 12700
LABEL_BAND = 0.4  # at most this share of a bar chart's width goes to its category labels
PLOT_MARGIN = 0.05  # of each side: what renderers keep around the plot area
GAP = 0.5  # em between a bar's end and its data label
DATA_LABELS_UP_TO = 12  # categories: more, and the values are read off the axis instead


@dataclass(frozen=True)
class ChartSpec:
    """What the measurement needs of a chart (all sizes in points)."""

    type: str
    width: float
    height: float
    categories: tuple[str, ...]
    values: tuple[float, ...]  # every value of every series
    series: int
    labels: tuple[str, ...]  # the data labels as shown (formatted values)
    size: float  # label size
    legend: bool


def _lines(metrics: Metrics, text: str, size: float, width: float) -> int | None:
    """Lines `text` wraps to in `width` points; None when a word alone is wider."""
    words = text.split() or [""]
    if max(metrics.width(w, size) for w in words) > width:
        return None
    lines, used = 1, 0.0
    space = metrics.width(" ", size)
    for word in words:
        w = metrics.width(word, size)
        if used and used + space + w > width:
            lines, used = lines + 1, w
        else:
            used = used + space + w if used else w
    return lines


def band_width(spec: ChartSpec, metrics: Metrics) -> float:
    """The category-label band of a horizontal bar chart: its longest label, within LABEL_BAND."""
    widest = max((metrics.width(c, spec.size) for c in spec.categories), default=0.0)
    return min(widest + spec.size, spec.width * LABEL_BAND)


def value_room(spec: ChartSpec, metrics: Metrics) -> float:
    """The value axis maximum that leaves the longest data label room after the longest bar."""
    top = max(spec.values, default=0.0)
    if top <= 0 or not spec.labels:
        return top
    label = max(metrics.width(text, spec.size) for text in spec.labels) + GAP * spec.size
    if spec.type.endswith("bar"):
        plot = spec.width * (1 - 2 * PLOT_MARGIN) - band_width(spec, metrics)
    else:
        plot = spec.height * (1 - 2 * PLOT_MARGIN) - 3 * LINE_HEIGHT * spec.size
        label = LINE_HEIGHT * spec.size + GAP * spec.size
    if plot <= label:
        return top * 10
    needed = top * plot / (plot - label)
    magnitude = 10 ** math.floor(math.log10(needed))
    return math.ceil(needed / magnitude * 2) / 2 * magnitude  # a round number: 1,500 not 1,437


def problems(spec: ChartSpec, metrics: Metrics) -> list[str]:
    """Every label of the chart that would leave its room, as sentences; [] when all fit."""
    found: list[str] = []
    if spec.type in ("pie", "doughnut") or not spec.categories:
        return found
    legend = LINE_HEIGHT * spec.size * 1.5 if spec.legend else 0.0
    height = spec.height * (1 - 2 * PLOT_MARGIN) - legend
    if spec.type.endswith("bar"):
        band = band_width(spec, metrics)
        slot = height / len(spec.categories)
        for category in spec.categories:
            lines = _lines(metrics, category, spec.size, band)
            if lines is None or lines * LINE_HEIGHT * spec.size > slot:
                found.append(f'category label "{category}" does not fit beside its bar at {spec.size:g} pt')
    else:
        slot = spec.width * (1 - 2 * PLOT_MARGIN) / len(spec.categories)
        for category in spec.categories:
            lines = _lines(metrics, category, spec.size, slot * 0.9)
            if lines is None or lines > 3:
                found.append(f'category label "{category}" does not fit under its column at {spec.size:g} pt')
        bar = slot * 0.6 / max(1, spec.series)
        widest = max((metrics.width(text, spec.size) for text in spec.labels), default=0.0)
        if spec.labels and widest > bar + slot * 0.4 / max(1, spec.series):
            found.append(f"data labels ({max(spec.labels, key=len)}) are wider than their columns at {spec.size:g} pt")
    return found


def deck_problems(prs: Any, metrics_for: Callable[[str], Metrics]) -> list[str]:
    """Every chart of a built deck measured as the planner measured it: "slide N: …" lines."""
    found: list[str] = []
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if not getattr(shape, "has_chart", False):
                continue
            chart = shape.chart
            plot = chart.plots[0]
            kind = _kind_name(chart.chart_type)
            categories = tuple(str(c) for c in plot.categories)
            series = [tuple(v or 0.0 for v in s.values) for s in plot.series]
            size = chart.font.size.pt if chart.font.size else 18.0
            labels = ()
            if plot.has_data_labels:
                decimals = len(plot.data_labels.number_format.partition(".")[2].rstrip('"'))
                labels = tuple(f"{v:,.{decimals}f}" for s in series for v in s)
            spec = ChartSpec(kind, shape.width / EMU_PER_PT, shape.height / EMU_PER_PT, categories,
                             tuple(v for s in series for v in s), len(series), labels, size, chart.has_legend)
            found.extend(f"slide {number}: {p}" for p in problems(spec, metrics_for(chart.font.name or "")))
    return found


def _kind_name(chart_type: Any) -> str:
    name = str(chart_type).lower()
    for kind in ("doughnut", "pie", "line"):
        if kind in name:
            return kind
    return "bar" if "bar" in name else "column"
