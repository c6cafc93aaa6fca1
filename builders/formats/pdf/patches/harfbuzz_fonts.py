"""The PDF's fonts subset and variable fonts instanced by HarfBuzz (uharfbuzz), in milliseconds.

WeasyPrint makes a static font of every weight and optical size of a variable font it embeds
with fontTools' instancer: 0.05-0.1 s each, a dozen to thirty per briefing, most of a machine's
first build (a cache on disk only helped the second). HarfBuzz's subsetter pins the same axes in
about a millisecond; on every instance of the sample in the built-in themes its outlines and
advance widths are fontTools' own. And where the system has no HarfBuzz subsetter (Debian's
Pango does not pull in libharfbuzz-subset0), WeasyPrint subsets with fontTools too: 20 s for
the sample's PDF. uharfbuzz is a wheel with its own HarfBuzz, so neither depends on what the
system installed, and every machine embeds the same bytes.

Changes: `weasyprint.pdf.fonts.instantiateVariableFont` (the name its `Font.clean` calls) and
`weasyprint.pdf.fonts.Font.subset`, both wrapped; a font HarfBuzz cannot make falls back to them.
Checked on: WeasyPrint 70.0 (written for 68-70), uharfbuzz 0.57.0.
Applied when: `instantiateVariableFont` carries `triptych_harfbuzz`.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from .patch import Patch

# Tables WeasyPrint's own HarfBuzz subset drops: a PDF viewer shapes nothing, so no layout tables.
DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def instance(data: bytes, index: int, location: Mapping[str, float]) -> bytes | None:
    """A static font of the variable font `data` at `location` (axes not named at their default),
    with every glyph kept at its id; None when HarfBuzz cannot make it."""
    import uharfbuzz as hb

    face = hb.Face(data, index)
    spec = hb.SubsetInput()
    spec.keep_everything()
    spec.flags |= hb.SubsetFlags.RETAIN_GIDS
    spec.pin_all_axes_to_default(face)
    for tag, value in location.items():
        if not spec.pin_axis_location(face, tag, float(value)):
            return None
    return _made(hb, face, spec)


def subset(data: bytes, index: int, glyphs: Iterable[int], hinting: bool, notdef_outline: bool) -> bytes | None:
    """`data` with only `glyphs` drawn, at their ids, and none of the layout tables; as
    WeasyPrint's own HarfBuzz subset; None when HarfBuzz cannot make it."""
    import uharfbuzz as hb

    face = hb.Face(data, index)
    spec = hb.SubsetInput()
    spec.glyph_set.update(glyphs)
    spec.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
                  | (hb.SubsetFlags.DEFAULT if hinting else hb.SubsetFlags.NO_HINTING)
                  | (hb.SubsetFlags.NOTDEF_OUTLINE if notdef_outline else hb.SubsetFlags.DEFAULT))
    spec.drop_table_tag_set.update(_tag(name) for name in DROPPED_TABLES)
    return _made(hb, face, spec)


def _made(hb: Any, face: Any, spec: Any) -> bytes | None:
    try:
        made = hb.subset(face, spec)
    except RuntimeError:  # a font HarfBuzz cannot subset: the caller falls back to fontTools
        return None
    data = made.blob.data
    return data or None


def _tag(name: str) -> int:
    raw = name.encode("latin-1")
    return int.from_bytes(raw, "big")


def apply() -> bool:
    """Route WeasyPrint's instancing and subsetting through HarfBuzz (once per process);
    False when uharfbuzz or the WeasyPrint internals it replaces are missing."""
    try:
        import uharfbuzz  # noqa: F401
        from weasyprint.pdf import fonts
    except ImportError:
        return False
    font = getattr(fonts, "Font", None)
    original_instance = getattr(fonts, "instantiateVariableFont", None)
    original_subset = getattr(font, "subset", None)
    if original_instance is None or original_subset is None:
        return False
    if getattr(original_instance, "triptych_harfbuzz", False):
        return True
    fonts.instantiateVariableFont = _instancing(original_instance)
    font.subset = _subsetting(original_subset)
    return True


def _instancing(original: Any) -> Any:
    def instantiate(ttfont: Any, variations: dict, *args: Any, **kwargs: Any) -> Any:
        try:
            data = ttfont.reader.file.getvalue()
        except AttributeError:  # not a font read from memory
            return original(ttfont, variations, *args, **kwargs)
        # A collection is left to fontTools, which knows which of its fonts this is.
        made = None if data[:4] == b"ttcf" else instance(data, 0, variations)
        return _SavedFont(made) if made else original(ttfont, variations, *args, **kwargs)

    instantiate.triptych_harfbuzz = True  # type: ignore[attr-defined]
    return instantiate


def _subsetting(original: Any) -> Any:
    def subset_font(self: Any, to_unicode: dict, hinting: bool) -> None:
        if not to_unicode:
            return
        made = subset(self.file_content, self.index, to_unicode, hinting, bool(self.missing))
        if made is None:
            return original(self, to_unicode, hinting)
        self.file_content = made

    return subset_font


def applied() -> bool:
    from weasyprint.pdf import fonts

    return bool(getattr(getattr(fonts, "instantiateVariableFont", None), "triptych_harfbuzz", False))


class _SavedFont:
    """Stands in for the fontTools font WeasyPrint only saves."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def save(self, file: Any) -> None:
        file.write(self.data)


PATCH = Patch("harfbuzz_fonts", "weasyprint.pdf.fonts.instantiateVariableFont and Font.subset: made by HarfBuzz",
              (("weasyprint", "70.0"), ("uharfbuzz", "0.57.0")), apply, applied)
