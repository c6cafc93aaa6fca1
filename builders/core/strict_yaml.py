"""The only YAML reader: strict (YAML 1.2-style, no silent coercion), with located errors.

Front matter, theme.yaml, deck.yaml, batch builds and the build cache all read YAML here, so
one value means the same everywhere: `1.10` and `no` stay the text the author wrote.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, Problems

MAX_ALIASES = 20


class StrictLoader(yaml.SafeLoader):
    """SafeLoader, YAML 1.2-style: `no` and `12:30` stay strings, duplicate keys fail."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases_seen = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_ALIASES:
                event = self.peek_event()
                raise yaml.MarkedYAMLError(None, None, "too many aliases (limit 20)", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, (str, bool)) and key is not None:  # [a] or {a: b} as a key
                raise yaml.MarkedYAMLError(None, None, "a key must be plain text", key_node.start_mark)
            if key in seen:
                raise yaml.MarkedYAMLError(None, None, f'duplicate key "{key}"', key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


DROPPED_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "float", "timestamp")}
# Drop YAML 1.1's implicit typing (yes/no/on/off booleans, sexagesimal numbers, 1.10
# read as 1.1, dates): every plain scalar stays the text the author wrote, and the
# validators below give it a type, so a bad value is reported at its place.
StrictLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in DROPPED_TAGS]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def parse_yaml(text: str, file: Path, first_line: int, problems: Problems) -> tuple[Any, yaml.Node | None]:
    """Parse YAML strictly: (data, node) for the caller's own marks, or (None, None) after
    reporting the error at its place."""
    try:
        loader = StrictLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark, message = _cause(exc)
        line, col = (mark.line, mark.column) if mark else (0, 0)
        problems.add(Location(file, first_line + line, col + 1), f"{file.name if first_line == 1 else 'front matter'}: {message}")
        return None, None
    except yaml.YAMLError as exc:
        problems.add(Location(file, first_line, 1), f"{file.name}: {exc}")
        return None, None
    return data, node


# A construct left open is reported where it opens, not where the parser gave up (often the end).
_UNCLOSED = {"while scanning a quoted scalar": "this quoted value is never closed",
             "while parsing a flow sequence": 'this "[" list is never closed with "]"',
             "while parsing a flow mapping": 'this "{" mapping is never closed with "}"'}


def _cause(exc: yaml.MarkedYAMLError) -> tuple[Any, str]:
    """Where the author must look, and what to say there."""
    problem, context = exc.problem or "", exc.context or ""
    if context in _UNCLOSED and exc.context_mark is not None:
        return exc.context_mark, f"{_UNCLOSED[context]} ({problem})" if problem else _UNCLOSED[context]
    return exc.problem_mark or exc.context_mark, problem or context


def load_yaml(text: str, file: Path, first_line: int, problems: Problems) -> tuple[Any, dict]:
    """Parse YAML strictly; returns (data, places) or (None, {}).

    places maps each key to the Location of its value (nested keys dotted: "labels.uk.contents"),
    and "key:<name>" to the Location of the key itself.
    """
    data, node = parse_yaml(text, file, first_line, problems)
    return data, key_places(node, file, first_line)


def key_places(node: yaml.Node | None, file: Path, first_line: int = 1, prefix: str = "") -> dict[str, Location]:
    """Where each key of a YAML mapping (and of the mappings in it) and its value start."""
    places: dict[str, Location] = {}
    if node is not None and isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}{key_node.value}"
            mark, key_mark = value_node.start_mark, key_node.start_mark
            places[name] = Location(file, first_line + mark.line, mark.column + 1)
            places[f"key:{name}"] = Location(file, first_line + key_mark.line, key_mark.column + 1)
            places.update(key_places(value_node, file, first_line, name + "."))
    return places


def loads(text: str) -> Any:
    """The data of a YAML text, read strictly; raises yaml.YAMLError when it does not parse."""
    loader = StrictLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
