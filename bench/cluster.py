"""Benchmark a batch of 16 narratives: `--jobs 1`, `--jobs 2`, and a Dask cluster of 2 local workers.

    python bench/cluster.py [--repeat 3] [--output BENCHMARKS.md]

Starts `dask scheduler` and two `dask worker --nthreads 1` processes on 127.0.0.1 (the
`cluster` extra), builds 16 retitled copies of the sample each way into fresh output folders,
round-robin, and writes (or replaces) the "Batches on a cluster" section of BENCHMARKS.md. The
cluster's figure includes shipping every narrative's folder to a worker and its artefacts
back; on one machine with two cores, it shows the cost of that, not a speed-up over --jobs 2.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from measure import run  # noqa: E402
from run import make_batch  # noqa: E402

SIZE = 16
HEADING = "## Batches on a cluster"


def start_cluster(work: Path) -> tuple[str, list[subprocess.Popen]]:
    file = work / "scheduler.json"
    logs = open(work / "cluster.log", "w")
    processes = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                                   "--no-dashboard", "--scheduler-file", str(file)], stdout=logs, stderr=logs)]
    deadline = time.monotonic() + 60
    while True:  # the file may be seen half-written
        try:
            address = json.loads(file.read_text())["address"]
            break
        except (OSError, ValueError, KeyError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    for number in range(2):
        processes.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1",
                                           "--no-dashboard", "--host", "127.0.0.1", "--name", f"bench-{number}"],
                                          cwd=work, stdout=logs, stderr=logs))
    from distributed import Client

    with Client(address, timeout=30) as client:
        client.wait_for_workers(2, timeout=60)
    return address, processes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    beside = Path(sysconfig.get_path("scripts")) / "triptych"
    triptych = str(beside) if beside.is_file() else shutil.which("triptych")
    work = Path(tempfile.mkdtemp(prefix="triptych-bench-cluster-"))
    address, processes = start_cluster(work)
    folder = make_batch(work, SIZE)
    ways = {"--jobs 1": ["--jobs", "1"], "--jobs 2": ["--jobs", "2"], "cluster, 2 workers": ["--cluster", address]}
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    try:
        for repeat in range(args.repeat):
            order = list(ways)[repeat % 3:] + list(ways)[:repeat % 3]  # rotated: no way is always first
            for name in order:
                out = work / "out" / f"{name.split()[-1]}-{repeat}"
                result = run([triptych, "build", str(folder), "--out", str(out), "-q", *ways[name]], cwd=work)
                if not result.ok:
                    raise SystemExit(f"{name} failed:\n{result.error()}")
                seconds[name].append(result.seconds)
                print(f"round {repeat + 1}: {name} {result.seconds:.2f} s", flush=True)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    best = {name: min(values) for name, values in seconds.items()}
    rows = "\n".join(f"| {name} | {best[name]:.2f} s | {best['--jobs 1'] / best[name]:.2f}× | "
                     f"{' / '.join(f'{v:.2f}' for v in seconds[name])} |" for name in ways)
    section = (f"{HEADING}\n\nMeasured by `python bench/cluster.py --repeat {args.repeat}`: {SIZE} retitled copies of "
               "the sample, all three formats, each way into a fresh output folder; a `dask scheduler` and two "
               "`dask worker --nthreads 1` processes on 127.0.0.1 of the same machine. Best of the rounds, and "
               "the speed-up over `--jobs 1`.\n\n| batch of 16 | best | speed-up | every round (s) |\n|:--|--:|--:|:--|\n"
               f"{rows}\n\nOn one two-core machine the cluster cannot beat `--jobs 2` (the same two cores, plus "
               "shipping each folder and its artefacts through the scheduler); its figures show that overhead. "
               "On several machines, each adds its cores (see docs/series-and-clusters.md).\n")
    text = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    if HEADING in text:
        start = text.index(HEADING)
        following = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section + (text[following + 1:] if following != -1 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    args.output.write_text(text, encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
