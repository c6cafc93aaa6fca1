"""Fonts for the scripts a theme's typefaces lack: a packaged face per script, else a located warning.

A theme names one body and one heading family; a narrative may be Arabic, Hindi, Greek or quote a
Hebrew name. For the characters of the narrative that the theme's fonts do not draw, a fallback
family is embedded and listed after each of the theme's families in the stylesheets (with_fallbacks):
the theme's CSS (or a project theme's) needs no change, Latin keeps the theme's design, and the PDF
and the e-book embed what they show. (Not the theme's own family name with a unicode-range: WeasyPrint
names a PDF font by family, weight and style, so two files under one name get mixed up.)
Packaged faces come from fontpkg-* packages (no system font needed);
a script no package covers is left to the system's fonts (fontconfig, as WeasyPrint uses them), and
where none covers it either, one located warning names the script and how to get a font, instead
of silent empty boxes.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from ..core import model as m
from ..core.errors import Location, Problem
from .themes import FontFace, Theme

# fontpkg families per ISO 15924 script, best first; the first installed one that draws the
# characters wins. The first of each list is the one the project installs (pyproject.toml) or
# the one a warning suggests.
PACKAGED: dict[str, tuple[str, ...]] = {
    # Amiri first: Noto Sans Arabic builds letters from shared parts, so a PDF's text read back
    # (copy, search, screen readers) came out as other letters ("نهر" as "فهر").
    "Arab": ("Amiri", "IBM Plex Sans Arabic", "Noto Sans Arabic", "Noto Kufi Arabic", "Cairo", "Tajawal", "Almarai"),
    "Hebr": ("Heebo", "Frank Ruhl Libre", "Assistant", "Arimo"),
    "Deva": ("Noto Sans Devanagari", "Mukta", "Hind", "Baloo 2", "Kalam"),
    "Thai": ("Noto Sans Thai", "Sarabun", "Kanit", "Prompt", "Chakra Petch"),
    "Beng": ("Hind Siliguri",),
    "Taml": ("Noto Sans Tamil",),
    "Telu": ("Noto Sans Telugu", "Anek Telugu", "Ramabhadra"),
    "Khmr": ("Noto Sans Khmer",),
}
# Latin, Greek and Cyrillic a theme's face may lack (a Latin-only display face): the project's own
# packaged families, sans first, then Noto where installed.
GENERAL = ("Inter", "Source Sans 3", "Source Serif 4", "Arimo", "Noto Sans", "Noto Serif")
# No fontpkg package carries these: where to get a font for them instead.
SYSTEM_HINT = {script: "Debian/Ubuntu: apt install fonts-noto-cjk" for script in ("Hani", "Hira", "Kana", "Hang", "Bopo")}
NESTED_LIST_MARKS = "\u25e6\u25aa"  # ◦ ▪: CSS list-style circle and square
NEUTRAL = {"Zyyy", "Zinh", "Zzzz"}  # common punctuation, combining marks, unassigned: no script of their own


def package_modules() -> list[str]:
    """The import names of every fontpkg package a fallback may come from (fontpkg_amiri …): the
    build cache stamps them, so installing one after a warning rebuilds with it."""
    families = dict.fromkeys([*(f for names in PACKAGED.values() for f in names), *GENERAL])
    return ["fontpkg_" + re.sub(r"[^a-z0-9]+", "_", family.lower()).strip("_") for family in families]


@dataclasses.dataclass(frozen=True)
class Gap:
    """Characters of one script that the theme's fonts do not draw, and where they first occur."""

    script: str  # ISO 15924, e.g. Arab
    chars: frozenset[str]
    first: Location
    sample: str  # a few words around the first one, for the warning


