"""The preview's web server: on 127.0.0.1 only, it serves its page, the board's state as events, and the files the board lists."""

from __future__ import annotations

import errno
import mimetypes
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .board import Board

HOST = "127.0.0.1"  # never all interfaces: the page shows an unpublished document
KEEP_ALIVE_SECONDS = 15
ASSETS = ("index.html", "preview.css", "preview.js", "icon.svg")
TYPES = {".xhtml": "application/xhtml+xml", ".css": "text/css", ".js": "text/javascript", ".html": "text/html",
         ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml",
         ".webp": "image/webp", ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
# The page runs only its own script; the e-book's chapters run none at all.
PAGE_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self'; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
FILE_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
               "script-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'")


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never holds the process at exit

    def __init__(self, board: Board, port: int, root: Path) -> None:
        self.board, self.root = board, root.resolve()
        self.assets = {name: (resources.files(__package__) / "assets" / name).read_bytes() for name in ASSETS}
        super().__init__((HOST, port), Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, name="preview-server", daemon=True).start()

    def stop(self) -> None:
        self.board.close()  # ends the event streams
        self.shutdown()
        self.server_close()


def listen(board: Board, root: Path, port: int | None, default: int) -> PreviewServer:
    """A server of the files under `root` on `port` (0: any free one); without a port, on `default` (a page left
    open finds it again) or, when that is taken, any free port.

    Raises OSError(EADDRINUSE) when the port asked for is taken.
    """
    if port is not None:
        return PreviewServer(board, port, root)
    try:
        return PreviewServer(board, default, root)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        return PreviewServer(board, 0, root)


def request_path(target: str) -> str | None:
    """The path a request asks for, decoded once; None for anything that is not a plain path.

    Only exact paths the board or the page knows are ever served, so this is the first of two
    gates: no `..` or `.` segment, no backslash, NUL or control character, no second level of
    percent-encoding, no absolute-form or scheme-relative target.
    """
    if not target.startswith("/") or target.startswith("//"):
        return None
    path = unquote(urlsplit(target).path, errors="strict") if "%" in target else urlsplit(target).path
    if "%" in path or "\\" in path or any(ord(c) < 32 or c == "\x7f" for c in path) or "//" in path:
        return None
    if any(segment in (".", "..") for segment in path.split("/")):
        return None
    return path


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "triptych-preview"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # the terminal shows the builds, not every image the page fetches

    def _answer(self, body: bool) -> None:
        if not self._host_is_ours():
            return self._refuse(403, "this preview answers only to 127.0.0.1 and localhost")
        try:
            path = request_path(self.path)
        except UnicodeDecodeError:
            path = None
        if path is None:
            return self._refuse(400, "not a path this preview serves")
        if path == "/":
            return self._send(self.server.assets["index.html"], "text/html; charset=utf-8", body, PAGE_POLICY)
        if path.startswith("/assets/") and path[len("/assets/"):] in self.server.assets:
            name = path[len("/assets/"):]
            return self._send(self.server.assets[name], _type(name), body, PAGE_POLICY)
        if path == "/state.json":
            return self._send(self.server.board.snapshot()[1].encode(), "application/json", body, PAGE_POLICY)
        if path == "/events":
            return self._events() if body else self._send(b"", "text/event-stream", False, PAGE_POLICY)
        file = self.server.board.file(path)
        # The second gate: a file the board lists, still inside the preview's folder once every link is followed,
        # and not itself a symlink (O_NOFOLLOW) — whatever was put in its place since.
        if file is None or not file.resolve().is_relative_to(self.server.root):
            return self._refuse(404, "not found")
        try:
            fd = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return self._refuse(404, "not found")
        with os.fdopen(fd, "rb") as handle:
            data = handle.read()
        # Each rendering has URLs of its own, so a fetched file never changes: the browser may keep it.
        self._send(data, _type(file.name), body, FILE_POLICY, cache="private, max-age=3600, immutable")

    def _events(self) -> None:
        """Server-sent events: the whole state at once, then again after every change, until the page or we leave."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        board, seen = self.server.board, -1
        try:
            while not board.closed:
                version, state = board.wait(seen, KEEP_ALIVE_SECONDS)
                if board.closed:
                    break
                # A comment line keeps proxies and the browser from timing the stream out.
                self.wfile.write(f"event: state\ndata: {state}\n\n".encode() if version != seen else b": still here\n\n")
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass  # the page was closed or reloaded

    def _host_is_ours(self) -> bool:
        # A page elsewhere may point its own name at 127.0.0.1 (DNS rebinding); browsers always send Host.
        host = self.headers.get("Host")
        port = self.server.server_address[1]
        return host is None or host in (f"{HOST}:{port}", f"localhost:{port}")

    def _refuse(self, status: int, reason: str) -> None:
        self.close_connection = True
        self._send(f"{status} {reason}\n".encode(), "text/plain; charset=utf-8", self.command != "HEAD", None, status)

    def _send(self, data: bytes, content_type: str, body: bool, policy: str | None, status: int = 200,
              cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if policy:
            self.send_header("Content-Security-Policy", policy)
        self.end_headers()
        if body:
            self.wfile.write(data)


def _type(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    kind = TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith(("+xml", "json")) else kind
