"""Parametrised narratives: `params:` in the front matter, `{{ params.name }}` in the text.

The values are substituted into the source text before it is parsed, so every location
still points at the author's own lines: a value may not hold a line break, and only
expressions (`{{ params.country }}`, `{{ params.country | upper }}`) are allowed — no
statements, which would add or drop lines. A narrative without `params:` is never rendered:
its `{{` means what it always meant.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..core.errors import Location, Problems, TriptychError, suggest

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_ROWS = 10_000
MAX_VALUE = 2_000  # characters: a parameter is a name or a figure, not a chapter



@functools.cache
def _environment():  # noqa: ANN202 - jinja2 loads only when a narrative is parametrised
    import jinja2

    from ..core.sandbox import DataOnlySandbox

    # The themes' sandbox, with nothing but the values in reach. Only {{ … }} is live: Markdown's
    # own `{#id}` and `{%` must stay text, so the statement and comment markers are set to
    # sequences no narrative writes.
    return DataOnlySandbox(
        {}, undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
        block_start_string="\x00{%", block_end_string="%}\x00",
        comment_start_string="\x00{#", comment_end_string="#}\x00",
    )


@dataclass(frozen=True)
class ParamRow:
    """One briefing's parameter values, and where they were given (for located errors)."""

    values: Mapping[str, str] = field(default_factory=dict)
    origin: Location | None = None
    label: str = ""  # "row 3", for messages

    def describe(self) -> str:
        return f"{self.label}: " if self.label else ""


def declared(data: Any, where: Location, problems: Problems) -> dict[str, str | None]:
    """The `params:` block of a front matter: name → default (None: a value must be given)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.add(where, "params: must be a mapping of names to default values")
        return {}
    found: dict[str, str | None] = {}
    for name, default in data.items():
        if not isinstance(name, str) or not NAME.match(name):
            problems.add(where, f'params: "{name}" is not a parameter name (letters, digits and _)')
        elif default is not None and (isinstance(default, (dict, list)) or "\n" in str(default)):
            problems.add(where, f"params: {name}: a default must be one line of text")
        else:
            found[name] = None if default is None else str(default)
    return found


def resolve(defaults: dict[str, str | None], row: ParamRow | None, file: Path, problems: Problems) -> dict[str, str]:
    """The values one build uses: the row's, else the defaults; unknown or missing ones located."""
    row = row or ParamRow()
    where = row.origin or Location(file, 1, 1)
    for name in row.values:
        if name not in defaults:
            known = f"; it declares {', '.join(sorted(defaults))}" if defaults else "; it declares no params:"
            problems.add(where, f'{row.describe()}unknown parameter "{name}"{suggest(name, defaults)} '
                                f"(the narrative {file.name}{known})")
    values: dict[str, str] = {}
    for name, default in defaults.items():
        value = row.values.get(name, default)
        if value is None:
            problems.add(where, f'{row.describe()}parameter "{name}" has no value and no default in {file.name}')
            continue
        value = str(value)
        if "\n" in value or "\r" in value or len(value) > MAX_VALUE:
            problems.add(where, f'{row.describe()}parameter "{name}" must be one line of at most {MAX_VALUE} characters')
            continue
        values[name] = value
    return values


def substitute(text: str, file: Path, values: Mapping[str, str], problems: Problems, first_line: int = 1,
               row: ParamRow | None = None) -> str | None:
    """`text` with every `{{ params.x }}` replaced; None after reporting what is wrong, located."""
    if "{{" not in text:
        return text
    import jinja2
    from jinja2 import nodes

    env = _environment()
    prefix = row.describe() if row else ""
    try:
        tree = env.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        problems.add(Location(file, first_line + (exc.lineno or 1) - 1, 1), f"{prefix}parameter substitution: {exc.message}")
        return None
    lines = text.split("\n")
    ok = True
    for node in tree.find_all((nodes.Name,)):
        where = _place(file, lines, first_line, node)
        if node.name != "params":
            problems.add(where, f'{prefix}"{node.name}" is not known here: only params.NAME can be substituted')
            ok = False
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name = _parameter_name(node)
        if name is not None and name not in values:
            problems.add(_place(file, lines, first_line, node, name),
                         f'{prefix}unknown parameter "{name}"{suggest(name, values)} (declare it under params:)')
            ok = False
    if not ok:
        return None
    try:
        return env.from_string(tree).render(params=dict(values))
    except jinja2.TemplateError as exc:  # a filter misused, say: located at the first use
        problems.add(Location(file, first_line, 1), f"{prefix}parameter substitution: {exc}")
        return None


