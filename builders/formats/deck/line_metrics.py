"""Line heights, glyph reserves and widths by the scripts a paragraph holds, from the faces that draw them.

The deck is measured with the Latin twin of the theme's face. Devanagari, Thai, Arabic, Hebrew
and CJK letters are drawn by another face (the run's `a:cs` or `a:ea` typeface, or what the viewer
puts in its place), whose lines are taller: Lohit Devanagari's are 1.60 em, Garuda's (Thai) 1.88 em,
against the 1.2 em a Latin line is measured with. Each such script is measured, conservatively,
with the tallest and widest of two faces: the one the PDF draws it with (the packaged fallback of
theming/script_fonts.py) and the one this system's fonts give for the Office face the deck names
(fontconfig, as LibreOffice asks it). Text in Latin, Greek or Cyrillic alone is measured as before.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from fontTools.ttLib import TTFont
from fontTools.unicodedata import script as script_of

from ...theming.script_fonts import packaged_face_file
from .faces import MISSING_WIDTH, STAND_INS, Face, WidthTable
from .geometry import EMU_PER_PT
from .scripts import COMPLEX, EAST_ASIAN, EAST_ASIAN_SCRIPTS

# Single line spacing as most slide software sets it (Arial: ascent + descent ≈ 1.15 em);
# measuring with 1.2 leaves a margin where viewers differ.
LINE_HEIGHT = 1.2
# Renderers and PDF tools draw a glyph's box from the font's ascent and descent, which reach
# past the line: PDF text extractors place a glyph up to ~0.1 em above and ~0.15 em below its
# line. Every frame keeps that much more inset above and below, so no glyph box leaves it.
GLYPH_RESERVE = 0.15
# A script face's line is its ascent + descent (what LibreOffice and PowerPoint set at 100 %);
# 5 % more is kept where viewers substitute a face of their own.
SCRIPT_LINE_MARGIN = 1.05
# Marks that take no room of their own (Devanagari vowel signs above and below, Arabic harakat)
# and invisible format characters (joiners, bidi isolates).
ZERO_WIDTH = {"Mn", "Me", "Cf"}
SAMPLE = 8  # letters of a script asked of fontconfig: enough to find a face that draws the script


def office_face(script: str) -> str | None:
    """The typeface the deck names for a script's letters (a:cs or a:ea), or None: set in the Latin face."""
    if script in COMPLEX:
        return COMPLEX[script]
    if script in EAST_ASIAN_SCRIPTS:
        return EAST_ASIAN[EAST_ASIAN_SCRIPTS[script]]
    return None


def _own_script(char: str) -> str | None:
    """The script of a letter or mark set in another face than the Latin one, else None."""
    if char.isascii() or not (char.isalpha() or unicodedata.category(char) in ("Mn", "Mc")):
        return None
    code = script_of(char)
    return code if office_face(code) is not None else None


def _scripts(text: str) -> dict[str, str]:
    """{script: a few of its letters} for the scripts of `text` drawn by another face."""
    found: dict[str, str] = {}
    for char in text:
        code = _own_script(char)
        if code is not None and len(found.get(code, "")) < SAMPLE and char not in found.get(code, ""):
            found[code] = found.get(code, "") + char
    return found


_FACES: dict[tuple[str, bool], tuple[Face, ...]] = {}


def script_faces(script: str, sample: str, bold: bool = False) -> tuple[Face, ...]:
    """The faces that draw `script` (found once a build, from the first letters seen): the PDF's
    packaged fallback and the system's face for the deck's Office typeface."""
    key = (script, bold)
    if key not in _FACES:
        paths = [packaged_face_file(script, frozenset(sample)), _system_face(office_face(script) or "", sample)]
        unique = list(dict.fromkeys(p for p in paths if p is not None))
        _FACES[key] = tuple(Face(p, 700 if bold else 400) for p in unique)
    return _FACES[key]