def with_script_fonts(theme: Theme, doc: m.Document, warnings: list[Problem]) -> Theme:
    """`theme` with fallback faces for every script of `doc` its fonts lack; warnings for the rest."""
    own = [f for f in theme.fonts if not f.fallback]
    if not own:
        return theme
    # A character is drawn only if every family of the theme draws it (body, headings, captions).
    families = list(dict.fromkeys(f.family for f in own))
    drawn = frozenset.intersection(*(_drawn_by(tuple(f.path for f in own if f.family == family)) for family in families))
    gaps = _gaps(_texts(doc, theme), drawn)
    if not gaps:
        return theme
    extra: list[FontFace] = []
    unserved: dict[str, list[tuple[Gap, frozenset[str]]]] = {}  # how to get a font → what it would draw
    for gap in gaps:
        found = _packaged(gap, families)
        if found is not None:
            family, chars = found
            if all(f.family != family for f in extra):
                # Marks alone (a nested list's ◦) need no italic: the e-book carries one file less.
                faces = [f for f in _package_faces(family) if gap.script not in NEUTRAL or f.style == "normal"]
                extra.extend(dataclasses.replace(f, fallback=True) for f in faces)
            left = gap.chars - chars
        else:
            left = gap.chars
        if left and not system_covers(left):
            unserved.setdefault(_how(gap.script), []).append((gap, left))
    # One warning per remedy: Han, Hiragana and Katakana of a Japanese briefing share one font.
    for how, found in unserved.items():
        warnings.append(Problem(found[0][0].first, _advice(found, how)))
    return dataclasses.replace(theme, fonts=[*theme.fonts, *extra]) if extra else theme


def _how(script: str) -> str:
    packaged = PACKAGED.get(script)
    if packaged:
        return f"pip install fontpkg-{packaged[0].lower().replace(' ', '-')}"
    return SYSTEM_HINT.get(script, "install a font that covers them, e.g. Debian/Ubuntu fonts-noto-core")


def _advice(found: list[tuple[Gap, frozenset[str]]], how: str) -> str:
    from fontTools.unicodedata import script_name

    names = [script_name(g.script, default=g.script) for g, _ in found if g.script not in NEUTRAL] or ["Some"]
    named = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    gap, missing = found[0]
    shown = "".join(sorted(missing)[:6])
    return (f'{named} characters ({shown} in "{gap.sample}") are in no installed font: the PDF and the e-book\'s '
            f"cover would show empty boxes for them ({how}, or put a font file in the theme's fonts/ folder)")


def _gaps(texts: Iterator[tuple[str, Location]], drawn: frozenset[int]) -> list[Gap]:
    """The characters no font of the theme draws, by script, each with its first place."""
    from fontTools.unicodedata import script, script_extension

    missing: dict[str, set[str]] = {}
    first: dict[str, tuple[Location, str]] = {}
    neutral: list[tuple[str, Location, str, int, str]] = []
    for text, where in texts:
        near = "Zyyy"  # the script of the letters just before, for punctuation shared by scripts
        for index, char in enumerate(text):
            if char.isspace() or not char.isprintable():
                continue
            code = script(char)
            if ord(char) in drawn:
                continue
            if code not in NEUTRAL:
                near = code
            if code in NEUTRAL:
                neutral.append((char, where, text, index, near))
                continue
            missing.setdefault(code, set()).add(char)
            first.setdefault(code, (where, _around(text, index)))
    # Punctuation shared by scripts (Arabic comma, danda, CJK full stops and brackets) goes with a
    # script it serves, or the one it stands in, so the face that draws the words draws it too.
    for char, where, text, index, near in neutral:
        serves = script_extension(char)
        home = next((s for s in sorted(serves) if s in missing), near if near in missing else "Zyyy")
        missing.setdefault(home, set()).add(char)
        first.setdefault(home, (where, _around(text, index)))
    return [Gap(code, frozenset(chars), *first[code]) for code, chars in sorted(missing.items())]


def _around(text: str, index: int) -> str:
    """A few words of `text` around `index`, for a message."""
    start, end = max(index - 10, 0), min(index + 10, len(text))
    if " " in text[:start]:  # whole words where the script spaces them
        start = text.rfind(" ", 0, start) + 1
    if " " in text[end:]:
        end = text.find(" ", end)
    return text[start:end].strip()[:40]


def _packaged(gap: Gap, theme_families: list[str]) -> tuple[str, frozenset[str]] | None:
    """The installed packaged family that draws most of the gap (all of it, if one does), and those characters."""
    best: tuple[str, frozenset[str]] | None = None
    for family in (*PACKAGED.get(gap.script, ()), *(f for f in GENERAL if f not in theme_families)):
        faces = _package_faces(family)
        if not faces:
            continue
        drawn = _drawn_by(tuple(f.path for f in faces if f.style == "normal") or (faces[0].path,))
        chars = frozenset(c for c in gap.chars if ord(c) in drawn)
        if chars == gap.chars:
            return family, chars
        if chars and (best is None or len(chars) > len(best[1])):
            best = family, chars
    return best


