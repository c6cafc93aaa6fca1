"""The one error type: every problem carries a file, line and column."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import click


@dataclass(frozen=True)
class Location:
    """A place in a source or theme file; line and column count from 1."""

    file: Path
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}:{self.column}"

    def shifted(self, lines: int) -> "Location":
        return Location(self.file, self.line + lines, self.column)


def display_path(path: Path) -> str:
    """Show paths relative to the working directory when they are below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class TriptychError(click.ClickException):
    """One or more located problems; the CLI prints one line each and exits 1."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(
            problems, key=lambda p: (str(p.location.file), p.location.line, p.location.column)
        )
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, location: Location, message: str) -> "TriptychError":
        return cls([Problem(location, message)])

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        # click prefixes "Error: "; a located line reads better bare, like a compiler's.
        click.echo(self.message, err=True, file=file)


class Problems:
    """Collects every problem of a run so the user sees them all at once.

    Warnings are the second channel: a valid source that will come out poorly (a
    low-resolution figure, a footnote never cited). They never stop a build, except
    under `--strict`, where the pipeline raises them as problems before publishing.
    """

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(self, location: Location, message: str) -> None:
        self.items.append(Problem(location, message))

    def warn(self, location: Location, message: str) -> None:
        self.warnings.append(Problem(location, message))

    def extend(self, error: TriptychError) -> None:
        self.items.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.items:
            raise TriptychError(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def suggest(name: str, valid: Iterable[str]) -> str:
    """' (did you mean "quote"?)' for a near miss, else ''."""
    close = difflib.get_close_matches(name, sorted(valid), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
