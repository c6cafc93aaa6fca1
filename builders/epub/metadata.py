"""Package metadata that must not vary between builds: identifier and modification time."""

from __future__ import annotations

import datetime as dt
import os
import uuid

from .. import model as m
from ..errors import Location, TriptychError

# A fixed namespace: the same title, date and authors give the same identifier forever.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://triptych.invalid/epub-identifier")
EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)


def identifier(doc: m.Document) -> str:
    """The front matter's identifier, else a urn:uuid derived from title, date and authors."""
    if doc.meta.identifier:
        return doc.meta.identifier
    date = doc.meta.date.isoformat() if doc.meta.date else ""
    key = "\n".join([doc.meta.title, date, *(a.name for a in doc.meta.authors)])
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def modified(doc: m.Document, environ: dict[str, str] | None = None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else the narrative's date at midnight UTC; never the clock."""
    environ = os.environ if environ is None else environ
    raw = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        try:
            return dt.datetime.fromtimestamp(int(raw), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise TriptychError.at(Location(doc.source), f'SOURCE_DATE_EPOCH "{raw}" is not a number of seconds since 1970') from None
    if doc.meta.date:
        return dt.datetime.combine(doc.meta.date, dt.time(), dt.timezone.utc)
    return EPOCH


def w3c_datetime(moment: dt.datetime) -> str:
    """dcterms:modified's form: UTC, seconds, a Z."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
