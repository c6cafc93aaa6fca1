"""The one walk over WeasyPrint's laid-out boxes (page starts and footnote checks read the layout with it)."""

from __future__ import annotations

from typing import Any, Iterator


def descendants(box: Any) -> Iterator[Any]:
    """`box` and every box inside it, depth first in document order."""
    yield box
    for child in getattr(box, "children", None) or []:
        yield from descendants(child)
