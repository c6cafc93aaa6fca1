"""The PDF built in its own process, started before the narrative is even read.

WeasyPrint's import (0.2 s) and the PDF's layout and drawing are the longest path of a
build. Forked first, this process imports WeasyPrint while the main one checks the
cache and reads the narrative; it then receives the model and the theme (pickled),
lays the document out, posts the page starts the e-book's page list needs, and writes
the PDF while the main process builds the deck and the e-book.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .processes import Child, Mailbox, can_fork, usable_cpus

if TYPE_CHECKING:
    from ..formats.context import BuildContext


def worth_starting(wanted: list[str]) -> bool:
    """With a second CPU, the PDF always overlaps something: the import, the deck, the e-book."""
    return "pdf" in wanted and usable_cpus() > 1 and can_fork()


class PdfProcess:
    """The PDF's process, from its early start to its Outcome (or its located errors)."""

    def __init__(self) -> None:
        self._child = Child(_serve, "PDF")

    def build(self, ctx: BuildContext, target: Path, page_starts: bool) -> None:
        """Start building `ctx` into `target`; `page_starts`: post them once laid out."""
        self._child.send((ctx.doc, ctx.theme, target, page_starts))

    def page_starts(self) -> Any:
        """The layout's page starts (waits for the layout); the PDF's errors are raised here."""
        return self._child.interim()

    def result(self) -> Any:
        """The PDF's Outcome, once written."""
        return self._child.result()

    def cancel(self) -> None:
        """Stop it: the build is up to date, or failed elsewhere. Harmless once finished."""
        self._child.cancel()


def _serve(mailbox: Mailbox) -> Any:
    from ..formats.context import BuildContext
    from ..formats.pdf.build import page_starts
    from ..formats.pdf.patches import apply_all as apply_patches
    from ..theming.templating import Templates
    from .outcome import build_one

    apply_patches()  # WeasyPrint's import: the reason this process starts early
    message = mailbox.receive()
    if message is None:
        return None  # nothing to build after all
    doc, theme, target, post_page_starts = message
    ctx = BuildContext(doc, theme, Templates(theme))
    started = time.perf_counter()
    if post_page_starts:
        mailbox.post(page_starts(ctx))
    outcome = build_one(ctx, "pdf", target)
    outcome.seconds = time.perf_counter() - started  # the layout included
    return outcome
