"""The one build time every artefact carries: SOURCE_DATE_EPOCH, else the narrative's date; never the clock."""

from __future__ import annotations

import datetime as dt
import os

from .errors import Location, TriptychError
from .model import Document

ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)  # the earliest time a zip entry can carry


def build_time(doc: Document) -> dt.datetime:
    """When the artefacts say they were made (UTC): reproducible by construction."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        try:
            return max(ZIP_EPOCH, dt.datetime.fromtimestamp(int(raw), dt.timezone.utc))
        except (ValueError, OverflowError, OSError):
            raise TriptychError.at(Location(doc.source), f'SOURCE_DATE_EPOCH "{raw}" is not a number of seconds since 1970') from None
    if doc.meta.date:
        return max(ZIP_EPOCH, dt.datetime.combine(doc.meta.date, dt.time(), dt.timezone.utc))
    return ZIP_EPOCH


def epoch_seconds(doc: Document) -> int:
    return int(build_time(doc).timestamp())
