"""Pandoc-style fenced divs (`::: name` / `::: {.name key="v"}` … `:::`) for markdown-it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

OPEN = re.compile(r"^(:{3,})\s*(?P<spec>[^:\s].*?)\s*:*\s*$")
CLOSE = re.compile(r"^:{3,}\s*$")
FENCE = re.compile(r"^(`{3,}|~{3,})")


@dataclass
class DivSpec:
    """What a fence line says: the block name, its id and attributes, and where each sits."""

    name: str = ""
    name_column: int = 0
    id: str = ""
    classes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    attr_columns: dict[str, int] = field(default_factory=dict)
    error: str = ""
    error_column: int = 0


ATTR = re.compile(
    r"""\s*(?:
        \.(?P<cls>[A-Za-z_][\w-]*)
      | \#(?P<id>[A-Za-z_][\w:.-]*)
      | (?P<key>[A-Za-z_][\w-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+))
    )""",
    re.VERBOSE,
)


def parse_spec(spec: str, column: int) -> DivSpec:
    """Parse `name` or `{.name #id key="value"}`; column is where spec starts (1-based)."""
    if not spec.startswith("{"):
        word = spec.split()[0]
        result = DivSpec(name=word, name_column=column)
        if len(spec.split()) > 1 or not re.fullmatch(r"[A-Za-z][\w-]*", word):
            result.error, result.error_column = f'malformed block header "{spec}"', column
        return result
    result = DivSpec()
    if not spec.endswith("}"):
        result.error, result.error_column = "attribute list is not closed with }", column + len(spec)
        return result
    body, pos = spec[1:-1], 0
    while pos < len(body):
        if body[pos:].strip() == "":
            break
        match = ATTR.match(body, pos)
        if not match:
            result.error = f'malformed attribute near "{body[pos:].strip()[:20]}"'
            result.error_column = column + 1 + pos + (len(body[pos:]) - len(body[pos:].lstrip()))
            return result
        start = column + 1 + match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
        if match.group("cls"):
            if not result.name:
                result.name, result.name_column = match.group("cls"), start + 1
            else:
                result.classes.append(match.group("cls"))
        elif match.group("id"):
            result.id = match.group("id")
        else:
            key = match.group("key")
            value = next(v for v in (match.group("dq"), match.group("sq"), match.group("bare")) if v is not None)
            result.attrs[key] = value
            result.attr_columns[key] = start
        pos = match.end()
    if not result.name:
        result.error, result.error_column = "block has no name (write {.name ...})", column
    return result


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _fenced_div(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    match = OPEN.match(_line(state, start))
    if not match:
        return False
    if silent:
        return True
    # Find the matching close: nested opens count up, bare fences count down,
    # and colons inside code fences do not count at all.
    depth, line, in_code = 1, start + 1, ""
    while line < end:
        if state.sCount[line] < state.blkIndent and _line(state, line):
            break  # dedented out of the enclosing list item or quote
        text = _line(state, line)
        fence = FENCE.match(text)
        if in_code:
            if fence and fence.group(1)[0] == in_code[0] and len(fence.group(1)) >= len(in_code):
                in_code = ""
        elif fence:
            in_code = fence.group(1)
        elif CLOSE.match(text):
            depth -= 1
            if depth == 0:
                break
        elif OPEN.match(text):
            depth += 1
        line += 1
    closed = depth == 0
    text_start = state.bMarks[start] + state.tShift[start]
    indent = text_start - (state.src.rfind("\n", 0, text_start) + 1)
    column = indent + match.start("spec") + 1
    spec = parse_spec(match.group("spec"), column)

    token = state.push("div_open", "div", 1)
    token.map = [start, line]
    token.meta = {"spec": spec, "closed": closed, "column": indent + 1}
    token.block = True

    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "div"  # type: ignore[assignment]
    state.lineMax = line
    state.md.block.tokenize(state, start + 1, line)
    state.parentType, state.lineMax = old_parent, old_max

    close = state.push("div_close", "div", -1)
    close.block = True
    state.line = line + 1 if closed else line
    return True


def fenced_div_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "fence", "fenced_div", _fenced_div,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
