"""PNG figures go into the PDF as they are stored, not decoded and encoded again.

WeasyPrint decodes every PNG with Pillow and encodes it again only to take the IDAT
chunks, whose filtered, deflated scanlines a PDF image reads directly (FlateDecode with
PNG predictors). For a plain 8-bit grey or RGB PNG without interlacing, palette or
transparency those chunks are already in that form: the sample's 2400 × 1600 map took
0.15 s of a 1.4 s build to decode and re-encode. Any other PNG takes WeasyPrint's path.

Changes: `weasyprint.images.RasterImage._get_png_data` (a static method), wrapped.
Checked on: WeasyPrint 70.0, Pillow 13.0.0.
Applied when: `RasterImage._get_png_data` carries `triptych_passthrough`.
"""

from __future__ import annotations

import io
from typing import Any

from .patch import Patch

SIGNATURE = b"\x89PNG\r\n\x1a\n"
PLAIN_COLOUR_TYPES = {0, 2}  # grey, RGB: what WeasyPrint declares as DeviceGray / DeviceRGB
NEEDS_CONVERSION = {b"PLTE", b"tRNS"}  # palette or transparency: Pillow must convert


def apply() -> bool:
    """Route WeasyPrint's PNG re-encoding through `stored_scanlines` (once per process)."""
    try:
        from weasyprint.images import RasterImage
    except ImportError:
        return False
    original = getattr(RasterImage, "_get_png_data", None)
    if original is None:
        return False  # another WeasyPrint
    if getattr(original, "triptych_passthrough", False):
        return True

    def get_png_data(pillow_image: Any) -> bytes:
        stored = stored_scanlines(pillow_image)
        return stored if stored is not None else original(pillow_image)

    get_png_data.triptych_passthrough = True  # type: ignore[attr-defined]
    RasterImage._get_png_data = staticmethod(get_png_data)
    return True


def applied() -> bool:
    from weasyprint.images import RasterImage

    return bool(getattr(getattr(RasterImage, "_get_png_data", None), "triptych_passthrough", False))


def stored_scanlines(pillow_image: Any) -> bytes | None:
    """The image's IDAT data when it can be used as it is, else None."""
    source = getattr(pillow_image, "fp", None)
    if getattr(pillow_image, "format", None) != "PNG" or not isinstance(source, io.BytesIO):
        return None
    return plain_png_idat(source.getvalue())


def plain_png_idat(data: bytes) -> bytes | None:
    """Concatenated IDAT of an 8-bit, non-interlaced grey or RGB PNG; None for anything else."""
    if not data.startswith(SIGNATURE):
        return None
    position, header, chunks = len(SIGNATURE), None, []
    while position + 8 <= len(data):
        length = int.from_bytes(data[position:position + 4], "big")
        kind = data[position + 4:position + 8]
        body = data[position + 8:position + 8 + length]
        if len(body) != length or kind in NEEDS_CONVERSION:
            return None
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
        position += 12 + length  # length, type, data, CRC
    if header is None or len(header) != 13 or not chunks:
        return None
    depth, colour, interlace = header[8], header[9], header[12]
    if depth != 8 or colour not in PLAIN_COLOUR_TYPES or interlace != 0:
        return None
    return b"".join(chunks)


PATCH = Patch("png_passthrough", "weasyprint.images.RasterImage._get_png_data: plain PNGs pass as stored",
              (("weasyprint", "70.0"), ("pillow", "13.0.0")), apply, applied)
