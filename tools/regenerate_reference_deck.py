"""Regenerate a theme's reference deck from its tokens (default: the built-in default theme).

Run from the repository root: `python tools/regenerate_reference_deck.py [THEME] [--out FILE]`;
tests/test_deck.py fails when the shipped copy is not what this makes.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from builders.formats.deck.reference import reference_deck
from builders.formats.deck.stable_zip import restamp

STAMP = dt.datetime(2024, 1, 1)


def generate(tokens: dict[str, Any], target: Path, aspect: str | None = None) -> Path:
    """Write a reference deck for these design tokens (colours, slide font, slide size) to `target`."""
    prs = reference_deck(tokens, aspect)
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = "Triptych reference deck", "triptych", "triptych"
    props.created = props.modified = STAMP
    props.revision = 1
    target.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(target))
    restamp(target, STAMP)
    return target


def main(argv: list[str] | None = None) -> None:
    """Regenerate a theme's reference deck from its tokens (default: the built-in default theme)."""
    from builders.theming.themes import load_theme

    parser = argparse.ArgumentParser(prog="python tools/regenerate_reference_deck.py", description=main.__doc__)
    parser.add_argument("theme", nargs="?", default="default")
    parser.add_argument("--out", type=Path, help="where to write (default: the theme folder's reference.pptx)")
    args = parser.parse_args(argv)
    theme = load_theme(args.theme)
    target = args.out or theme.folders[0] / "reference.pptx"
    generate(theme.tokens, target)
    print(target)


if __name__ == "__main__":
    main()
