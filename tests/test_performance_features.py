"""Speed features that must not change a byte: the build cache, formats in children, batches, fonts made by HarfBuzz."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from builders.build import batch, pipeline
from builders.cli import main
from builders.core.errors import TriptychError
from conftest import REPO, write_narrative

BODY = "# One\n\nText with a note[^a].\n\n![A picture](images/pic.png)\n\n[^a]: The note.\n"


@pytest.fixture(autouse=True)
def fixed_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def build(path: Path, out: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(out), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output[result.output.index("["):])


def snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir() if not p.name.startswith(".")}


# ------------------------------------------------------------------ the build cache

def test_an_unchanged_build_is_a_no_op_that_touches_nothing(tmp_path):
    path = write_narrative(tmp_path / "p", BODY)
    out = tmp_path / "out"
    first = build(path, out)
    assert {r["format"] for r in first} == {"pdf", "pptx", "epub"} and not any(r["up_to_date"] for r in first)
    before = snapshot(out)
    second = build(path, out)
    assert all(r["up_to_date"] for r in second)
    assert [(r["file"], r["bytes"], r["count"]) for r in second] == [(r["file"], r["bytes"], r["count"]) for r in first]
    assert snapshot(out) == before
    table = CliRunner().invoke(main, ["build", str(path), "--out", str(out)])
    assert "3 files up to date" in table.output
    assert len([line for line in table.output.splitlines() if line.endswith(" up to date")]) == 3


def test_an_up_to_date_build_loads_neither_weasyprint_nor_python_pptx(tmp_path):
    path = write_narrative(tmp_path / "p", BODY)
    out = tmp_path / "out"
    build(path, out, "--format", "pdf,pptx")
    code = ("import sys\nfrom builders.cli import main\ntry:\n main(['build', sys.argv[1], '--out', sys.argv[2], "
            "'--format', 'pdf,pptx', '-q'])\nexcept SystemExit as exc:\n assert not exc.code, exc.code\n"
            "print('weasyprint' in sys.modules, 'pptx' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(path), str(out)], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def _edit_text(path: Path) -> None:
    path.write_text(path.read_text() + "\nOne more sentence.\n")


def _edit_image(path: Path) -> None:
    Image.new("RGB", (40, 30), "#AA0000").save(path.parent / "images" / "pic.png")


def _edit_theme(path: Path) -> None:
    manifest = path.parent / "themes" / "house" / "theme.yaml"
    manifest.write_text(manifest.read_text().replace("#14375E", "#5E1437"))


@pytest.mark.parametrize("change", [_edit_text, _edit_image, _edit_theme], ids=["source", "image", "theme"])
def test_a_changed_input_rebuilds(tmp_path, change):
    folder = tmp_path / "p"
    theme = folder / "themes" / "house"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: house\nextends: default\ncolors: {brand: \"#14375E\"}\n")
    path = write_narrative(folder, BODY, front="title: A small briefing\ndate: 2024-08-26\ntheme: house")
    out = tmp_path / "out"
    build(path, out, "--format", "pdf")
    stamp = (out / "doc.pdf").stat().st_mtime_ns
    change(path)
    [again] = build(path, out, "--format", "pdf")
    assert not again["up_to_date"] and (out / "doc.pdf").stat().st_mtime_ns != stamp


@pytest.mark.parametrize("options", [["--format", "pdf,epub"], ["--theme", "modern"], ["--no-cache"]])
def test_other_options_or_no_cache_rebuild(tmp_path, options):
    path = write_narrative(tmp_path / "p", BODY)
    out = tmp_path / "out"
    build(path, out, "--format", "pdf")
    stamp = (out / "doc.pdf").stat().st_mtime_ns
    rows = build(path, out, "--format", "pdf", *options) if options[0] != "--format" else build(path, out, *options)
    assert not any(r["up_to_date"] for r in rows)
    assert (out / "doc.pdf").stat().st_mtime_ns != stamp


def test_a_new_source_date_epoch_rebuilds(tmp_path, monkeypatch):
    path = write_narrative(tmp_path / "p", BODY)
    out = tmp_path / "out"
    build(path, out, "--format", "pdf")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    [row] = build(path, out, "--format", "pdf")
    assert not row["up_to_date"]


def test_an_artefact_changed_on_disk_is_rebuilt(tmp_path):
    path = write_narrative(tmp_path / "p", BODY)
    out = tmp_path / "out"
    [first] = build(path, out, "--format", "pdf")
    pdf = out / "doc.pdf"
    original = pdf.read_bytes()
    pdf.write_bytes(original.replace(b"%%EOF", b"%%EOX"))  # same size, other bytes
    [again] = build(path, out, "--format", "pdf")
    assert not again["up_to_date"] and pdf.read_bytes() == original


def test_warnings_are_repeated_when_nothing_is_rebuilt(tmp_path):
    path = write_narrative(tmp_path / "p", "# One\n\n![A picture](images/pic.png)\n")  # a 40 px picture warns
    out = tmp_path / "out"
    args = ["build", str(path), "--format", "pdf", "--out", str(out)]
    first, second = CliRunner().invoke(main, args), CliRunner().invoke(main, args)
    assert "up to date" in second.output
    warning = 'doc.md:8:1: warning: image "pic.png" is only 40 px wide'
    assert warning in first.output and warning in second.output
    strict = CliRunner().invoke(main, [*args, "--strict"])
    assert strict.exit_code == 1 and "(--strict)" in strict.output


# ------------------------------------------------------------------ the PDF in its own process

def test_formats_built_beside_the_pdf_process_give_the_same_bytes(tmp_path):
    path = write_narrative(tmp_path / "p", BODY + "\n::: notes\nSay this.\n:::\n")
    apart = pipeline.build(path, ["pdf", "pptx", "epub"], tmp_path / "apart", parallel=True)
    together = pipeline.build(path, ["pdf", "pptx", "epub"], tmp_path / "one", parallel=False)
    assert [(a.format, a.count, a.size) for a in apart] == [(a.format, a.count, a.size) for a in together]
    for a, b in zip(apart, together):
        assert a.path.read_bytes() == b.path.read_bytes(), a.format


def test_an_error_in_the_deck_aborts_the_whole_build_and_stops_the_pdf_process(tmp_path):
    import multiprocessing

    folder = tmp_path / "p"
    theme = folder / "themes" / "broken"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: broken\nextends: default\n")
    (theme / "deck.yaml").write_text("kindz: {}\n")  # only the deck reads deck.yaml: the PDF process is busy meanwhile
    path = write_narrative(folder, BODY, front="title: A small briefing\ntheme: broken")
    out = tmp_path / "out"
    with pytest.raises(TriptychError) as caught:
        pipeline.build(path, ["pdf", "pptx", "epub"], out, parallel=True)
    [problem] = caught.value.problems
    assert re.fullmatch(r'.*themes/broken/deck\.yaml:1:\d+: unknown deck key "kindz" \(did you mean "kinds"\?\)', str(problem))
    assert not [p for p in out.iterdir() if not p.name.endswith(".lock")]  # nothing published, no temporary files
    assert not multiprocessing.active_children()


def test_an_error_in_the_pdf_process_is_located_and_publishes_nothing(tmp_path):
    """The layout fails in the PDF's own process (a background it refuses to fetch): the
    e-book waiting for its page starts and the build both stop with that located error."""
    import multiprocessing

    folder = tmp_path / "p"
    theme = folder / "themes" / "leaky"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: leaky\nextends: default\n")
    (theme / "templates" / "theme.css.j2").write_text(  # print only (page_size), and past the theme's load check
        '{% if page_size is defined %}body { background: url("{{ "file:///etc/hostname" }}"); }{% endif %}\n')
    path = write_narrative(folder, BODY, front="title: A small briefing\ntheme: leaky")
    out = tmp_path / "out"
    with pytest.raises(TriptychError) as caught:
        pipeline.build(path, ["pdf", "pptx", "epub"], out, parallel=True)
    assert str(caught.value.problems[0]).startswith(f"{path}:1:1: PDF: ")
    assert not [p for p in out.iterdir() if not p.name.endswith(".lock")]
    assert not multiprocessing.active_children()


def test_an_up_to_date_build_stops_the_early_pdf_process(tmp_path):
    import multiprocessing

    path = write_narrative(tmp_path / "p", BODY)
    out = tmp_path / "out"
    build(path, out)
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert not multiprocessing.active_children()


# ------------------------------------------------------------------ a folder of narratives

def test_a_batch_builds_every_narrative_and_locates_the_errors_of_a_bad_one(tmp_path):
    folder = tmp_path / "many"
    for name in ("alpha", "beta"):
        write_narrative(folder / name, BODY, front=f"title: Narrative {name}", name="index.md")
    write_narrative(folder / "gamma", "::: keypionts\n- x\n:::\n", front="title: Broken one", name="index.md")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(out), "--format", "pdf,epub", "--jobs", "2"])
    assert result.exit_code == 1
    assert 'index.md:5:5: unknown block "keypionts" (did you mean "keypoints"?)' in result.output
    assert "gamma" in result.output and "(2 of 3 narratives)" in result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "narrative-alpha.epub", "narrative-alpha.pdf", "narrative-beta.epub", "narrative-beta.pdf"]


def test_a_batch_refuses_two_narratives_that_would_share_artefacts(tmp_path):
    folder = tmp_path / "many"
    for name in ("one", "two"):
        write_narrative(folder / name, "Text.\n", front="title: Same title", name="index.md")
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out"), "--format", "pdf", "--jobs", "1"])
    assert result.exit_code == 1 and "two/index.md:1:1: its artefacts would be named \"same-title\"" in result.output
    assert [p.name for p in (tmp_path / "out").glob("*.pdf")] == ["same-title.pdf"]


def test_a_batch_reads_titles_as_the_build_does(tmp_path):
    """Releases "1.10" and "1.1" are two names (YAML 1.1 would read both as the number 1.1)."""
    folder = tmp_path / "releases"
    for name, title in (("new", "1.10"), ("old", "1.1")):
        write_narrative(folder / name, "Text.\n", front=f"title: {title}", name="index.md")
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out"), "--format", "pptx", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pptx")) == ["1-1.pptx", "1-10.pptx"]


def test_the_sample_folder_is_still_one_narrative():
    assert batch.narratives_in(REPO / "source") is None


# ------------------------------------------------------------------ fonts made by HarfBuzz

def _drawn(font_data: bytes, chars: str) -> dict[str, tuple[float, list[float]]]:
    """Advance width and every outline coordinate (components resolved) of each character."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_data))
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    drawn = {}
    for char in chars:
        pen = DecomposingRecordingPen(glyphs)
        glyphs[cmap[ord(char)]].draw(pen)
        drawn[char] = (glyphs[cmap[ord(char)]].width,
                       [c for _, points in pen.value for point in points for c in point])
    return drawn


