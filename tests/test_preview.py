"""`triptych preview`: the three artefacts in a real browser, live on save, errors on the page, nothing else served."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from conftest import write_narrative

CHROMIUM = os.environ.get("TRIPTYCH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run"]
TITLE = "Harbour Logistics Review"
BODY = """\
::: keypoints
- Three ports carry most of the trade.
:::

# Capacity at the quays

The quays handle more containers every year, and the cranes are old.

::: notes
Say that the cranes date from 1987.
:::

# Who pays for dredging

The channel must be dredged every spring; the cost is shared by the port and the city.

::: {.quote by="Ana Ruiz" role="Harbour master"}
Dredging is the one bill nobody wants.
:::
""" + "".join(f"\nPier {n} handles bulk cargo in the morning and containers after noon; its crews rotate weekly.\n"
              for n in range(1, 40))  # long enough for a second page


@dataclass
class Preview:
    process: subprocess.Popen
    url: str
    log: Path
    source: Path

    def state(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.url + "state.json", timeout=10) as answer:
            return json.load(answer)

    def ready(self) -> bool:
        state = self.state()
        return state["status"] == "ready" and set(state["views"]) == {"pdf", "pptx", "epub"}


def _wait(predicate: Callable[[], Any], timeout: float = 60.0) -> Any:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up after {timeout} s")


@contextlib.contextmanager
def running_preview(folder: Path, *options: str, env: dict[str, str] | None = None, wait: bool = True,
                    browser: bool = False) -> Iterator[Preview]:
    """`triptych preview` on a small narrative in `folder`, as a user starts it; Ctrl+C at the end."""
    source = write_narrative(folder / "project", BODY, f"title: {TITLE}\ndate: 2024-08-26")
    log = folder / "preview.log"
    with open(log, "w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "builders.cli", "preview", str(source), "--port", "0",
                                    *([] if browser else ["--no-browser"]), *options],
                                   stdout=subprocess.DEVNULL, stderr=stderr, cwd=folder,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    try:
        url = _wait(lambda: re.search(r"preview at (http://\S+)", log.read_text()), 60).group(1)
        preview = Preview(process, url, log, source)
        if wait:
            _wait(preview.ready, 120)
        yield preview
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """One preview for the tests below (each starts LibreOffice and a build); each test leaves the source as it was."""
    folder = tmp_path_factory.mktemp("preview")
    with running_preview(folder, "--out", str(folder / "out"), env={"TMPDIR": str(_fresh(folder / "tmp"))}) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (.ci/system-packages installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


def test_the_page_shows_the_title_and_all_three_artefacts(browser, preview, tmp_path):
    import pypdfium2
    from pptx import Presentation

    page = browser.new_page(viewport={"width": 1500, "height": 900})
    page.goto(preview.url)
    page.wait_for_selector("[data-epub] iframe:not(.loading)")
    assert page.inner_text("#title") == TITLE
    assert TITLE in page.title()
    pdf, = (preview.source.parent.parent / "out").glob("*.pdf")
    deck, = (preview.source.parent.parent / "out").glob("*.pptx")
    # Every page and every slide of the built files, each drawn (an image the browser decoded).
    assert page.locator("[data-pdf-page] img").count() == len(pypdfium2.PdfDocument(pdf)) >= 2
    assert page.locator("[data-slide] img").count() == len(Presentation(str(deck)).slides) >= 4
    images = page.locator("[data-pdf-page] img, [data-slide] img")
    for n in range(images.count()):  # loaded lazily: each as it comes into view
        images.nth(n).scroll_into_view_if_needed()
        images.nth(n).evaluate("i => i.decode()")
        assert images.nth(n).evaluate("i => i.naturalWidth") > 900
    assert page.get_attribute("[data-pdf-page]:first-child", "data-pdf-page") == "1"
    # Speaker notes on demand: hidden, then shown by the button.
    notes = page.locator(".notes-text", has_text="Say that the cranes date from 1987.")
    assert not notes.is_visible()
    page.click("#all-notes")
    assert notes.is_visible()
    # The e-book's chapters, from its own XHTML, set in its own embedded fonts.
    chapters = page.locator("[data-epub]")
    assert chapters.count() >= 3
    page.wait_for_function("""() => [...document.querySelectorAll('[data-epub] iframe')].some(f =>
        f.contentDocument && f.contentDocument.fonts && [...f.contentDocument.fonts].some(
          font => font.family.includes('Source Serif 4') && font.status === 'loaded'))""", timeout=20000)
    text = page.evaluate("[...document.querySelectorAll('[data-epub] iframe')]"
                         ".map(f => f.contentDocument.body.innerText).join('\\n')")
    assert "Who pays for dredging" in text and "Dredging is the one bill nobody wants." in text
    page.screenshot(path=str(tmp_path / "preview.png"))


def test_edits_errors_and_fixes_appear_without_a_reload(browser, preview):
    good = preview.source.read_text()
    try:
        page = browser.new_page(viewport={"width": 1500, "height": 900})
        page.goto(preview.url)
        page.wait_for_selector("[data-slide] img")
        chapters_shown = "() => [...document.querySelectorAll('[data-epub] iframe')].every(f => !f.matches('.loading'))"
        page.wait_for_function(chapters_shown)  # before that, the e-book column is too short to scroll
        page.evaluate("""() => {
            window.sameDocument = true;  // gone if the page reloads
            window.statuses = [];
            new MutationObserver(() => statuses.push(document.querySelector('#status').dataset.status))
              .observe(document.querySelector('#status'), {attributes: true});
            for (const [view, top] of [['pdf', 250], ['pptx', 300], ['epub', 350]])
              document.querySelector(`[data-view=${view}] .scroll`).scrollTop = top;
        }""")
        where = "() => ['pdf', 'pptx', 'epub'].map(v => document.querySelector(`[data-view=${v}] .scroll`).scrollTop)"
        assert page.evaluate(where) == [250, 300, 350]
        first_page = page.get_attribute("[data-pdf-page='1'] img", "src")

        # An edit to the title: the page follows by itself, says it is building, keeps its place.
        preview.source.write_text(good.replace(TITLE, "Harbour Review, Second Draft"))
        page.wait_for_function("() => document.querySelector('#title').textContent === 'Harbour Review, Second Draft'",
                               timeout=30000)
        page.wait_for_function("() => document.querySelector('#status').dataset.status === 'ready'", timeout=30000)
        assert page.evaluate("window.sameDocument") is True
        assert "building" in page.evaluate("window.statuses")
        assert page.get_attribute("[data-pdf-page='1'] img", "src") != first_page  # the pages were drawn again
        page.wait_for_function(chapters_shown)
        assert page.evaluate(where) == [250, 300, 350]  # every column where the reader left it

        # A broken block: its located error on the page, the last good build still shown beneath it.
        broken = good.replace("::: notes", "::: nots")
        preview.source.write_text(broken)
        problems = page.locator("#problems")
        problems.wait_for(state="visible", timeout=30000)
        line = next(n for n, text in enumerate(broken.splitlines(), 1) if text.startswith("::: nots"))
        assert re.search(rf'doc\.md:{line}:\d+: unknown block "nots" \(did you mean "notes"\?\)', problems.inner_text())
        assert page.get_attribute("#status", "data-status") == "error"
        assert page.locator("[data-pdf-page] img").first.is_visible()
        assert page.locator("[data-slide] img").first.is_visible()
        assert page.locator("[data-epub]").count() >= 3

        # Fixed: the error goes by itself and the page shows the fixed narrative.
        preview.source.write_text(good.replace(TITLE, "Harbour Review, Fixed"))
        problems.wait_for(state="hidden", timeout=30000)
        page.wait_for_function("() => document.querySelector('#title').textContent === 'Harbour Review, Fixed'",
                               timeout=30000)
        assert page.evaluate("window.sameDocument") is True
    finally:
        preview.source.write_text(good)
        _wait(lambda: preview.ready() and preview.state()["title"] == TITLE)


def _raw_get(port: int, target: str, host: str | None = None) -> tuple[int, bytes]:
    """One request exactly as written: no client library normalising the path first."""
    host_line = f"Host: {host or f'127.0.0.1:{port}'}\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"GET " + target.encode("latin-1") + b" HTTP/1.1\r\n" + host_line + b"Connection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_only_what_the_preview_built_is_served_and_only_on_127_0_0_1(preview, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    port = int(preview.url.rsplit(":", 1)[1].strip("/"))
    state = preview.state()
    image = state["views"]["pdf"]["items"][0]["src"]
    chapter = state["views"]["epub"]["items"][-1]["src"]
    assert _raw_get(port, image)[0] == 200
    assert _raw_get(port, chapter)[0] == 200
    prefix = image.rsplit("/", 1)[0]
    hostile = [
        "/../../../../../../etc/passwd", f"{prefix}/../../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", f"{prefix}/%2e%2e/%2e%2e/%2e%2e/state.json",
        "/%252e%252e/%252e%252e/%252e%252e/etc/passwd", "/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/assets/..%5c..%5cserver.py", "/assets/..\\..\\server.py",
        "/etc/passwd", "//etc/passwd", str(secret), "/" + str(secret), "/%2f" + str(secret).lstrip("/"),
        "http://127.0.0.1/etc/passwd", f"{image}%00.txt", "/assets/preview.js%00", "/assets/server.py",
        "/assets/../session.py", "/view/", f"{prefix}/", "/artefacts/doc.pptx",
        chapter.rsplit("/", 1)[0] + "/../META-INF/container.xml/../../../../../etc/passwd",
    ]
    for target in hostile:
        status, body = _raw_get(port, target)
        assert status in (400, 404), (target, status)
        assert b"root:" not in body and b"TOP SECRET" not in body and b"import" not in body, target
    # A page elsewhere pointing its own name at 127.0.0.1 (DNS rebinding) is refused.
    assert _raw_get(port, "/state.json", host=f"attacker.example:{port}")[0] == 403
    # Listening on 127.0.0.1 only: the kernel's own table, and the machine's other addresses.
    assert _listeners(port) == {"127.0.0.1"}
    for address in _other_addresses():
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2).close()


def test_the_browser_opens_the_page_and_ctrl_c_stops_even_mid_build_leaving_nothing_behind(tmp_path):
    scratch = _fresh(tmp_path / "tmp")
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.py"  # $BROWSER, as Python's webbrowser honours it: here, one that notes the address
    browser.write_text(f"import sys, pathlib\npathlib.Path({str(opened)!r}).write_text(sys.argv[1])\n")
    env = {"TMPDIR": str(scratch), "BROWSER": f"{sys.executable} {browser} %s", "DISPLAY": ""}
    with running_preview(tmp_path, env=env, wait=False, browser=True) as preview:
        assert _wait(lambda: opened.exists() and opened.read_text()) == preview.url
        # Stopped while LibreOffice draws the slides, the slowest moment to stop cleanly (or once ready, if missed).
        _wait(lambda: (lambda s: s["status"] == "ready" or s["reason"] == "slides")(preview.state()), 120)
        assert any(scratch.iterdir())  # the renderings live in a private temporary folder …
        preview.process.send_signal(signal.SIGINT)
        assert preview.process.wait(timeout=20) == 0
    log = preview.log.read_text()
    assert "stopped watching" in log and "Traceback" not in log and "Aborted" not in log
    assert list(scratch.iterdir()) == []  # … removed on exit,
    assert not (tmp_path / "output").exists() and not (preview.source.parent / "output").exists()  # … never output/
    assert not [pid for pid in os.listdir("/proc") if pid.isdigit() and _cmdline(pid).count(str(scratch))]


def test_without_libreoffice_the_slides_are_a_text_outline_with_their_notes(tmp_path):
    from builders.build.pipeline import build
    from builders.build.preview import views

    source = write_narrative(tmp_path / "n", BODY, f"title: {TITLE}\ndate: 2024-08-26")
    deck, = build(source, ["pptx"], tmp_path / "out")
    view = views.slides(deck.path, tmp_path / "drawn", None)
    assert "LibreOffice" in view.note and not view.files
    assert view.items[0]["outline"][0] == TITLE
    assert any(item["outline"][:1] == ["Capacity at the quays"] and "cranes date from 1987" in item["notes"]
               for item in view.items)
    assert all("src" not in item for item in view.items)


def test_a_taken_port_is_a_usage_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        source = write_narrative(tmp_path / "n", BODY)
        run = subprocess.run([sys.executable, "-m", "builders.cli", "preview", str(source), "--no-browser", "--port",
                              str(port)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert run.returncode == 2 and f"port {port} on 127.0.0.1 is in use" in run.stderr


def _fresh(folder: Path) -> Path:
    folder.mkdir()
    return folder


def _listeners(port: int) -> set[str]:
    """Local addresses listening on `port`, read from /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as lines:
            for line in list(lines)[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]) if len(address) == 8 else "::" + address)
    return found


