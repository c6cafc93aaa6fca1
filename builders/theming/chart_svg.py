"""Data blocks drawn as vector charts (SVG) in the theme's colours and fonts.

Hand-written rather than a charting library: seven chart kinds fit in one small module,
cost nothing at start-up, come out byte-for-byte deterministic, use exactly the theme's
tokens, and are well-formed XML that the PDF and the e-book embed inline.
"""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup, escape

from ..core.labels import Labels
from ..core.model import Chart

WIDTH, HEIGHT = 520, 290
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 56, 20, 16, 44
DEFAULT_PALETTE = ["#14375E", "#B3261E", "#6A8CAF", "#D9A441", "#5B6670", "#9DB4C9"]


def chart_summary(chart: Chart, labels: Labels) -> str:
    """One sentence a screen reader can say instead of the picture, in the narrative's language."""
    unit = f" {chart.units}" if chart.units else ""
    parts = []
    for series in chart.series[:3]:
        pairs = list(zip(chart.categories, series.values))
        (high, high_value), (low, low_value) = max(pairs, key=lambda p: p[1]), min(pairs, key=lambda p: p[1])
        name = f"{series.name}: " if len(chart.series) > 1 else ""
        parts.append(name + labels("chart_extremes", high=high, high_value=labels.number(high_value) + unit,
                                   low=low, low_value=labels.number(low_value) + unit))
    subject = chart.title or chart.category_label
    kind = labels(f"chart_{chart.type}") + (f", {subject}" if subject else "")
    return labels("chart_summary", chart=kind, extremes="; ".join(parts))


def render_chart_svg(chart: Chart, theme: dict[str, Any], labels: Labels) -> Markup:
    """The chart as an inline <svg> with a title and a description for screen readers."""
    colors = theme.get("colors", {})
    palette = colors.get("chart") or DEFAULT_PALETTE
    style = _Style(
        palette=palette, ink=colors.get("ink", "#222222"), muted=colors.get("muted", "#666666"),
        rule=colors.get("rule", "#CCCCCC"), paper=colors.get("paper", "#FFFFFF"),
        font=theme.get("fonts", {}).get("heading", {}).get("family", "sans-serif"), labels=labels,
    )
    draw = {
        "bar": _bars, "stacked-bar": _bars, "column": _columns, "stacked-column": _columns,
        "line": _lines, "pie": _pie, "doughnut": _pie,
    }[chart.type]
    body = draw(chart, style)
    legend = _legend(chart, style)
    svg_id = f"chart-{chart.id}" if chart.id else "chart"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{svg_id}-t {svg_id}-d" '
        f'font-family="{escape(style.font)}, sans-serif" font-size="12">'
        f'<title id="{svg_id}-t">{escape(chart.title or labels("chart"))}</title>'
        f'<desc id="{svg_id}-d">{escape(chart_summary(chart, labels))}</desc>'
        f"{body}{legend}</svg>"
    )


class _Style:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def color(self, index: int) -> str:
        return self.palette[index % len(self.palette)]


def nice_scale(high: float, low: float = 0.0, ticks: int = 5) -> tuple[float, float, float]:
    """(low, high, step) rounded outward to 1-2-2.5-5 multiples of a power of ten."""
    high, low = max(high, 0.0), min(low, 0.0)
    span = high - low or 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _fmt(value: float, style: _Style) -> str:
    """A value with the language's separators; thousands without decimals."""
    return style.labels.number(round(value) if abs(value) >= 1000 else float(f"{value:g}"))


def _text(x: float, y: float, text: str, style: _Style, anchor: str = "middle", size: int = 12,
          weight: str = "normal", fill: str | None = None) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-weight="{weight}" fill="{fill or style.ink}">{escape(text)}</text>')


def _plot_area(chart: Chart) -> tuple[float, float, float, float]:
    bottom = PAD_BOTTOM + (24 if len(chart.series) > 1 else 0)
    return PAD_LEFT, PAD_TOP, WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - bottom


def _totals(chart: Chart, stacked: bool) -> tuple[float, float]:
    if stacked:
        sums = [sum(max(s.values[i], 0) for s in chart.series) for i in range(len(chart.categories))]
        lows = [sum(min(s.values[i], 0) for s in chart.series) for i in range(len(chart.categories))]
        return max(sums, default=0), min(lows, default=0)
    values = [v for s in chart.series for v in s.values]
    return max(values, default=0), min(values, default=0)


