"""New parts of a deck are named by counting, not by walking the whole package for each one.

python-pptx names every new notes slide (and chart, embedded workbook) with
`OpcPackage.next_partname`, which walks every part of the package each time: quadratic in
the slides, 0.23 s of CPU for the 234 slides of the 30,000-word bench narrative. While a
deck is written, its package answers from a set of the names in use, made by one walk per
kind of part and kept up to date with each name it gives out (python-pptx creates the part
under that name at once). The names, and so the bytes, are the ones python-pptx would give.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator


@contextlib.contextmanager
def counted_partnames(package: Any) -> Iterator[None]:
    """Within the block, `package.next_partname` counts instead of walking the package."""
    from pptx.opc.packuri import PackURI

    taken: dict[str, set[str]] = {}

    def next_partname(tmpl: str) -> Any:
        prefix = tmpl[: (tmpl % 42).find("42")]  # as python-pptx finds the kind of part
        names = taken.get(prefix)
        if names is None:
            names = taken[prefix] = {str(p.partname) for p in package.iter_parts() if p.partname.startswith(prefix)}
        for number in range(len(names) + 1, 0, -1):
            candidate = tmpl % number
            if candidate not in names:
                names.add(candidate)
                return PackURI(candidate)
        raise RuntimeError(f"no free part name for {tmpl}")  # python-pptx cannot run out either

    package.next_partname = next_partname  # this package only, for the block
    try:
        yield
    finally:
        del package.next_partname
