"""Advance widths of one font file or one table of widths, in em, per character."""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

# Glyphs the font lacks come from a fallback font of unknown width: count them as 1 em.
MISSING_WIDTH = 1.0
# A character a face lacks that renderers draw with another of its glyphs: Carlito has no no-break
# space, and LibreOffice (like HarfBuzz) sets it as a space, not in a fallback font.
STAND_INS = {"\u00a0": " "}


class Face:
    """Advance widths of one font file, in em, cached per character; a variable font's at `wght`."""

    def __init__(self, path: Path, weight: float | None = None) -> None:
        font = TTFont(str(path), lazy=True, fontNumber=0)  # the first face of a collection (.ttc)
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
            if glyph:
                width = self.advance(glyph) / self.upem
            else:
                width = self.em(STAND_INS[char]) if char in STAND_INS else MISSING_WIDTH
            self.cache[char] = width
        return width

    def has(self, char: str) -> bool:
        return ord(char) in self.cmap


class WidthTable:
    """Advance widths of one style of a family, read from a table of them (FAMILY.widths.json):
    what a twin is measured by, without shipping its glyphs. Written by tools/write_width_table.py."""

    def __init__(self, upem: int, widths: dict[int, int]) -> None:
        self.upem, self.widths = upem, widths

    def em(self, char: str) -> float:
        width = self.widths.get(ord(char))
        if width is None and char in STAND_INS:
            width = self.widths.get(ord(STAND_INS[char]))
        return width / self.upem if width is not None else MISSING_WIDTH

    def has(self, char: str) -> bool:
        return ord(char) in self.widths
