"""The per-user cache folder ($XDG_CACHE_HOME/triptych): fetched images, compiled templates, hyphenation patterns."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def folder(kind: str) -> Path:
    """$XDG_CACHE_HOME/triptych/<kind>, else ~/.cache/triptych/<kind> (not created here)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "triptych" / kind


def save(path: Path, data: bytes) -> bool:
    """Store `path` whole: concurrent builds may store the same entry at once. False when the
    cache cannot be written, which only makes builds slower, never fails them."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError:
        return False
    return True
