"""Profile one `triptych build` in-process with pyinstrument; write the hot spots as JSON.

    python bench/profile_build.py NARRATIVE OUT_DIR RESULT.json [--formats pdf,epub]

Run as a child of bench/run.py. It does not change triptych: it only wraps WeasyPrint's
`HTML.render` and `Document.write_pdf`, and triptych's `misplaced_footnotes`, from outside,
to count how often they run and how many notes each layout left on the wrong page.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def classify(path: str) -> str:
    """triptych (its package and themes), a site-packages distribution, the stdlib, or other."""
    if not path:
        return "other"
    if path == "<built-in>":
        return "C built-ins"
    if path.startswith((str(REPO / "builders"), str(REPO / "themes"))) or path.endswith(".j2"):
        return "triptych"
    if "/site-packages/" in path:
        top = path.split("/site-packages/", 1)[1].split("/", 1)[0]
        return top.removesuffix(".py")
    if path.startswith("<frozen") or "/lib/python3" in path:
        return "python stdlib"
    return "other"


def short(path: str) -> str:
    for marker in ("/site-packages/", str(REPO) + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def analyse(root, total: float) -> dict:
    """Cumulative time per function (outermost call on each stack only) and self time."""
    cumulative: dict[tuple, float] = defaultdict(float)
    self_time: dict[tuple, float] = defaultdict(float)
    by_library: dict[str, float] = defaultdict(float)

    def walk(frame, active: set) -> None:
        path = frame.file_path or ""
        key = (frame.function, path, frame.line_no)
        synthetic = frame.is_synthetic
        if not synthetic and key not in active:
            cumulative[key] += frame.time
        own = frame.time - sum(child.time for child in frame.children)
        if synthetic:  # "[self]" / "[await]" leaves: charge to the parent's key
            return
        own += sum(child.time for child in frame.children if child.is_synthetic)
        self_time[key] += own
        by_library[classify(path)] += own
        inner = active | {key}
        for child in frame.children:
            if not child.is_synthetic:
                walk(child, inner)

    walk(root, set())

    def rows(table: dict, where: str | None, n: int = 10) -> list[dict]:
        picked = [(k, v) for k, v in table.items() if where is None or classify(k[1]) == where]
        picked.sort(key=lambda kv: -kv[1])
        return [{"function": k[0], "where": f"{short(k[1])}:{k[2]}", "library": classify(k[1]),
                 "cumulative": round(cumulative.get(k, 0.0), 3), "self": round(self_time.get(k, 0.0), 3)}
                for k, v in picked[:n]]

    return {
        "total": round(total, 3),
        "triptych_cumulative": rows(cumulative, "triptych"),
        "weasyprint_cumulative": rows(cumulative, "weasyprint"),
        "self_overall": rows(self_time, None),
        "self_other": rows(self_time, "other", 5),
        "by_library_self": {k: round(v, 3) for k, v in sorted(by_library.items(), key=lambda kv: -kv[1])},
    }


def main() -> None:
    narrative, out_dir, result = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    formats = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--formats" else None

    from pyinstrument import Profiler

    counts = {"HTML.render": 0, "Document.write_pdf": 0}
    seconds = {"HTML.render": 0.0, "Document.write_pdf": 0.0}

    profiler = Profiler(interval=0.005)
    profiler.start()
    started = time.perf_counter()
    # Imports happen inside the profile, as in a real cold build.
    import weasyprint
    from weasyprint.document import Document

    def counted(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            counts[label] += 1
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[label] += time.perf_counter() - t0

        wrapper.__name__ = original.__name__
        setattr(owner, name, wrapper)

    counted(weasyprint.HTML, "render", "HTML.render")
    counted(Document, "write_pdf", "Document.write_pdf")

    # Record how many notes the PDF builder finds on another page than their call, per layout.
    import builders.formats.pdf.build as pdf_briefing

    strays: list[int] = []
    original_misplaced = pdf_briefing.misplaced_footnotes

    def misplaced_footnotes(document):
        found = original_misplaced(document)
        strays.append(len(found))
        return found

    pdf_briefing.misplaced_footnotes = misplaced_footnotes

    from builders.cli import main as cli

    # --jobs 1: every format in this process, where the profiler sees it (a normal build
    # lays out and writes the PDF in a process of its own).
    args = ["build", str(narrative), "--out", str(out_dir), "--quiet", "--jobs", "1"]
    if formats:
        args += ["--format", formats]
    try:
        cli.main(args, standalone_mode=False)
    finally:
        total = time.perf_counter() - started
        session = profiler.stop()
    report = analyse(session.root_frame(), total)
    report["calls"] = counts
    report["misplaced_footnotes_per_layout"] = strays
    report["call_seconds"] = {k: round(v, 3) for k, v in seconds.items()}
    result.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
