"""The independent overflow check: render decks with LibreOffice, find every word drawn outside its shape."""

from __future__ import annotations

import math

import os
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation

EMU_PER_PT = 12700
TOLERANCE = 1.0  # points: glyph boxes are computed from font ascent/descent, allow rounding
XHTML = "{http://www.w3.org/1999/xhtml}"
A_T = "{http://schemas.openxmlformats.org/drawingml/2006/main}t"
MARKS = re.compile(r"^(?:[•–·▪■◦-]|\d{1,3}[.)])$")  # bullets and automatic numbers: not in the shape's text


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def holds(self, other: "Box", slack: float = TOLERANCE) -> bool:
        return (other.left >= self.left - slack and other.right <= self.right + slack
                and other.top >= self.top - slack and other.bottom <= self.bottom + slack)


@dataclass(frozen=True)
class Frame:
    name: str
    text: str  # normalised
    box: Box


@dataclass(frozen=True)
class Word:
    text: str
    box: Box


def convert(decks: list[Path], outdir: Path) -> list[Path]:
    """PDFs of the decks, one LibreOffice start for all of them (its own profile: no clash with a running one)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / "lo-profile"
    env = {**os.environ, "HOME": str(outdir)}
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, decks)], check=True, capture_output=True, timeout=300, env=env)
    pdfs = [outdir / (deck.stem + ".pdf") for deck in decks]
    missing = [p for p in pdfs if not p.is_file()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {missing}")
    return pdfs


def normal(text: str) -> str:
    # Format characters (bidi isolates, joiners) draw nothing; a renderer may still place them as words.
    text = "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")
    return " ".join(text.casefold().split())


def _readings(text: str) -> set[str]:
    """`text` as extracted, and, for right-to-left letters, in the reverse order: poppler gives
    LibreOffice's Arabic and Hebrew words as drawn, left to right."""
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
        return {text, text[::-1]}
    return {text}


