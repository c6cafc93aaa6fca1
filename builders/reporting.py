"""What the CLI prints while and after it works: progress, the summary table, warnings, timings."""

from __future__ import annotations

import sys
import time
from typing import Iterable

import click

from .errors import Problem
from .pipeline import Artefact


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


def summary(results: list[Artefact], total: float) -> None:
    """The table at the end of a build: file, size, pages or slides, seconds."""
    rows = [("file", "size", "pages/slides", "seconds")]
    for r in results:
        rows.append((str(r.path), size_text(r.size), str(r.count or "–"), f"{r.seconds:.2f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        line = "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        click.echo(click.style(line, bold=True) if index == 0 else line)
    click.echo(f"built {len(results)} file{'s' if len(results) != 1 else ''} in {total:.2f} s")


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
