"""Batches on a Dask cluster: one task per narrative, its inputs shipped with it, its bytes returned.

A build is a pure function of (source files, theme, options): the client packs each
narrative's folder into a parcel, a worker unpacks it into a temporary folder, builds the
artefacts there exactly as `--jobs 1` would and returns their bytes and report; the client
publishes them into `--out` with the same all-or-nothing rule as a local build. The workers
share nothing with the client but the scheduler's address and an installed triptych of the
same code (checked per task).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterator

from ..core.errors import Location, Problem, TriptychError
from ..reading.params import ParamRow

CONNECT_SECONDS = 5  # an unreachable scheduler is reported within seconds, never waited on
RETRIES = 1  # for an exception inside a task; a worker that dies is rescheduled by the scheduler itself
MAX_PARCEL_FILES = 5000  # the build cache's own bounds on a narrative's folder
MAX_PARCEL_BYTES = 256 * 2**20

# The build sets SOURCE_DATE_EPOCH in its process for the PDF engine: builds on one worker
# process take turns (run workers with --nthreads 1 and as many processes as cores).
_ONE_BUILD_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class Parcel:
    """Everything one narrative's build reads, as bytes: it builds the same on any machine."""

    files: dict[str, bytes]  # the narrative's folder, by POSIX path relative to it
    entry: str
    themes: dict[str, bytes]  # the client's ./themes folder, searched after the narrative's own
    wanted: tuple[str, ...]
    theme_name: str | None
    strict: bool
    params: ParamRow | None
    epoch: str | None  # the client's SOURCE_DATE_EPOCH
    code: str  # triptych's code stamp: a worker with other code must not build


@dataclass
class Returned:
    """What a worker sends back: artefacts as bytes, and notes located relative to the parcel."""

    artefacts: list[tuple[str, str, bytes, int, float]] = field(default_factory=list)  # format, name, bytes, count, s
    warnings: list[tuple[str, bool, int, int, str]] = field(default_factory=list)  # path, in parcel, line, col, text
    problems: list[tuple[str, bool, int, int, str]] = field(default_factory=list)


# ------------------------------------------------------------------ the worker's side


def build_parcel(parcel: Parcel) -> Returned:
    """Unpack, build with `--jobs 1`, and return the bytes (runs on a Dask worker)."""
    from .pipeline import BuildLog, BuildRequest, run

    if parcel.code != code_digest():
        return Returned(problems=[("", False, 1, 1, "the cluster's worker runs another version of triptych than "
                                   "this client: install the same one on every machine")])
    with _ONE_BUILD_AT_A_TIME, tempfile.TemporaryDirectory(prefix="triptych-task-") as tmp:
        root = Path(tmp) / "narrative"
        _unpack(parcel.files, root)
        _unpack({f"themes/{name}": data for name, data in parcel.themes.items()}, root, keep_existing=True)
        out = Path(tmp) / "out"
        log = BuildLog()
        with _epoch(parcel.epoch):
            try:
                built = run(BuildRequest(root / parcel.entry, list(parcel.wanted), out, parcel.theme_name,
                                         strict=parcel.strict, parallel=False, params=parcel.params), log)
            except TriptychError as exc:
                return Returned([], _notes(log.warnings, root), _notes(exc.problems, root))
        return Returned([(a.format, a.path.name, a.path.read_bytes(), a.count, a.seconds) for a in built],
                        _notes(log.warnings, root))


def _unpack(files: dict[str, bytes], root: Path, keep_existing: bool = False) -> None:
    for name, data in files.items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise ValueError(f"parcel path {name!r} leaves its folder")  # never made by pack(): a forged parcel
        target = root.joinpath(*relative.parts)
        if keep_existing and target.exists():
            continue  # the narrative's own themes/ comes first, as it does locally
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


@contextlib.contextmanager
def _epoch(value: str | None) -> Iterator[None]:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _notes(problems: list[Problem], root: Path) -> list[tuple[str, bool, int, int, str]]:
    notes = []
    for p in problems:
        file = Path(p.location.file)
        try:
            notes.append((file.resolve().relative_to(root.resolve()).as_posix(), True, p.location.line,
                          p.location.column, p.message))
        except ValueError:
            notes.append((str(file), False, p.location.line, p.location.column, p.message))
    return notes


