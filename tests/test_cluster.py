"""Batches on a real Dask cluster: a scheduler and two workers on 127.0.0.1, as separate processes."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, write_narrative

distributed = pytest.importorskip("distributed", reason="the cluster extra (pip install 'triptych[cluster]')")

EPOCH = "1700000000"
NARRATIVE = """\
::: keypoints
- The {name} grid runs on wind.
:::

# Where {name} stands

{name} builds its grid in three steps. Each step is funded separately.[^1]

![A figure of {name}](images/pic.png)

::: {{.chart type="bar" title="Capacity of {name}" units="MW"}}
| Source | MW |
|:--|--:|
| Wind | {mw} |
| Solar | 200 |
:::

[^1]: A footnote on {name}.
"""


def _die_with_pytest() -> None:
    """The scheduler and workers end with the test run, even a killed one (Linux)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(REPO)}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """`dask scheduler` and two `dask worker` processes, one thread each, on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("cluster")
    file = folder / "scheduler.json"
    started = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                                 "--no-dashboard", "--scheduler-file", str(file)], cwd=REPO, env=_env(),
                                stdout=subprocess.DEVNULL, stderr=open(folder / "scheduler.log", "w"),
                                preexec_fn=_die_with_pytest)]
    address = _scheduler_address(file)
    for number in range(2):
        started.append(subprocess.Popen(
            [sys.executable, "-m", "dask", "worker", address, "--nthreads", "1", "--no-dashboard",
             "--host", "127.0.0.1", "--name", f"worker-{number}", "--memory-limit", "0"],
            cwd=folder, env=_env(), stdout=subprocess.DEVNULL, stderr=open(folder / f"worker-{number}.log", "w"),
            preexec_fn=_die_with_pytest))
    with distributed.Client(address, timeout=30) as client:
        client.wait_for_workers(2, timeout=60)
    yield address
    for process in reversed(started):
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _scheduler_address(file: Path, seconds: float = 60) -> str:
    """The address the scheduler writes once it listens (the file may be seen half-written)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return json.loads(file.read_text())["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
    raise TimeoutError(f"the scheduler wrote no address to {file} in {seconds:.0f} s")


def _folder(root: Path, count: int) -> Path:
    for number in range(count):
        name = f"Country {chr(ord('A') + number)}"
        write_narrative(root / f"n{number}", NARRATIVE.format(name=name, mw=1000 + number),
                        front=f"title: Profile of {name}\ndate: 2024-08-26", name="index.md")
    return root


def _triptych(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builders.cli", *args], cwd=REPO, env=_env(), capture_output=True,
                          text=True, timeout=timeout)


def _digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())
            if p.suffix in (".pdf", ".pptx", ".epub")}


def test_a_folder_built_on_the_cluster_is_byte_identical_to_a_local_build(cluster, tmp_path):
    folder = _folder(tmp_path / "series", 8)
    local = _triptych("build", str(folder), "--out", str(tmp_path / "local"), "--jobs", "1")
    assert local.returncode == 0, local.stderr
    remote = _triptych("build", str(folder), "--out", str(tmp_path / "remote"), "--cluster", cluster)
    assert remote.returncode == 0, remote.stderr
    assert "Traceback" not in remote.stderr + remote.stdout
    local_digests, remote_digests = _digests(tmp_path / "local"), _digests(tmp_path / "remote")
    assert len(remote_digests) == 24
    assert remote_digests == local_digests


def test_a_series_of_parameters_builds_on_the_cluster_as_it_does_locally(cluster, tmp_path):
    source = tmp_path / "p" / "profile.md"
    write_narrative(source.parent, NARRATIVE.format(name="{{ params.country }}", mw="{{ params.mw }}"),
                    front='title: "Profile of {{ params.country }}"\ndate: 2024-08-26\nparams:\n  country: Latvia\n  mw: 900',
                    name="profile.md")
    rows = tmp_path / "rows.csv"
    rows.write_text("country,mw\nEstonia,900\nLithuania,1200\nFinland,3000\n", encoding="utf-8")
    local = _triptych("build", str(source), "--params", str(rows), "--out", str(tmp_path / "local"), "--jobs", "1")
    remote = _triptych("build", str(source), "--params", str(rows), "--out", str(tmp_path / "remote"),
                       "--cluster", cluster)
    assert local.returncode == 0 and remote.returncode == 0, local.stderr + remote.stderr
    assert len(_digests(tmp_path / "remote")) == 9
    assert _digests(tmp_path / "remote") == _digests(tmp_path / "local")


def test_a_broken_narrative_is_reported_located_while_the_others_publish(cluster, tmp_path):
    folder = _folder(tmp_path / "series", 3)
    broken = folder / "n1" / "index.md"
    broken.write_text(broken.read_text().replace("# Where", "::: qoute\nText.\n:::\n\n# Where"))
    out = tmp_path / "out"
    result = _triptych("build", str(folder), "--out", str(out), "--cluster", cluster)
    assert result.returncode == 1
    line = broken.read_text().split("\n").index("::: qoute") + 1
    assert f"n1/index.md:{line}:5: unknown block \"qoute\" (did you mean \"quote\"?)" in result.stderr
    assert "Traceback" not in result.stderr
    names = set(_digests(out))
    assert {"profile-of-country-a.pdf", "profile-of-country-c.epub"} <= names
    assert not any(n.startswith("profile-of-country-b") for n in names)


def test_a_killed_workers_task_completes_elsewhere(cluster, tmp_path):
    folder = tmp_path / "one"
    body = "\n\n".join(NARRATIVE.format(name=f"Country {i}", mw=1000 + i).replace("[^1]", f"[^n{i}]")
                       for i in range(20))
    write_narrative(folder / "long", body, front="title: A long profile\ndate: 2024-08-26", name="index.md")
    write_narrative(folder / "short", NARRATIVE.format(name="Short", mw=5), front="title: Short\ndate: 2024-08-26",
                    name="index.md")
    out = tmp_path / "out"
    build = subprocess.Popen([sys.executable, "-m", "builders.cli", "build", str(folder), "--out", str(out),
                              "--cluster", cluster], cwd=REPO, env=_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    killed = None
    with distributed.Client(cluster, timeout=30) as client:
        deadline = time.monotonic() + 120
        while killed is None and time.monotonic() < deadline and build.poll() is None:
            busy = [address for address, keys in client.processing().items() if keys]
            if busy:
                pids = client.run(os.getpid, workers=busy[:1])
                killed = pids[busy[0]]
                os.kill(killed, signal.SIGKILL)  # mid-task: the scheduler hands the task to another worker
            time.sleep(0.05)
        stdout, stderr = build.communicate(timeout=300)
        assert killed is not None, "no task was seen running"
        assert build.returncode == 0, stderr
        assert {"a-long-profile.pdf", "short.pdf"} <= set(_digests(out))
        client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker for the next test


def test_an_unreachable_scheduler_fails_fast_without_a_local_fallback(tmp_path):
    folder = _folder(tmp_path / "series", 2)
    out = tmp_path / "out"
    started = time.monotonic()
    result = _triptych("build", str(folder), "--out", str(out), "--cluster", "tcp://127.0.0.1:9")
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists() or not _digests(out)
