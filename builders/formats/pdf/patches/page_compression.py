"""The PDF's page streams are deflated at zlib's default level (6), not its slowest (9).

pydyf deflates every stream at level 9. On a 30,000-word briefing that is 6.3 MB of page
content: 0.38 s of CPU at level 9 against 0.09 s at level 6, for streams 2.7 % larger
(measured on bench/narrative.py's 30k narrative). The pages and the bytes of one build to
the next stay the same; only the deflate effort changes.

Changes: the `zlib` module pydyf reads (`pydyf.zlib`), replaced by one whose `compressobj`
takes level 6 where pydyf asks for 9; everything else is zlib's own.
Checked on: pydyf 0.13.0.
Applied when: `pydyf.zlib` is `triptych_zlib`.
"""

from __future__ import annotations

import inspect
import types
import zlib
from typing import Any

from .patch import Patch

LEVEL = 6
ASKED = "compressobj(level=9)"  # what pydyf's Stream.data calls, the one thing changed


def _compressobj(level: int = LEVEL, *args: Any, **kwargs: Any) -> Any:
    return zlib.compressobj(min(level, LEVEL), *args, **kwargs)


triptych_zlib = types.ModuleType("triptych_zlib", "zlib, with deflate level 6 at most for compressobj")
triptych_zlib.__dict__.update({k: v for k, v in vars(zlib).items() if not k.startswith("__")})
triptych_zlib.compressobj = _compressobj  # type: ignore[attr-defined]


def _pydyf() -> Any:
    try:
        import pydyf
    except ImportError:
        return None
    return pydyf


def apply() -> bool:
    pydyf = _pydyf()
    if pydyf is None or getattr(pydyf, "zlib", None) not in (zlib, triptych_zlib):
        return False
    if pydyf.zlib is triptych_zlib:
        return True
    try:
        source = inspect.getsource(pydyf.Stream.data.fget)
    except (AttributeError, OSError, TypeError):
        return False
    if ASKED not in source:
        return False  # another pydyf: leave it as it is
    pydyf.zlib = triptych_zlib
    return True


def applied() -> bool:
    pydyf = _pydyf()
    return pydyf is not None and getattr(pydyf, "zlib", None) is triptych_zlib


PATCH = Patch("page_compression", "pydyf.zlib: page streams deflated at level 6, not 9",
              (("pydyf", "0.13.0"),), apply, applied)
