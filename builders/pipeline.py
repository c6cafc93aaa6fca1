"""source → model → artefacts: read once, build each requested format, publish atomically."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from . import formats
from .context import BuildContext
from .errors import Location, Problem, TriptychError
from .publish import staged
from .reading import find_entry, read_narrative
from .reading.advice import advise
from .templating import Templates
from .themes import Theme, load_theme

# (theme name, narrative folder) → a loaded theme and its template environment. A long-lived
# caller (`triptych watch`) keeps one, so a rebuild skips font lookup and template compilation.
ThemeCache = dict[tuple[str, Path], tuple[Theme, Templates]]


@dataclass
class Artefact:
    format: str
    path: Path
    size: int
    count: int  # pages or slides; 0 where it does not apply
    seconds: float


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
            themes: ThemeCache | None = None) -> BuildContext:
    """Parse the narrative and load its theme; every error surfaces here, before writing."""
    log = log if log is not None else BuildLog()
    warnings: list[Problem] = []
    with log.stage("parse"):
        doc = read_narrative(source, warnings)
        warnings.extend(advise(doc))
    with log.stage("theme"):
        name = theme_name or doc.meta.theme
        key = (name, doc.base_dir)
        if themes is not None and key in themes:
            theme, templates = themes[key]
        else:
            theme = load_theme(name, doc.base_dir, None if theme_name else Location(doc.source, 1, 1))
            templates = Templates(theme)
            if themes is not None:
                themes[key] = (theme, templates)
    return BuildContext(doc, theme, templates, warnings=warnings)


def build(source: Path, wanted: list[str], out_dir: Path, theme_name: str | None = None,
          progress: Callable[[str], None] = lambda _: None, *, strict: bool = False,
          log: BuildLog | None = None, themes: ThemeCache | None = None) -> list[Artefact]:
    """Build `wanted` formats of one narrative into `out_dir`; all or nothing."""
    unknown = [f for f in wanted if f not in formats.MODULES]
    if unknown:
        raise TriptychError.at(Location(Path(source)), f'unknown format "{unknown[0]}"')
    log = log if log is not None else BuildLog()
    ctx = prepare(find_entry(Path(source)), theme_name, log, themes)
    return write(ctx, wanted, out_dir, progress, strict=strict, log=log)


def write(ctx: BuildContext, wanted: list[str], out_dir: Path, progress: Callable[[str], None] = lambda _: None,
          *, strict: bool = False, log: BuildLog | None = None) -> list[Artefact]:
    """Build the formats of a prepared narrative and publish them together."""
    log = log if log is not None else BuildLog()
    if strict:
        fail_on_warnings(ctx)  # before any slow work: the source's own warnings are known now
    results: list[Artefact] = []
    with staged(out_dir) as staging:
        for name in wanted:
            builder = formats.load(name)
            progress(name)
            with log.stage(name):
                started = time.perf_counter()
                temp = staging.path_for(ctx.doc.slug + builder.SUFFIX)
                facts = builder.build(ctx, temp)
            results.append(Artefact(name, out_dir / (ctx.doc.slug + builder.SUFFIX), temp.stat().st_size,
                                    int(facts.get("pages") or facts.get("slides") or 0), time.perf_counter() - started))
        if strict:
            fail_on_warnings(ctx)  # a format may have warned too; nothing is published then
        staging.commit()
    log.warnings.extend(ctx.warnings)
    return results


def fail_on_warnings(ctx: BuildContext) -> None:
    """`--strict`: the warnings so far, raised as located problems."""
    if ctx.warnings:
        raise TriptychError(Problem(w.location, f"warning: {w.message} (--strict)") for w in ctx.warnings)
