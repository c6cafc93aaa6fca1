"""Import WeasyPrint without its library search starting compilers, and parse its C types lean.

WeasyPrint asks cffi for each C library under several names ("libpango-1.0-0",
"pango-1.0-0", … "libpango-1.0.so.0"). Every name that is not a file name makes cffi call
`ctypes.util.find_library`, which on Linux runs ldconfig and gcc: about 0.17 s of a
sample build spent starting processes. On Linux the ".so.N" names load directly, so the
search is switched off for the import; if that ever fails, the import is retried as is.

cffi parses each C type WeasyPrint first uses ("hb_codepoint_t *", …) behind a preamble
declaring every typedef WeasyPrint knows, ~70 of them: 2 ms a type, 0.06 s a build. Only
the typedef names a type string mentions can change how it parses, so WeasyPrint's parser
sees only those; what a parse declares is kept.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import sys
import types
import warnings
from typing import Any

IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def import_weasyprint() -> None:
    """Import `weasyprint` once, quickly where the platform allows."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        _import()
        _lean_type_parsing()
        return
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # WeasyPrint prints installation advice before it gives up: not for this first try.
        with contextlib.redirect_stdout(io.StringIO()):
            _import()
        _lean_type_parsing()
        return
    except (OSError, ImportError):
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    _import()
    _lean_type_parsing()


def _import() -> None:
    # On a machine without system fonts WeasyPrint warns "Expect ugly output" at import; every
    # theme brings its own fonts (@font-face from fontpkg packages or its fonts/ folder). Without
    # the system's HarfBuzz subsetter it warns too; harfbuzz_fonts subsets with its own.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "No fonts configured in FontConfig", UserWarning)
        warnings.filterwarnings("ignore", "HarfBuzz-Subset will be required", UserWarning)
        importlib.import_module("weasyprint")


def _lean_type_parsing() -> None:
    try:
        parser = sys.modules["weasyprint.text.ffi"].ffi._parser
        full = parser.parse_type_and_quals
        parser._declarations  # noqa: B018 - the attribute this relies on
    except (KeyError, AttributeError):
        return  # another WeasyPrint or cffi: parse as they do
    if getattr(full, "triptych_lean", False):
        return

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
