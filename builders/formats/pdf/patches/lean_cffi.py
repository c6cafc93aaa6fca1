"""cffi parses WeasyPrint's C types behind only the typedefs each one names.

Changes: `parse_type_and_quals` of WeasyPrint's cffi parser (`weasyprint.text.ffi.ffi._parser`).
cffi parses each C type WeasyPrint first uses ("hb_codepoint_t *", …) behind a preamble
declaring every typedef WeasyPrint knows, ~70 of them: 2 ms a type, 0.06 s a build. Only
the typedef names a type string mentions can change how it parses, so the parser sees only
those; what a parse declares is kept. tests/test_performance_features.py compares every
type with a full parse.
Checked on: WeasyPrint 70.0, cffi 2.0.0.
Applied when: the parser's `parse_type_and_quals` is the lean one (`triptych_lean`).
"""

from __future__ import annotations

import re
import sys
import types
from typing import Any

from .patch import Patch

IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def _parser() -> Any:
    module = sys.modules.get("weasyprint.text.ffi")
    return getattr(getattr(module, "ffi", None), "_parser", None)


def apply() -> bool:
    parser = _parser()
    full = getattr(parser, "parse_type_and_quals", None)
    if full is None or not isinstance(getattr(parser, "_declarations", None), dict):
        return False  # another WeasyPrint or cffi: parse as they do
    if getattr(full, "triptych_lean", False):
        return True

    def parse_type_and_quals(self: Any, cdecl: str) -> Any:
        named = set(IDENTIFIER.findall(cdecl))
        everything = self._declarations
        self._declarations = {key: value for key, value in everything.items()
                              if not key.startswith("typedef ") or key[8:] in named}
        try:
            return full(cdecl)
        finally:
            for key, value in self._declarations.items():
                everything.setdefault(key, value)
            self._declarations = everything

    lean = types.MethodType(parse_type_and_quals, parser)
    lean.__func__.triptych_lean = True  # type: ignore[attr-defined]
    parser.parse_type_and_quals = lean
    return True


def applied() -> bool:
    return bool(getattr(getattr(_parser(), "parse_type_and_quals", None), "triptych_lean", False))


PATCH = Patch("lean_cffi", "weasyprint.text.ffi.ffi._parser.parse_type_and_quals",
              (("weasyprint", "70.0"), ("cffi", "2.0.0")), apply, applied)