def _segments(values: list[float], stacked: bool) -> list[tuple[int, float, float, float]]:
    """(series, value, low end, high end) of each bar of one category, in data units: side by
    side every bar starts at zero; stacked, positives pile up from zero and negatives down."""
    out, up, down = [], 0.0, 0.0
    for j, value in enumerate(values):
        if not stacked:
            out.append((j, value, min(value, 0.0), max(value, 0.0)))
        elif value >= 0:
            out.append((j, value, up, up + value))
            up += value
        else:
            out.append((j, value, down + value, down))
            down += value
    return out


def _columns(chart: Chart, style: _Style) -> str:
    stacked = chart.type == "stacked-column"
    x0, y0, width, height = _plot_area(chart)
    low, high, step = nice_scale(*_totals(chart, stacked))
    scale = height / (high - low)
    zero = y0 + high * scale
    out = [_value_grid_horizontal(x0, y0, width, height, low, high, step, style, chart.units)]
    groups = len(chart.categories)
    slot = width / max(groups, 1)
    bar_count = 1 if stacked else len(chart.series)
    bar = min(slot * 0.7 / bar_count, 56)
    for i, category in enumerate(chart.categories):
        left = x0 + slot * i + (slot - bar * bar_count) / 2
        for j, value, lo, hi in _segments([s.values[i] for s in chart.series], stacked):
            x = left if stacked else left + j * bar
            y, h = zero - hi * scale, (hi - lo) * scale
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{style.color(j)}"/>')
            if not stacked and bar >= 22:
                out.append(_text(x + bar / 2, y - 4 if value >= 0 else y + h + 12, _fmt(value, style), style, size=11))
        out.append(_text(x0 + slot * (i + 0.5), y0 + height + 16, category, style, size=11))
    return "".join(out)


def _bars(chart: Chart, style: _Style) -> str:
    stacked = chart.type == "stacked-bar"
    label_width = min(190, 12 + 6.4 * max((len(c) for c in chart.categories), default=4))
    x0, y0, width, height = _plot_area(chart)
    x0, width = x0 - PAD_LEFT + label_width, width + PAD_LEFT - label_width
    low, high, step = nice_scale(*_totals(chart, stacked))
    scale = width / (high - low)
    zero = x0 - low * scale
    out = []
    tick = low
    while tick <= high + step / 2:
        x = zero + tick * scale
        out.append(f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y0 + height:.1f}" stroke="{style.rule}" stroke-width="0.8"/>')
        out.append(_text(x, y0 + height + 16, _fmt(tick, style), style, size=10, fill=style.muted))
        tick += step
    if chart.units:
        out.append(_text(x0 + width, y0 + height + 32, chart.units, style, anchor="end", size=10, fill=style.muted))
    rows = len(chart.categories)
    slot = height / max(rows, 1)
    bar_count = 1 if stacked else len(chart.series)
    bar = min(slot * 0.7 / bar_count, 34)
    for i, category in enumerate(chart.categories):
        top = y0 + slot * i + (slot - bar * bar_count) / 2
        for j, value, lo, hi in _segments([s.values[i] for s in chart.series], stacked):
            y = top if stacked else top + j * bar
            x, w = zero + lo * scale, (hi - lo) * scale
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar:.1f}" fill="{style.color(j)}"/>')
            if not stacked:
                out.append(_text(x + w + 5, y + bar / 2 + 4, _fmt(value, style), style, anchor="start", size=11))
        out.append(_text(x0 - 8, y0 + slot * (i + 0.5) + 4, category, style, anchor="end", size=11))
    return "".join(out)


