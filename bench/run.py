"""Benchmark triptych against the pandoc + WeasyPrint chain (issue 7), side by side.

    python bench/run.py [--sizes sample,10k,30k] [--repeat 3] [--profile 30k|none] [--keep]

Generates the narratives in a temporary folder (the sample copied as it is, the others
synthesised from a fixed word list with a seeded generator), then for every size runs,
round-robin so drift hits every contender alike, one cold run of each contender per repeat:

  triptych     `triptych build FILE --out FRESH --json` (every format formats.available() offers),
               followed at once by the same command into the same folder: the unchanged rebuild
               (sampled once per size when that first sample takes > 3 s, 10x its bar: a full build)
  pdf stage    `triptych build FILE --format pdf --out FRESH --json` (folded into the first
               when pdf is the only format available, since it is then the same command)
  chain        pandoc → EPUB, pandoc → PPTX, pandoc -s → HTML, `python -m weasyprint` → PDF
  weasyprint   `python -m weasyprint` on triptych's own HTML (the floor for triptych's PDF)
  --help       `triptych --help`, and `python -c pass` as the interpreter's own floor

Every contender is a child process; its wall time is measured around it and its peak
memory is the child's own ru_maxrss (os.wait4). Then one build (the 30k one by default) is
profiled with pyinstrument, and BENCHMARKS.md is written at the repo root. Exits 1 if any
run failed (the report lists the messages), 0 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import sys
import sysconfig
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from measure import Run, machine, run  # noqa: E402
from narrative import Narrative, copy_sample, generate  # noqa: E402
import report  # noqa: E402

PY = sys.executable
HTML_SCRIPT = """
import json, sys
from pathlib import Path
from builders.build.pipeline import prepare
from builders.formats.pdf.build import render_html
ctx = prepare(Path(sys.argv[1]))
Path(sys.argv[2]).write_text(render_html(ctx.doc, ctx.theme, ctx.templates), encoding="utf-8")
print(json.dumps({"words": ctx.doc.word_count(), "footnotes": len(ctx.doc.footnotes),
                  "variant": ctx.doc.meta.pdf.variant or ""}))
