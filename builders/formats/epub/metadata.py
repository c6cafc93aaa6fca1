"""Package metadata that must not vary between builds: identifier and modification time."""

from __future__ import annotations

import datetime as dt
import uuid

from ...core import model as m
from ...core.build_time import build_time


# A fixed namespace: the same title, date and authors give the same identifier forever.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://triptych.invalid/epub-identifier")


def identifier(doc: m.Document) -> str:
    """The front matter's identifier, else a urn:uuid derived from title, date and authors."""
    if doc.meta.identifier:
        return doc.meta.identifier
    date = doc.meta.date.isoformat() if doc.meta.date else ""
    key = "\n".join([doc.meta.title, date, *(a.name for a in doc.meta.authors)])
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def modified(doc: m.Document) -> dt.datetime:
    """dcterms:modified: the one build time of every artefact."""
    return build_time(doc)


def w3c_datetime(moment: dt.datetime) -> str:
    """dcterms:modified's form: UTC, seconds, a Z."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