def _lines(chart: Chart, style: _Style) -> str:
    x0, y0, width, height = _plot_area(chart)
    low, high, step = nice_scale(*_totals(chart, False))
    scale = height / (high - low)
    out = [_value_grid_horizontal(x0, y0, width, height, low, high, step, style, chart.units)]
    count = len(chart.categories)
    gap = width / max(count - 1, 1) if count > 1 else 0
    xs = [x0 + (gap * i if count > 1 else width / 2) for i in range(count)]
    for j, series in enumerate(chart.series):
        points = " ".join(f"{x:.1f},{y0 + (high - v) * scale:.1f}" for x, v in zip(xs, series.values))
        out.append(f'<polyline points="{points}" fill="none" stroke="{style.color(j)}" stroke-width="2.5" stroke-linejoin="round"/>')
        for x, v in zip(xs, series.values):
            out.append(f'<circle cx="{x:.1f}" cy="{y0 + (high - v) * scale:.1f}" r="3.5" fill="{style.color(j)}"/>')
    every = max(1, math.ceil(count / 10))
    for i, category in enumerate(chart.categories):
        if i % every == 0:
            out.append(_text(xs[i], y0 + height + 16, category, style, size=11))
    return "".join(out)


def _pie(chart: Chart, style: _Style) -> str:
    values = [max(v, 0.0) for v in chart.series[0].values]
    total = sum(values) or 1.0
    cx, cy, radius = 140, HEIGHT / 2, 115
    inner = radius * 0.55 if chart.type == "doughnut" else 0
    out, angle = [], -math.pi / 2
    for i, value in enumerate(values):
        sweep = 2 * math.pi * value / total
        out.append(_slice(cx, cy, radius, inner, angle, sweep, style.color(i), style.paper))
        angle += sweep
    legend_x, top = 285, cy - 11 * len(values)
    for i, (category, value) in enumerate(zip(chart.categories, values)):
        y = top + 22 * i
        out.append(f'<rect x="{legend_x}" y="{y - 10:.1f}" width="12" height="12" fill="{style.color(i)}"/>')
        share = style.labels.percent(value / total)
        out.append(_text(legend_x + 20, y, f"{category} — {_fmt(value, style)} ({share})", style, anchor="start", size=12))
    return "".join(out)


def _slice(cx: float, cy: float, r: float, inner: float, start: float, sweep: float, fill: str, edge: str) -> str:
    if sweep >= 2 * math.pi - 1e-9:  # a full circle cannot be drawn as one arc
        hole = f'<circle cx="{cx}" cy="{cy}" r="{inner:.1f}" fill="{edge}"/>' if inner else ""
        return f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}"/>{hole}'
    end = start + sweep
    large = 1 if sweep > math.pi else 0
    p = lambda radius, a: f"{cx + radius * math.cos(a):.2f},{cy + radius * math.sin(a):.2f}"  # noqa: E731
    if inner:
        d = f"M{p(r, start)} A{r},{r} 0 {large} 1 {p(r, end)} L{p(inner, end)} A{inner:.1f},{inner:.1f} 0 {large} 0 {p(inner, start)} Z"
    else:
        d = f"M{cx},{cy} L{p(r, start)} A{r},{r} 0 {large} 1 {p(r, end)} Z"
    return f'<path d="{d}" fill="{fill}" stroke="{edge}" stroke-width="1.5"/>'


def _value_grid_horizontal(x0: float, y0: float, width: float, height: float, low: float, high: float,
                           step: float, style: _Style, units: str) -> str:
    out = []
    tick = low
    scale = height / (high - low)
    while tick <= high + step / 2:
        y = y0 + (high - tick) * scale
        weight = "1.2" if abs(tick) < 1e-9 else "0.8"
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + width:.1f}" y2="{y:.1f}" stroke="{style.rule}" stroke-width="{weight}"/>')
        out.append(_text(x0 - 8, y + 4, _fmt(tick, style), style, anchor="end", size=10, fill=style.muted))
        tick += step
    if units:
        out.append(_text(x0 - 8, y0 - 4 if y0 > 14 else 12, units, style, anchor="start", size=10, fill=style.muted))
    return "".join(out)


def _legend(chart: Chart, style: _Style) -> str:
    if len(chart.series) < 2 or chart.type in ("pie", "doughnut"):
        return ""
    out, x = [], PAD_LEFT
    y = HEIGHT - 12
    for j, series in enumerate(chart.series):
        out.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{style.color(j)}"/>')
        out.append(_text(x + 18, y, series.name, style, anchor="start", size=11))
        x += 40 + 7 * len(series.name)
    return "".join(out)
