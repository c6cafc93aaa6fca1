"""The OCF container: a zip whose bytes depend only on its contents and one timestamp."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

CONTAINER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""
# Already-compressed formats gain nothing from deflate.
STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")


def write_container(target: Path, opf_path: str, files: list[tuple[str, bytes]], when: dt.datetime) -> None:
    """Write `files` (zip path, bytes) in the given order after `mimetype` and the container file."""
    # Zip times are local and start in 1980; the same instant gives the same bytes everywhere.
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    entries = [("mimetype", b"application/epub+zip"),
               ("META-INF/container.xml", CONTAINER_XML.format(opf=opf_path).encode()), *files]
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o100644 << 16
            # The mimetype entry must be first and stored, so readers can sniff the type.
            stored = name == "mimetype" or name.lower().endswith(STORED_SUFFIXES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            # Level 6, not 9: the embedded fonts are most of the bytes; 9 takes 3.5x as long
            # (0.35 s against 0.1 s for the sample) to save 0.4 %.
            archive.writestr(info, data, compresslevel=None if stored else 6)
