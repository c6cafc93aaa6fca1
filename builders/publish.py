"""Atomic, locked publishing: artefacts appear only when the whole build succeeded."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import Location, TriptychError


class Staging:
    """Temporary files in the output folder, renamed into place together on commit."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.pending: list[tuple[Path, Path]] = []

    def path_for(self, final_name: str) -> Path:
        try:
            fd, name = tempfile.mkstemp(prefix=f".{final_name}.", suffix=".part", dir=self.out_dir)
        except OSError as exc:
            raise TriptychError.at(Location(self.out_dir), f"cannot write to the output folder: {exc.strerror}") from None
        os.close(fd)
        temp = Path(name)
        self.pending.append((temp, self.out_dir / final_name))
        return temp

    def commit(self) -> list[Path]:
        finals = []
        umask = os.umask(0)
        os.umask(umask)
        for temp, final in self.pending:
            os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; artefacts are ordinary files
            with open(temp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temp, final)
            finals.append(final)
        self.pending = []
        return finals

    def discard(self) -> None:
        for temp, _ in self.pending:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        self.pending = []


@contextlib.contextmanager
def staged(out_dir: Path) -> Iterator[Staging]:
    """Lock the output folder, stage artefacts, discard them on any failure."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock = open(out_dir / ".triptych.lock", "a")
    except OSError as exc:
        raise TriptychError.at(Location(out_dir), f"cannot write to the output folder: {exc.strerror}") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # A build killed mid-way leaves its hidden temporary files; we hold the lock,
        # so no other build owns them.
        for stale in out_dir.glob(".*.part"):
            stale.unlink(missing_ok=True)
        staging = Staging(out_dir)
        try:
            yield staging
        finally:
            staging.discard()
