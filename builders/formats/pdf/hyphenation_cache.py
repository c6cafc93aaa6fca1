"""pyphen's hyphenation patterns read from a JSON copy instead of parsed from the .dic file.

Parsing hyph_en_US.dic takes pyphen 0.05 s in every process that hyphenates, a
twentieth of a small briefing's PDF; the parsed patterns, kept as JSON in the user
cache, load in a tenth of that. The copy is keyed by the dictionary file (path, size,
time) and pyphen's version, and used only when pyphen's parser still yields exactly
patterns/cache/maxlen of plain integers; otherwise pyphen parses as usual.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ...core import user_cache

LAYOUT = {"patterns", "cache", "maxlen"}  # what pyphen.HyphDict holds


def warm(language: str) -> None:
    """Put the dictionary WeasyPrint will use for `language` in pyphen's memory cache."""
    try:
        import pyphen
    except ImportError:
        return
    name = pyphen.language_fallback(language.replace("-", "_"))
    path = pyphen.LANGUAGES.get(name) if name else None
    if path is None or path in pyphen.hdcache:
        return
    try:
        stat = Path(path).stat()
    except OSError:
        return
    key = hashlib.sha256(repr((str(path), stat.st_size, stat.st_mtime_ns, pyphen.__version__)).encode()).hexdigest()
    stored = user_cache.folder("hyphenation") / f"{key}.json"
    loaded = _load(pyphen, stored)
    if loaded is None:
        loaded = pyphen.HyphDict(Path(path))
        _save(loaded, stored)
    pyphen.hdcache[path] = loaded


def _load(pyphen: Any, stored: Path) -> Any:
    try:
        data = json.loads(stored.read_text(encoding="utf-8"))
        patterns = {key: (offset, tuple(values)) for key, offset, values in data["patterns"]}
        maxlen = int(data["maxlen"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    parsed = object.__new__(pyphen.HyphDict)
    parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
    return parsed


def _save(parsed: Any, stored: Path) -> None:
    if set(vars(parsed)) != LAYOUT:
        return  # another pyphen: keep to its own parser
    rows = []
    for key, (offset, values) in parsed.patterns.items():
        if not all(type(v) is int for v in values):
            return  # alternative hyphenations are objects, not numbers: not cached
        rows.append([key, offset, list(values)])
    user_cache.save(stored, json.dumps({"maxlen": parsed.maxlen, "patterns": rows}).encode())
