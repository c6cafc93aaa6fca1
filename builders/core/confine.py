"""Confinement: resources resolve only to regular files inside allowed folders."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

MAX_RESOURCE_BYTES = 50 * 1024 * 1024


class OutsideRoots(ValueError):
    """A reference that leaves the narrative's and the theme's folders, or is not a file."""


def confine(reference: str, base: Path, roots: list[Path]) -> Path:
    """Resolve `reference` (relative to `base`) to a regular file below one of `roots`."""
    text = urllib.parse.unquote(reference.strip())
    scheme = urllib.parse.urlsplit(text).scheme.lower()
    if scheme == "file":
        text = urllib.parse.urlsplit(text).path
    elif scheme and len(scheme) > 1:  # a Windows drive letter is not a scheme
        raise OutsideRoots(f'"{reference}" is a {scheme}: address; only local files are used')
    if "\x00" in text or not text:
        raise OutsideRoots(f'"{reference}" is not a usable path')
    path = Path(text)
    candidate = path if path.is_absolute() else base / path
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        raise OutsideRoots(f'"{reference}" does not exist') from None
    if not any(resolved.is_relative_to(root.resolve()) for root in roots):
        raise OutsideRoots(f'"{reference}" lies outside the narrative\'s folder')
    if not resolved.is_file():
        raise OutsideRoots(f'"{reference}" is not a regular file')
    if resolved.stat().st_size > MAX_RESOURCE_BYTES:
        raise OutsideRoots(f'"{reference}" is larger than {MAX_RESOURCE_BYTES // 2**20} MB')
    return resolved