@functools.cache
def code_digest() -> str:
    """SHA-256 of triptych's code and built-in themes by content (file times differ across machines)."""
    from ..theming.themes import builtin_dir

    digest = hashlib.sha256()
    for folder in (Path(__file__).resolve().parent.parent, builtin_dir().resolve()):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(f"{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes())
    return digest.hexdigest()


# ------------------------------------------------------------------ the client's side


def pack(entry: Path, params: ParamRow | None, wanted: list[str], theme_name: str | None, strict: bool) -> Parcel:
    """The parcel of one narrative: its folder's files (bounded), the project's themes, the options."""
    base = entry.parent.resolve()
    files = _folder(base)
    themes_dir = Path.cwd() / "themes"
    themes = _folder(themes_dir.resolve()) if themes_dir.is_dir() and themes_dir.resolve() != (base / "themes") else {}
    return Parcel(files, entry.resolve().relative_to(base).as_posix(), themes, tuple(wanted), theme_name, strict,
                  params, os.environ.get("SOURCE_DATE_EPOCH"), code_digest())


def _folder(folder: Path) -> dict[str, bytes]:
    """Regular files below `folder` that resolve inside it (hidden ones and caches left out)."""
    from .cache import walk

    files: dict[str, bytes] = {}
    total = 0
    for path in walk(folder):
        real = path.resolve()
        if not real.is_relative_to(folder):
            continue  # a symlink out of the folder: locally it is refused, located; here it is simply absent
        total += real.stat().st_size
        if len(files) >= MAX_PARCEL_FILES or total > MAX_PARCEL_BYTES:
            raise TriptychError.at(Location(folder), f"the folder is too large to send to a cluster (more than "
                                                     f"{MAX_PARCEL_FILES} files or {MAX_PARCEL_BYTES // 2**20} MB)")
        files[path.relative_to(folder).as_posix()] = real.read_bytes()
    return files


def connect(address: str):  # noqa: ANN201 - distributed.Client, imported lazily
    """A client of the scheduler at `address`, or a clear error within seconds."""
    try:
        from distributed import Client
    except ImportError:
        raise TriptychError.at(Location(Path("--cluster")), "building on a cluster needs Dask distributed: "
                                                            "pip install 'triptych[cluster]'") from None
    try:
        return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise TriptychError.at(Location(Path("--cluster")), f"cannot reach the Dask scheduler at {address}: {reason}") from None


def run(jobs: list[tuple[Path, ParamRow | None]], wanted: list[str], theme_name: str | None, *, strict: bool,
        address: str) -> Iterator[tuple[int, Returned | list[Problem]]]:
    """Build every (entry, parameters) on the cluster; (index, what its worker returned or why it failed),
    as they finish."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    client = connect(address)
    try:
        futures = {}
        for index, (entry, params) in enumerate(jobs):
            try:
                parcel = pack(entry, params, wanted, theme_name, strict)
            except TriptychError as exc:
                yield index, exc.problems
                continue
            futures[client.submit(build_parcel, parcel, pure=False, retries=RETRIES)] = index
        for future in as_completed(list(futures), loop=client.loop):
            index = futures[future]
            entry = jobs[index][0]
            try:
                yield index, future.result()
            except KilledWorker:
                yield index, [Problem(Location(entry), "every worker that tried to build it died "
                                                       "(out of memory, or killed): see the workers' logs")]
            except Exception as exc:  # a bug on the worker: reported for this narrative, the others go on
                first = traceback.format_exception_only(exc)[-1].strip()
                yield index, [Problem(Location(entry), f"internal error on a cluster worker — please report it: {first}")]
    finally:
        client.close()


def located(notes: list[tuple[str, bool, int, int, str]], entry: Path) -> list[Problem]:
    """A worker's notes, located in the client's own files again."""
    base = entry.parent
    problems = []
    for path, in_parcel, line, column, message in notes:
        file = base.joinpath(*PurePosixPath(path).parts) if in_parcel else Path(path or entry)
        problems.append(Problem(Location(file, line, column), message))
    return problems