def _system_face(typeface: str, sample: str) -> Path | None:
    """The font file fontconfig gives for `typeface` when it must draw `sample`, if it draws it."""
    fc_match = shutil.which("fc-match")
    if not fc_match or not typeface:
        return None
    charset = " ".join(f"{ord(c):x}" for c in sorted(set(sample)))
    try:
        found = subprocess.run([fc_match, "-f", "%{file}", f"{typeface}:charset={charset}"], capture_output=True,
                               text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    if not found or not Path(found).is_file():
        return None
    with TTFont(found, lazy=True, fontNumber=0) as font:
        cmap = font.getBestCmap() or {}
    return Path(found) if all(ord(c) in cmap for c in sample) else None


@lru_cache(maxsize=32)
def _vertical(path: Path) -> tuple[float, float, float]:
    """(ascent, descent, units per em) as renderers set a line in the face: hhea, or OS/2's typo
    metrics where the face asks for them (USE_TYPO_METRICS), whichever is the taller."""
    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        upem = font["head"].unitsPerEm
        ascent, descent = font["hhea"].ascent, -font["hhea"].descent
        os2 = font["OS/2"] if "OS/2" in font else None
        if os2 is not None and os2.fsSelection & (1 << 7) and os2.sTypoAscender - os2.sTypoDescender > ascent + descent:
            ascent, descent = os2.sTypoAscender, -os2.sTypoDescender
    return ascent / upem, descent / upem, float(upem)


@lru_cache(maxsize=4096)
def _ink(path: Path, char: str) -> tuple[float, float]:
    """How far (em) the glyph of `char` reaches above the face's ascent and below its descent."""
    ascent, descent, upem = _vertical(path)
    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        name = (font.getBestCmap() or {}).get(ord(char))
        if not name or "glyf" not in font:
            return 0.0, 0.0
        glyph = font["glyf"][name]
        if not glyph.numberOfContours:
            return 0.0, 0.0
        return max(0.0, glyph.yMax / upem - ascent), max(0.0, -glyph.yMin / upem - descent)


@lru_cache(maxsize=4096)
def line_height(text: str) -> float:
    """A line's height in em for a paragraph of `text`: LINE_HEIGHT, or taller for a script whose face is taller."""
    tallest = LINE_HEIGHT
    for code, sample in _scripts(text).items():
        for face in script_faces(code, sample):
            ascent, descent, _ = _vertical(face.path)
            tallest = max(tallest, (ascent + descent) * SCRIPT_LINE_MARGIN)
    return tallest


@lru_cache(maxsize=4096)
def glyph_reserve(text: str) -> float:
    """Room (em) kept above and below a frame's lines of `text`: GLYPH_RESERVE, or more where a
    script face's letters reach further past its ascent or descent than that."""
    reserve = GLYPH_RESERVE
    for code, sample in _scripts(text).items():
        letters = {c for c in text if _own_script(c) == code}
        for face in script_faces(code, sample):
            for char in letters:
                reserve = max(reserve, *_ink(face.path, char))
    return reserve


def reserve_pt(paras: Iterable) -> float:
    """The glyph reserve in points for a frame's paragraphs (those with `text` and `size`)."""
    return max((glyph_reserve(p.text) * p.size for p in paras), default=0.0)


def padded(insets: tuple[int, int, int, int], paras: Iterable) -> tuple[int, int, int, int]:
    """Insets as written: the frame's own, plus the glyph reserve above and below."""
    extra = int(round(reserve_pt(paras) * EMU_PER_PT))
    left, top, right, bottom = insets
    return left, top + extra, right, bottom + extra


@lru_cache(maxsize=8192)
def fallback_em(char: str, bold: bool, face: Face | WidthTable) -> float:
    """The width (em) of a character `face` lacks: none for a combining mark or an invisible
    character, the widest of its script's faces for a letter, else 1 em (a face of unknown width)."""
    if char in STAND_INS:
        return face.em(char)
    if unicodedata.category(char) in ZERO_WIDTH:
        return 0.0
    code = _own_script(char)
    widths = [f.em(char) for f in script_faces(code, char, bold) if f.has(char)] if code else []
    return max(widths, default=MISSING_WIDTH)
