"""The workbook embedded behind each deck chart: its cells are data, never formulas.

python-pptx writes the chart's numbers and labels into an .xlsx with XlsxWriter, whose
defaults turn a string that starts with "=" into a live formula and a web address into
a hyperlink: a category label `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` would run when
someone edits the chart's data in PowerPoint or Excel. Here every string is a text cell.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from xlsxwriter import Workbook

TEXT_ONLY = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class _TextCellsWriter(CategoryWorkbookWriter):
    """python-pptx's category layout, in a workbook that stores every string as text."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: Any) -> Iterator[tuple[Any, Any]]:
        workbook = Workbook(xlsx_file, TEXT_ONLY)
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class TextCellsChartData(CategoryChartData):
    """CategoryChartData whose embedded workbook holds labels as text, never as formulas."""

    @property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return _TextCellsWriter(self)
