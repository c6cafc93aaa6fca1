"""One package per artefact; its `build` module is a NAME, a SUFFIX and one `build` function."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

# Imported on demand so `triptych --help` never loads WeasyPrint or python-pptx.
MODULES = {"pdf": "pdf.build", "pptx": "deck.build", "epub": "epub.build"}


def load(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{MODULES[name]}")


def available() -> list[str]:
    """Formats whose builder is present in this version."""
    # Found, not imported: an up-to-date build checks its cache without loading any builder.
    return [name for name, module in MODULES.items() if importlib.util.find_spec(f"{__name__}.{module}") is not None]