"""
REBUILD_ENOUGH = 3.0  # seconds: 10x the bar
FORMATS_SCRIPT = "from builders import formats; print(','.join(formats.available()))"


def parse_sizes(text: str) -> list[tuple[str, int]]:
    sizes = []
    for label in (s.strip().lower() for s in text.split(",") if s.strip()):
        if label == "sample":
            sizes.append((label, 0))
        elif re.fullmatch(r"\d+k", label):
            sizes.append((label, int(label[:-1]) * 1000))
        else:
            raise SystemExit(f"--sizes: {label!r} is neither 'sample' nor a size like '10k'")
    return sizes


class Bench:
    def __init__(self, work: Path, pandoc: str, triptych: str, formats: list[str]) -> None:
        self.work, self.pandoc, self.triptych, self.formats = work, pandoc, triptych, formats
        self.separate_pdf = formats != ["pdf"]
        self.results: dict[str, dict[str, list[Run]]] = defaultdict(lambda: defaultdict(list))
        self.failures: list[str] = []
        self.loads: list[float] = []  # 1-minute load average after each round
        self.code_digest = [code_digest()]  # triptych's code and themes, at the start and the end
        # A per-user cache of the bench's own (compiled templates, hyphenation patterns), warmed
        # before the rounds: "warm" runs are warm from the first round, and the user's is untouched.
        self.warm = {"XDG_CACHE_HOME": str(work / "user-cache-warm")}

    # ------------------------------------------------------------ contenders
    def cold(self, file: Path) -> None:
        """Nothing left over from an earlier run may make a cold build warm."""
        for folder in (file.parent / ".triptych-cache", self.work / ".triptych-cache"):
            shutil.rmtree(folder, ignore_errors=True)

    def record(self, label: str, name: str, result: Run) -> Run:
        self.results[label][name].append(result)
        if not result.ok:
            self.failures.append(f"{label} / {name}: exit {result.returncode}\n{result.error()}")
        return result

    def triptych_all(self, label: str, file: Path, repeat: int) -> None:
        out = self.work / label / f"out-all-{repeat}"
        self.cold(file)
        cmd = [self.triptych, "build", str(file), "--out", str(out), "--json"]
        first = self.record(label, "triptych", _with_json(run(cmd, cwd=self.work, env=self.warm)))
        if not self.separate_pdf:  # pdf is the only format: this run is the PDF stage too
            self.results[label]["pdf stage"].append(first)
        earlier = self.results[label]["rebuild"]
        if first.ok and not (earlier and earlier[0].seconds > REBUILD_ENOUGH):
            # The unchanged rebuild: the same command into the same folder. Once it has shown
            # itself a full build (> 10x the 0.3 s bar), more samples would only add minutes.
            self.record(label, "rebuild", _with_json(run(cmd, cwd=self.work, env=self.warm)))

    def warm_up(self, label: str, file: Path) -> None:
        """One build, not recorded, that fills the warm per-user cache."""
        self.cold(file)
        run([self.triptych, "build", str(file), "--out", str(self.work / label / "out-warm-up"), "-q"], cwd=self.work,
            env=self.warm)

    def first_build(self, label: str, file: Path, repeat: int) -> None:
        """A build on a machine that never ran triptych: an empty per-user cache (compiled
        templates, hyphenation patterns), which every other run reuses."""
        out = self.work / label / f"out-first-{repeat}"
        self.cold(file)
        empty = self.work / label / f"user-cache-{repeat}"
        cmd = [self.triptych, "build", str(file), "--out", str(out), "--json"]
        self.record(label, "first build", _with_json(run(cmd, cwd=self.work, env={"XDG_CACHE_HOME": str(empty)})))

    def triptych_pdf(self, label: str, file: Path, repeat: int) -> None:
        out = self.work / label / f"out-pdf-{repeat}"
        self.cold(file)
        cmd = [self.triptych, "build", str(file), "--format", "pdf", "--out", str(out), "--json"]
        self.record(label, "pdf stage", _with_json(run(cmd, cwd=self.work, env=self.warm)))

    def chain(self, label: str, file: Path, repeat: int) -> None:
        out = self.work / label / f"chain-{repeat}"
        out.mkdir(parents=True)
        stem = file.stem
        html = file.parent / f"{stem}.pandoc.html"  # next to the narrative: images resolve
        steps = [
            ("pandoc epub", [self.pandoc, file.name, "-o", str(out / f"{stem}.epub")]),
            ("pandoc pptx", [self.pandoc, file.name, "-o", str(out / f"{stem}.pptx")]),
            ("pandoc html", [self.pandoc, file.name, "-s", "-o", str(html)]),
            ("weasyprint pdf", [PY, "-m", "weasyprint", str(html), str(out / f"{stem}.pdf")]),
        ]
        total, cpu, peak, ok = 0.0, 0.0, 0.0, True
        for name, cmd in steps:
            result = self.record(label, name, run(cmd, cwd=file.parent))
            total += result.seconds
            cpu += result.cpu
            peak = max(peak, result.peak_mb)
            ok = ok and result.ok
        self.results[label]["chain"].append(Run(total, peak, 0 if ok else 1, cpu, extra={"pdf": str(out / f"{stem}.pdf")}))

    def weasyprint_alone(self, label: str, file: Path, repeat: int, html: Path, variant: str) -> None:
        out = self.work / label / f"weasy-{repeat}.pdf"
        cmd = [PY, "-m", "weasyprint", str(html), str(out)]
        if variant:
            cmd += ["--pdf-variant", variant] + (["--pdf-tags"] if variant == "pdf/ua-1" else [])
        self.record(label, "weasyprint alone", run(cmd, cwd=file.parent))

    def batch(self, folder: Path, jobs: int, repeat: int) -> None:
        """Every narrative of `folder` into a fresh output folder (cold: its manifest is new)."""
        out = self.work / "batch-out" / f"jobs{jobs}-{repeat}"
        cmd = [self.triptych, "build", str(folder), "--out", str(out), "--jobs", str(jobs), "-q"]
        self.record("batch", f"jobs {jobs}", run(cmd, cwd=self.work, env=self.warm))

    def startup(self, label: str) -> None:
        self.record(label, "--help", run([self.triptych, "--help"], cwd=self.work))
        self.record(label, "python -c pass", run([PY, "-c", "pass"], cwd=self.work))


def code_digest() -> str:
    """A hash of triptych's package and themes, to notice edits made while the bench runs."""
    digest = hashlib.sha256()
    for folder in (REPO / "builders", REPO / "themes"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _with_json(result: Run) -> Run:
    """Keep what `--json` reports: per-format seconds and page/slide counts."""
    if result.ok:
        try:
            result.extra["artefacts"] = json.loads(result.stdout)
        except json.JSONDecodeError:
            pass
    return result


BATCH_SIZE = 8


def make_batch(work: Path, size: int = BATCH_SIZE) -> Path:
    """A folder of `size` narratives: the sample, each under its own title (their
    artefacts are named after it, and a batch refuses two that would share names)."""
    folder = work / f"batch{size}"
    for number in range(1, size + 1):
        narrative = copy_sample(REPO / "source", folder / f"briefing-{number}")
        text = narrative.path.read_text(encoding="utf-8")
        text = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1).strip()} ({number})", text, count=1, flags=re.M)
        narrative.path.write_text(text, encoding="utf-8")
    return folder


