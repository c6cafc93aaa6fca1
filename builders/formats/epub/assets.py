"""What the e-book carries besides text: the theme's fonts, the figures' images, relative type sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from ...core import model as m
from ...core.slugs import slugify
from ...theming.markup import Face, font_weight
from ...theming.themes import Theme

FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf"}
IMAGE_TYPES = {"PNG": (".png", "image/png"), "JPEG": (".jpg", "image/jpeg"), "GIF": (".gif", "image/gif"),
               "WEBP": (".webp", "image/webp")}
SIZE = re.compile(r"^(\d+(?:\.\d+)?)([a-z]*)$")


@dataclass
class Asset:
    href: str  # relative to the package document
    media_type: str
    data: bytes


def fonts(theme: Theme, css_dir: str) -> tuple[list[Asset], list[Face]]:
    """The theme's font files, unmodified (OFL), and @font-face entries relative to the stylesheet."""
    assets: list[Asset] = []
    faces: list[Face] = []
    up = "../" * (css_dir.count("/") + 1) if css_dir else ""
    for face in theme.fonts:
        suffix = face.path.suffix.lower()
        weight, variable = font_weight(face.path)
        stem = slugify(face.family) + ("-italic" if face.style == "italic" else "") + ("" if variable else f"-{weight}")
        name, n = f"{stem}{suffix}", 1
        while any(a.href == f"fonts/{name}" for a in assets):
            n += 1
            name = f"{stem}-{n}{suffix}"
        assets.append(Asset(f"fonts/{name}", FONT_TYPES.get(suffix, "font/ttf"), face.path.read_bytes()))
        faces.append(Face(face.family, f"{up}fonts/{name}", face.style, weight, face.fallback))
    return assets, faces


@dataclass
class Images:
    """Figure images copied into the book under stable names, in the order they are first shown."""

    assets: list[Asset] = field(default_factory=list)
    names: dict[Path, str] = field(default_factory=dict)

    def href(self, figure: m.Figure) -> str:
        if figure.src not in self.names:
            with Image.open(figure.src) as img:
                suffix, media_type = IMAGE_TYPES[img.format]
            href = f"images/figure-{len(self.names) + 1}{suffix}"
            self.names[figure.src] = href
            self.assets.append(Asset(href, media_type, figure.src.read_bytes()))
        return self.names[figure.src]


def relative_sizes(theme: Theme) -> dict[str, str]:
    """Type tokens as em of the body size, so the reader's text size setting scales everything."""
    tokens = theme.tokens.get("type", {})
    base = SIZE.match(str(tokens.get("body", "")))
    out: dict[str, str] = {}
    for key, value in tokens.items():
        match = SIZE.match(str(value))
        if base and match and match.group(2) == base.group(2) and float(base.group(1)) > 0:
            out[key] = f"{float(match.group(1)) / float(base.group(1)):.3g}em"
        else:
            out[key] = str(value)
    return out
