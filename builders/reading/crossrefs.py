"""Cross-references (@fig:id, @tbl:id, @sec:id) resolved to "Figure 2" once everything is numbered;
the words come from the narrative-language catalogue (core.labels)."""

from __future__ import annotations

from ..core import model as m
from ..core.errors import Location, Problems, suggest
from ..core.labels import label

# The catalogue's words for a reference's prefix ("Figure", "Tabelle", "рис.").
KEYS = {"fig": "figure_ref", "tbl": "table_ref", "sec": "section_ref"}
KINDS = {"fig": (m.Figure, m.Chart), "tbl": (m.Table,), "sec": (m.Section,)}


def resolve(doc: m.Document, found: list[tuple[m.CrossRef, Location]], problems: Problems) -> None:
    """Fill each reference's text; an id that names nothing of its kind is a located error."""
    numbers = m.numbered_targets(doc)
    targets = {block.id: block for block in doc.walk() if getattr(block, "id", "")}
    for ref, where in found:
        prefix = ref.target.split(":", 1)[0].lower()
        block = targets.get(ref.target)
        if block is None or not isinstance(block, KINDS[prefix]):
            same = [t for t in targets if t.startswith(prefix + ":")]
            problems.add(where, f'unknown cross-reference "@{ref.target}"{suggest(ref.target, same)}'
                                + ("" if same else f" (no {{#{prefix}:…}} id in the narrative)"))
            continue
        number = numbers.get(id(block), "")
        if not number:
            problems.add(where, f'"@{ref.target}" refers to an unnumbered section (references and sources are not numbered)')
            continue
        word = label(doc.meta.language, KEYS[prefix])
        if ref.capital:  # @Fig:id, or at the start of a sentence: "Figure 2 shows", "Рис. 2 показывает"
            word = word[:1].upper() + word[1:]
        ref.text = f"{word}\u00a0{number}"