def prepare(label: str, words: int, work: Path) -> Narrative:
    folder = work / label
    if words == 0:
        return copy_sample(REPO / "source", folder)
    return generate(folder, words, label)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="sample,10k,30k", help="comma list: sample and/or sizes like 10k")
    parser.add_argument("--repeat", type=int, default=3, help="cold runs of each contender per size")
    parser.add_argument("--profile", default="30k", help="size to profile with pyinstrument, or none")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md", help="report file")
    args = parser.parse_args()
    sizes = parse_sizes(args.sizes)
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    command = "python bench/run.py" + "".join(
        f" {a}" if not a.startswith("/") else f" {shlex.quote(a)}" for a in sys.argv[1:])
    started = time.perf_counter()

    import pypandoc  # from pypandoc_binary: its bundled binary, no download

    pandoc = pypandoc.get_pandoc_path()
    # The console script installed for this interpreter, as the chain runs this interpreter's
    # WeasyPrint: a version manager's shim on PATH (pyenv) would add its own ~60 ms per run.
    beside = Path(sysconfig.get_path("scripts")) / "triptych"
    triptych = str(beside) if beside.is_file() else shutil.which("triptych")
    if not triptych:
        raise SystemExit("triptych is not on PATH: pip install -e . first")
    found = run([PY, "-c", FORMATS_SCRIPT], cwd=REPO)
    if not found.ok:
        raise SystemExit(f"cannot list triptych's formats:\n{found.error()}")
    formats = found.stdout.strip().split(",")
    info = machine(pandoc)
    work = Path(tempfile.mkdtemp(prefix="triptych-bench-"))
    bench = Bench(work, pandoc, triptych, formats)
    say = lambda text: print(text, flush=True)  # noqa: E731
    say(f"triptych formats: {', '.join(formats)}; pandoc {pandoc}; work folder {work}")

    narratives: dict[str, dict] = {}
    try:
        for label, words in sizes:
            narrative = prepare(label, words, work)
            html = narrative.path.parent / f"{narrative.path.stem}.triptych.html"
            check = run([triptych, "check", str(narrative.path)], cwd=work)
            facts = {"narrative": narrative, "html": html, "check": check, "variant": "", "valid": check.ok}
            if check.ok:
                made = run([PY, "-c", HTML_SCRIPT, str(narrative.path), str(html)], cwd=work)
                if made.ok:
                    facts.update(json.loads(made.stdout.strip().splitlines()[-1]))
                else:
                    bench.failures.append(f"{label} / triptych HTML for WeasyPrint: {made.error()}")
                    facts["valid"] = False
            else:
                bench.failures.append(f"{label} / triptych check: {check.error()}")
            narratives[label] = facts
            say(f"{label}: {narrative.path.name}, {facts.get('words', '?')} words, "
                f"{facts.get('footnotes', narrative.footnotes)} notes" + ("" if facts["valid"] else " — INVALID, see report"))

        for label, _ in sizes:
            facts = narratives[label]
            file = facts["narrative"].path
            contenders = [("chain", lambda r: bench.chain(label, file, r))]
            if facts["valid"]:
                contenders.insert(0, ("triptych", lambda r: bench.triptych_all(label, file, r)))
                contenders.append(("weasyprint", lambda r: bench.weasyprint_alone(label, file, r, facts["html"], facts["variant"])))
                if bench.separate_pdf:
                    contenders.append(("pdf", lambda r: bench.triptych_pdf(label, file, r)))
                contenders.append(("first", lambda r: bench.first_build(label, file, r)))
                bench.warm_up(label, file)
            for repeat in range(args.repeat):
                before = {k: len(v) for k, v in bench.results[label].items()}
                shift = repeat % len(contenders)  # rotate the order too: no contender is always first
                for name, go in contenders[shift:] + contenders[:shift]:
                    go(repeat)
                bench.startup(label)
                bench.loads.append(os.getloadavg()[0])
                shown = [(k, v[-1]) for k, v in bench.results[label].items() if len(v) > before.get(k, 0)
                         and k in ("triptych", "first build", "rebuild", "pdf stage", "chain", "weasyprint alone")]
                say(f"{label} round {repeat + 1}/{args.repeat}: " + ", ".join(
                    f"{k} {r.seconds:.2f} s" + ("" if r.ok else " (failed)") for k, r in shown))

        if any(label == "sample" for label, _ in sizes) and narratives["sample"]["valid"]:
            folder = make_batch(work)
            for repeat in range(args.repeat):
                for jobs in ((1, 2) if repeat % 2 == 0 else (2, 1)):
                    bench.batch(folder, jobs, repeat)
                one, two = bench.results["batch"]["jobs 1"][-1], bench.results["batch"]["jobs 2"][-1]
                say(f"batch of {BATCH_SIZE} round {repeat + 1}/{args.repeat}: --jobs 1 {one.seconds:.2f} s, "
                    f"--jobs 2 {two.seconds:.2f} s")

        profile = None
        if args.profile.lower() != "none":
            target = args.profile if args.profile in narratives else (sizes[-1][0] if sizes else None)
            if target and narratives[target]["valid"]:
                say(f"profiling one {target} build with pyinstrument …")
                profile = run_profile(narratives[target]["narrative"].path, work / target / "out-profile", work, target)
                if profile.get("error"):
                    bench.failures.append(f"profile: {profile['error']}")

        bench.code_digest.append(code_digest())
        info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        if bench.loads:
            info["1-min load after each round"] = " ".join(f"{x:.1f}" for x in bench.loads)
        info["bench wall time"] = f"{time.perf_counter() - started:.0f} s"
        text = report.render(command, info, formats, bench, narratives, profile, sizes, args.repeat)
        args.output.write_text(text, encoding="utf-8")
        say("")
        say(report.console(text))
        say(f"wrote {args.output}")
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if bench.failures else 0


def run_profile(file: Path, out: Path, work: Path, label: str) -> dict:
    result_file = work / f"profile-{label}.json"
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        return {"error": "pyinstrument is not installed (pip install pyinstrument)"}
    result = run([PY, str(HERE / "profile_build.py"), str(file), str(out), str(result_file)], cwd=work)
    if not result.ok or not result_file.exists():
        return {"error": result.error()}
    data = json.loads(result_file.read_text(encoding="utf-8"))
    data["label"] = label
    data["wall"] = result.seconds
    data["peak_mb"] = result.peak_mb
    return data


if __name__ == "__main__":
    sys.exit(main())
