"""One format built in this process: its facts, its time and the warnings it added."""

from __future__ import annotations

import errno
import time
from dataclasses import dataclass
from pathlib import Path

from .. import formats
from ..core.errors import Location, Problem, TriptychError
from ..formats.context import BuildContext


@dataclass
class Outcome:
    facts: dict
    seconds: float
    warnings: list[Problem]  # what this format added to the narrative's warnings


def build_one(ctx: BuildContext, name: str, temp: Path) -> Outcome:
    """Build one format here; its time, and the warnings it added."""
    before = len(ctx.warnings)
    started = time.perf_counter()
    try:
        facts = formats.load(name).build(ctx, temp)
    except OSError as exc:
        raise_if_disk_full(exc, temp.parent, f"cannot write the {NAMES.get(name, name)}")
        raise
    return Outcome(facts, time.perf_counter() - started, ctx.warnings[before:])


NAMES = {"pdf": "PDF", "pptx": "deck", "epub": "e-book"}
# The output's file system refuses to take more: the user's situation, not a bug.
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def raise_if_disk_full(exc: OSError, out_dir: Path, doing: str) -> None:
    """A full (or read-only) output file system as a located error; anything else is left alone."""
    if exc.errno in DISK_FULL:
        raise TriptychError.at(Location(out_dir), f"{doing}: {exc.strerror}") from None
