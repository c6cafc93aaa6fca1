"""Run one child process and measure it: wall time and the peak memory of that very child.

The peak comes from `os.wait4`, which returns the rusage of the one process waited for
(ru_maxrss: its largest resident set, in KiB on Linux, including any children it waited
for). Unlike polling it cannot miss a short spike, and unlike RUSAGE_CHILDREN deltas it is
not hidden by an earlier, larger child.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path


@dataclass
class Run:
    seconds: float  # wall time
    peak_mb: float
    returncode: int
    cpu: float = 0.0  # user + system seconds of the child: less sensitive to other load on the machine
    stdout: str = ""
    stderr: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def error(self) -> str:
        text = (self.stderr or self.stdout).strip().splitlines()
        return "\n".join(text[-8:]) if text else f"exit code {self.returncode}"


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `cmd` to completion; stdin closed, output captured in files (no pipe deadlocks)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                   env=None if env is None else {**os.environ, **env})
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # so Popen never waits again
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, process.returncode, usage.ru_utime + usage.ru_stime,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def machine(pandoc: str) -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    pandoc_version = run([pandoc, "--version"]).stdout.splitlines()[:1]
    info = run([sys.executable, "-m", "weasyprint", "--info"]).stdout
    pango = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Pango")), "?")
    repo = Path(__file__).resolve().parent.parent
    rev = run(["git", "--no-optional-locks", "-C", str(repo), "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = run(["git", "--no-optional-locks", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"]).stdout
    changed = len([line for line in dirty.splitlines() if line.strip()])
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "cpu": f"{cpu}; {os.cpu_count()} CPUs ({usable} usable)",
        "memory": memory,
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": platform.python_version(),
        "weasyprint": _version("weasyprint") + f" (Pango {pango})",
        "pandoc": (pandoc_version[0] if pandoc_version else "?") + f" (pypandoc_binary {_version('pypandoc_binary')})",
        "triptych": f"{_version('triptych')} at {rev or '?'}" + (f", {changed} tracked files modified" if changed else ""),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python environment": ", ".join(f"{k}={os.environ[k]}" for k in _PYTHON_ENV if k in os.environ) or "defaults",
    }


# Variables that change how children start: with PYTHONDONTWRITEBYTECODE=1 and no __pycache__
# in an editable checkout, every run compiles triptych's modules afresh (about 50 ms here).
_PYTHON_ENV = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "PYTHONOPTIMIZE", "PYTHONPATH")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"
