"""What a build reports of each artefact: published now, or found up to date by the cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Artefact:
    format: str
    path: Path
    size: int
    count: int  # pages or slides; 0 where it does not apply
    seconds: float
    sha256: str = ""  # of the bytes published; the build cache checks them later
    up_to_date: bool = False  # True: not rebuilt, the cache found it unchanged
