"""source → model → artefacts: read once, build each requested format, publish atomically."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from . import cache as build_cache
from .. import formats
from ..formats.artefact import Artefact
from ..formats.context import BuildContext
from ..core.errors import Location, Problem, TriptychError
from .publish import file_sha256, staged
from ..reading import find_entry, read_narrative
from ..reading.params import ParamRow
from ..reading.advice import advise
from .processes import can_fork
from .pdf_process import PdfProcess, worth_starting
from .scheduling import build_formats
from ..theming.templating import Templates
from ..theming.themes import Theme, load_theme

# (theme name, narrative folder) → a loaded theme and its template environment. A long-lived
# caller (`triptych watch`) keeps one, so a rebuild skips font lookup and template compilation.
ThemeCache = dict[tuple[str, Path], tuple[Theme, Templates]]


@dataclass
class BuildLog:
    """What a build reports besides its artefacts: seconds per stage, and warnings."""

    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = time.perf_counter() - started


def prepare(source: Path, theme_name: str | None = None, log: BuildLog | None = None,
            themes: ThemeCache | None = None, network: bool = False, params: ParamRow | None = None) -> BuildContext:
    """Parse the narrative and load its theme; every error surfaces here, before writing.

    `network`: https images are fetched (public hosts only); otherwise nothing leaves the machine.
    """
    log = log if log is not None else BuildLog()
    warnings: list[Problem] = []
    with log.stage("parse"):
        doc = read_narrative(source, warnings, network, params)
        warnings.extend(advise(doc))
    with log.stage("theme"):
        name = theme_name or doc.meta.theme
        key = (name, doc.base_dir)
        if themes is not None and key in themes:
            theme, templates = themes[key]
        else:
            theme = load_theme(name, doc.base_dir, None if theme_name else doc.place_of("theme"))
            templates = Templates(theme)
            if themes is not None:
                themes[key] = (theme, templates)
    return BuildContext(doc, theme, templates, warnings=warnings)


def build(source: Path, wanted: list[str], out_dir: Path, theme_name: str | None = None,
          progress: Callable[[str], None] = lambda _: None, *, strict: bool = False,
          log: BuildLog | None = None, themes: ThemeCache | None = None,
          cache: bool | build_cache.Check = False, parallel: bool | None = None,
          network: bool = False, pdf_process: PdfProcess | None = None,
          params: ParamRow | None = None) -> list[Artefact]:
    """Build `wanted` formats of one narrative into `out_dir`; all or nothing.

    `cache`: skip the build when the output folder's manifest shows the same inputs
    built these very artefacts (see build_cache), and record the build for next time;
    a check the caller has just made is used as it is. Fetched images are not part of the
    cache key, so `network` builds always run. `pdf_process`: one the caller started early
    (see pdf_process.py) and stops afterwards; an up-to-date build leaves it unused.
    """
    unknown = [f for f in wanted if f not in formats.MODULES]
    if unknown:
        raise TriptychError.at(Location(Path(source)), f'unknown format "{unknown[0]}"')
    log = log if log is not None else BuildLog()
    entry = find_entry(Path(source))
    checked = cache if isinstance(cache, build_cache.Check) and not network else None
    if cache is True and not network:
        with log.stage("cache"):
            # Checked before reading: an edit made during the build is seen by the next one.
            checked = build_cache.check(entry, wanted, theme_name, out_dir, strict, params)
        if checked.artefacts:
            log.warnings.extend(checked.warnings)
            return checked.artefacts
    ctx = prepare(entry, theme_name, log, themes, network, params)
    results = write(ctx, wanted, out_dir, progress, strict=strict, log=log, parallel=parallel, pdf_process=pdf_process)
    if checked and checked.key:
        build_cache.record(out_dir, checked.key, results, ctx.warnings)
    return results


def write(ctx: BuildContext, wanted: list[str], out_dir: Path, progress: Callable[[str], None] = lambda _: None,
          *, strict: bool = False, log: BuildLog | None = None, parallel: bool | None = None,
          pdf_process: PdfProcess | None = None) -> list[Artefact]:
    """Build the formats of a prepared narrative and publish them together.

    `parallel`: build the PDF in its own process beside the deck and the e-book (None: when
    it pays off); `pdf_process`: such a process already started.
    """
    log = log if log is not None else BuildLog()
    if strict:
        fail_on_warnings(ctx)  # before any slow work: the source's own warnings are known now
    parallel = worth_starting(wanted) if parallel is None else parallel and can_fork() and "pdf" in wanted
    slug = ctx.doc.slug
    with staged(out_dir, slug) as staging:
        temps = {name: staging.path_for(slug + formats.load(name).SUFFIX) for name in wanted}
        if pdf_process is None and parallel:
            pdf_process = PdfProcess()
        outcomes = build_formats(ctx, wanted, temps, progress, pdf_process)
        results = []
        for name in wanted:
            outcome, temp = outcomes[name], temps[name]
            log.timings[name] = outcome.seconds
            facts = outcome.facts
            results.append(Artefact(name, out_dir / (slug + formats.load(name).SUFFIX), temp.stat().st_size,
                                    int(facts.get("pages") or facts.get("slides") or 0), outcome.seconds,
                                    sha256=file_sha256(temp)))
        if strict:
            fail_on_warnings(ctx)  # a format may have warned too; nothing is published then
        staging.commit()
    log.warnings.extend(ctx.warnings)
    return results


def fail_on_warnings(ctx: BuildContext) -> None:
    """`--strict`: the warnings so far, raised as located problems."""
    if ctx.warnings:
        raise TriptychError(Problem(w.location, f"warning: {w.message} (--strict)") for w in ctx.warnings)
