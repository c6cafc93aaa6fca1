"""What a build reports of each artefact: published now, or found up to date by the cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# What each format's count is a number of.
_COUNTED = {"pdf": "page", "pptx": "slide", "epub": "chapter"}


@dataclass
class Artefact:
    format: str
    path: Path
    size: int
    count: int  # pages, slides or chapters; 0 where it does not apply
    seconds: float
    sha256: str = ""  # of the bytes published; the build cache checks them later
    up_to_date: bool = False  # True: not rebuilt, the cache found it unchanged

    @property
    def counted(self) -> str:
        """The count with its noun ("8 pages", "1 slide"); "–" where there is none."""
        if not self.count:
            return "–"
        noun = _COUNTED.get(self.format, "part")
        return f"{self.count} {noun}{'' if self.count == 1 else 's'}"