def _other_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback."""
    addresses = set()
    with contextlib.suppress(OSError):
        addresses |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
        addresses.add(probe.getsockname()[0])
    return sorted(a for a in addresses if not a.startswith("127.") and a != "0.0.0.0")


def test_a_symlink_put_where_a_rendering_was_is_not_followed(tmp_path):
    from builders.build.preview.board import Board
    from builders.build.preview.server import PreviewServer
    from builders.build.preview.views import View

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    elsewhere = _fresh(tmp_path / "elsewhere")
    (elsewhere / "page-2.png").write_text("TOP SECRET")
    folder = tmp_path / "root" / "pdf-1"
    (folder / "pages").mkdir(parents=True)
    for name in ("page-1.png", "pages/page-2.png"):
        (folder / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    board = Board()
    board.publish("pdf", View([{"n": 1, "src": "page-1.png"}, {"n": 2, "src": "pages/page-2.png"}],
                              {name: folder / name for name in ("page-1.png", "pages/page-2.png")}), folder)
    server = PreviewServer(board, 0, tmp_path / "root")
    server.start()
    try:
        port = server.server_address[1]
        assert server.server_address[0] == "127.0.0.1"
        first, second = (item["src"] for item in board.state["views"]["pdf"]["items"])
        assert _raw_get(port, first) == (200, b"\x89PNG\r\n\x1a\n")
        (folder / "page-1.png").unlink()
        (folder / "page-1.png").symlink_to(secret)
        shutil.rmtree(folder / "pages")
        (folder / "pages").symlink_to(elsewhere)
        for target in (first, second):
            status, body = _raw_get(port, target)
            assert status == 404 and b"TOP SECRET" not in body, target
    finally:
        server.stop()


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""
