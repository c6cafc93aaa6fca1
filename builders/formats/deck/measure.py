"""Font metrics for the deck: the width of text in the font the slides are shown in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ...core.errors import Location, TriptychError
from .faces import Face, WidthTable
from .line_metrics import fallback_em

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts",
             Path.home() / ".fonts")
# Free typefaces with the advance widths of faces slide viewers have: the deck names the face and
# is measured with the first of these found. The built-in themes' twins measure alike on any
# machine: Arimo and Caladea come from the package index (fontpkg-arimo, font-caladea), Carlito's
# widths ship in themes/default/fonts/. The others count where the system has them (Debian:
# fonts-liberation2, fonts-croscore). Debian's fonts-crosextra-caladea is a later Caladea whose
# widths are not Cambria's: the package index's copy (the 2013 Chrome OS one) is found first.
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
# A family's advance widths without its glyphs: FAMILY.widths.json in a fonts/ folder (see WidthTable).
WIDTHS_SUFFIX = ".widths.json"


class Metrics:
    """Measures text the way slide software lays it out: per-glyph advances, no kerning."""

    def __init__(self, family: str, faces: dict[tuple[bool, bool], Face | WidthTable]) -> None:
        self.family = family
        self.faces = faces

    def width(self, text: str, size: float, bold: bool = False, italic: bool = False) -> float:
        """Width in points of `text` set at `size` points."""
        face = self.faces.get((bold, italic)) or self.faces[(False, False)]
        return size * sum(face.em(c) if face.has(c) else fallback_em(c, bold, face) for c in text)

    def lacks(self, text: str) -> set[str]:
        """The letters of `text` the family has no glyph for (a viewer draws them in another font)."""
        face = self.faces[(False, False)]
        return {c for c in text if c.isalpha() and not face.has(c)}


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


def package_faces(family: str) -> dict[tuple[bool, bool], Face | WidthTable]:
    """The faces of a family installed from the package index: a fontpkg package (Arimo), or one
    that lists its files under the `fonts_ttf` entry points (font-caladea)."""
    import fontpkg

    try:
        files = fontpkg.family(family).files
    except fontpkg.FontpkgError:
        return file_faces(family, ttf_package_folders())
    faces: dict[tuple[bool, bool], Face | WidthTable] = {}
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


@lru_cache(maxsize=1)
def ttf_package_folders() -> tuple[Path, ...]:
    """Folders of the font packages that register under the `fonts_ttf` entry points."""
    from importlib.metadata import entry_points

    folders: list[Path] = []
    for entry in entry_points(group="fonts_ttf"):
        files = (entry.dist.files if entry.dist else None) or ()
        for file in files:
            if str(file).lower().endswith((".ttf", ".otf")):
                folder = Path(str(file.locate())).parent
                if folder not in folders:
                    folders.append(folder)
    return tuple(folders)


def file_faces(family: str, folders: tuple[Path, ...]) -> dict[tuple[bool, bool], Face | WidthTable]:
    """The family's font files in `folders`, else its table of widths there (FAMILY.widths.json)."""
    found: dict[tuple[bool, bool], Face | WidthTable] = {
        style: Face(path) for style, path in find_face_files(family, folders).items()}
    if (False, False) in found:
        return found
    for folder in folders:
        table = folder / (family.replace(" ", "") + WIDTHS_SUFFIX)
        if table.is_file():
            return read_width_table(table)
    return found


def read_width_table(path: Path) -> dict[tuple[bool, bool], WidthTable]:
    """{style: widths} from a table written by tools/write_width_table.py."""
    names = {name: style for style, options in STYLES.items() for name in options}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        upem = int(data["units_per_em"])
        tables = {names[name]: WidthTable(upem, {int(cp, 16): int(w) for cp, w in widths.items()})
                  for name, widths in data["styles"].items() if name in names}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise TriptychError.at(Location(path), f"not a table of advance widths ({type(exc).__name__}: {exc}); "
                               "write it with tools/write_width_table.py") from None
    if (False, False) not in tables or upem <= 0:
        raise TriptychError.at(Location(path), "a table of advance widths needs units_per_em and a Regular style")
    return tables


@lru_cache(maxsize=8)
def load_metrics(family: str, folders: tuple[Path, ...] = (), where: Location | None = None,
                 role: str = "slide") -> Metrics:
    """Metrics for `family`, from the first of these that has it, or one of its METRIC_TWINS:
    the theme's fonts/ folders (font files, or a FAMILY.widths.json), the font packages from the
    package index (fontpkg, `fonts_ttf` entry points), then the system's fonts.

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
    raise TriptychError.at(where or Location(Path("theme.yaml")), f'fonts.{role}: no font files for "{family}"{twins} to '
                           "measure slide text with (install one: a fontpkg-* package, the system's font package, "
                           "or the theme's fonts/ folder; or name other `metrics:`)")


@dataclass(frozen=True)
class SlideFonts:
    """The families the deck's text is set in, and the metrics it is measured with."""

    body: str
    body_metrics: Metrics
    heading: str
    heading_metrics: Metrics
