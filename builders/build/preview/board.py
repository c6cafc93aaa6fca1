"""What the page shows now: the build's status and each format's latest rendering, written by the watcher, read by the server."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .views import View


class Board:
    """The state the page mirrors, a version that grows with every change, and the files the page may fetch."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0
        self.closed = False
        self.state: dict[str, Any] = {"title": "", "subtitle": "", "source": "", "status": "starting", "reason": "",
                                      "problems": [], "warnings": [], "views": {}, "pending": []}
        self._files: dict[str, Path] = {}  # URL path → file: the server serves these and nothing else
        self._shown: dict[str, list[tuple[str, Path]]] = {}  # format → its renderings still served (URL prefix, folder)
        self._next = 0

    def update(self, **changes: Any) -> None:
        with self._changed:
            self.state.update(changes)
            self._bump()

    def publish(self, name: str, view: View, folder: Path, **changes: Any) -> None:
        """Show `view` for format `name` (and apply `changes`); its files become fetchable under a URL no earlier
        rendering used."""
        with self._changed:
            self.state.update(changes)
            self._next += 1
            prefix = f"/view/{name}/{self._next}/"
            for relative, path in view.files.items():
                self._files[prefix + relative] = path
            items = [{**item, "src": prefix + quote(item["src"])} if "src" in item else item for item in view.items]
            self.state["views"] = {**self.state["views"], name: {"items": items, "note": view.note}}
            shown = self._shown.setdefault(name, [])
            shown.append((prefix, folder))
            # The one before stays: a page still loading its images must not get 404s half-way.
            while len(shown) > 2:
                old_prefix, old_folder = shown.pop(0)
                self._files = {url: p for url, p in self._files.items() if not url.startswith(old_prefix)}
                shutil.rmtree(old_folder, ignore_errors=True)
            self._bump()

    def file(self, url_path: str) -> Path | None:
        with self._changed:
            return self._files.get(url_path)

    def snapshot(self) -> tuple[int, str]:
        with self._changed:
            return self.version, json.dumps({**self.state, "version": self.version})

    def wait(self, seen: int, timeout: float) -> tuple[int, str]:
        """The state once its version differs from `seen` (or after `timeout` seconds, unchanged)."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen or self.closed, timeout)
        return self.snapshot()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def _bump(self) -> None:
        self.version += 1
        self._changed.notify_all()
