"""One format built in this process: its facts, its time and the warnings it added."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .. import formats
from ..core.errors import Problem
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
    facts = formats.load(name).build(ctx, temp)
    return Outcome(facts, time.perf_counter() - started, ctx.warnings[before:])
