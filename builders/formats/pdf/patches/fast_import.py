"""Import WeasyPrint without its library search starting compilers.

Changes: `ctypes.util.find_library`, only while WeasyPrint is imported. WeasyPrint asks cffi
for each C library under several names ("libpango-1.0-0", "pango-1.0-0", …
"libpango-1.0.so.0"). Every name that is not a file name makes cffi call `find_library`,
which on Linux runs ldconfig and gcc: about 0.17 s of a sample build spent starting
processes. On Linux the ".so.N" names load directly, so the search answers "not found"
during the import; if the import then fails, it is retried with the search as it was.
Checked on: WeasyPrint 70.0, cffi 2.0.0 (Linux).
Applied when: WeasyPrint was imported by this module with the search switched off.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
import warnings

from .patch import Patch

_fast = False


def apply() -> bool:
    """Import `weasyprint` once, quickly where the platform allows; True when it was."""
    global _fast
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import_quietly()
        return _fast
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # WeasyPrint prints installation advice before it gives up: not for this first try.
        with contextlib.redirect_stdout(io.StringIO()):
            import_quietly()
        _fast = True
    except (OSError, ImportError):
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    import_quietly()
    return _fast


def import_quietly() -> None:
    """Import WeasyPrint without the warnings that do not apply to triptych."""
    # On a machine without system fonts WeasyPrint warns "Expect ugly output" at import; every
    # theme brings its own fonts (@font-face from fontpkg packages or its fonts/ folder). Without
    # the system's HarfBuzz subsetter it warns too; patches/harfbuzz_fonts subsets with its own.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "No fonts configured in FontConfig", UserWarning)
        warnings.filterwarnings("ignore", "HarfBuzz-Subset will be required", UserWarning)
        importlib.import_module("weasyprint")


PATCH = Patch("fast_import", "ctypes.util.find_library, while weasyprint is imported",
              (("weasyprint", "70.0"), ("cffi", "2.0.0")), apply, lambda: _fast)
