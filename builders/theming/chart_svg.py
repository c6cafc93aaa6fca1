"""Data blocks drawn as vector charts (SVG) in the theme's colours and fonts.

Hand-written rather than a charting library: seven chart kinds fit in one small module,
cost nothing at start-up, come out byte-for-byte deterministic, use exactly the theme's
tokens, and are well-formed XML that the PDF and the e-book embed inline.

Every label is given the room it needs, never clipped by the picture's edge: the plot area
shrinks for the widest value and tick labels, long category names wrap, and the picture
grows taller for them. The e-book draws on a narrower canvas with larger type, so that a
chart scaled to a phone's width still has readable labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from markupsafe import Markup, escape

from ..core.labels import Labels
from ..core.model import Chart

WIDTH, HEIGHT = 520, 290
NARROW_WIDTH, NARROW_HEIGHT = 380, 300  # the e-book's canvas
PAD_RIGHT, PAD_TOP, GAP = 12, 16, 8
DEFAULT_PALETTE = ["#14375E", "#B3261E", "#6A8CAF", "#D9A441", "#5B6670", "#9DB4C9"]
# Average advance of a sans-serif glyph in em, a little generous: labels measured with it
# get room to spare rather than too little (digits and caps are the widest common glyphs).
EM_PER_CHAR = 0.6
LINE = 1.2


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


def render_chart_svg(chart: Chart, theme: dict[str, Any], labels: Labels, narrow: bool = False,
                     fallbacks: Sequence[str] = ()) -> Markup:
    """The chart as an inline <svg> with a title and a description for screen readers; `fallbacks`
    are the families that draw the scripts the theme's own font lacks."""
    colors = theme.get("colors", {})
    family = theme.get("fonts", {}).get("heading", {}).get("family", "sans-serif")
    style = _Style(
        palette=colors.get("chart") or DEFAULT_PALETTE, ink=colors.get("ink", "#222222"),
        muted=colors.get("muted", "#666666"), rule=colors.get("rule", "#CCCCCC"), paper=colors.get("paper", "#FFFFFF"),
        width=NARROW_WIDTH if narrow else WIDTH, height=NARROW_HEIGHT if narrow else HEIGHT, scale=1.25 if narrow else 1.0,
        labels=labels,
    )
    draw = {
        "bar": _bars, "stacked-bar": _bars, "column": _columns, "stacked-column": _columns,
        "line": _lines, "pie": _pie, "doughnut": _pie,
    }[chart.type]
    legend, legend_height = _legend(chart, style)
    body, height = draw(chart, style, legend_height)
    svg_id = f"chart-{chart.id}" if chart.id else "chart"
    # A family name is quoted: unquoted, "Source Sans 3" is invalid CSS and readers fall back to serif.
    # No space after the commas: WeasyPrint's SVG reader strips quotes, not spaces, from each name.
    font = ",".join([*(f"'{f}'" for f in [family, *fallbacks] if f != "sans-serif"), "sans-serif"])
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {style.width} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{svg_id}-t {svg_id}-d" '
        f'font-family="{escape(font)}" font-size="{style.size(12):g}">'
        f'<title id="{svg_id}-t">{escape(chart.title or labels("chart"))}</title>'
        f'<desc id="{svg_id}-d">{escape(chart_summary(chart, labels))}</desc>'
        f"{body}{_shifted(legend, height - legend_height)}</svg>"
    )


@dataclass
class _Style:
    palette: list[str]
    ink: str
    muted: str
    rule: str
    paper: str
    width: int
    height: int
    scale: float
    labels: Labels

    def color(self, index: int) -> str:
        return self.palette[index % len(self.palette)]

    def size(self, points: float) -> float:
        return round(points * self.scale, 1)


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of `text` set at `size` (no font at hand here)."""
    return len(text) * size * EM_PER_CHAR


def wrap(text: str, size: float, room: float) -> list[str]:
    """`text` in lines no wider than `room`, broken at spaces (a longer word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def nice_scale(high: float, low: float = 0.0, ticks: int = 5) -> tuple[float, float, float]:
    """(low, high, step) rounded outward to 1-2-2.5-5 multiples of a power of ten."""
    high, low = max(high, 0.0), min(low, 0.0)
    span = high - low or 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _ticks(low: float, high: float, step: float) -> list[float]:
    count = int(round((high - low) / step))
    return [low + i * step for i in range(count + 1)]


def _fmt(value: float, style: _Style) -> str:
    """A value with the language's separators; thousands without decimals."""
    return style.labels.number(round(value) if abs(value) >= 1000 else float(f"{value:g}"))


def _text(x: float, y: float, text: str | list[str], style: _Style, anchor: str = "middle", size: float = 12,
          weight: str = "normal", fill: str | None = None) -> str:
    """One label; a list of lines is set as tspans, the first line's baseline at `y`."""
    lines = [text] if isinstance(text, str) else text
    head = (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size:g}" '
            f'font-weight="{weight}" fill="{fill or style.ink}">')
    if len(lines) == 1:
        return f"{head}{escape(lines[0])}</text>"
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * LINE:.1f}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f"{head}{spans}</text>"


