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
