"""Font metrics for the deck: the width of text in the font the slides are shown in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from ...core.errors import Location, TriptychError

# Single line spacing as most slide software sets it (Arial: ascent + descent ≈ 1.15 em);
# measuring with 1.2 leaves a margin where viewers differ.
LINE_HEIGHT = 1.2
# Glyphs the font lacks come from a fallback font of unknown width: count them as 1 em.
MISSING_WIDTH = 1.0
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts",
             Path.home() / ".fonts")
# Free typefaces with the advance widths of faces slide viewers have: the deck names the face and
# is measured with the first of these found. A twin from the package index (fontpkg-arimo is a
# dependency) measures alike on any machine; the others count where the system has them
# (Debian: fonts-liberation2, fonts-crosextra-carlito, fonts-crosextra-caladea, fonts-croscore).
# Extend it for a theme's slide face: lower-case typeface -> twins, the preferred first.
METRIC_TWINS: dict[str, tuple[str, ...]] = {
    "arial": ("Arimo", "Liberation Sans"),
    "helvetica": ("Arimo", "Liberation Sans"),
    "liberation sans": ("Arimo",),
    "calibri": ("Carlito",),
    "calibri light": ("Carlito",),
    "cambria": ("Caladea",),
    "times new roman": ("Tinos", "Liberation Serif"),
    "liberation serif": ("Tinos",),
    "courier new": ("Cousine", "Liberation Mono"),
    "liberation mono": ("Cousine",),
}
STYLES = {(False, False): ("Regular", "Roman", "Book"), (True, False): ("Bold",), (False, True): ("Italic", "Oblique"),
          (True, True): ("BoldItalic", "BoldOblique")}


class Face:
    """Advance widths of one font file, in em, cached per character; a variable font's at `wght`."""

    def __init__(self, path: Path, weight: float | None = None) -> None:
        font = TTFont(str(path), lazy=True)
        self.path = path
        self.cmap = font.getBestCmap() or {}
        self.upem = font["head"].unitsPerEm
        if weight is not None and "fvar" in font:
            # The width of each glyph at that weight (HVAR or gvar), looked up only when used.
            glyphs = font.getGlyphSet(location={"wght": weight}, normalized=False)
            self.advance = lambda name: glyphs[name].width if name in glyphs else 0
        else:
            advances = {name: adv for name, (adv, _) in font["hmtx"].metrics.items()}
            self.advance = lambda name: advances.get(name, 0)
        self.cache: dict[str, float] = {}

    def em(self, char: str) -> float:
        width = self.cache.get(char)
        if width is None:
            glyph = self.cmap.get(ord(char))
            width = self.advance(glyph) / self.upem if glyph else MISSING_WIDTH
            self.cache[char] = width
        return width


class Metrics:
    """Measures text the way slide software lays it out: per-glyph advances, no kerning."""

    def __init__(self, family: str, faces: dict[tuple[bool, bool], Face]) -> None:
        self.family = family
        self.faces = faces

    def width(self, text: str, size: float, bold: bool = False, italic: bool = False) -> float:
        """Width in points of `text` set at `size` points."""
        face = self.faces.get((bold, italic)) or self.faces[(False, False)]
        return size * sum(face.em(c) for c in text)


def find_face_files(family: str, folders: tuple[Path, ...] = ()) -> dict[tuple[bool, bool], Path]:
    """Font files of a family by their conventional names (LiberationSans-Bold.ttf …)."""
    stem = family.replace(" ", "")
    found: dict[tuple[bool, bool], Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for style, names in STYLES.items():
            if style in found:
                continue
            for name in names:
                hits = sorted(folder.rglob(f"{stem}-{name}.[ot]tf"))
                if hits:
                    found[style] = hits[0]
                    break
        if (False, False) in found and len(found) == len(STYLES):
            break
    return found


def package_faces(family: str) -> dict[tuple[bool, bool], Face]:
    """The faces of a family installed from the package index (fontpkg), e.g. Arimo."""
    import fontpkg

    try:
        files = fontpkg.family(family).files
    except fontpkg.FontpkgError:
        return {}
    faces: dict[tuple[bool, bool], Face] = {}
    for (bold, italic) in STYLES:
        weight = 700 if bold else 400
        style = [f for f in files if (f.style == "italic") == italic]
        static = [f for f in style if not f.variable and f.weight == weight]
        variable = [f for f in style if f.variable and (f.wght_min or weight) <= weight <= (f.wght_max or weight)]
        if static:
            faces[(bold, italic)] = Face(static[0].path)
        elif variable:
            faces[(bold, italic)] = Face(variable[0].path, weight)
    return faces


def file_faces(family: str, folders: tuple[Path, ...]) -> dict[tuple[bool, bool], Face]:
    return {style: Face(path) for style, path in find_face_files(family, folders).items()}


@lru_cache(maxsize=8)
def load_metrics(family: str, folders: tuple[Path, ...] = (), where: Location | None = None) -> Metrics:
    """Metrics for `family`, from the first of these that has it, or one of its METRIC_TWINS:
    the theme's fonts/ folders, the fontpkg packages, then the system's fonts.

    Packages come before the system so that a deck is measured alike on every machine, with or
    without font packages installed by the system.
    """
    candidates = (family, *METRIC_TWINS.get(family.lower(), ()))
    finders = [lambda c: file_faces(c, folders), package_faces, lambda c: file_faces(c, FONT_DIRS)]
    for find in finders:
        for candidate in candidates:
            faces = find(candidate)
            if (False, False) in faces:
                return Metrics(candidate, faces)
    twins = f" or its metric-compatible twins ({', '.join(candidates[1:])})" if candidates[1:] else ""
    raise TriptychError.at(where or Location(Path("theme.yaml")), f'fonts.slide: no font files for "{family}"{twins} to '
                           "measure slide text with (install one: a fontpkg-* package, the system's font package, "
                           "or the theme's fonts/ folder; or name other `metrics:`)")


@dataclass(frozen=True)
class SlideFonts:
    """The families the deck's text is set in, and the metrics it is measured with."""

    body: str
    body_metrics: Metrics
    heading: str
    heading_metrics: Metrics
