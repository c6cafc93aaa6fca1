"""Tables as native tables: column widths from the content, rows continued under a repeated header."""

from __future__ import annotations

from typing import Any

from ...core import model as m
from .digest import runs
from .flow import WIDTH_SLACK, Typesetter, lines_that_fit, truncate
from .frames import Cell, Para, Run, TableFrame
from .geometry import EMU_PER_IN, EMU_PER_PT, Box
from .mapping import resolve
from .planning import Planning

CELL_MARGINS = (int(0.1 * EMU_PER_IN), int(0.05 * EMU_PER_IN), int(0.1 * EMU_PER_IN), int(0.05 * EMU_PER_IN))


def table_slides(pl: Planning, table: m.Table, title: str) -> None:
    """A native table, as large as the rows allow; rows continue on further slides under a repeated header."""
    kind, layout = pl.kind("table")
    title_ph, area_ph = resolve(kind, layout, "title"), resolve(kind, layout, "area")
    area = area_ph.box if area_ph else pl.free_area(layout)
    largest, smallest = pl.size("table")
    setter = Typesetter(pl.metrics)
    fewest = _table_layout(setter, table, area, smallest)
    chosen = fewest
    size = largest
    while size > smallest:  # the largest type that needs no more slides than the smallest does
        candidate = _table_layout(setter, table, area, size)
        if len(candidate[4]) <= len(fewest[4]):
            chosen = candidate
            break
        size -= 1
    header, body, widths, heights, pages = chosen
    room = area.height - heights[0]
    writer = pl.writer()
    columns = len(table.header)
    names = [m.plain_text(c.inlines) for c in table.header]
    for n, page in enumerate(pages):
        rows, row_heights = [header], [heights[0]]
        for index in page:
            row, height = body[index - 1], heights[index]
            if height > room:  # one row taller than the slide: its cells are cut to fit
                row = [_cut_cell(setter, p, w, room) for p, w in zip(row, widths)]
                height = _row_height(setter, row, widths)
            rows.append(row)
            row_heights.append(height)
        grid = tuple(tuple(Cell((p,), "accent1" if r == 0 else ("bg2" if r % 2 == 0 else "bg1"), "ctr" if r == 0 else "t")
                           for p in row) for r, row in enumerate(rows))
        box = Box(area.left, area.top, sum(widths), sum(row_heights))
        frame = TableFrame(box, tuple(widths), tuple(row_heights), grid, CELL_MARGINS, area_ph.idx if area_ph else None,
                           title)
        lines = ["; ".join(f"{names[i]}: {m.plain_text(c.inlines)}" for i, c in enumerate(table.rows[index - 1][:columns]))
                 for index in page]
        notes = writer.text([title, *lines])
        pl.add("table", layout, [pl.title_frame(title_ph, pl.continued(title, n)), frame], notes)


def _table_layout(setter: Typesetter, table: m.Table, area: Box, size: float) -> tuple[Any, Any, list[int], list[int], list[list[int]]]:
    """(header cells, body rows, column widths, row heights, row numbers per slide) at one type size."""
    columns = len(table.header)
    aligns = [{"right": "r", "center": "ctr"}.get(a) for a in table.column_aligns]

    def cells(row: list[m.Cell], header: bool) -> list[Para]:
        padded = list(row[:columns]) + [m.Cell([])] * (columns - len(row))
        return [Para(tuple(runs(c.inlines, bold=header)) or (Run(""),), size,
                     align=aligns[i],
                     color="bg1" if header else "tx1") for i, c in enumerate(padded)]

    header = cells(table.header, True)
    body = [cells(r, False) for r in table.rows]
    widths = _column_widths(setter, [header, *body], area.width)
    heights = [_row_height(setter, row, widths) for row in [header, *body]]
    room = area.height - heights[0]
    pages = _row_pages(heights[1:], room)
    # Spread the rows evenly: the least height per slide that still needs no more slides
    # (30 rows on 7 slides, not 6 full ones and a stub).
    low, high = max(heights[1:], default=room), room
    while len(pages) > 1 and low < high:
        middle = (low + high) // 2
        if len(_row_pages(heights[1:], middle)) <= len(pages):
            high = middle
        else:
            low = middle + 1
    if len(pages) > 1:
        pages = _row_pages(heights[1:], high)
    return header, body, widths, heights, pages


