"""Atomic, locked publishing: artefacts appear only when the whole build succeeded."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from ..core import user_cache
from ..core.errors import Location, TriptychError


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
        try:
            for temp, _ in self.pending:
                os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; artefacts are ordinary files
                with open(temp, "rb") as handle:
                    os.fsync(handle.fileno())  # a full disk shows here, before anything is replaced
        except OSError as exc:
            raise TriptychError.at(Location(self.out_dir), f"cannot write the artefacts: {exc.strerror}") from None
        for temp, final in self.pending:
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
def staged(out_dir: Path, name: str) -> Iterator[Staging]:
    """Lock one narrative's artefacts (`name`: its slug), stage them, discard them on any failure.

    The lock is per narrative, not per folder: a batch builds several narratives into one
    folder at once, while two builds of the same narrative still take turns.
    """
    with locked(out_dir, f".{name}.lock"):
        _sweep(out_dir, name)
        staging = Staging(out_dir)
        try:
            yield staging
        finally:
            staging.discard()


@contextlib.contextmanager
def locked(out_dir: Path, lock_name: str = ".triptych.lock") -> Iterator[None]:
    """Hold an exclusive lock for the output folder (created with the folder if need be).

    The lock file lives in the per-user cache, keyed by the folder's real path: the output
    folder holds only the artefacts and the manifest, and a lock name planted there as a
    symlink has nothing to follow (the file is opened with O_NOFOLLOW besides).
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = _open_lock(out_dir, lock_name)
    except OSError as exc:
        raise TriptychError.at(Location(out_dir), f"cannot write to the output folder: {exc.strerror}") from None
    with os.fdopen(fd, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def sweep_stale(out_dir: Path, name: str) -> None:
    """Remove what a killed build of narrative `name` left, unless a build of it runs now."""
    try:
        with os.fdopen(_open_lock(out_dir, f".{name}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _sweep(out_dir, name)
    except OSError:
        return  # locked by a running build (its files are live), or nothing to sweep in


def _open_lock(out_dir: Path, lock_name: str) -> int:
    folder_key = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:24]
    locks = user_cache.folder("locks")
    locks.mkdir(parents=True, exist_ok=True)
    return os.open(locks / f"{folder_key}-{lock_name.lstrip('.')}", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)


def _sweep(out_dir: Path, name: str) -> None:
    # A build killed mid-way leaves its hidden temporary files; the caller holds this
    # narrative's lock, so no other build owns them.
    for stale in out_dir.glob(f".{glob.escape(name)}.*.part"):
        stale.unlink(missing_ok=True)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
