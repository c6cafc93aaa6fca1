"""Footnotes stay on the page of their call: WeasyPrint's one branch that moves them is turned off.

Changes: `weasyprint.layout.block._linebox_layout`. To fit one more line at a page's foot
(for orphans), WeasyPrint moves that page's notes to the next page while their calls stay;
a moved note then drags every later one along. The assignment
    report = not context.in_column and can_break_now and not could_break_before
becomes `report = False`, so the line breaks to the next page instead (with
`footnote-policy: line` a note that does not fit takes its calling line along too).
How: the function's source is parsed, exactly that assignment is found by its syntax tree
(formatting and comments do not matter) and replaced; the new code keeps WeasyPrint's file
and line numbers and runs in WeasyPrint's own module globals. Anything else than exactly one
such assignment: nothing changes, and `apply()` says so. formats/pdf/footnotes.py still
checks every layout and repairs a stray note, so a WeasyPrint without the branch stays right.
Checked on: WeasyPrint 70.0.
Applied when: `_linebox_layout` carries `triptych_keeps_footnotes`.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from typing import Any

from .patch import Patch, install, marked

BRANCH = "report = not context.in_column and can_break_now and not could_break_before"
MARK = "triptych_keeps_footnotes"


def _block() -> Any:
    from weasyprint.layout import block

    return block


def apply() -> bool:
    block = _block()
    current = getattr(block, "_linebox_layout", None)
    if current is None:
        return False
    if marked(block, "_linebox_layout", MARK):
        return True
    if current.__code__.co_freevars:
        return False  # a closure: not the module-level function this was written for
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(current)))
    except (OSError, TypeError, SyntaxError):
        return False
    wanted = ast.dump(ast.parse(BRANCH).body[0])
    hits = [node for node in ast.walk(tree) if isinstance(node, ast.Assign) and ast.dump(node) == wanted]
    if len(hits) != 1 or not isinstance(tree.body[0], ast.FunctionDef):
        return False
    hits[0].value = ast.copy_location(ast.Constant(False), hits[0].value)
    ast.increment_lineno(tree, current.__code__.co_firstlineno - 1)
    compiled = compile(tree, current.__code__.co_filename, "exec")
    [code] = [c for c in compiled.co_consts if isinstance(c, types.CodeType) and c.co_name == current.__name__]
    patched = types.FunctionType(code, current.__globals__, current.__name__, current.__defaults__)
    patched.__kwdefaults__ = current.__kwdefaults__
    patched.__doc__, patched.__module__, patched.__qualname__ = current.__doc__, current.__module__, current.__qualname__
    install(block, "_linebox_layout", patched, MARK)  # callers look it up in the module at each call
    return True


def applied() -> bool:
    return marked(_block(), "_linebox_layout", MARK)


PATCH = Patch("footnotes", "weasyprint.layout.block._linebox_layout: footnotes are not moved to fit a line",
              (("weasyprint", "70.0"),), apply, applied)
