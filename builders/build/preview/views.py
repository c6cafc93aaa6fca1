"""Built artefacts → what the preview page shows: PDF pages and slides as images, the e-book's chapters as files."""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import signal
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

PDF_SCALE = 2.0  # 144 dpi: an A4 page is 1190 px wide, sharp on a high-density screen at column width
SLIDE_SCALE = 1.25  # a 13.33-inch slide at 90 dpi: 1200 px wide, sharp at column width on a high-density screen
SOFFICE_SECONDS = 120


@dataclass
class View:
    """One format's rendering: the items the page lists, and the files it may fetch (relative name → file)."""

    items: list[dict[str, Any]]
    files: dict[str, Path] = field(default_factory=dict)
    note: str = ""


def pdf_pages(pdf: Path, folder: Path) -> View:
    """Every page of the PDF as a PNG, marked with its number."""
    images = _render_pages(pdf, folder, "page", PDF_SCALE)
    return View([{"n": n, "src": name, "width": w, "height": h} for n, (name, w, h) in enumerate(images, 1)],
                {name: folder / name for name, _, _ in images})


def slides(pptx: Path, folder: Path, drawing: DeckDrawing | None) -> View:
    """Every slide as LibreOffice drew it (`drawing`), with its speaker notes; a text outline without LibreOffice."""
    from pptx import Presentation

    deck = Presentation(str(pptx))
    items = [{"n": n, "notes": _notes(slide), "outline": _outline(slide)} for n, slide in enumerate(deck.slides, 1)]
    if drawing is None:
        return View(items, note="LibreOffice (soffice) is not installed, so the slides are shown as a text outline. "
                                "Install LibreOffice Impress to see them drawn as PowerPoint will show them.")
    drawn, problem = drawing.result()
    if problem:
        return View(items, note=f"LibreOffice could not draw the deck ({problem}); the slides are shown as a text outline.")
    images = _render_pages(drawn, folder, "slide", SLIDE_SCALE)
    if len(images) != len(items):
        return View(items, note=f"LibreOffice drew {len(images)} slides of {len(items)}; the slides are shown as a text "
                                "outline.")
    for item, (name, width, height) in zip(items, images):
        item.update(src=name, width=width, height=height)
    return View(items, {name: folder / name for name, _, _ in images})


def epub_chapters(epub: Path, folder: Path) -> View:
    """The e-book unpacked, and its reading order: each spine document with its title."""
    files: dict[str, Path] = {}
    with zipfile.ZipFile(epub) as book:
        for member in book.infolist():
            name = _safe_member(member.filename)
            if name is None or member.is_dir():
                continue  # an e-book we built never has such names; one that did would not escape the folder
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(book.read(member))
            files[name] = target
        opf_name = _rootfile(book.read("META-INF/container.xml"))
        opf = ElementTree.fromstring(book.read(opf_name))
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    hrefs = {item.get("id"): item.get("href") for item in opf.iterfind("opf:manifest/opf:item", ns)}
    items = []
    for itemref in opf.iterfind("opf:spine/opf:itemref", ns):
        name = posixpath.normpath(posixpath.join(posixpath.dirname(opf_name), hrefs.get(itemref.get("idref"), "")))
        if name in files:
            items.append({"href": posixpath.relpath(name, posixpath.dirname(opf_name)), "src": name,
                          "title": _title(files[name])})
    return View(items, files)


# ------------------------------------------------------------------ helpers


def _render_pages(pdf: Path, folder: Path, stem: str, scale: float) -> list[tuple[str, int, int]]:
    import pypdfium2

    folder.mkdir(parents=True, exist_ok=True)
    images = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for n, page in enumerate(document, 1):
            image = page.render(scale=scale).to_pil()
            name = f"{stem}-{n}.png"
            image.save(folder / name, compress_level=1)  # level 1: a fifth of the time of the default, 10 % larger
            images.append((name, image.width, image.height))
            page.close()
    finally:
        document.close()
    return images


class DeckDrawing:
    """LibreOffice printing a deck to PDF, started at once so it works while the other views are drawn.

    It runs with a profile of our own, so the user's open LibreOffice is left alone (a shared profile makes
    a second soffice hand its work to the first and return at once), and in a session of its own: soffice
    does its work in a child (soffice.bin), which must stop with it.
    """

    def __init__(self, pptx: Path, folder: Path, soffice: str, profile: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.drawn = folder / (pptx.stem + ".pdf")
        self.problem = ""
        command = [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(folder), str(pptx)]
        # Its temporary files too go into our folder: killed mid-way, LibreOffice leaves them behind.
        scratch = profile.parent / "libreoffice-tmp"
        scratch.mkdir(parents=True, exist_ok=True)
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                env={**os.environ, "TMPDIR": str(scratch)})
        except OSError as exc:
            self.process, self.problem = None, exc.strerror or str(exc)

    def result(self) -> tuple[Path, str]:
        """The PDF LibreOffice wrote, or why there is none."""
        if self.process is None:
            return Path(), self.problem
        try:
            _, errors = self.process.communicate(timeout=SOFFICE_SECONDS)
        except subprocess.TimeoutExpired:
            self.stop()
            return Path(), f"no answer in {SOFFICE_SECONDS} s"
        if self.process.returncode != 0 or not self.drawn.exists():
            return Path(), (errors.strip().splitlines() or [f"exit status {self.process.returncode}"])[-1]
        return self.drawn, ""

    def stop(self) -> None:
        """LibreOffice's whole group stopped, not half of it (harmless once it has finished)."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _notes(slide: Any) -> str:
    return slide.notes_slide.notes_text_frame.text.strip() if slide.has_notes_slide else ""


def _outline(slide: Any) -> list[str]:
    """The slide's text in reading order: its title, then each shape top to bottom: paragraphs, table rows, chart titles."""
    title = slide.shapes.title
    rest = sorted((s for s in slide.shapes if title is None or s.shape_id != title.shape_id),
                  key=lambda s: (s.top or 0, s.left or 0))
    lines = []
    for shape in ([title] if title is not None else []) + rest:
        if shape.has_text_frame:
            lines += [p.text.strip() for p in shape.text_frame.paragraphs if p.text.strip()]
        elif getattr(shape, "has_table", False):
            lines += [" · ".join(c.text.strip() for c in row.cells) for row in shape.table.rows]
        elif getattr(shape, "has_chart", False) and shape.chart.has_title:
            lines.append(shape.chart.chart_title.text_frame.text.strip())
    return lines


def _safe_member(name: str) -> str | None:
    """A zip member's name if it stays inside the folder it is unpacked into, else None."""
    if "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    normal = posixpath.normpath(name)
    return None if normal.startswith("..") or normal in (".", "") else normal


def _rootfile(container: bytes) -> str:
    ns = {"c": "urn:oasis:names:tc:opendocument:xmlns:container"}
    rootfile = ElementTree.fromstring(container).find("c:rootfiles/c:rootfile", ns)
    return rootfile.get("full-path", "") if rootfile is not None else ""


def _title(xhtml: Path) -> str:
    try:
        title = ElementTree.parse(xhtml).find("{http://www.w3.org/1999/xhtml}head/{http://www.w3.org/1999/xhtml}title")
    except ElementTree.ParseError:
        return xhtml.stem
    return (title.text or "").strip() if title is not None and title.text else xhtml.stem


def soffice_path() -> str | None:
    """LibreOffice's command, where installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")
