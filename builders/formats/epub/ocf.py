"""The OCF container: `mimetype` first and stored, then the container file, then the book."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..packaging import Policy, zip_bytes

CONTAINER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""
# Already-compressed formats gain nothing from deflate.
STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
# The mimetype entry must be first and stored, so readers can sniff the type.
OCF = Policy(create_system=3, mode=0o100644,
             stored=lambda name: name == "mimetype" or name.lower().endswith(STORED_SUFFIXES))


def write_container(target: Path, opf_path: str, files: list[tuple[str, bytes]], when: dt.datetime) -> None:
    """Write `files` (zip path, bytes) in the given order after `mimetype` and the container file."""
    # Zip times are local and start in 1980; the same instant gives the same bytes everywhere.
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    entries = [("mimetype", b"application/epub+zip"),
               ("META-INF/container.xml", CONTAINER_XML.format(opf=opf_path).encode()), *files]
    target.write_bytes(zip_bytes(entries, stamp, OCF))
