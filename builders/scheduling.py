"""Where each format is built: one after the other here, or the deck and the e-book in forked children."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import formats
from .context import BuildContext
from .errors import Problem
from .forking import Child, can_fork, usable_cpus


@dataclass
class Outcome:
    facts: dict
    seconds: float
    warnings: list[Problem]  # what this format added to the narrative's warnings


def worth_forking(wanted: list[str]) -> bool:
    """Children pay off with a second CPU and a second format: any two of them overlap."""
    return len(wanted) > 1 and usable_cpus() > 1 and can_fork()


def build_formats(ctx: BuildContext, wanted: list[str], temps: dict[str, Path], progress: Callable[[str], None],
                  parallel: bool) -> dict[str, Outcome]:
    """Build every wanted format into its staged file; all finish, or the first error is raised."""
    base = len(ctx.warnings)
    outcomes: dict[str, Outcome] = {}
    children: dict[str, Child] = {}
    try:
        if parallel and "pptx" in wanted:
            # Forked before anything else: the deck's ~3 s for 30,000 words run beside the PDF layout.
            children["pptx"] = Child(lambda: _build(ctx, "pptx", temps["pptx"]), "deck")
        for name in wanted:
            if name in children:
                continue
            progress(name)
            layout_seconds = 0.0
            if parallel and name == "pdf" and "epub" in wanted:
                # The e-book's page list needs the layout; once it exists, the e-book is
                # built in a second child while this process writes the PDF.
                started = time.perf_counter()
                ctx.pdf_layout  # noqa: B018 - computed (and cached) here, inherited by the child
                layout_seconds = time.perf_counter() - started
                _raise_early(children)
                children["epub"] = Child(lambda: _build(ctx, "epub", temps["epub"]), "e-book")
            outcome = _build(ctx, name, temps[name])
            outcome.seconds += layout_seconds
            outcomes[name] = outcome
            _raise_early(children)
        for name in wanted:
            if name in children:
                progress(name)
                outcomes[name] = children.pop(name).result()
    finally:
        for child in children.values():
            child.cancel()
    # The same warnings in the same order as a build one format after the other.
    del ctx.warnings[base:]
    for name in wanted:
        ctx.warnings.extend(outcomes[name].warnings)
    return outcomes


def _build(ctx: BuildContext, name: str, temp: Path) -> Outcome:
    before = len(ctx.warnings)
    started = time.perf_counter()
    facts = formats.load(name).build(ctx, temp)
    return Outcome(facts, time.perf_counter() - started, ctx.warnings[before:])


def _raise_early(children: dict[str, Child]) -> None:
    """A child that already failed fails the build now, not after the PDF."""
    for child in children.values():
        if child.failed():
            child.result()