def _row_pages(heights: list[int], room: int) -> list[list[int]]:
    pages: list[list[int]] = [[]]
    used = 0
    for index, height in enumerate(heights, 1):
        if pages[-1] and used + height > room:
            pages.append([])
            used = 0
        pages[-1].append(index)
        used += height
    return pages


def _column_widths(setter: Typesetter, rows: list[list[Para]], total: int) -> list[int]:
    """Widths from the content: every column gets its longest word, the rest goes by natural width."""
    pad = (CELL_MARGINS[0] + CELL_MARGINS[2]) / EMU_PER_PT
    columns = len(rows[0])
    natural = [0.0] * columns
    minimum = [0.0] * columns
    for row in rows:
        for i, para in enumerate(row):
            words = para.text.split() or [""]
            bold = any(r.bold for r in para.runs)
            # Measured as the wrapping will measure them, slack included, so "fits" means one line.
            natural[i] = max(natural[i], setter.metrics.width(para.text, para.size, bold) / WIDTH_SLACK + pad + 1)
            minimum[i] = max(minimum[i], max(setter.metrics.width(w, para.size, bold) for w in words) / WIDTH_SLACK + pad + 1)
    total_pt = total / EMU_PER_PT
    if sum(natural) <= total_pt:
        shares = [n / sum(natural) * total_pt for n in natural]
    elif sum(minimum) >= total_pt:
        shares = [n / sum(minimum) * total_pt for n in minimum]
    else:
        # Narrow columns (figures, dates) keep their whole width so they never wrap; the
        # wide ones share what is left by their natural width, each keeping its longest word.
        shares = [0.0] * columns
        open_columns, remaining = set(range(columns)), total_pt
        while open_columns:
            fair = remaining / len(open_columns)
            settled = {i for i in open_columns if natural[i] <= fair}
            if not settled:
                break
            for i in settled:
                shares[i] = natural[i]
            remaining -= sum(natural[i] for i in settled)
            open_columns -= settled
        extra = remaining - sum(minimum[i] for i in open_columns)
        flexible = {i: natural[i] - minimum[i] for i in open_columns}
        for i in open_columns:
            shares[i] = minimum[i] + extra * flexible[i] / (sum(flexible.values()) or 1)
        if extra < 0:  # the narrow columns left too little: back to shares of the natural widths
            shares = [k + (total_pt - sum(minimum)) * (n - k) / (sum(natural) - sum(minimum)) for n, k in zip(natural, minimum)]
    widths = [int(s * EMU_PER_PT) for s in shares]
    widths[-1] += total - sum(widths)
    return widths


def _row_height(setter: Typesetter, row: list[Para], widths: list[int]) -> int:
    pad_x = (CELL_MARGINS[0] + CELL_MARGINS[2]) / EMU_PER_PT
    tallest = max(setter.height([p], w / EMU_PER_PT - pad_x) for p, w in zip(row, widths))
    return int(tallest * EMU_PER_PT) + CELL_MARGINS[1] + CELL_MARGINS[3] + 1


def _cut_cell(setter: Typesetter, para: Para, width: int, room: int) -> Para:
    lines = max(1, lines_that_fit((room - CELL_MARGINS[1] - CELL_MARGINS[3]) / EMU_PER_PT, para.size))
    return truncate(setter, para, width / EMU_PER_PT - (CELL_MARGINS[0] + CELL_MARGINS[2]) / EMU_PER_PT, lines)
