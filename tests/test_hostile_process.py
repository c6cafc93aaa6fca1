"""Process faults and the output folder: signals, a full disk, internal errors, planted links, damaged manifests."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders.cli import main
from conftest import REPO, write_narrative

LOCATED = re.compile(r"^\S+:\d+:\d+: \S.*$")
SAMPLE = REPO / "source"


def _cli(*args: str, **popen: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "builders.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **popen)


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


def _gone(pids: list[int], within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = [p for p in pids if Path(f"/proc/{p}").exists()
                 and "Z" not in Path(f"/proc/{p}/stat").read_text().split(")")[-1].split()[0]]
        if not alive:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def slow_source(tmp_path_factory) -> Path:
    """A narrative whose PDF takes long enough to be interrupted mid-way (the sample's takes
    under a second and a half on a quiet machine: the build was over before the signal)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("long_narrative", REPO / "tests" / "fixtures" / "long_narrative" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = module.write(tmp_path_factory.mktemp("slow"))
    # Longer still: since the PDF is laid out once, the fixture's own builds in about a second.
    words = "the regime leaned on Moscow for money and cover while the opposition waited abroad".split()
    extra = "".join(f"\n# Appendix {n}\n\n" + " ".join(
        " ".join(words[(n + k + i) % len(words)] for i in range(24)).capitalize() + "." for k in range(40)) + "\n"
        for n in range(1, 41))
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def _wait_for_pdf_process(build: subprocess.Popen) -> list[int]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not _children(build.pid):
        time.sleep(0.05)
    time.sleep(1.5)  # into the build proper: temporary files exist
    return _children(build.pid)


@pytest.mark.parametrize("how, code", [("ctrl-c", 130), ("sigterm", 143)])
def test_interrupted_build_exits_with_the_signal_code_and_leaves_nothing(tmp_path, how, code, slow_source):
    out = tmp_path / "out"
    build = _cli("build", str(slow_source), "--out", str(out), "--no-cache", start_new_session=True)
    children = _wait_for_pdf_process(build)
    assert children, "the PDF's own process was not started"
    if how == "ctrl-c":
        os.killpg(build.pid, signal.SIGINT)  # the terminal sends it to the whole foreground group
    else:
        os.kill(build.pid, signal.SIGTERM)
    _, err = build.communicate(timeout=30)
    assert build.returncode == code, err
    assert "Traceback" not in err
    assert _gone(children)
    assert not out.exists() or not list(out.iterdir())  # no temporary file, no lock, no artefact


def test_sigkill_of_the_build_takes_the_pdf_process_with_it(tmp_path, slow_source):
    out = tmp_path / "out"
    build = _cli("build", str(slow_source), "--out", str(out), "--no-cache", start_new_session=True)
    children = _wait_for_pdf_process(build)
    assert children
    os.kill(build.pid, signal.SIGKILL)
    build.communicate(timeout=30)
    assert _gone(children, within=3.0), "the PDF process outlived its parent"
    # What the killed build could not remove, the next build sweeps.
    again = _cli("build", str(slow_source), "--out", str(out), "-q")
    again.communicate(timeout=300)
    assert again.returncode == 0
    assert not list(out.glob(".*.part"))


def _inject_fault(module: str, function: str, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run the real console entry point with one function made to fail, as a bug would."""
    code = (f"import {module} as target, sys\n"
            f"def broken(*a, **k):\n    raise KeyError('an invariant broke')\n"
            f"target.{function} = broken\n"
            "from builders.cli import run\nsys.argv = ['triptych', *sys.argv[1:]]\nrun()\n")
    return subprocess.run([sys.executable, "-c", code, "build", str(SAMPLE), "--out", str(out), "--no-cache", *extra],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "XDG_CACHE_HOME": str(out.parent / "cache")})


@pytest.mark.parametrize("module, function, stage", [
    ("builders.formats.deck.build", "plan_deck", "building the deck"),
    ("builders.formats.pdf.build", "render_html", "building the PDF"),
])
def test_an_internal_error_is_one_line_naming_the_stage_and_the_log(tmp_path, module, function, stage):
    result = _inject_fault(module, function, tmp_path / "out")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"internal error while {stage}" in lines[0] and "KeyError" in lines[0] and "report" in lines[0]
    log = tmp_path / "cache" / "triptych" / "logs" / "last-internal-error.txt"
    assert "Traceback" in log.read_text() and "an invariant broke" in log.read_text()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_verbose_prints_the_trace_of_an_internal_error(tmp_path):
    result = _inject_fault("builders.formats.deck.build", "plan_deck", tmp_path / "out", "--verbose")
    assert result.returncode == 1 and "Traceback" in result.stderr and "an invariant broke" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"), reason="mounting a tiny file system needs root")
@pytest.mark.parametrize("fmt", ["pdf", "pptx", "epub"])
def test_a_full_disk_is_a_located_error(tmp_path, fmt):
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    script = (f"mount -t tmpfs -o size=200k tmpfs {tiny} && "
              f"{sys.executable} -m builders.cli build {SAMPLE} --format {fmt} --out {tiny}/out --no-cache; "
              f"echo rc=$?; ls -A {tiny}/out")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300)
    if "mount:" in done.stderr and "permission" in done.stderr.lower():
        pytest.skip("no mount permission here")
    lines = [line for line in done.stderr.strip().splitlines() if line]
    assert lines and all(LOCATED.match(line) for line in lines), done.stderr
    assert "No space left on device" in lines[0] and f"{tiny}/out" in lines[0]
    assert "rc=1" in done.stdout
    assert done.stdout.split("rc=1")[1].split() == []  # nothing left in the output folder


# ------------------------------------------------------------------ the output folder

def test_lock_names_planted_as_symlinks_create_nothing_outside(tmp_path):
    path = write_narrative(tmp_path / "p", "Hello.\n", front="title: Doc\ndate: 2024-01-01")
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim"
    victim.mkdir()
    for name in (".doc.lock", ".triptych.lock", ".triptych-cache.json"):
        (out / name).symlink_to(victim / name)
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not list(victim.iterdir())


def test_output_folder_holds_only_artefacts_and_the_manifest(tmp_path):
    path = write_narrative(tmp_path / "p", "Hello.\n", front="title: Doc\ndate: 2024-01-01")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(path), "--out", str(out)]).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [".triptych-cache.json", "doc.epub", "doc.pdf", "doc.pptx"]


@pytest.mark.parametrize("damage", ["outside", "nested", "garbage", "wrong types"])
def test_a_damaged_manifest_is_ignored_with_a_note_and_rewritten(tmp_path, damage):
    path = write_narrative(tmp_path / "p", "Hello.\n", front="title: Doc\ndate: 2024-01-01")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(path), "--out", str(out)]).exit_code == 0
    manifest = out / ".triptych-cache.json"
    good = json.loads(manifest.read_text())
    if damage == "outside":
        (tmp_path / "secret-copy.pdf").write_bytes((out / "doc.pdf").read_bytes())
        for build in good["builds"].values():
            for row in build["artefacts"]:
                if row["file"] == "doc.pdf":
                    row["file"] = "../secret-copy.pdf"
        manifest.write_text(json.dumps(good))
    elif damage == "nested":
        manifest.write_text("[" * 100_000)
    elif damage == "garbage":
        manifest.write_bytes(b"\xff\xfe not json")
    else:
        for build in good["builds"].values():
            build["artefacts"] = "doc.pdf"
        manifest.write_text(json.dumps(good))
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert ".triptych-cache.json:1:1: warning: the cache manifest" in result.stderr
    assert "secret-copy" not in result.stdout and "up to date" not in result.stdout  # rebuilt, not trusted
    json.loads(manifest.read_text())  # rewritten whole
    again = CliRunner().invoke(main, ["build", str(path), "--out", str(out)])
    assert again.exit_code == 0 and "up to date" in again.stdout and "warning" not in again.stderr
