"""A folder of several narratives, built by worker processes, each narrative all or nothing."""

from __future__ import annotations

import multiprocessing
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import Location, Problem, TriptychError
from .processes import can_fork
from ..formats.artefact import Artefact
from ..reading import ENTRY_NAMES, artefact_slug, find_entry
from ..reading.frontmatter import split_front_matter


@dataclass
class Built:
    """One narrative of a batch: its artefacts, or the located problems that stopped it."""

    entry: Path
    artefacts: list[Artefact] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def narratives_in(folder: Path) -> list[Path] | None:
    """The entries of a folder that holds several narratives; None when it is one narrative.

    A folder a single narrative can be found in (an index.md, briefing.md or narrative.md,
    or a lone *.md) is that narrative, as always. Otherwise each subfolder with one of those
    entry files is a narrative, and so is each top-level *.md with a front matter.
    """
    if not folder.is_dir():
        return None
    try:
        find_entry(folder)
        return None
    except TriptychError:
        pass
    entries = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            entry = next((child / name for name in ENTRY_NAMES if (child / name).is_file()), None)
            if entry:
                entries.append(entry)
        elif child.suffix == ".md" and child.is_file() and _has_front_matter(child):
            entries.append(child)
    return entries or None


def build_all(entries: list[Path], wanted: list[str], out_dir: Path, theme_name: str | None = None, *,
              strict: bool = False, jobs: int = 1, cache: bool = False) -> list[Built]:
    """Build every narrative, `jobs` at a time; each one's outcome, in the given order.

    A narrative that fails publishes nothing and does not stop the others. Two narratives
    whose artefacts would share a name are refused before anything is built.
    """
    clashing = _clashes(entries)
    todo = [e for e in entries if e not in clashing]
    # Each worker builds its formats one after the other: `jobs` processes in all.
    task = _Task(wanted, out_dir, theme_name, strict, cache, parallel=False)
    if jobs > 1 and len(todo) > 1 and can_fork():
        # Forked, not spawned: workers start with triptych already imported.
        with multiprocessing.get_context("fork").Pool(min(jobs, len(todo))) as pool:
            done = dict(zip(todo, pool.imap(task, todo)))
    else:
        done = {entry: task(entry) for entry in todo}
    return [done.get(entry) or clashing[entry] for entry in entries]


@dataclass
class _Task:
    """Builds one narrative in a worker; picklable, so a pool can hand it out."""

    wanted: list[str]
    out_dir: Path
    theme_name: str | None
    strict: bool
    cache: bool
    parallel: bool

    def __call__(self, entry: Path) -> Built:
        from .pipeline import BuildLog, build  # not for finding narratives: an up-to-date build stays light

        log = BuildLog()
        try:
            artefacts = build(entry, self.wanted, self.out_dir, self.theme_name, strict=self.strict, log=log,
                              cache=self.cache, parallel=self.parallel)
        except TriptychError as exc:
            return Built(entry, warnings=log.warnings, problems=exc.problems)
        except Exception:  # a bug in one narrative's build must not hide the others' results
            return Built(entry, problems=[Problem(Location(entry), f"internal error — please report it:\n{traceback.format_exc()}")])
        return Built(entry, artefacts, log.warnings)


def _clashes(entries: list[Path]) -> dict[Path, Built]:
    """Narratives whose artefacts would take the name of an earlier one's: refused, located."""
    owners: dict[str, Path] = {}
    refused: dict[Path, Built] = {}
    for entry in entries:
        data = _front_matter(entry)
        title = data.get("title") if isinstance(data, dict) else None
        if not isinstance(title, (str, int, float)) or isinstance(title, bool):
            continue  # no usable title: its own build reports that, located
        slug = artefact_slug(entry, str(title).strip())
        if slug in owners:
            message = (f'its artefacts would be named "{slug}", like those of {owners[slug]}: '
                       "give it another title or file name")
            refused[entry] = Built(entry, problems=[Problem(Location(entry), message)])
        else:
            owners[slug] = entry
    return refused


def _has_front_matter(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.readline().rstrip() == "---"
    except (OSError, UnicodeDecodeError):
        return False


def _front_matter(path: Path) -> dict | None:
    """The front matter as data, or None when there is none or it does not parse."""
    import yaml

    try:
        front, _, _ = split_front_matter(path.read_text(encoding="utf-8-sig"))
        data = yaml.safe_load(front) if front is not None else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None
