"""Reproducible OOXML packages: fixed entry order and timestamps (python-pptx stamps the current time)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path

FIRST = ("[Content_Types].xml", "_rels/.rels")
EMBEDDED = (".xlsx", ".docx", ".pptx")  # packages inside the package: a chart's workbook, stamped "now"
CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def restamp(path: Path, when: dt.datetime, drop: tuple[str, ...] = (), replace: dict[str, bytes] | None = None) -> None:
    """Rewrite a zip with sorted entries, one timestamp and fixed attributes; drop or replace some entries."""
    data = _stable(path.read_bytes(), when, drop, replace or {})
    temp = path.with_name(path.name + ".restamp")
    temp.write_bytes(data)
    os.replace(temp, path)


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
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # the same bytes whichever system builds
            info.external_attr = 0o644 << 16
            out.writestr(info, entries[name], compresslevel=6)
    return buffer.getvalue()
