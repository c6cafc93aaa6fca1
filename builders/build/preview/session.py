"""`triptych preview`: the watcher's rebuilds, rendered for the browser and served live until Ctrl+C."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import tempfile
import time
import traceback
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import click

from ... import formats
from ...core.errors import Problem
from ...reading import find_entry
from ..watch import Watcher
from . import views
from .board import Board
from .server import listen

if TYPE_CHECKING:
    from ...formats.artefact import Artefact
    from ...formats.context import BuildContext

DEFAULT_PORT = 8737  # a fixed port by default: a page left open reconnects to the next session by itself
ORDER = ("pdf", "epub", "pptx")  # the slides last: LibreOffice takes a second or two to draw them
LABELS = {"pdf": "PDF pages", "epub": "e-book", "pptx": "slides"}


class Renderer:
    """The watcher's listener: each built artefact rendered for the page, each failure shown on it."""

    def __init__(self, board: Board, folder: Path, soffice: str | None) -> None:
        self.board, self.folder, self.soffice = board, folder, soffice

    def building(self, formats: list[str], reason: str) -> None:
        self.board.update(status="building", reason=reason, pending=formats)

    def built(self, ctx: BuildContext, results: list[Artefact], warnings: list[str]) -> None:
        meta = ctx.doc.meta
        self.board.update(title=meta.title, subtitle=meta.subtitle, language=meta.language, warnings=warnings)
        results = sorted(results, key=lambda r: ORDER.index(r.format))
        folders = {r.format: Path(tempfile.mkdtemp(prefix=f"{r.format}-", dir=self.folder)) for r in results}
        deck = next((r for r in results if r.format == "pptx"), None)
        # LibreOffice, the slowest, starts first and draws the deck while the PDF's pages are drawn here.
        drawing = views.DeckDrawing(deck.path, folders["pptx"], self.soffice, self.folder / "libreoffice-profile") \
            if deck and self.soffice else None
        problems = []
        try:
            for index, result in enumerate(results):
                self.board.update(status="rendering", reason=LABELS[result.format])
                try:
                    # The column stops saying "updating" in the same change that shows its new rendering.
                    self.board.publish(result.format, self.render(result, folders[result.format], drawing),
                                       folders[result.format], pending=[r.format for r in results[index + 1:]])
                except Exception as exc:  # a rendering bug must not end the session; the artefact itself was built
                    problems.append(f"{result.path.name}: the preview could not show it: {type(exc).__name__}: {exc}")
                    click.echo(traceback.format_exc(), err=True)
        finally:
            if drawing:
                drawing.stop()  # Ctrl+C while the PDF was drawn: LibreOffice must not outlive us
        self.board.update(status="error" if problems else "ready", problems=problems, reason="", pending=[],
                          built_at=time.strftime("%H:%M:%S"))

    def failed(self, problems: list[str]) -> None:
        self.board.update(status="error", problems=problems, reason="", pending=[])

    @staticmethod
    def render(result: Artefact, folder: Path, drawing: views.DeckDrawing | None) -> views.View:
        if result.format == "pdf":
            return views.pdf_pages(result.path, folder)
        if result.format == "epub":
            return views.epub_chapters(result.path, folder)
        return views.slides(result.path, folder, drawing)


def run_preview(source: Path, theme: str | None, port: int | None, browser: bool, out: Path | None,
                show_warnings: Callable[[Iterable[Problem]], None] = lambda _: None) -> None:
    """Build SOURCE, serve its preview on 127.0.0.1 and keep both up to date until Ctrl+C.

    `show_warnings`: the CLI's printer of the build's warnings on the terminal (the page shows them too).
    """
    entry = find_entry(source)  # no narrative there: a located error before any server starts
    board = Board()
    board.update(source=entry.name)
    with tempfile.TemporaryDirectory(prefix="triptych-preview-") as scratch:
        folder = Path(scratch)  # mode 0700: the renderings are the user's alone, and removed on exit
        try:
            server = listen(board, folder, port, DEFAULT_PORT)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise click.BadParameter(f"port {port} on 127.0.0.1 is in use by another program", param_hint="--port")
            raise click.ClickException(f"cannot serve the preview: {exc.strerror or exc}") from None
        server.start()
        click.echo(f"preview at {server.url} — Ctrl+C stops", err=True)
        if browser and not _open(server.url):
            click.echo("open that address in your browser", err=True)
        watcher = Watcher(source, formats.available(), out or folder / "artefacts", theme, show_warnings=show_warnings,
                          listener=Renderer(board, folder, views.soffice_path()))
        try:
            with _terminate_as_interrupt():
                watcher.run()
        finally:
            server.stop()


def _open(url: str) -> bool:
    """Open the page in the user's browser ($BROWSER first, as Python's webbrowser does); without a display and
    without $BROWSER, none: a text-mode browser would take over this terminal."""
    graphical = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or not sys.platform.startswith("linux")
    if not (graphical or os.environ.get("BROWSER")):
        return False
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the preview the way Ctrl+C does: the server closed, the temporary folder removed."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
