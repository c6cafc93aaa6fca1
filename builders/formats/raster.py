"""Figures in a form every engine takes: 8-bit PNG, JPEG or GIF, converted in memory when needed.

A reader accepts WebP and 16-bit PNGs; python-pptx cannot embed WebP, and WeasyPrint
draws a 16-bit grey PNG garbled. Such an image is converted to an 8-bit PNG here, once,
in memory; every other file is used as it is stored.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

TAKEN = {"PNG", "JPEG", "GIF"}
SIXTEEN_BIT_MODES = {"I;16", "I;16B", "I;16L", "I", "F"}


def needs_conversion(path: Path) -> bool:
    """True for a format the engines do not all take, or more than 8 bits a channel."""
    data = path.read_bytes()[:32]
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 24:
        return data[24] == 16  # IHDR bit depth
    with Image.open(path) as img:
        return img.format not in TAKEN or img.mode in SIXTEEN_BIT_MODES


def eight_bit_png(path: Path) -> bytes:
    """The image as an 8-bit PNG: 16-bit grey scaled to 8 bits, colour kept, transparency kept."""
    with Image.open(path) as img:
        img.load()
        if img.mode in SIXTEEN_BIT_MODES:
            # Pillow's convert("L") clips 16-bit values at 255; scale them instead.
            img = img.point(lambda v: v / 256).convert("L") if img.mode != "F" else img.convert("L")
        elif img.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            img = img.convert("RGBA" if "A" in img.getbands() else "RGB")
        out = io.BytesIO()
        img.save(out, format="PNG", optimize=False)
    return out.getvalue()
