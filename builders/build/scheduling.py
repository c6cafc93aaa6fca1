"""Where each format is built: one after the other here, or the PDF in its own process."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable

from .. import formats
from ..formats.context import BuildContext, PageStarts
from .outcome import Outcome, build_one
from .pdf_process import PdfProcess


def build_formats(ctx: BuildContext, wanted: list[str], temps: dict[str, Path], progress: Callable[[str], None],
                  pdf_process: PdfProcess | None = None) -> dict[str, Outcome]:
    """Build every wanted format into its staged file; all finish, or the first error is raised.

    With a `pdf_process` the PDF is laid out and written there while this process builds
    the deck and then, once the layout's page starts arrive, the e-book.
    """
    base = len(ctx.warnings)
    outcomes: dict[str, Outcome] = {}
    if pdf_process is not None and "pdf" in wanted:
        try:
            pdf_process.build(ctx, temps["pdf"], page_starts="epub" in wanted)
            # The e-book waits for the layout's page starts only when it needs them.
            ctx.page_starts = pdf_process.page_starts
            # The deck first: it needs nothing from the PDF, which is laid out meanwhile.
            for name in sorted((n for n in wanted if n != "pdf"), key=lambda n: n == "epub"):
                progress(name)
                outcomes[name] = build_one(ctx, name, temps[name])
            progress("pdf")
            outcomes["pdf"] = pdf_process.result()
        finally:
            pdf_process.cancel()
    else:
        ctx.page_starts = partial(_laid_out_here, ctx)
        for name in wanted:
            progress(name)
            outcomes[name] = build_one(ctx, name, temps[name])
    # The same warnings in the same order as a build one format after the other.
    del ctx.warnings[base:]
    for name in wanted:
        ctx.warnings.extend(outcomes[name].warnings)
    return outcomes


def _laid_out_here(ctx: BuildContext) -> PageStarts:
    """The PDF's page starts from a layout made in this process (shared with the PDF, if built)."""
    return formats.load("pdf").page_starts(ctx)
