"""The one sandbox every template runs in — a theme's templates and a narrative's `{{ params.x }}`:
data and a few helpers, never an object with powers.

Jinja's sandbox blocks `__dunder__` access but lets a template call any public method of
any object handed to it; a `Path` in the model (a block's location, a figure's file) then
reads and writes any file the user can. This sandbox allows attribute access only on the
model's data classes and plain values, and never hands out a value that can reach the file
system, a process, the network or the template machinery itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import pathlib
import types
from typing import Any

import jinja2
import jinja2.runtime
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

# Plain values: their methods compute, they cannot do I/O (the immutable sandbox already
# refuses the mutating ones, and str.format goes through the sandbox's own formatter).
PLAIN = (str, bytes, int, float, bool, type(None), list, tuple, dict, frozenset, set, Markup,
         dt.date, dt.datetime, dt.time)
# Jinja's own helpers a template uses: loop.index, namespace(), cycler().
JINJA_DATA = (jinja2.runtime.LoopContext, jinja2.utils.Namespace, jinja2.utils.Cycler, jinja2.utils.Joiner)
# Objects of these kinds can read, write, list or run things: never reachable from a template.
POWERS = (pathlib.PurePath, io.IOBase, types.ModuleType, type, jinja2.Environment, jinja2.BaseLoader,
          jinja2.Template, os.DirEntry)
POWER_MODULES = ("os", "io", "pathlib", "shutil", "subprocess", "socket", "sys", "builtins", "importlib",
                 "tempfile", "glob", "urllib", "http", "ctypes", "multiprocessing", "signal")


def has_powers(value: Any) -> bool:
    """True for objects, and methods and functions of objects, that reach beyond data."""
    if isinstance(value, POWERS):
        return True
    owner = getattr(value, "__self__", None)
    if owner is not None and not isinstance(owner, types.ModuleType) and has_powers(owner):
        return True
    if isinstance(value, (types.BuiltinFunctionType, types.FunctionType, types.BuiltinMethodType)):
        module = (getattr(value, "__module__", None) or "").split(".")[0]
        if isinstance(owner, types.ModuleType):
            module = owner.__name__.split(".")[0]
        return module in POWER_MODULES and not isinstance(owner, PLAIN)
    return False


def is_model_data(obj: Any) -> bool:
    """The project's own data classes (blocks, inlines, metadata, chapters, font faces)."""
    return dataclasses.is_dataclass(obj) and not isinstance(obj, type) and type(obj).__module__.startswith("builders.")


class DataOnlySandbox(ImmutableSandboxedEnvironment):
    """Attributes only of data; values with powers never; helper objects show only what is named."""

    def __init__(self, helpers: dict[type, frozenset[str]], **options: Any) -> None:
        super().__init__(**options)
        self.helpers = helpers  # e.g. the block renderer: render(node) and render.inlines(...) only

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value) or has_powers(value):
            return False
        for kind, names in self.helpers.items():
            if isinstance(obj, kind):
                return attr in names
        return isinstance(obj, PLAIN + JINJA_DATA) or is_model_data(obj)

    def is_safe_callable(self, obj: Any) -> bool:
        return super().is_safe_callable(obj) and not has_powers(obj)