def _shifted(svg: str, dy: float) -> str:
    return f'<g transform="translate(0 {dy:.1f})">{svg}</g>' if svg else ""


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


def _value_axis_room(chart: Chart, style: _Style, low: float, high: float, step: float) -> float:
    """Left margin for the value axis: its widest tick label (or the units above it)."""
    widest = max(text_width(_fmt(t, style), style.size(10)) for t in _ticks(low, high, step))
    return max(widest, text_width(chart.units, style.size(10)) - GAP) + GAP + 4


def _columns(chart: Chart, style: _Style, legend_height: float) -> tuple[str, float]:
    stacked = chart.type == "stacked-column"
    low, high, step = nice_scale(*_totals(chart, stacked))
    x0 = _value_axis_room(chart, style, low, high, step)
    width = style.width - x0 - PAD_RIGHT
    groups = len(chart.categories)
    slot = width / max(groups, 1)
    label_size = style.size(11)
    labels = [wrap(c, label_size, slot - 4) for c in chart.categories]
    label_height = max(len(lines) for lines in labels) * label_size * LINE
    y0 = PAD_TOP + label_size * LINE  # room for a value label over the tallest column
    height = style.height - y0 - label_height - GAP * 2 - legend_height
    scale = height / (high - low)
    zero = y0 + high * scale
    out = [_value_grid_horizontal(x0, y0, width, height, low, high, step, style, chart.units)]
    bar_count = 1 if stacked else len(chart.series)
    bar = min(slot * 0.7 / bar_count, 56)
    for i, lines in enumerate(labels):
        left = x0 + slot * i + (slot - bar * bar_count) / 2
        for j, value, lo, hi in _segments([s.values[i] for s in chart.series], stacked):
            x = left if stacked else left + j * bar
            y, h = zero - hi * scale, (hi - lo) * scale
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{style.color(j)}"/>')
            label = _fmt(value, style)
            if not stacked and text_width(label, label_size) <= slot / bar_count + 4:
                out.append(_text(x + bar / 2, y - 4 if value >= 0 else y + h + label_size, label, style, size=label_size))
        out.append(_text(x0 + slot * (i + 0.5), y0 + height + GAP + label_size, lines, style, size=label_size))
    return "".join(out), style.height


def _bars(chart: Chart, style: _Style, legend_height: float) -> tuple[str, float]:
    stacked = chart.type == "stacked-bar"
    label_size, tick_size = style.size(11), style.size(10)
    low, high, step = nice_scale(*_totals(chart, stacked))
    # Category names take up to 38 % of the width, wrapping beyond it.
    widest = max((text_width(c, label_size) for c in chart.categories), default=0)
    label_room = min(widest, style.width * 0.38)
    labels = [wrap(c, label_size, label_room) for c in chart.categories]
    x0 = label_room + GAP + 4
    values = [] if stacked else [_fmt(v, style) for s in chart.series for v in s.values]
    value_room = max((text_width(v, label_size) for v in values), default=0) + 5
    tick_room = text_width(_fmt(high, style), tick_size) / 2
    width = style.width - x0 - max(value_room, tick_room) - PAD_RIGHT
    scale = width / (high - low)
    zero = x0 - low * scale
    rows = len(chart.categories)
    bar_count = 1 if stacked else len(chart.series)
    line_height = label_size * LINE
    slot = max(max((len(lines) for lines in labels), default=1) * line_height + 6, 12.0 * bar_count)
    y0 = PAD_TOP
    height = max(style.height - y0 - 44 - legend_height, slot * rows)
    slot = height / max(rows, 1)
    bar = min(slot * 0.7 / bar_count, 34)
    out = []
    for tick in _ticks(low, high, step):
        x = zero + tick * scale
        out.append(f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y0 + height:.1f}" stroke="{style.rule}" stroke-width="0.8"/>')
        out.append(_text(x, y0 + height + 16, _fmt(tick, style), style, size=tick_size, fill=style.muted))
    if chart.units:
        out.append(_text(x0 + width, y0 + height + 32, chart.units, style, anchor="end", size=tick_size, fill=style.muted))
    for i, lines in enumerate(labels):
        top = y0 + slot * i + (slot - bar * bar_count) / 2
        for j, value, lo, hi in _segments([s.values[i] for s in chart.series], stacked):
            y = top if stacked else top + j * bar
            x, w = zero + lo * scale, (hi - lo) * scale
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar:.1f}" fill="{style.color(j)}"/>')
            if not stacked:
                out.append(_text(x + w + 5, y + bar / 2 + label_size * 0.35, _fmt(value, style), style, anchor="start", size=label_size))
        first = y0 + slot * (i + 0.5) + label_size * 0.35 - (len(lines) - 1) * line_height / 2
        out.append(_text(x0 - GAP, first, lines, style, anchor="end", size=label_size))
    return "".join(out), y0 + height + 44 + legend_height


