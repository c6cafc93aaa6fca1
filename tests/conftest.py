"""Shared test helpers: tiny narratives written into temporary folders."""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "source" / "briefing.md"


def write_narrative(folder: Path, body: str, front: str = "title: A small briefing\ndate: 2024-08-26", name: str = "doc.md") -> Path:
    """A narrative file with front matter and a 40×30 px PNG at images/pic.png."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    Image.new("RGB", (40, 30), "#14375E").save(folder / "images" / "pic.png")
    path = folder / name
    path.write_text(f"---\n{textwrap.dedent(front).strip()}\n---\n\n{textwrap.dedent(body).lstrip()}", encoding="utf-8")
    return path


def note_heavy_body(seed: int = 3) -> str:
    """Twelve sections of six paragraphs, each with a footnote of 8 to 60 words: 72 notes, ~20 pages."""
    import random

    rng = random.Random(seed)
    words = "policy border treaty sanction reform transit corridor mandate leverage region".split()
    body = []
    for section in range(12):
        body.append(f"# Section {section}\n")
        for para in range(6):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(40, 110)))
            body.append(f"{text}[^n{section}_{para}] {text[:120]}.\n")
            body.append(f"[^n{section}_{para}]: " + " ".join(rng.choice(words) for _ in range(rng.randint(8, 60))) + ".\n")
    return "\n".join(body)


@pytest.fixture(autouse=True, scope="session")
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory):
    """Font instances the tests make go to a folder of this run, not the user's ~/.cache."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    yield
    patch.undo()


@pytest.fixture
def narrative(tmp_path: Path):
    def make(body: str, front: str = "title: A small briefing\ndate: 2024-08-26", name: str = "doc.md") -> Path:
        return write_narrative(tmp_path / "project", body, front, name)

    return make


@pytest.fixture
def no_weasyprint_warnings(caplog: pytest.LogCaptureFixture):
    """Fail when WeasyPrint logged anything: an ignored CSS rule is a theme bug."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert not logged, logged