@pytest.mark.parametrize("family,location", [("Source Serif 4", {"wght": 600, "opsz": 10.5}),
                                             ("Source Sans 3", {"wght": 700}),
                                             ("Inter", {"wght": 800, "opsz": 26.666})])
def test_harfbuzz_instances_draw_as_fonttools_does(family, location):
    """The static font HarfBuzz makes has the outlines and widths fontTools' instancer gives
    (to the font unit: their rounding differs by one or two units of 1000-2048 per em)."""
    import fontpkg
    from fontTools.ttLib import TTFont
    from fontTools.varLib.instancer import instantiateVariableFont

    from builders.formats.pdf.patches import harfbuzz_fonts

    chars = "Hamburgefonstiv 0123 ÄÉß Жизнь «—»"
    font = TTFont(fontpkg.path(family))
    gids = {font.getGlyphID(font.getBestCmap()[ord(c)]) for c in chars}
    small = harfbuzz_fonts.subset(Path(fontpkg.path(family)).read_bytes(), 0, gids, True, False)
    made = harfbuzz_fonts.instance(small, 0, location)
    assert "fvar" not in TTFont(io.BytesIO(made)) and "gvar" not in TTFont(io.BytesIO(made))
    reference = io.BytesIO()
    instantiateVariableFont(TTFont(io.BytesIO(small)), dict(location), static=True).save(reference)
    ours, theirs = _drawn(made, chars), _drawn(reference.getvalue(), chars)
    for char in chars:
        assert abs(ours[char][0] - theirs[char][0]) <= 1, char
        assert len(ours[char][1]) == len(theirs[char][1]), char
        assert max((abs(a - b) for a, b in zip(ours[char][1], theirs[char][1])), default=0) <= 2, char


