"""pyphen's hyphenation patterns read from a JSON copy instead of parsed from the .dic file.

Changes: `pyphen.hdcache`, pyphen's module-level dict of parsed dictionaries, becomes a
dict that, on a miss, loads the patterns from a JSON copy in the user cache, and stores
that copy when pyphen parses a dictionary itself. Parsing hyph_en_US.dic takes pyphen
0.05 s in every process that hyphenates, a twentieth of a small briefing's PDF; the copy
loads in a tenth of that. It is keyed by the dictionary file (path, size, time) and
pyphen's version, and written only when pyphen's parser still yields exactly
patterns/cache/maxlen of plain integers; otherwise pyphen parses as usual.
Checked on: pyphen 0.18.1.
Applied when: `pyphen.hdcache` is a StoredPatterns.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ....core import user_cache
from .patch import Patch

LAYOUT = {"patterns", "cache", "maxlen"}  # what pyphen.HyphDict holds


class StoredPatterns(dict):
    """pyphen's cache of parsed dictionaries, backed by JSON copies on disk."""

    def __contains__(self, path: object) -> bool:
        if dict.__contains__(self, path):
            return True
        loaded = _load(path)
        if loaded is None:
            return False
        dict.__setitem__(self, path, loaded)
        return True

    def __setitem__(self, path: Any, parsed: Any) -> None:
        dict.__setitem__(self, path, parsed)
        _save(path, parsed)


def apply() -> bool:
    try:
        import pyphen
    except ImportError:
        return False
    current = getattr(pyphen, "hdcache", None)
    if isinstance(current, StoredPatterns):
        return True
    if type(current) is not dict or not isinstance(getattr(pyphen, "HyphDict", None), type):
        return False  # another pyphen
    pyphen.hdcache = StoredPatterns(current)
    return True


def applied() -> bool:
    import pyphen

    return isinstance(getattr(pyphen, "hdcache", None), StoredPatterns)


def _stored(path: Any) -> Path | None:
    import pyphen

    try:
        stat = Path(path).stat()
    except (OSError, TypeError):
        return None
    key = hashlib.sha256(repr((str(path), stat.st_size, stat.st_mtime_ns, pyphen.__version__)).encode()).hexdigest()
    return user_cache.folder("hyphenation") / f"{key}.json"


def _load(path: Any) -> Any:
    import pyphen

    stored = _stored(path)
    try:
        data = json.loads(stored.read_text(encoding="utf-8"))  # type: ignore[union-attr]
        patterns = {key: (offset, tuple(values)) for key, offset, values in data["patterns"]}
        maxlen = int(data["maxlen"])
    except (AttributeError, OSError, ValueError, KeyError, TypeError):
        return None
    parsed = object.__new__(pyphen.HyphDict)
    parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
    return parsed


def _save(path: Any, parsed: Any) -> None:
    stored = _stored(path)
    if stored is None or stored.exists() or set(vars(parsed)) != LAYOUT:
        return  # nothing to key on, kept already, or another pyphen: keep to its own parser
    rows = []
    for key, (offset, values) in parsed.patterns.items():
        if not all(type(v) is int for v in values):
            return  # alternative hyphenations are objects, not numbers: not cached
        rows.append([key, offset, list(values)])
    user_cache.save(stored, json.dumps({"maxlen": parsed.maxlen, "patterns": rows}).encode())


PATCH = Patch("hyphenation_cache", "pyphen.hdcache: parsed dictionaries kept as JSON copies",
              (("pyphen", "0.18.1"),), apply, applied)
