"""What the CLI prints while and after it works: progress, the summary table, warnings, timings."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Iterable

import click

from .core.errors import Problem

if TYPE_CHECKING:  # the summary of an up-to-date build must not load the pipeline
    from .formats.artefact import Artefact


class Progress:
    """One line per format on stderr, updated in place; silent when stderr is not a terminal.

    Scripts and CI logs get the summary (or --json) only: carriage-return updates in a log
    file are noise.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.current: str | None = None
        self.started = 0.0

    def __call__(self, name: str) -> None:
        self.finish()
        self.current, self.started = name, time.perf_counter()
        if self.enabled:
            click.echo(f"  {name:<5} building …", err=True, nl=False)

    def finish(self, ok: bool = True) -> None:
        if self.current and self.enabled:
            mark = click.style("done", fg="green") if ok else click.style("failed", fg="red")
            click.echo(f"\r\x1b[K  {self.current:<5} {mark} in {time.perf_counter() - self.started:.2f} s", err=True)
        self.current = None


class Counter:
    """`narratives N of M done`, updated in place on a terminal; silent otherwise."""

    def __init__(self, enabled: bool = True, what: str = "narratives") -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.what = what

    def __call__(self, done: int, total: int) -> None:
        if self.enabled:
            click.echo(f"\r\x1b[K  {self.what} {done} of {total} done", err=True, nl=done == total)


def summary(results: list[Artefact], total: float, narratives: tuple[int, int] | None = None) -> None:
    """The table at the end of a build: file, size, pages, slides or chapters, seconds.

    `narratives`: (built, of) for a folder of several narratives.
    """
    rows = [("file", "size", "contents", "seconds")]
    for r in results:
        rows.append((str(r.path), size_text(r.size), r.counted, "up to date" if r.up_to_date else f"{r.seconds:.2f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        line = "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        click.echo(click.style(line, bold=True) if index == 0 else line)
    fresh = [r for r in results if not r.up_to_date]
    parts = []
    if fresh or not results:
        parts.append(f"built {_files(len(fresh))}")
    if len(fresh) < len(results):
        parts.append(f"{_files(len(results) - len(fresh))} up to date (unchanged inputs; --no-cache rebuilds)")
    of = f" ({narratives[0]} of {narratives[1]} narratives)" if narratives else ""
    click.echo(f"{', '.join(parts)} in {total:.2f} s{of}")


def _files(n: int) -> str:
    return f"{n} file{'s' if n != 1 else ''}"


def size_text(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def warnings(items: Iterable[Problem]) -> None:
    """Located warnings on stderr, like a compiler's: file:line:col: warning: message."""
    for item in items:
        click.echo(f"{item.location}: {click.style('warning', fg='yellow')}: {item.message}", err=True)


def timings(stages: dict[str, float]) -> None:
    """`--verbose`: seconds per stage (parse, theme, then each format), on stderr."""
    parts = [f"{name} {seconds:.2f} s" for name, seconds in stages.items()]
    click.echo("stages: " + " · ".join(parts), err=True)


STAGES = (("builders.formats.pdf", "building the PDF"), ("builders.formats.deck", "building the deck"),
          ("builders.formats.epub", "building the e-book"), ("builders.reading", "reading the narrative"),
          ("builders.theming", "applying the theme"), ("builders.build", "running the build"),
          ("builders.checks", "checking the outputs"))
REPORT_TO = "the triptych maintainers (with that trace)"


def internal_error(exc: BaseException, verbose: bool) -> int:
    """A bug, not a problem of the input: one line naming the stage, the trace in a log file; exit 1."""
    import traceback

    from .build.processes import ChildFailed
    from .core import user_cache

    trace = "".join(traceback.format_exception(exc))
    stage = "building the PDF (in its own process)" if isinstance(exc, ChildFailed) else _stage(exc)
    log = user_cache.folder("logs") / "last-internal-error.txt"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(trace, encoding="utf-8")
        where = f"the full trace is in {log}"
    except OSError:
        where = "run again with --verbose for the full trace"
    lines = str(exc).strip().splitlines()
    if isinstance(exc, ChildFailed) and len(lines) > 1:
        what = lines[-1][:160]  # the child's own exception, the last line of its trace
    else:
        what = type(exc).__name__ + (f": {lines[0][:160]}" if lines else "")
    click.echo(f"triptych: internal error while {stage} ({what}); "
               f"{where}. Please report it to {REPORT_TO}", err=True)
    if verbose:
        click.echo(trace, err=True)
    return 1


def _stage(exc: BaseException) -> str:
    """The stage of the innermost frame of our own code."""
    import traceback

    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        module = frame.filename.replace("\\", "/")
        for package, stage in STAGES:
            if "/" + package.replace(".", "/") + "/" in module:
                return stage
    return "running"
