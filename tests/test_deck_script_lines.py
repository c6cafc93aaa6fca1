"""Scripts taller and wider than the deck's Latin twin: lines measured with the faces that draw them.

Devanagari and Thai lines are taller than Latin ones (Lohit Devanagari's 1.60 em, Garuda's 1.88 em
against the 1.2 em a Latin line is measured with): a Hindi table's last row was drawn 1.6 pt below
its frame in every theme. Letters the twin lacks were counted as 1 em each, their combining marks
as another, so Hindi lines broke at less than half their length.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import fontpkg
import pytest
import uharfbuzz as hb

from builders.build import pipeline
from builders.checks.deck_overflow import convert, overflows
from builders.formats.deck.measure import load_metrics
from conftest import REPO

SCRIPTS = REPO / "tests" / "fixtures" / "scripts"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed (.ci/system-packages installs it)")
@pytest.mark.parametrize("theme", ["default", "modern", "contrast"])
def test_hindi_and_thai_decks_keep_every_word_in_its_box(tmp_path: Path, theme: str):
    """Rendered by LibreOffice (Devanagari in Lohit, Thai in a TLWG face where installed): every
    table row, text frame and title holds its words."""
    decks = [pipeline.build(SCRIPTS / f"{name}.md", ["pptx"], tmp_path / name, theme_name=theme)[0].path
             for name in ("hi", "th")]
    for deck, pdf in zip(decks, convert(decks, tmp_path / "pdf")):
        assert overflows(deck, pdf) == [], deck.name


def _shaped(path: Path, text: str, size: float) -> float:
    """Points `text` takes set in the font at `path`, shaped by HarfBuzz (conjuncts, marks, joining)."""
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(hb.Font(face), buffer)
    return sum(p.x_advance for p in buffer.glyph_positions) / face.upem * size


def _drawing_faces(family: str, office: str, text: str) -> list[Path]:
    """The packaged face the PDF uses for `text`, and the system face fontconfig gives for the Office one."""
    faces = [next(f.path for f in fontpkg.family(family).files if f.style == "normal")]
    letters = " ".join(f"{ord(c):x}" for c in sorted(set(text)) if c.isalpha())
    found = subprocess.run(["fc-match", "-f", "%{file}", f"{office}:charset={letters}"], capture_output=True,
                           text=True).stdout if shutil.which("fc-match") else ""
    if found and "DejaVu" not in found and "Liberation" not in found:
        faces.append(Path(found))
    return faces


@pytest.mark.parametrize("text,family,office,most", [
    ("राष्ट्रीय सौर मिशन की शुरुआत 2010 में हुई थी", "Noto Sans Devanagari", "Mangal", 1.15),
    ("ปัญหาน้ำไม่ใช่เรื่องของปริมาณฝนเพียงอย่างเดียว", "Noto Sans Thai", "Tahoma", 1.15),
    ("النيل ليس مجرد نهر، بل هو شريان الحياة", "Amiri", "Arial", 1.75),
])
def test_letters_the_twin_lacks_are_as_wide_as_their_script_face_draws_them(text: str, family: str, office: str,
                                                                             most: float):
    """Carlito has no Devanagari, Thai or Arabic: their letters are measured with the script's faces
    (vowel signs and tone marks take no room), never narrower than those faces set them, and not
    1 em a letter plus 1 em a mark (Hindi measured 2.3 times its width; Arabic, measured letter by
    letter in its unjoined forms, stays wider than joined)."""
    metrics = load_metrics("Calibri", (REPO / "themes" / "default" / "fonts",))
    measured = metrics.width(text, 20)
    shaped = max(_shaped(path, text, 20) for path in _drawing_faces(family, office, text))
    assert shaped <= measured <= most * shaped, (measured, shaped)


def test_latin_greek_and_cyrillic_lines_are_measured_as_before():
    """Only scripts set in another face change: a Latin, Greek or Cyrillic deck is laid out as it was."""
    from builders.formats.deck.line_metrics import GLYPH_RESERVE, LINE_HEIGHT, glyph_reserve, line_height

    for text in ("The grid's 2024 outlook: naïve Straße", "Ελλάδα", "Київ і Львів"):
        assert (line_height(text), glyph_reserve(text)) == (LINE_HEIGHT, GLYPH_RESERVE)
    assert line_height("भारत") > 1.5 * 1.05 and line_height("ภูมิหลัง") > 1.5 * 1.05
