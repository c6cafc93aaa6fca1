"""Write a family's advance widths as a table (FAMILY.widths.json) for a theme's fonts/ folder.

`python tools/write_width_table.py /usr/share/fonts/truetype/crosextra/Carlito-{Regular,Bold,Italic,BoldItalic}.ttf
--out themes/default/fonts/Carlito.widths.json`: the deck measures a slide face's metric twin with
it (builders/formats/deck/measure.py, WidthTable) on machines that lack the twin's files.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from fontTools.ttLib import TTFont

STYLE_NAMES = ("BoldItalic", "Bold", "Italic", "Regular")  # longest first: "Bold" is in "BoldItalic"


def table(paths: list[Path]) -> dict:
    """{family, version, units_per_em, styles: {Regular: {hex codepoint: advance}}} of the files."""
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # old fonts' 'created' timestamps
    styles: dict[str, dict[str, int]] = {}
    family = version = ""
    upem = 0
    for path in paths:
        font = TTFont(str(path))
        name = next(n for n in STYLE_NAMES if path.stem.endswith(n))
        family, upem = font["name"].getBestFamilyName(), font["head"].unitsPerEm
        version = font["name"].getDebugName(5) or ""
        metrics = font["hmtx"].metrics
        styles[name] = {f"{cp:04X}": metrics[glyph][0] for cp, glyph in sorted(font.getBestCmap().items())}
    return {"family": family, "version": version, "units_per_em": upem,
            "about": f"Advance widths of {family} ({version}), SIL Open Font License 1.1 (OFL.txt): "
                     "the deck measures slide text with them; no glyph is included.",
            "styles": {n: styles[n] for n in ("Regular", "Bold", "Italic", "BoldItalic") if n in styles}}


def main(argv: list[str] | None = None) -> None:
    """Write a family's advance widths as a table (FAMILY.widths.json) for a theme's fonts/ folder."""
    parser = argparse.ArgumentParser(prog="python tools/write_width_table.py", description=main.__doc__)
    parser.add_argument("fonts", nargs="+", type=Path, help="the family's font files, one per style")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    data = table(args.fonts)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(data['styles'])} styles of {data['family']}")


if __name__ == "__main__":
    main()
