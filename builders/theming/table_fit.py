"""How a table is fitted to the measure: the classes print and e-book stylesheets size it by."""

from __future__ import annotations

from ..core import model as m

# Rows a table may hold and still be kept on one page whole (longer ones break between rows,
# their header repeated); columns from which the type steps down to the theme's small size;
# columns from which a printed table turns to a landscape page of its own.
KEEP_WHOLE_ROWS = 12
WIDE_COLUMNS = 6
LANDSCAPE_COLUMNS = 9


def table_classes(table: m.Table) -> str:
    """"long", "wide": what the stylesheets do to fit this table (space-separated)."""
    columns = len(table.header)
    classes = []
    if len(table.rows) > KEEP_WHOLE_ROWS:
        classes.append("long")
    if columns >= WIDE_COLUMNS:
        classes.append("wide")
    return " ".join(classes)
