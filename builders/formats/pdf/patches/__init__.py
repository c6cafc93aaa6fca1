"""Every change triptych makes to WeasyPrint, cffi or pyphen internals, in one drawer.

Each module here states what it changes and why, the versions it was checked on, and how
to tell it is in place; each applies only while the code it changes looks as it did then,
and otherwise leaves it alone and says so. `apply_all()` applies them all (once per
process) and reports which applied; tests/test_patches.py fails on the pinned versions when
one did not. TRIPTYCH_SKIP_PATCHES=name,name leaves patches out, to see what one does.
"""

from __future__ import annotations

import os

from . import (deferred_blocks, fast_import, footnotes, harfbuzz_fonts, hyphenation_cache, lean_cffi, min_content,
               page_compression, png_passthrough, svg_text_runs)
from .patch import Patch

SKIP = "TRIPTYCH_SKIP_PATCHES"
# In this order: the import first (it must come before WeasyPrint is imported at all).
PATCHES: tuple[Patch, ...] = (fast_import.PATCH, lean_cffi.PATCH, footnotes.PATCH, harfbuzz_fonts.PATCH,
                              png_passthrough.PATCH, hyphenation_cache.PATCH, svg_text_runs.PATCH,
                              deferred_blocks.PATCH, page_compression.PATCH, min_content.PATCH)

_report: dict[str, bool] | None = None


def apply_all() -> dict[str, bool]:
    """Import WeasyPrint and apply every patch not skipped; name → whether it is in place."""
    global _report
    if _report is None:
        skipped = {name.strip() for name in os.environ.get(SKIP, "").split(",")}
        report = {}
        for patch in PATCHES:
            report[patch.name] = patch.name not in skipped and patch.apply()
            fast_import.import_quietly()  # skipping the fast import still imports WeasyPrint
        _report = report
    return dict(_report)