def test_the_pdf_embeds_static_fonts_made_by_harfbuzz(tmp_path):
    """Every weight of the theme's variable fonts is embedded as a static font, and WeasyPrint's
    instancing and subsetting go through HarfBuzz (forced off, the first assertion fails)."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    from builders.formats.pdf.patches import harfbuzz_fonts

    path = write_narrative(tmp_path / "p", BODY + "\n**Bold** and *italic* text, Жизнь.\n")
    [pdf] = pipeline.build(path, ["pdf"], tmp_path / "out", parallel=False)
    from weasyprint.pdf import fonts

    # The build (in this process) routed both through HarfBuzz; install() says it still applies.
    assert getattr(fonts.instantiateVariableFont, "triptych_harfbuzz", False) and harfbuzz_fonts.apply()
    embedded = []
    for page in PdfReader(pdf.path).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            embedded.append(TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data())))
    assert len(embedded) >= 4
    assert not [f for f in embedded if "fvar" in f or "gvar" in f]


def test_hyphenation_read_from_the_cache_hyphenates_like_pyphen(tmp_path, monkeypatch):
    """The JSON copy of pyphen's patterns gives the same breaks, and the same PDF."""
    import pyphen

    from builders.formats.pdf.patches.hyphenation_cache import StoredPatterns

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    words = "hyphenation extraordinarily internationalisation parliamentary militarisation"
    monkeypatch.setattr(pyphen, "hdcache", {})
    parsed = pyphen.Pyphen(lang="en").inserted(words)
    monkeypatch.setattr(pyphen, "hdcache", StoredPatterns())
    pyphen.Pyphen(lang="en")  # parsed by pyphen, stored
    assert list((tmp_path / "cache" / "triptych" / "hyphenation").glob("*.json"))
    monkeypatch.setattr(pyphen, "hdcache", StoredPatterns())
    assert pyphen.Pyphen(lang="en").inserted(words) == parsed  # read back from the JSON copy
    path = write_narrative(tmp_path / "p", BODY + "\n" + "Internationalisation of parliamentary accountability. " * 30)
    [from_copy] = pipeline.build(path, ["pdf"], tmp_path / "a")
    monkeypatch.setattr(pyphen, "hdcache", {})  # pyphen's own: every dictionary parsed from its file
    [from_parse] = pipeline.build(path, ["pdf"], tmp_path / "b")
    assert from_copy.path.read_bytes() == from_parse.path.read_bytes()


def test_lean_type_parsing_gives_weasyprint_the_same_c_types():
    """WeasyPrint's cffi parser sees only the typedefs a type names (patches/lean_cffi):
    every type must come out as a full parse makes it."""
    import cffi.cparser

    from builders.formats.pdf.patches import apply_all

    apply_all()
    from weasyprint.text.ffi import ffi

    assert ffi._parser.parse_type_and_quals.triptych_lean
    full = cffi.cparser.Parser()
    full._declarations = dict(ffi._parser._declarations)
    full._included_declarations = set(getattr(ffi._parser, "_included_declarations", ()))
    typedefs = sorted(k[8:] for k in ffi._parser._declarations if k.startswith("typedef "))
    assert len(typedefs) > 50
    for cdecl in ["char[]", "unsigned int *", "FcChar8 **", *(f"{name} *" for name in typedefs)]:
        lean_type, lean_quals = ffi._parser.parse_type_and_quals(cdecl)
        full_type, full_quals = full.parse_type_and_quals(cdecl)
        assert (lean_type.get_c_name(), lean_quals) == (full_type.get_c_name(), full_quals), cdecl
