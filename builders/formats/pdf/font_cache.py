"""Static instances of the theme's variable fonts, made once and kept in memory and on disk."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any, Callable

from ...core import user_cache

MEMORY_KEPT = 64  # instances a long-lived process (`triptych watch`) keeps; ~50-300 KB each
DISK_KEPT = 512  # files in the disk cache before the least recently used go
SWITCH = "TRIPTYCH_FONT_CACHE"  # "off": instantiate every time, read and write nothing

_memory: dict[str, bytes] = {}


def cache_dir() -> Path:
    return user_cache.folder("fonts")


def install() -> None:
    """Route WeasyPrint's variable-font instancing through this cache (once per process).

    At every `write_pdf` WeasyPrint turns each weight of a variable font into a static font
    with fontTools: about 0.1 s per instance, a dozen per briefing, a third of a small
    build. The same subset at the same settings gives the same bytes, so an instance is
    looked up by the SHA-256 of the font bytes WeasyPrint hands over and everything else
    that shapes the result; the PDF is byte-identical to one made without the cache.
    """
    try:
        from weasyprint.pdf import fonts
    except ImportError:
        return
    original = getattr(fonts, "instantiateVariableFont", None)
    if original is None or getattr(original, "triptych_cached", False):
        return  # another WeasyPrint, or already installed
    wrapped = _cached(original)
    wrapped.triptych_cached = True  # type: ignore[attr-defined]
    fonts.instantiateVariableFont = wrapped


def _cached(original: Callable[..., Any]) -> Callable[..., Any]:
    def instantiate(ttfont: Any, variations: dict, *args: Any, **kwargs: Any) -> Any:
        if os.environ.get(SWITCH) == "off":
            return original(ttfont, variations, *args, **kwargs)
        try:
            data = ttfont.reader.file.getvalue()
            # Which font of a collection: the table offsets differ from one to the next.
            offsets = sorted((tag, entry.offset) for tag, entry in ttfont.reader.tables.items())
        except AttributeError:  # not a font read from memory: nothing stable to key on
            return original(ttfont, variations, *args, **kwargs)
        key = _key(data, offsets, variations, args, kwargs)
        found = _memory.get(key) or _read(key)
        if found is None:
            out = io.BytesIO()
            original(ttfont, variations, *args, **kwargs).save(out)
            found = out.getvalue()
            _write(key, found)
        _remember(key, found)
        return _SavedFont(found)

    return instantiate


def _key(data: bytes, offsets: list, variations: dict, args: tuple, kwargs: dict) -> str:
    from fontTools import version as fonttools_version

    digest = hashlib.sha256(data)
    # Saving stamps head.modified from SOURCE_DATE_EPOCH (or the clock): part of the bytes.
    shape = (offsets, sorted(variations.items()), args, sorted(kwargs.items()), fonttools_version,
             os.environ.get("SOURCE_DATE_EPOCH"))
    digest.update(repr(shape).encode())
    return digest.hexdigest()


def _remember(key: str, data: bytes) -> None:
    if key not in _memory and len(_memory) >= MEMORY_KEPT:
        _memory.pop(next(iter(_memory)))
    _memory[key] = data


# The disk is a convenience: a read-only or full home folder only makes builds slower,
# never fails them, so every OSError below means "not cached".

def _read(key: str) -> bytes | None:
    path = cache_dir() / f"{key}.ttf"
    try:
        data = path.read_bytes()
        os.utime(path)  # recently used: pruned last
    except OSError:
        return None
    return data


def _write(key: str, data: bytes) -> None:
    folder = cache_dir()
    if user_cache.save(folder / f"{key}.ttf", data):
        try:
            _prune(folder)
        except OSError:
            return


def _prune(folder: Path) -> None:
    entries = []
    for entry in os.scandir(folder):
        if entry.name.endswith(".ttf"):
            entries.append((entry.stat().st_mtime, entry.path))
    if len(entries) <= DISK_KEPT:
        return
    for _, path in sorted(entries)[: len(entries) - DISK_KEPT]:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass  # a concurrent build pruned it first


class _SavedFont:
    """Stands in for the fontTools font WeasyPrint only saves."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def save(self, file: Any) -> None:
        file.write(self.data)