def _parameter_name(node: Any) -> str | None:
    from jinja2 import nodes

    if not isinstance(getattr(node, "node", None), nodes.Name) or node.node.name != "params":
        return None
    if isinstance(node, nodes.Getattr):
        return node.attr
    arg = getattr(node, "arg", None)
    return str(arg.value) if isinstance(arg, nodes.Const) else None


def _place(file: Path, lines: list[str], first_line: int, node: Any, name: str = "") -> Location:
    """The node's line, and the column of its `{{` (Jinja keeps lines, not columns)."""
    number = getattr(node, "lineno", 1) or 1
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    column = line.find(name) if name and name in line else line.find("{{")
    return Location(file, first_line + number - 1, max(column, 0) + 1)


def load_rows(path: Path) -> list[ParamRow]:
    """Rows of parameters from a .csv (a header row), .json or .yaml file (a list of objects)."""
    from ..core.strict_yaml import parse_yaml

    problems = Problems()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TriptychError.at(Location(path), f"cannot read {path.name}: {getattr(exc, 'strerror', None) or exc}") from None
    rows: list[ParamRow] = []
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(path, text, problems)
    elif path.suffix.lower() in (".json", ".yaml", ".yml"):
        # JSON is read as YAML by the one strict reader: the same rules, and line numbers for errors.
        data, node = parse_yaml(text, path, 1, problems)
        if node is not None and not isinstance(data, list):
            problems.add(Location(path), f"{path.name}: expected a list of objects, one per briefing")
        elif node is not None:
            for index, (item, item_node) in enumerate(zip(data, node.value), 1):
                where = Location(path, item_node.start_mark.line + 1, item_node.start_mark.column + 1)
                if not isinstance(item, dict) or any(isinstance(v, (dict, list)) for v in item.values()):
                    problems.add(where, f"row {index}: expected an object of parameter names and plain values")
                    continue
                rows.append(ParamRow({str(k): "" if v is None else str(v) for k, v in item.items()}, where, f"row {index}"))
    else:
        problems.add(Location(path), f"{path.name}: parameters come from a .csv, .json or .yaml file")
    if len(rows) > MAX_ROWS:
        problems.add(Location(path), f"{path.name}: more than {MAX_ROWS} rows")
    if not rows and not problems:
        problems.add(Location(path), f"{path.name}: no rows")
    problems.raise_if_any()
    return rows


def _csv_rows(path: Path, text: str, problems: Problems) -> list[ParamRow]:
    reader = csv.reader(io.StringIO(text))
    records: list[tuple[int, list[str]]] = []  # (line the record starts on, cells)
    try:
        line = 1
        for record in reader:
            records.append((line, record))
            line = reader.line_num + 1
    except csv.Error as exc:  # a cell over the field limit, a NUL…
        problems.add(Location(path, reader.line_num or 1), f"{path.name}: {exc}")
        return []
    if not records:
        return []
    header = [h.strip() for h in records[0][1]]
    for column, name in enumerate(header, 1):
        if not NAME.match(name):
            problems.add(Location(path, 1, column), f'{path.name}: "{name}" is not a parameter name')
    rows = []
    for index, (line, record) in enumerate(records[1:], 1):
        if not any(cell.strip() for cell in record):
            continue
        where = Location(path, line, 1)
        if len(record) != len(header):
            problems.add(where, f"row {index}: {len(record)} cells for {len(header)} columns")
            continue
        rows.append(ParamRow(dict(zip(header, (c.strip() for c in record))), where, f"row {index}"))
    return rows


def parse_assignments(pairs: tuple[str, ...]) -> dict[str, str]:
    """`--param key=value` options as a mapping; a malformed one is a usage error for the caller."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not NAME.match(name.strip()):
            raise ValueError(f'"{pair}" is not NAME=VALUE')
        values[name.strip()] = value
    return values
