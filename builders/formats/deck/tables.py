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
    """Widths from the content: every column gets its longest word (the header's included); the
    rest of the width goes, a step at a time, where it saves the most lines in the table's rows."""
    pad = (CELL_MARGINS[0] + CELL_MARGINS[2]) / EMU_PER_PT + 1
    cells = [[_Words(setter, para) for para in row] for row in rows]
    columns = len(rows[0])
    minimum = [max(cell.longest for cell in column) + pad for column in zip(*cells)]
    natural = [max(cell.natural for cell in column) + pad for column in zip(*cells)]
    total_pt = total / EMU_PER_PT
    if sum(minimum) >= total_pt:  # not even the longest words fit: shares of them
        shares = [k / sum(minimum) * total_pt for k in minimum]
    else:
        shares = list(minimum)
        while True:
            spare = total_pt - sum(shares)
            wanting = [i for i in range(columns) if shares[i] < natural[i] - 0.01]
            if not wanting or spare < 0.5:
                break
            now = _table_lines(cells, shares, pad)
            best, best_rate = None, 0.0
            for i in wanting:
                # The next width at which one of the column's cells loses a line, if it can be had.
                target = min((w for w in _breakpoints(cells, i, pad) if w > shares[i] + 0.01), default=natural[i])
                target = min(target, shares[i] + spare)
                trial = [target if j == i else w for j, w in enumerate(shares)]
                rate = (now - _table_lines(cells, trial, pad)) / (target - shares[i])
                if rate > best_rate:
                    best, best_rate, best_target = i, rate, target
            if best is None:  # no single column saves a line alone: the rest by what each still lacks
                lacking = [max(0.0, n - w) for n, w in zip(natural, shares)]
                shares = [w + spare * d / sum(lacking) for w, d in zip(shares, lacking)]
                break
            shares[best] = best_target
        spare = total_pt - sum(shares)
        if spare > 0:  # every cell on as few lines as it can take: the rest by natural width
            shares = [w + spare * n / sum(natural) for w, n in zip(shares, natural)]
    widths = [int(w * EMU_PER_PT) for w in shares]
    widths[-1] += total - sum(widths)
    return widths


class _Words:
    """A cell's words and their widths, for counting its lines at any column width cheaply."""

    def __init__(self, setter: Typesetter, para: Para) -> None:
        bold = any(r.bold for r in para.runs)
        width = setter.metrics.width
        # Measured as the wrapping will measure them, slack included, so "fits" means it fits.
        self.widths = [width(w, para.size, bold) / WIDTH_SLACK for w in para.text.split()] or [0.0]
        self.space = width(" ", para.size, bold) / WIDTH_SLACK
        self.size = para.size
        self.longest = max(self.widths)
        self.natural = sum(self.widths) + self.space * (len(self.widths) - 1)

    def breakpoints(self) -> list[float]:
        """The least width (room inside the cell) for each number of lines the cell can take."""
        if not hasattr(self, "_breaks"):
            self._breaks = []
            for count in range(self.lines(self.longest) - 1, 0, -1):
                low, high = self.longest, self.natural
                while high - low > 0.25:
                    middle = (low + high) / 2
                    low, high = (low, middle) if self.lines(middle) <= count else (middle, high)
                self._breaks.append(high)
        return self._breaks

    def lines(self, room: float) -> int:
        count, used = 1, 0.0
        for w in self.widths:
            if used and used + self.space + w > room:
                count, used = count + 1, w
            else:
                used += (self.space if used else 0.0) + w
        return count


def _breakpoints(cells: list[list[_Words]], column: int, pad: float) -> list[float]:
    return sorted(w + pad for row in cells for w in row[column].breakpoints())


def _table_lines(cells: list[list[_Words]], widths: list[float], pad: float) -> float:
    """The table's height in lines of type: each row as tall as its tallest cell."""
    return sum(max(cell.lines(w - pad) * cell.size for cell, w in zip(row, widths)) for row in cells)


def _row_height(setter: Typesetter, row: list[Para], widths: list[int]) -> int:
    pad_x = (CELL_MARGINS[0] + CELL_MARGINS[2]) / EMU_PER_PT
    tallest = max(setter.height([p], w / EMU_PER_PT - pad_x) for p, w in zip(row, widths))
    return int(tallest * EMU_PER_PT) + CELL_MARGINS[1] + CELL_MARGINS[3] + 1


def _cut_cell(setter: Typesetter, para: Para, width: int, room: int) -> Para:
    lines = max(1, lines_that_fit((room - CELL_MARGINS[1] - CELL_MARGINS[3]) / EMU_PER_PT, para.size, text=para.text))
    return truncate(setter, para, width / EMU_PER_PT - (CELL_MARGINS[0] + CELL_MARGINS[2]) / EMU_PER_PT, lines)
