"""The per-user cache folder ($XDG_CACHE_HOME/triptych): fetched images, compiled templates, hyphenation patterns; and the one atomic write."""

from __future__ import annotations

import contextlib
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
        write_atomically(path, data)
    except OSError:
        return False
    return True


def write_atomically(path: Path, data: bytes) -> None:
    """The one atomic write: readers see the old file or the new one, never half of either.

    The bytes go to a hidden `.NAME.*.part` beside `path` first (a killed write leaves only
    that), then replace it in one rename. Raises OSError.
    """
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
