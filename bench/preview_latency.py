"""How long an open `triptych preview` page takes to show a save, measured in a real browser.

    python bench/preview_latency.py [SOURCE] [--rounds 5]

Copies SOURCE (default: the sample in source/) to a temporary folder, starts `triptych preview` on it,
opens the page in the system Chromium (Playwright), waits for the first build, then changes the title
in the front matter `--rounds` times and reports, from the save, when the page said "building", showed
the new title, showed the PDF's first page redrawn and the first slide redrawn (each round waits for
the page to be up to date again). Prints the median and the worst of each, and the machine's load.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("TRIPTYCH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=REPO / "source")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "narrative"
        if args.source.is_dir():
            shutil.copytree(args.source, folder)
        else:
            folder.mkdir()
            shutil.copy(args.source, folder)
        entry = next(p for p in sorted(folder.glob("*.md")) if p.read_text(encoding="utf-8").startswith("---"))
        log = Path(scratch) / "preview.log"
        with open(log, "w") as stderr:
            preview = subprocess.Popen([sys.executable, "-m", "builders.cli", "preview", str(folder), "--no-browser",
                                        "--port", "0"], stderr=stderr, stdout=subprocess.DEVNULL, cwd=scratch)
        try:
            while not (found := re.search(r"preview at (\S+)", log.read_text())):
                time.sleep(0.1)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(viewport={"width": 1600, "height": 950})
                page.goto(found.group(1))
                rows = [measure(page, entry, n) for n in range(args.rounds)]
                browser.close()
        finally:
            preview.send_signal(signal.SIGINT)
            preview.wait(timeout=30)
    print(f"{args.source.name}: {args.rounds} saves of the title, seconds from the save (load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    for name in rows[0]:
        values = [row[name] for row in rows]
        print(f"  {name:<22} median {statistics.median(values):5.2f}   worst {max(values):5.2f}")


def measure(page, entry: Path, n: int) -> dict[str, float]:  # noqa: ANN001 - a Playwright page
    ready = "() => document.querySelector('#status').dataset.status === 'ready'"
    page.wait_for_function(ready, timeout=300000)
    time.sleep(0.5)
    pdf = page.get_attribute("[data-pdf-page='1'] img", "src")
    slide = page.get_attribute("[data-slide='1'] img", "src") or ""
    text = entry.read_text(encoding="utf-8")
    title = f"Latency round {n} {time.time():.0f}"
    started = time.monotonic()
    entry.write_text(re.sub(r"^title:.*$", f"title: {title}", text, count=1, flags=re.M), encoding="utf-8")
    marks = {}
    for name, condition in (
            ('"building" shown', "() => document.querySelector('#status').dataset.status !== 'ready'"),
            ("title shown", f"() => document.querySelector('#title').textContent === {title!r}"),
            ("PDF page 1 redrawn", f"() => document.querySelector(\"[data-pdf-page='1'] img\").getAttribute('src') !== {pdf!r}"),
            ("slide 1 redrawn", f"() => (document.querySelector(\"[data-slide='1'] img\") || document.body)"
                                f".getAttribute('src') !== {slide!r}")):
        page.wait_for_function(condition, timeout=300000, polling=20)
        marks[name] = time.monotonic() - started
    return marks


if __name__ == "__main__":
    main()