def _lines(chart: Chart, style: _Style, legend_height: float) -> tuple[str, float]:
    low, high, step = nice_scale(*_totals(chart, False))
    label_size = style.size(11)
    count = len(chart.categories)
    every = max(1, math.ceil(count / (6 if style.scale > 1 else 10)))
    shown = [c for i, c in enumerate(chart.categories) if i % every == 0]
    x0 = max(_value_axis_room(chart, style, low, high, step), text_width(chart.categories[0], label_size) / 2 + 4)
    right = max(PAD_RIGHT, text_width(chart.categories[-1], label_size) / 2 + 4) if count > 1 else PAD_RIGHT
    width = style.width - x0 - right
    gap = width / max(count - 1, 1) if count > 1 else 0
    room = gap * every - 4 if count > 1 else width
    labels = [wrap(c, label_size, room) for c in shown]
    label_height = max(len(lines) for lines in labels) * label_size * LINE
    y0 = PAD_TOP
    height = style.height - y0 - label_height - GAP * 2 - legend_height
    scale = height / (high - low)
    out = [_value_grid_horizontal(x0, y0, width, height, low, high, step, style, chart.units)]
    xs = [x0 + (gap * i if count > 1 else width / 2) for i in range(count)]
    for j, series in enumerate(chart.series):
        points = " ".join(f"{x:.1f},{y0 + (high - v) * scale:.1f}" for x, v in zip(xs, series.values))
        out.append(f'<polyline points="{points}" fill="none" stroke="{style.color(j)}" stroke-width="2.5" stroke-linejoin="round"/>')
        for x, v in zip(xs, series.values):
            out.append(f'<circle cx="{x:.1f}" cy="{y0 + (high - v) * scale:.1f}" r="3.5" fill="{style.color(j)}"/>')
    for n, lines in enumerate(labels):
        out.append(_text(xs[n * every], y0 + height + GAP + label_size, lines, style, size=label_size))
    return "".join(out), style.height


def _pie(chart: Chart, style: _Style, legend_height: float) -> tuple[str, float]:
    values = [max(v, 0.0) for v in chart.series[0].values]
    total = sum(values) or 1.0
    size = style.size(12)
    radius = 115
    beside = style.width >= 480  # a wide canvas sets the key beside the pie, a narrow one below it
    cx, cy = (PAD_RIGHT + radius + 13, style.height / 2) if beside else (style.width / 2, PAD_TOP + radius)
    inner = radius * 0.55 if chart.type == "doughnut" else 0
    out, angle = [], -math.pi / 2
    for i, value in enumerate(values):
        sweep = 2 * math.pi * value / total
        out.append(_slice(cx, cy, radius, inner, angle, sweep, style.color(i), style.paper))
        angle += sweep
    key_x = cx + radius + 30 if beside else PAD_RIGHT
    room = style.width - key_x - 20 - PAD_RIGHT
    keys = [wrap(f"{c} — {_fmt(v, style)} ({style.labels.percent(v / total)})", size, room) for c, v in zip(chart.categories, values)]
    key_height = sum(len(k) * size * LINE + 6 for k in keys)
    y = (cy - key_height / 2 if beside else cy + radius + 20) + size
    for i, lines in enumerate(keys):
        out.append(f'<rect x="{key_x}" y="{y - size * 0.85:.1f}" width="12" height="12" fill="{style.color(i)}"/>')
        out.append(_text(key_x + 20, y, lines, style, anchor="start", size=size))
        y += len(lines) * size * LINE + 6
    bottom = max(style.height, y + GAP) if not beside else max(style.height, cy + key_height / 2 + PAD_TOP)
    return "".join(out), bottom


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
    scale = height / (high - low)
    size = style.size(10)
    for tick in _ticks(low, high, step):
        y = y0 + (high - tick) * scale
        weight = "1.2" if abs(tick) < 1e-9 else "0.8"
        out.append(f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x0 + width:.1f}" y2="{y:.1f}" stroke="{style.rule}" stroke-width="{weight}"/>')
        out.append(_text(x0 - GAP, y + size * 0.35, _fmt(tick, style), style, anchor="end", size=size, fill=style.muted))
    if units:
        out.append(_text(4, max(y0 - 5, size), units, style, anchor="start", size=size, fill=style.muted))
    return "".join(out)


def _legend(chart: Chart, style: _Style) -> tuple[str, float]:
    """The series key under the plot, in as many rows as the names need; and its height."""
    if len(chart.series) < 2 or chart.type in ("pie", "doughnut"):
        return "", 0.0
    size = style.size(11)
    out, x, y = [], 12.0, size
    for j, series in enumerate(chart.series):
        lines = wrap(series.name, size, style.width - 2 * 12 - 18)
        span = 18 + max(text_width(line, size) for line in lines) + 22
        if x > 12 and x + span > style.width:
            x, y = 12.0, y + size * LINE + 6
        out.append(f'<rect x="{x:.1f}" y="{y - size * 0.85:.1f}" width="12" height="12" fill="{style.color(j)}"/>')
        out.append(_text(x + 18, y, lines, style, anchor="start", size=size))
        y += (len(lines) - 1) * size * LINE
        x += span
    return "".join(out), y + GAP
