"""What every patch declares: what it changes, the versions it was checked on, how to tell it applied."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Patch:
    name: str
    changes: str  # the third-party object it replaces or wraps
    checked_on: tuple[tuple[str, str], ...]  # (distribution, version) it was verified with
    apply: Callable[[], bool]  # idempotent; False when the target no longer looks as it did
    applied: Callable[[], bool]  # asks the third-party object itself, not a flag of ours
