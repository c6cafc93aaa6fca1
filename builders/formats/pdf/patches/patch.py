"""What every patch declares: what it changes, the versions it was checked on, how to tell it applied."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Patch:
    name: str
    changes: str  # the third-party object it replaces or wraps
    checked_on: tuple[tuple[str, str], ...]  # (distribution, version) it was verified with
    apply: Callable[[], bool]  # idempotent; False when the target no longer looks as it did
    applied: Callable[[], bool]  # asks the third-party object itself, not a flag of ours


def marked(owner: Any, name: str, mark: str) -> bool:
    """Whether `owner.name` is our replacement: it carries `mark`."""
    return bool(getattr(getattr(owner, name, None), mark, False))


def install(owner: Any, name: str, replacement: Callable[..., Any], mark: str, original: Any = None) -> None:
    """Put `replacement` at `owner.name`, marked as ours (and wrapping `original`, when it does)."""
    setattr(replacement, mark, True)
    if original is not None:
        replacement.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(owner, name, replacement)