def pdf_lines(pdf: Path) -> list[tuple[float, float, list[list[Word]]]]:
    """Per page: (width, height, lines of words) from poppler's `pdftotext -bbox-layout`."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    root = ET.fromstring(out)
    pages = []
    for page in root.iter(f"{XHTML}page"):
        lines = []
        for line in page.iter(f"{XHTML}line"):
            words = [Word(w.text or "", Box(*(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))))
                     for w in line.iter(f"{XHTML}word")]
            if words:
                lines.append(words)
        pages.append((float(page.get("width")), float(page.get("height")), lines))
    return pages


def deck_frames(pptx: Path) -> tuple[float, float, list[list[Frame]]]:
    """Slide size in points and, per slide, every shape that holds text (its own, and its layout's
    drawn ones) with its frame in points."""
    prs = Presentation(str(pptx))
    slides = []
    for slide in prs.slides:
        frames: list[Frame] = []
        for shape in slide.shapes:
            _collect(shape, frames, (0.0, 0.0, 1.0, 1.0))
        # A layout's own drawn text (a protective marking, a watermark) shows on each of its slides.
        for shape in slide.slide_layout.shapes:
            if not shape.is_placeholder:
                _collect(shape, frames, (0.0, 0.0, 1.0, 1.0))
        slides.append(frames)
    return prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT, slides


def _collect(shape, frames: list[Frame], transform: tuple[float, float, float, float]) -> None:
    dx, dy, sx, sy = transform
    if shape.shape_type is not None and shape.shape_type == 6:  # a group: children live in its child space
        xfrm = shape._element.grpSpPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm")
        off, ext = xfrm.find("{*}off"), xfrm.find("{*}ext")
        ch_off, ch_ext = xfrm.find("{*}chOff"), xfrm.find("{*}chExt")
        gsx = int(ext.get("cx")) / max(1, int(ch_ext.get("cx")))
        gsy = int(ext.get("cy")) / max(1, int(ch_ext.get("cy")))
        inner = (dx + sx * (int(off.get("x")) - int(ch_off.get("x")) * gsx), dy + sy * (int(off.get("y")) - int(ch_off.get("y")) * gsy),
                 sx * gsx, sy * gsy)
        for child in shape.shapes:
            _collect(child, frames, inner)
        return
    text = " ".join(t.text or "" for t in shape._element.iter(A_T))
    if getattr(shape, "has_chart", False):  # a chart's words live in its own part: categories, series, values
        text += " " + " ".join(t.strip() for t in shape.chart._chartSpace.itertext() if t.strip())
    if not text.strip() or shape.left is None:
        return
    left, top = dx + sx * shape.left, dy + sy * shape.top
    width, height = sx * shape.width, sy * shape.height
    turn = math.radians(getattr(shape, "rotation", 0.0) or 0.0)
    if turn:  # a turned shape (a watermark) draws within the upright box around its turned frame
        turned_w = abs(width * math.cos(turn)) + abs(height * math.sin(turn))
        turned_h = abs(width * math.sin(turn)) + abs(height * math.cos(turn))
        left, top = left + (width - turned_w) / 2, top + (height - turned_h) / 2
        width, height = turned_w, turned_h
    box = Box(left / EMU_PER_PT, top / EMU_PER_PT, (left + width) / EMU_PER_PT, (top + height) / EMU_PER_PT)
    frames.append(Frame(shape.name, normal(text), box))


def overflows(pptx: Path, pdf: Path) -> list[str]:
    """Every word outside the frame of the shape whose text it belongs to, and every word off the slide."""
    width, height, slides = deck_frames(pptx)
    pages = pdf_lines(pdf)
    problems: list[str] = []
    if len(pages) != len(slides):
        return [f"{pdf.name}: {len(pages)} pages for {len(slides)} slides"]
    for number, (frames, (page_w, page_h, lines)) in enumerate(zip(slides, pages), 1):
        if abs(page_w - width) > 1 or abs(page_h - height) > 1:
            problems.append(f"slide {number}: page {page_w}×{page_h} pt, slide {width}×{height} pt")
        page = Box(0, 0, page_w, page_h)
        for line in lines:
            problems.extend(f"slide {number}: {p}" for p in _check_line(line, frames, page))
    return problems


def _check_line(line: list[Word], frames: list[Frame], page: Box) -> list[str]:
    line = [w for w in line if normal(w.text)]  # an invisible format character is no word
    problems = [f'"{w.text}" lies off the slide' for w in line if not page.holds(w.box, 0)]
    marks = [w for w in line if MARKS.match(w.text)]
    words = [w for w in line if not MARKS.match(w.text)]
    for mark in marks:  # a bullet belongs to whichever frame it sits in
        if not any(f.box.holds(mark.box) for f in frames):
            problems.append(f'bullet "{mark.text}" at {mark.box} is inside no shape')
    if not words:
        return problems
    text = normal(" ".join(w.text for w in words))
    holders = [f for f in frames if any(reading in f.text for reading in _readings(text))]
    if holders:
        if any(all(f.box.holds(w.box) for w in words) for f in holders):
            return problems
        best = max(holders, key=lambda f: sum(f.box.holds(w.box) for w in words))
        outside = [w for w in words if not best.box.holds(w.box)]
        return problems + [f'"{w.text}" at {_fmt(w.box)} outside "{best.name}" {_fmt(best.box)}' for w in outside]
    for word in words:  # the line mixes several shapes (neighbouring boxes on one baseline): word by word
        holders = [f for f in frames if any(reading in f.text for reading in _readings(normal(word.text)))]
        if not holders:
            if not any(f.box.holds(word.box) for f in frames):
                problems.append(f'"{word.text}" at {_fmt(word.box)} belongs to no shape')
        elif not any(f.box.holds(word.box) for f in holders):
            best = holders[0]
            problems.append(f'"{word.text}" at {_fmt(word.box)} outside "{best.name}" {_fmt(best.box)}')
    return problems


def _fmt(box: Box) -> str:
    return f"({box.left:.1f}, {box.top:.1f})–({box.right:.1f}, {box.bottom:.1f})"


def main(argv: list[str] | None = None) -> None:
    """python -m builders.checks.deck_overflow DECK.pptx …: convert and report."""
    import sys
    import tempfile

    decks = [Path(a) for a in (argv or sys.argv[1:])]
    with tempfile.TemporaryDirectory() as tmp:
        for deck, pdf in zip(decks, convert(decks, Path(tmp))):
            found = overflows(deck, pdf)
            print(f"{deck}: {len(found)} overflowing words")
            for line in found:
                print("  " + line)


if __name__ == "__main__":
    main()
