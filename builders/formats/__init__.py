"""One module per artefact; each is a NAME, a SUFFIX and one `build` function."""

from __future__ import annotations

import importlib
from types import ModuleType

# Imported on demand so `triptych --help` never loads WeasyPrint or python-pptx.
MODULES = {"pdf": "pdf_briefing", "pptx": "slide_deck", "epub": "epub_book"}


def load(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{MODULES[name]}")


def available() -> list[str]:
    """Formats whose builder is present in this version."""
    found = []
    for name in MODULES:
        try:
            load(name)
        except ModuleNotFoundError:
            continue
        found.append(name)
    return found
