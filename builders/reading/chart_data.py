"""Data blocks: the numbers of a chart, from a pipe table as written or a CSV file, with places."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..core import model as m
from ..core.errors import Location, Problems
from ..core.confine import OutsideRoots, confine
from ..core.text import FORBIDDEN

Row = list[tuple[str, Location]]  # cells of a data row as written, with their places

# A chart is read by people: these bounds are far above a legible chart and keep a
# mistaken data file (a 200,000-row export) from costing gigabytes and minutes.
MAX_DATA_BYTES = 2 * 2**20
MAX_CHART_ROWS = 1000
MAX_CHART_SERIES = 24
MAX_VALUE = 1e15  # larger magnitudes are a unit mistake, and their sums overflow a scale


def pipe_rows(lines: list[str], start: int, end: int, file: Path, offset: int) -> list[Row]:
    """Cells of a pipe table as written, with their places; markdown-it would silently pad ragged rows."""
    rows = []
    for index in range(start, min(end, len(lines))):
        if index == start + 1:
            continue  # the |---|---:| delimiter row
        rows.append([(text, Location(file, offset + index + 1, col)) for text, col in _split_pipe_row(lines[index])])
    return rows

def csv_rows(reference: str, base_dir: Path, where: Location, problems: Problems) -> list[Row] | None:
    """Cells of a CSV file next to the narrative, located in that file."""
    try:
        path = confine(reference, base_dir, [base_dir])
        text = path.read_text(encoding="utf-8-sig")
    except OutsideRoots as exc:
        problems.add(where, f"data file {exc}")
        return None
    except (OSError, UnicodeDecodeError):
        problems.add(where, f'data file "{reference}" is not readable UTF-8 text')
        return None
    if len(text) > MAX_DATA_BYTES:
        problems.add(where, f'data file "{reference}" is larger than {MAX_DATA_BYTES // 2**20} MB')
        return None
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for cells in reader:
            if not cells:
                continue
            if len(rows) > MAX_CHART_ROWS:
                problems.add(Location(path, reader.line_num, 1), f"chart data has more than {MAX_CHART_ROWS:,} rows")
                return None
            columns, col = [], 1
            for cell in cells:
                columns.append((cell.strip(), Location(path, reader.line_num, col)))
                col += len(cell) + 1
            rows.append(columns)
    except csv.Error as exc:  # a cell over the field limit, a NUL byte, an unclosed quote at the end
        problems.add(Location(path, reader.line_num or 1, 1), f"data file is not valid CSV ({exc})")
        return None
    return rows


def chart_series(kind: str, rows: list[Row], where: Location, problems: Problems) -> tuple[list[str], list[m.Series], str] | None:
    """(categories, series, category label) from a header row and data rows; bad data is located."""
    if len(rows) < 2 or len(rows[0]) < 2:
        problems.add(rows[0][0][1] if rows and rows[0] else where, "chart data needs a header row, a label column and at least one row of numbers")
        return None
    header, body = rows[0], rows[1:]
    if len(header) - 1 > MAX_CHART_SERIES:
        problems.add(header[MAX_CHART_SERIES + 1][1], f"a chart shows at most {MAX_CHART_SERIES} series (columns of numbers)")
        return None
    if len(body) > MAX_CHART_ROWS:
        problems.add(body[MAX_CHART_ROWS][0][1], f"chart data has more than {MAX_CHART_ROWS:,} rows")
        return None
    ok = True
    for row in rows:
        for text, place in row:
            bad = FORBIDDEN.search(text)
            if bad:
                problems.add(place, f"control character U+{ord(bad.group(0)):04X} in chart data")
                ok = False
    series = [m.Series(name, []) for name, _ in header[1:]]
    categories = []
    for row in body:
        if len(row) != len(header):
            problems.add(row[0][1], f"chart row has {len(row)} cells, the header has {len(header)}")
            ok = False
            continue
        categories.append(row[0][0])
        for (text, where), target in zip(row[1:], series):
            value = _number(text)
            if value is None:
                problems.add(where, f'"{text[:40]}" is not a number (series "{target.name[:40]}")')
                ok = False
            elif abs(value) > MAX_VALUE:
                problems.add(where, f'"{text[:40]}" is too large for a chart (at most {MAX_VALUE:g} in magnitude)')
                ok = False
            else:
                target.values.append(value)
    if kind in ("pie", "doughnut") and ok and any(v < 0 for v in series[0].values):
        problems.add(body[0][1][1], f"a {kind} chart cannot show negative values")
        ok = False
    return (categories, series, header[0][0]) if ok else None


def _split_pipe_row(line: str) -> list[tuple[str, int]]:
    """(cell text, 1-based column) for each cell of a pipe-table row; \\| is a literal pipe."""
    cells, start, i = [], 0, 0
    stripped = line.rstrip()
    lead = len(stripped) - len(stripped.lstrip())
    i = start = lead + 1 if stripped[lead:lead + 1] == "|" else lead
    while i <= len(stripped):
        if i == len(stripped) or (stripped[i] == "|" and stripped[i - 1:i] != "\\"):
            raw = stripped[start:i]
            if i < len(stripped) or raw.strip():
                cells.append((raw.strip().replace("\\|", "|"), start + (len(raw) - len(raw.lstrip())) + 1))
            start = i + 1
        i += 1
    return cells


def _number(text: str) -> float | None:
    core = text.strip().lstrip("$€£").rstrip("%").replace(",", "").replace("\u2009", "").strip()
    try:
        value = float(core)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
