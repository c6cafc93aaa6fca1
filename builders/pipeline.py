"""source → model → artefacts: read once, build each requested format, publish atomically."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import formats
from .context import BuildContext
from .errors import Location, TriptychError
from .publish import staged
from .reading import find_entry, read_narrative
from .templating import Templates
from .themes import load_theme


@dataclass
class Artefact:
    format: str
    path: Path
    size: int
    count: int  # pages or slides; 0 where it does not apply
    seconds: float


def prepare(source: Path, theme_name: str | None = None) -> BuildContext:
    """Parse the narrative and load its theme; every error surfaces here, before writing."""
    doc = read_narrative(source)
    name = theme_name or doc.meta.theme
    theme = load_theme(name, doc.base_dir, None if theme_name else Location(doc.source, 1, 1))
    return BuildContext(doc, theme, Templates(theme))


def build(source: Path, wanted: list[str], out_dir: Path, theme_name: str | None = None,
          progress: Callable[[str], None] = lambda _: None) -> list[Artefact]:
    """Build `wanted` formats of one narrative into `out_dir`; all or nothing."""
    unknown = [f for f in wanted if f not in formats.MODULES]
    if unknown:
        raise TriptychError.at(Location(Path(source)), f'unknown format "{unknown[0]}"')
    ctx = prepare(find_entry(Path(source)), theme_name)
    results: list[Artefact] = []
    with staged(out_dir) as staging:
        for name in wanted:
            builder = formats.load(name)
            progress(name)
            started = time.perf_counter()
            temp = staging.path_for(ctx.doc.slug + builder.SUFFIX)
            facts = builder.build(ctx, temp)
            results.append(Artefact(name, out_dir / (ctx.doc.slug + builder.SUFFIX), temp.stat().st_size,
                                    int(facts.get("pages") or facts.get("slides") or 0), time.perf_counter() - started))
        staging.commit()
    return results