def packaged_face_file(script: str, chars: frozenset[str]) -> Path | None:
    """The upright face of the packaged family the PDF draws `chars` of `script` with, if one is installed
    (the deck measures the script's letters and lines with it)."""
    found = _packaged(Gap(script, chars, Location(Path(".")), ""), []) if script in PACKAGED else None
    if found is None:
        return None
    faces = _package_faces(found[0])
    return next((f.path for f in faces if f.style == "normal"), faces[0].path)


@lru_cache(maxsize=64)
def _package_faces(family: str) -> tuple[FontFace, ...]:
    """The faces of a fontpkg family, if that package is installed."""
    import fontpkg

    try:
        files = fontpkg.family(family).files
    except fontpkg.FontpkgError:
        return ()
    return tuple(FontFace(family, f.path, f.style) for f in files)


def with_fallbacks(css: str, families: list[str], fallbacks: list[str]) -> str:
    """`css` with the fallback families listed after each of `families` in its font stacks
    (`font-family` and `font`), but not in the @font-face rules that name the families."""
    if not fallbacks:
        return css
    names = "|".join(re.escape(f) for f in dict.fromkeys(families))
    named = re.compile(rf"""(["'])({names})\1""")
    extra = "".join(f', "{f}"' for f in dict.fromkeys(fallbacks))
    rules = re.split(r"(@font-face\s*\{[^}]*\})", css)
    return "".join(rule if rule.startswith("@font-face") else named.sub(lambda m: m.group(0) + extra, rule)
                   for rule in rules)


def coverage(path: Path) -> frozenset[int]:
    """Code points the font file draws."""
    return _drawn_by((path,))


@lru_cache(maxsize=64)
def _drawn_by(paths: tuple[Path, ...]) -> frozenset[int]:
    """Code points the font files draw between them."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in paths:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            points.update((font.getBestCmap() or {}).keys())
    return frozenset(points)


def system_covers(chars: frozenset[str]) -> bool:
    """Whether the system's fonts (fontconfig, which WeasyPrint falls back to) draw every one of `chars`."""
    return bool(system_font(chars))


@lru_cache(maxsize=32)
def system_font(chars: frozenset[str]) -> Path | None:
    """A system font file that draws every one of `chars`, or None (also when fontconfig's fc-list is absent)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    charset = " ".join(f"{ord(c):x}" for c in sorted(chars)[:200])
    try:
        listed = subprocess.run([fc_list, f":charset={charset}", "file"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.split(":")[0].strip() for line in listed.stdout.splitlines() if line.strip())
    return Path(files[0]) if files else None




def _texts(doc: m.Document, theme: Theme) -> Iterator[tuple[str, Location]]:
    """Every string a format may print, with the nearest place it is written."""
    meta = doc.meta
    for key in ("title", "subtitle", "short_title", "summary", "publisher", "rights", "marking"):
        value = getattr(meta, key)
        if value:
            yield value, meta.places.get(key.replace("_", "-"), Location(doc.source))
    for author in meta.authors:
        yield f"{author.name} {author.affiliation}", meta.places.get("authors", Location(doc.source))
    for keyword in meta.keywords:
        yield keyword, meta.places.get("keywords", Location(doc.source))
    for words in theme.labels.get(meta.language, {}).values():
        yield words, Location(theme.folders[0] / "theme.yaml")
    yield from _strings([*doc.front, *doc.sections, *doc.footnotes], Location(doc.source))
    # Marks the stylesheets print of their own: a nested list's ◦ and ▪ (a text face may lack them).
    nested = next((b for b in doc.walk() if isinstance(b, m.ListBlock)
                   and any(isinstance(c, m.ListBlock) for item in b.items for c in item)), None)
    if nested is not None:
        yield NESTED_LIST_MARKS, nested.location


def _strings(node: Any, where: Location) -> Iterator[tuple[str, Location]]:
    if isinstance(node, str):
        yield node, where
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, where)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        here = getattr(node, "location", None)
        where = here if isinstance(here, Location) else where
        for field in dataclasses.fields(node):
            if field.name not in ("location", "id", "src", "href", "when", "note") and not field.name.startswith("_"):
                yield from _strings(getattr(node, field.name), where)
