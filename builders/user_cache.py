"""The per-user cache folder ($XDG_CACHE_HOME/triptych): fetched images, font instances, compiled templates."""

from __future__ import annotations

import os
from pathlib import Path


def folder(kind: str) -> Path:
    """$XDG_CACHE_HOME/triptych/<kind>, else ~/.cache/triptych/<kind> (not created here)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "triptych" / kind
