"""Author-written slides (`::: {.slide layout=…}`): the author's text on the layout the author named."""

from __future__ import annotations

from typing import Any

from ...core import model as m
from ...core.errors import TriptychError
from .digest import runs, visible
from .flow import first_flush, scaled
from .frames import Para, Picture, Run, SlidePlan
from .geometry import TEXT_TYPES, LayoutInfo
from .tables import table_slides
from .planning import Planning


def override_slides(pl: Planning, block: m.SlideOverride, layout: LayoutInfo, title: str) -> list[SlidePlan]:
    """`::: {.slide layout=…}`: text groups (split at ---) fill the layout's text placeholders in reading
    order, images its picture placeholders; text that does not fit continues on a further slide."""
    content = [b for b in visible(block.blocks)]
    figures = [b for b in content if isinstance(b, m.Figure)]
    tables = [b for b in content if isinstance(b, m.Table)]
    groups: list[list[m.Block]] = [[]]
    for b in content:
        if isinstance(b, m.Rule):
            groups.append([])
        elif not isinstance(b, (m.Figure, m.Table, m.Notes)):
            groups[-1].append(b)
    groups = [g for g in groups if g]
    text_phs = [ph for ph in layout.content if ph.type in TEXT_TYPES]
    pic_phs = [ph for ph in layout.content if ph.type == "pic"]
    if groups and not text_phs:
        raise TriptychError.at(block.location, f'layout "{layout.name}" has no text placeholder for this slide\'s text')
    if len(groups) > len(text_phs):
        groups = groups[: len(text_phs) - 1] + [[b for g in groups[len(text_phs) - 1:] for b in g]]
    spare = text_phs[len(groups):]
    pages_by_ph = []
    for ph, group in zip(text_phs, groups):
        paras = _author_paras(pl, ph, group)
        if paras:
            pages_by_ph.append((ph, pl.pages(ph, paras, "body", max(pl.max_bullets, 1))))
    # One body size for the whole slide: columns set at different sizes look accidental.
    sizes = [max(p.size for page in pages for p in page) for _, pages in pages_by_ph]
    if sizes:
        size = min(sizes)
        pages_by_ph = [(ph, [scaled(page, size, own) for page in pages])
                       for (ph, pages), own in zip(pages_by_ph, sizes)]
    title_ph = layout.title
    writer = pl.writer()
    notes = writer.text(writer.blocks([b for b in content if not isinstance(b, m.Notes)]))
    author_notes = [b for b in content if isinstance(b, m.Notes)]
    if author_notes:
        notes = writer.text(p for n in author_notes for p in writer.blocks(n.blocks)) + "\n\n" + notes
    slides: list[SlidePlan] = []
    count = max([len(pages) for _, pages in pages_by_ph] + [1])
    for n in range(count):
        items: list[Any] = []
        if title_ph and title:
            items.append(pl.title_frame(title_ph, pl.continued(title, n)))
        for ph, pages in pages_by_ph:
            if n < len(pages):
                items.append(pl.frame(ph, first_flush(pages[n])))
        if n == 0:
            holders = pic_phs + spare
            for figure, ph in zip(figures, holders):
                items.append(Picture(ph.box.fit(figure.width, figure.height), figure.src, figure.alt, ph.idx))
        slides.append(pl.add("override", layout, items, notes))
    for table in tables:
        table_slides(pl, table, m.plain_text(table.caption) or title)
    return slides


def _author_paras(pl: Planning, ph: Any, blocks: list[m.Block], level: int = 0) -> list[Para]:
    size = pl.size("body")[0]
    out: list[Para] = []
    for b in visible(blocks):
        if isinstance(b, m.Paragraph):
            out.append(pl.para(ph, runs(b.inlines), size, first=not out))
        elif isinstance(b, m.BlockQuote):
            inner_paras = [p for p in visible(b.blocks) if isinstance(p, m.Paragraph)]
            out.extend(pl.para(ph, runs(p.inlines, italic=True), size, first=not out) for p in inner_paras)
        elif isinstance(b, m.ListBlock):
            for k, item in enumerate(b.items):
                paras = [p for p in visible(item) if isinstance(p, m.Paragraph)]
                text = [r for i, p in enumerate(paras) for r in ([Run(" ")] if i else []) + runs(p.inlines)]
                if text:
                    out.append(pl.para(ph, text, size, "#" if b.ordered else "•", min(level, 1), first=not out,
                                       number=b.start + k))
                nested = [x for x in visible(item) if isinstance(x, m.ListBlock)]
                out.extend(_author_paras(pl, ph, nested, level + 1))
        elif isinstance(b, m.CodeBlock):
            out.append(pl.para(ph, [Run(b.text.rstrip())], size, first=not out))
    return out
