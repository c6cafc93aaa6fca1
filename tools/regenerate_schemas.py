"""Rewrite the shipped JSON Schemas (builders/theming/schemas/*.json) from the validators.

Run from the repository root: `python tools/regenerate_schemas.py`; tests/test_schemas.py fails when they are stale.
"""

from __future__ import annotations

from builders.theming.schemas import GENERATORS, render, shipped


def main() -> None:
    for kind in GENERATORS:
        shipped(kind).write_text(render(kind), encoding="utf-8")
        print(f"wrote {shipped(kind)}")


if __name__ == "__main__":
    main()
