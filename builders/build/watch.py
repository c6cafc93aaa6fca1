"""`triptych watch`: rebuild in-process on save, only the formats a change affects, through any error."""

from __future__ import annotations

import contextlib
import os
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol

import click

from ..core.errors import Problem, TriptychError, display_path
from .pipeline import BuildLog, BuildRequest, ThemeCache, run
from ..reading import find_entry

if TYPE_CHECKING:
    from ..formats.artefact import Artefact
    from ..formats.context import BuildContext

# Editors save in bursts (write, rename, touch); 50 ms gathers one save into one rebuild
# without eating into the one-second budget a small narrative's rebuild has.
DEBOUNCE_MS = 50
STEP_MS = 25
READY_MS = 300  # an idle watcher wakes this often; its first wake-up announces it is ready
DECK_FILES = {".pptx", ".potx"}


class Listener(Protocol):
    """Told of each rebuild besides the terminal (`triptych preview` shows them in the browser)."""

    def building(self, formats: list[str], reason: str) -> None: ...

    def built(self, ctx: BuildContext, results: list[Artefact], warnings: list[str]) -> None: ...

    def failed(self, problems: list[str]) -> None: ...


class Watcher:
    """Keeps the theme and its template environment warm between rebuilds of one narrative."""

    def __init__(self, source: Path, wanted: list[str], out_dir: Path, theme_name: str | None = None, *,
                 quiet: bool = False, verbose: bool = False, strict: bool = False,
                 show_warnings: Callable[[Iterable[Problem]], None] = lambda _: None,
                 show_timings: Callable[[dict[str, float]], None] = lambda _: None,
                 listener: Listener | None = None) -> None:
        self.source, self.wanted, self.out_dir, self.theme_name = Path(source), wanted, Path(out_dir), theme_name
        self.quiet, self.verbose, self.strict, self.listener = quiet, verbose, strict, listener
        # The CLI's printers, passed in: orchestration does not import the command line.
        self.show_warnings, self.show_timings = show_warnings, show_timings
        self.themes: ThemeCache = {}
        self.theme_folders: list[Path] = []
        self.theme_names: list[str] = []
        self.page_list = True
        self.prepared: Any = None  # the last build's context, as read (for the listener)
        # Templates each format asked for in its last build: a template edit rebuilds only those.
        self.used: dict[str, set[str]] = {}
        self.current: str | None = None
        self.stale: set[str] = set(wanted)  # formats whose last attempt published nothing
        self.started_at = 0.0  # wall-clock start of the last rebuild: files saved after it may be unbuilt

    # ------------------------------------------------------------ the loop

    def run(self) -> None:
        """Build once, then rebuild on every change until Ctrl+C."""
        import watchfiles

        entry = find_entry(self.source)  # nothing to watch is a usage problem: exit 1 at once
        self.base_dir = entry.parent.resolve()
        try:
            self.rebuild(set(self.wanted), entry.name)  # Ctrl+C during the first build stops cleanly too
            while True:
                roots = self.roots()
                announced = False
                for changes in watchfiles.watch(*roots, watch_filter=self.relevant, debounce=DEBOUNCE_MS, step=STEP_MS,
                                                yield_on_timeout=True, rust_timeout=READY_MS):
                    if not announced:
                        # Said at the first yield, when the OS watches are in place: a save from now on counts.
                        if not self.quiet:
                            click.echo(f"watching {', '.join(display_path(r) + '/' for r in roots)} for "
                                       f"{', '.join(self.wanted)} — Ctrl+C stops", err=True)
                        announced = True
                        if self._saved_since(roots, self.started_at):
                            # Saved while no watch was in place (the first build, or before new roots were watched).
                            self.rebuild(set(self.wanted), "a file saved during the last build")
                    if not changes:
                        continue
                    affected, reason = self.affected(changes)
                    if affected:
                        self.rebuild(affected, reason)
                    if self.roots() != roots:
                        break  # the narrative now names another theme: watch its folders instead
        except KeyboardInterrupt:
            if not self.quiet:
                click.echo("stopped watching", err=True)

    def roots(self) -> list[Path]:
        """The narrative's folder, and the theme's folders outside it."""
        roots = [self.base_dir]
        for folder in self.theme_folders:
            resolved = folder.resolve()
            if resolved.is_dir() and not any(resolved.is_relative_to(r) for r in roots):
                roots.append(resolved)
        return roots

    def _saved_since(self, roots: list[Path], moment: float) -> bool:
        """Whether a file the watch cares about was written after `moment`."""
        import watchfiles

        for root in roots:
            for folder, subfolders, names in os.walk(root):
                subfolders[:] = [d for d in subfolders if self.relevant(watchfiles.Change.modified, os.path.join(folder, d))]
                for name in names:
                    path = os.path.join(folder, name)
                    with contextlib.suppress(OSError):
                        if os.stat(path).st_mtime > moment and self.relevant(watchfiles.Change.modified, path):
                            return True
        return False

    def relevant(self, change: Any, path: str) -> bool:
        """watchfiles' default filter (editor swap files, .git, caches), minus our own output folder."""
        import watchfiles

        resolved = Path(path).resolve()
        if resolved.is_relative_to(self.out_dir.resolve()):
            return False
        return watchfiles.DefaultFilter()(change, path)

    # ------------------------------------------------------------ what a change affects

    def affected(self, changes: set[tuple[Any, str]]) -> tuple[set[str], str]:
        """Formats to rebuild for a batch of changes, and a short reason to show."""
        import watchfiles

        formats: set[str] = set()
        names: list[str] = []
        for change, raw in sorted(changes, key=lambda c: c[1]):
            path = Path(raw).resolve()
            hit = self.formats_for(path, change in (watchfiles.Change.added, watchfiles.Change.deleted))
            if hit:
                formats |= hit
                names.append(display_path(path))
        if formats:
            formats |= self.stale
        return {f for f in formats if f in self.wanted}, ", ".join(dict.fromkeys(names))

    def formats_for(self, path: Path, added_or_deleted: bool) -> set[str]:
        everything = set(self.wanted)
        for folder in self.theme_folders:
            folder = folder.resolve()
            if path.is_relative_to(folder):
                return self._theme_file(path.relative_to(folder), added_or_deleted)
        for themes_dir in {self.base_dir / "themes", Path.cwd().resolve() / "themes"}:
            if path.is_relative_to(themes_dir):
                # A new project theme may shadow one of the chain (themes/default/…): reload the theme.
                if path.relative_to(themes_dir).parts[0] in self.theme_names:
                    self.themes.clear()
                    return everything
                return set()  # another theme: nothing built here uses it
        return everything  # the narrative, its chapters, images and data

    def _theme_file(self, relative: Path, added_or_deleted: bool) -> set[str]:
        everything = set(self.wanted)
        if relative.parts[0] == "templates" and relative.suffix == ".j2":
            if added_or_deleted:
                self.themes.clear()  # the loader's search order changed: a fresh environment
            name = "/".join(relative.parts[1:])
            users = {f for f in self.wanted if f not in self.used or name in self.used[f]}
            if "pdf" in users and self.page_list:
                users.add("epub")  # the e-book's page list follows the PDF's page breaks
            return users
        if relative.name == "deck.yaml" or relative.suffix in DECK_FILES:
            return {"pptx"}
        self.themes.clear()  # theme.yaml, fonts, anything else: tokens may have changed
        return everything

    # ------------------------------------------------------------ building

    def rebuild(self, formats: set[str], reason: str) -> None:
        wanted = [f for f in self.wanted if f in formats]
        started, self.started_at = time.perf_counter(), time.time()
        log = BuildLog()
        self.current = None
        if self.listener:
            self.listener.building(wanted, reason)
        try:
            # One process (parallel=False): which templates each format asks for is recorded here, in memory.
            results = run(BuildRequest(self.source, wanted, self.out_dir, self.theme_name, self._starting,
                                       strict=self.strict, parallel=False, themes=self.themes,
                                       on_prepared=self._prepared), log)
        except TriptychError as exc:
            self.stale |= set(wanted)
            self._forget_current()
            click.echo(f"{_clock()} {click.style('error', fg='red')} — {reason}", err=True)
            click.echo(exc.message, err=True)
            if self.listener:
                self.listener.failed([str(p) for p in exc.problems])
            return
        except Exception as exc:  # a bug must not end the session; show it and keep watching
            self.stale |= set(wanted)
            self._forget_current()
            click.echo(f"{_clock()} internal error — please report it:\n{traceback.format_exc()}", err=True)
            if self.listener:
                self.listener.failed([f"internal error — please report it: {type(exc).__name__}: {exc}"])
            return
        self.current = None
        self.stale -= set(wanted)
        if not self.quiet:
            self.show_warnings(log.warnings)
            built = ", ".join(f"{r.format} ({r.counted})" if r.count else r.format for r in results)
            click.echo(f"{_clock()} rebuilt {built} in {time.perf_counter() - started:.2f} s — {reason}", err=True)
            if self.verbose:
                self.show_timings(log.timings)
        if self.listener:
            self.listener.built(self.prepared, results, [f"{w.location}: warning: {w.message}" for w in log.warnings])

    def _prepared(self, ctx: Any) -> None:
        """The narrative is read: note its theme and page list, and watch which templates each format asks for."""
        self.prepared = ctx
        self._record(ctx.templates)
        self.theme_folders, self.theme_names = list(ctx.theme.folders), [f.name for f in ctx.theme.folders]
        self.page_list = ctx.doc.meta.epub.page_list

    def _starting(self, name: str) -> None:
        self.current = name
        self.used[name] = set()

    def _forget_current(self) -> None:
        # A build that stopped half-way saw only some of its templates: treat it as using all.
        if self.current:
            self.used.pop(self.current, None)
        self.current = None

    def _record(self, templates: Any) -> None:
        """Note which templates the format being built asks for (includes and extends go through here too)."""
        env = templates.env
        if getattr(env, "triptych_watcher", None) is self:
            return
        original = env.get_template

        def get_template(name: Any, *args: Any, **kwargs: Any) -> Any:
            if self.current is not None:
                self.used.setdefault(self.current, set()).add(str(getattr(name, "name", name)))
            return original(name, *args, **kwargs)

        env.get_template = get_template
        env.triptych_watcher = self


def _clock() -> str:
    return time.strftime("%H:%M:%S")
