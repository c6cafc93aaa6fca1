"""A machine without any font package builds the sample with every built-in theme (issue 12)."""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import SAMPLE
from test_deck_fonts import FACES, run_fonts

SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
# Debian's Pango does not pull in HarfBuzz's subsetter (libharfbuzz-subset0): hide it too.
HARFBUZZ_SUBSET = sorted({os.path.realpath(p) for pattern in ("/usr/lib/libharfbuzz-subset.so*", "/usr/lib*/*/libharfbuzz-subset.so*")
                          for p in glob.glob(pattern)})


def _unshare_refusal() -> str | None:
    """Why a private mount namespace cannot be had here, or None when it can."""
    if not shutil.which("unshare"):
        return "the unshare command is not installed (util-linux)"
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, text=True)
    if probe.returncode:
        return f"unshare -m is not permitted here: {probe.stderr.strip() or probe.returncode}"
    return None


REFUSAL = _unshare_refusal()


def build_without_fonts(tmp_path: Path, theme: str, formats: str = "pdf,pptx,epub") -> tuple[Path, str]:
    """`triptych build` of the sample with every system font folder hidden behind an empty one,
    the system's HarfBuzz subsetter behind an empty file, and a home folder of its own (no
    ~/.fonts, no ~/.local/share/fonts, an empty per-user cache)."""
    empty, nothing, home, out = tmp_path / "empty", tmp_path / "nothing", tmp_path / "home", tmp_path / theme
    empty.mkdir(exist_ok=True)
    nothing.touch()
    home.mkdir(exist_ok=True)
    hide = " && ".join([*(f"mount --bind {shlex.quote(str(empty))} {d}" for d in SYSTEM_FONT_DIRS if os.path.isdir(d)),
                        *(f"mount --bind {shlex.quote(str(nothing))} {shlex.quote(lib)}" for lib in HARFBUZZ_SUBSET)])
    build = shlex.join([sys.executable, "-m", "builders.cli", "build", str(SAMPLE), "--theme", theme,
                        "--format", formats, "--out", str(out), "--no-cache"])
    fonts_seen = "fc-list" if shutil.which("fc-list") else "true"
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_DATA_HOME": str(home / ".local/share")}
    run = subprocess.run(["unshare", "-m", "sh", "-c", f"{hide} && {fonts_seen} && {build}"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    return out, run.stdout + run.stderr


@pytest.mark.skipif(REFUSAL is not None, reason=f"needs a private mount namespace: {REFUSAL}")
@pytest.mark.parametrize("theme", ["default", "modern", "contrast"])
def test_the_sample_builds_on_a_machine_without_font_packages(tmp_path: Path, theme: str):
    out, printed = build_without_fonts(tmp_path, theme)
    # fc-list ran first, inside the namespace: nothing listed means no system font was there.
    assert ".ttf" not in printed and ".otf" not in printed, printed
    assert "warning" not in printed.lower() and "Expect ugly output" not in printed, printed
    built = sorted(p.suffix for p in out.iterdir() if not p.name.startswith("."))
    assert built == [".epub", ".pdf", ".pptx"], built
    # The deck names the theme's faces, measured with twins that came with triptych (Caladea,
    # Carlito's widths, Arimo), not with whatever a bare machine falls back to.
    [deck] = out.glob("*.pptx")
    titles, text = FACES[theme]
    assert run_fonts(deck) == {"titles": {titles}, "text": {text}}
    [pdf] = out.glob("*.pdf")
    fonts = []
    for page in PdfReader(pdf).pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            fonts.append(descendants[0].get_object() if descendants else font)
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]


@pytest.mark.skipif(REFUSAL is not None, reason=f"needs a private mount namespace: {REFUSAL}")
def test_the_system_fonts_change_no_byte_of_the_pdf_or_the_deck(tmp_path: Path):
    """The PDF embeds the theme's packaged fonts, and Arial is measured with its twin from the
    package index, so the system's fonts (Liberation Sans, Carlito … where the test packages are
    installed) make no difference: a deck is laid out alike on every machine."""
    bare, _ = build_without_fonts(tmp_path, "default", "pdf,pptx")
    usual = tmp_path / "usual"
    subprocess.run([sys.executable, "-m", "builders.cli", "build", str(SAMPLE), "--format", "pdf,pptx", "--out",
                    str(usual), "--no-cache", "--quiet"], check=True, timeout=300)
    for built in sorted(usual.glob("*.p*")):
        assert (bare / built.name).read_bytes() == built.read_bytes(), built.name


@pytest.mark.parametrize("bold,italic", [(False, False), (True, False), (False, True), (True, True)])
def test_arimo_from_the_package_index_measures_as_liberation_sans(bold: bool, italic: bool):
    """The twin the deck measures Arial with on a bare machine gives the widths of the one the
    system's fonts-liberation2 gives (Arial's), in Latin, Cyrillic and Greek, every style."""
    from builders.formats.deck.measure import FONT_DIRS, file_faces, package_faces

    system = file_faces("Liberation Sans", FONT_DIRS)
    if (bold, italic) not in system:
        pytest.skip("Liberation Sans is not installed (.ci/system-packages installs fonts-liberation2)")
    arimo = package_faces("Arimo")[(bold, italic)]
    text = "The quick brown fox, 1,234.56 € — «Жизнь» naïve Straße Ελλάδα (ÆØÅ) @#%&*!?"
    for char in text:
        assert arimo.em(char) == system[(bold, italic)].em(char), char
