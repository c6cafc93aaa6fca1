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
STYLES = {(False, False): ("Regular", "Roman", "Book"), (True, False): ("Bold",), (False, True): ("Italic", "Oblique"),
          (True, True): ("BoldItalic", "BoldOblique")}


class Face:
    """Advance widths of one font file, in em, cached per character."""

    def __init__(self, path: Path) -> None:
        font = TTFont(str(path), lazy=True)
        self.path = path
        self.cmap = font.getBestCmap() or {}
        self.advances = {name: adv for name, (adv, _) in font["hmtx"].metrics.items()}
        self.upem = font["head"].unitsPerEm
        self.cache: dict[str, float] = {}

    def em(self, char: str) -> float:
        width = self.cache.get(char)
        if width is None:
            glyph = self.cmap.get(ord(char))
            width = self.advances.get(glyph, 0) / self.upem if glyph else MISSING_WIDTH
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
    for folder in (*folders, *FONT_DIRS):
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


@lru_cache(maxsize=8)
def load_metrics(family: str, folders: tuple[Path, ...] = (), where: Location | None = None) -> Metrics:
    """Metrics for `family` (the metric-compatible stand-in, e.g. Liberation Sans for Arial)."""
    files = find_face_files(family, folders)
    if (False, False) not in files:
        raise TriptychError.at(where or Location(Path("theme.yaml")), f'fonts.slide: no font files for "{family}" to '
                               "measure slide text with (install fonts-liberation2, or name other `metrics:`)")
    return Metrics(family, {style: Face(path) for style, path in files.items()})


@dataclass(frozen=True)
class SlideFonts:
    """The families the deck's text is set in, and the metrics it is measured with."""

    body: str
    body_metrics: Metrics
    heading: str
    heading_metrics: Metrics
