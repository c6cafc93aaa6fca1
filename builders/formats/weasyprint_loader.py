"""Import WeasyPrint without its library search starting compilers.

WeasyPrint asks cffi for each C library under several names ("libpango-1.0-0",
"pango-1.0-0", … "libpango-1.0.so.0"). Every name that is not a file name makes cffi call
`ctypes.util.find_library`, which on Linux runs ldconfig and gcc: about 0.17 s of a
sample build spent starting processes. On Linux the ".so.N" names load directly, so the
search is switched off for the import; if that ever fails, the import is retried as is.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys


def import_weasyprint() -> None:
    """Import `weasyprint` once, quickly where the platform allows."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        importlib.import_module("weasyprint")
        return
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # WeasyPrint prints installation advice before it gives up: not for this first try.
        with contextlib.redirect_stdout(io.StringIO()):
            importlib.import_module("weasyprint")
        return
    except (OSError, ImportError):
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    importlib.import_module("weasyprint")
