"""The one owner of a build: source → model → artefacts, read once, published atomically.

`run(request)` starts the PDF's early process, checks the cache, reads, writes and publishes;
the command line, `watch` and batch builds call it and nothing else of this module's stages.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

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

if TYPE_CHECKING:
    from ..theming.templating import Templates
    from ..theming.themes import Theme

# (theme name, narrative folder) → a loaded theme and its template environment. A long-lived
# caller (`triptych watch`) keeps one, so a rebuild skips font lookup and template compilation.
ThemeCache = dict[tuple[str, Path], tuple["Theme", "Templates"]]


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
    from ..theming.templating import Templates  # here, not above: an up-to-date build never needs them
    from ..theming.script_fonts import with_script_fonts
    from ..theming.themes import load_theme

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
        # Fallback faces for the scripts of this narrative the theme's fonts lack (per narrative:
        # the cached theme stays as loaded).
        fitted = with_script_fonts(theme, doc, warnings)
        if fitted is not theme:  # the charts' font stacks name the fallbacks too
            theme, templates = fitted, Templates(fitted)
    return BuildContext(doc, theme, templates, warnings=warnings)


@dataclass
class BuildRequest:
    """One narrative to build: what, where, and how."""

    source: Path  # the narrative's file, or a folder it is found in
    wanted: list[str]
    out_dir: Path
    theme_name: str | None = None  # None: the front matter's theme
    progress: Callable[[str], None] = lambda _: None  # told each format's name as it starts
    strict: bool = False  # warnings fail the build, and nothing is published
    # Skip the build when the output folder's manifest shows the same inputs built these very
    # artefacts (see cache.py), and record the build for next time.
    cache: bool = False
    network: bool = False  # https images are fetched (public hosts only); never cached
    parallel: bool | None = None  # the PDF in its own process beside the others; None: when it pays off
    themes: ThemeCache | None = None  # kept by a long-lived caller (watch) between builds
    params: ParamRow | None = None  # one row of a parametrised narrative's values (reading/params.py)
    on_prepared: Callable[[BuildContext], None] = lambda _: None  # the narrative is read, nothing written yet


def run(request: BuildRequest, log: BuildLog | None = None) -> list[Artefact]:
    """Build the request's formats of one narrative into its output folder; all or nothing."""
    unknown = [f for f in request.wanted if f not in formats.MODULES]
    if unknown:
        raise TriptychError.at(Location(Path(request.source)), f'unknown format "{unknown[0]}"')
    log = log if log is not None else BuildLog()
    wanted = request.wanted
    parallel = worth_starting(wanted) if request.parallel is None else request.parallel and can_fork() and "pdf" in wanted
    # Started first: it imports WeasyPrint while this process checks the cache and reads.
    pdf_process = PdfProcess() if parallel else None
    try:
        entry = find_entry(Path(request.source))
        checked = None
        if request.cache and not request.network:
            with log.stage("cache"):
                # Checked before reading: an edit made during the build is seen by the next one.
                checked = build_cache.check(entry, wanted, request.theme_name, request.out_dir, request.strict,
                                           request.params)
            log.warnings.extend(checked.notes)  # about the cache itself (a damaged manifest): said first
            if checked.artefacts:
                log.warnings.extend(checked.warnings)
                return checked.artefacts
        ctx = prepare(entry, request.theme_name, log, request.themes, request.network, request.params)
        request.on_prepared(ctx)
        results = write(ctx, wanted, request.out_dir, request.progress, strict=request.strict, log=log,
                        pdf_process=pdf_process)
        if checked and checked.key:
            build_cache.record(request.out_dir, checked.key, results, ctx.warnings)
        return results
    finally:
        if pdf_process is not None:
            pdf_process.cancel()  # up to date or failed: stopped; built: already finished


def build(source: Path, wanted: list[str], out_dir: Path, theme_name: str | None = None,
          progress: Callable[[str], None] = lambda _: None, *, strict: bool = False,
          log: BuildLog | None = None, themes: ThemeCache | None = None, cache: bool = False,
          parallel: bool | None = None, network: bool = False, params: ParamRow | None = None) -> list[Artefact]:
    """`run` with the request spelled out as arguments (for scripts and tests)."""
    return run(BuildRequest(source, wanted, out_dir, theme_name, progress, strict, cache, network, parallel, themes,
                            params=params), log)


def write(ctx: BuildContext, wanted: list[str], out_dir: Path, progress: Callable[[str], None] = lambda _: None,
          *, strict: bool = False, log: BuildLog | None = None, pdf_process: PdfProcess | None = None) -> list[Artefact]:
    """Build the formats of a prepared narrative and publish them together.

    `pdf_process`: the PDF is built there, started early, beside the deck and the e-book.
    """
    log = log if log is not None else BuildLog()
    if strict:
        fail_on_warnings(ctx)  # before any slow work: the source's own warnings are known now
    slug = ctx.doc.slug
    with staged(out_dir, slug) as staging:
        temps = {name: staging.path_for(slug + formats.load(name).SUFFIX) for name in wanted}
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
