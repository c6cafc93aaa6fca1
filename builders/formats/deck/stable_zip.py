"""Reproducible OOXML packages: fixed entry order and timestamps (python-pptx stamps the current time)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from ...core.user_cache import write_atomically
from ..packaging import Policy, zip_bytes

FIRST = ("[Content_Types].xml", "_rels/.rels")
EMBEDDED = (".xlsx", ".docx", ".pptx")  # packages inside the package: a chart's workbook, stamped "now"
CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
OOXML = Policy(create_system=0, mode=0o644)  # every part deflated


def restamp(path: Path, when: dt.datetime, drop: tuple[str, ...] = (), replace: dict[str, bytes] | None = None) -> None:
    """Rewrite a zip with sorted entries, one timestamp and fixed attributes; drop or replace some entries."""
    write_atomically(path, _stable(path.read_bytes(), when, drop, replace or {}))


def _stable(package: bytes, when: dt.datetime, drop: tuple[str, ...], replace: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as src:
        entries = {info.filename: src.read(info.filename) for info in src.infolist() if info.filename not in drop}
    entries.update(replace)
    for name, data in entries.items():
        if name.endswith(EMBEDDED) and zipfile.is_zipfile(io.BytesIO(data)):
            entries[name] = _stable(data, when, (), {})
        elif name == "docProps/core.xml":
            stamp_text = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
            entries[name] = CORE_DATES.sub(lambda m: m.group(1) + stamp_text + m.group(2), data)
    names = [n for n in FIRST if n in entries] + sorted(n for n in entries if n not in FIRST)
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    return zip_bytes(((name, entries[name]) for name in names), stamp, OOXML)
