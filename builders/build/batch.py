"""Many narratives — a folder of them, or one narrative over rows of parameters — each all or nothing.

Built `jobs` at a time by forked worker processes here, or on a Dask cluster (cluster.py).
"""

from __future__ import annotations

import multiprocessing
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..core.errors import Location, Problem, TriptychError
from ..formats.artefact import Artefact
from ..reading import ENTRY_NAMES, find_entry, planned_slug
from ..reading.params import ParamRow
from .processes import can_fork
from .publish import file_sha256, staged


@dataclass(frozen=True, eq=False)  # told apart by identity: two rows may hold the same values
class Job:
    """One briefing to build: a narrative's entry, and the parameters of one row (if any)."""

    entry: Path
    params: ParamRow | None = None


@dataclass
class Built:
    """One briefing of a batch: its artefacts, or the located problems that stopped it."""

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


def jobs_for(entry: Path, rows: list[ParamRow]) -> list[Job]:
    """One job per row of parameters of one narrative."""
    return [Job(entry, row) for row in rows]


def build_all(jobs: list[Job], wanted: list[str], out_dir: Path, theme_name: str | None = None, *,
              strict: bool = False, workers: int = 1, cache: bool = False, cluster: str | None = None,
              progress: Callable[[int, int], None] = lambda done, total: None) -> list[Built]:
    """Build every job, `workers` at a time here or on the Dask scheduler at `cluster`; outcomes in order.

    A briefing that fails publishes nothing and does not stop the others. Two whose artefacts
    would share a name are refused before anything is built.
    """
    clashing = _clashes(jobs)
    todo = [j for j in jobs if j not in clashing]
    task = _Task(wanted, out_dir, theme_name, strict, cache, parallel=False)
    if cluster:
        done = _on_cluster(todo, task, cluster, progress)
    elif workers > 1 and len(todo) > 1 and can_fork():
        # Forked, not spawned: workers start with triptych already imported.
        with multiprocessing.get_context("fork").Pool(min(workers, len(todo))) as pool:
            done = {}
            for job, built in zip(todo, pool.imap(task, todo)):
                done[job] = built
                progress(len(done), len(todo))
    else:
        done = {}
        for job in todo:
            done[job] = task(job)
            progress(len(done), len(todo))
    return [done.get(job) or clashing[job] for job in jobs]


@dataclass
class _Task:
    """Builds one briefing; picklable, so a pool can hand it out."""

    wanted: list[str]
    out_dir: Path
    theme_name: str | None
    strict: bool
    cache: bool
    parallel: bool

    def __call__(self, job: Job) -> Built:
        from .pipeline import BuildLog, BuildRequest, run  # not for finding narratives

        log = BuildLog()
        try:
            artefacts = run(BuildRequest(job.entry, self.wanted, self.out_dir, self.theme_name, strict=self.strict,
                                         cache=self.cache, parallel=self.parallel, params=job.params), log)
        except TriptychError as exc:
            return Built(job.entry, warnings=log.warnings, problems=exc.problems)
        except Exception:  # a bug in one narrative's build must not hide the others' results
            return Built(job.entry, problems=[Problem(Location(job.entry),
                                                      f"internal error — please report it:\n{traceback.format_exc()}")])
        return Built(job.entry, artefacts, log.warnings)


def _on_cluster(jobs: list[Job], task: _Task, address: str, progress: Callable[[int, int], None]) -> dict[Job, Built]:
    """Each job built by a worker of the cluster, its bytes published here as a local build would."""
    from . import cache as build_cache
    from . import cluster

    done: dict[Job, Built] = {}
    remote: list[Job] = []
    keys: dict[Job, str | None] = {}
    for job in jobs:  # what is up to date in --out is not sent anywhere
        checked = build_cache.check(job.entry, task.wanted, task.theme_name, task.out_dir, task.strict, job.params) \
            if task.cache else None
        if checked and checked.artefacts:
            done[job] = Built(job.entry, checked.artefacts, checked.warnings)
        else:
            keys[job] = checked.key if checked else None
            remote.append(job)
    progress(len(done), len(jobs))
    for index, returned in cluster.run([(j.entry, j.params) for j in remote], task.wanted, task.theme_name,
                                       strict=task.strict, address=address):
        job = remote[index]
        if isinstance(returned, list):
            done[job] = Built(job.entry, problems=returned)
        else:
            warnings = cluster.located(returned.warnings, job.entry)
            problems = cluster.located(returned.problems, job.entry)
            if problems:
                done[job] = Built(job.entry, warnings=warnings, problems=problems)
            else:
                try:
                    artefacts = _publish(returned.artefacts, task.out_dir)
                except TriptychError as exc:
                    done[job] = Built(job.entry, warnings=warnings, problems=exc.problems)
                else:
                    if keys.get(job):
                        build_cache.record(task.out_dir, keys[job], artefacts, warnings)
                    done[job] = Built(job.entry, artefacts, warnings)
        progress(len(done), len(jobs))
    return done


def _publish(files: list[tuple[str, str, bytes, int, float]], out_dir: Path) -> list[Artefact]:
    """A worker's artefacts (format, name, bytes, count, seconds) into `out_dir`, together or not at all."""
    names = [name for _, name, _, _, _ in files]
    if not names or any(Path(n).name != n or n.startswith(".") for n in names):  # a plain name, inside --out
        raise TriptychError.at(Location(out_dir), f"a cluster worker returned unusable file names: {names}")
    with staged(out_dir, Path(names[0]).stem) as staging:
        artefacts = []
        for format_, name, data, count, seconds in files:
            temp = staging.path_for(name)
            temp.write_bytes(data)
            artefacts.append(Artefact(format_, out_dir / name, len(data), count, seconds, sha256=file_sha256(temp)))
        staging.commit()
    return artefacts


def _clashes(jobs: list[Job]) -> dict[Job, Built]:
    """Briefings whose artefacts would take the name of an earlier one's: refused, located."""
    owners: dict[str, Job] = {}
    refused: dict[Job, Built] = {}
    for job in jobs:
        slug = planned_slug(job.entry, job.params)
        if slug is None:
            continue  # no usable title: its own build reports that, located
        if slug in owners:
            first = owners[slug]
            if job.params and first.params:
                message = (f'{job.params.describe()}its artefacts would be named "{slug}", like those of '
                           f"{first.params.label} ({first.params.origin.file.name}:{first.params.origin.line})")
                where = job.params.origin or Location(job.entry)
            else:
                message = (f'its artefacts would be named "{slug}", like those of {first.entry}: '
                           "give it another title, file name or slug:")
                where = Location(job.entry)
            refused[job] = Built(job.entry, problems=[Problem(where, message)])
        else:
            owners[slug] = job
    return refused


def _has_front_matter(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.readline().rstrip() == "---"
    except (OSError, UnicodeDecodeError):
        return False
