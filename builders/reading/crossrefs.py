"""Cross-references (@fig:id, @tbl:id, @sec:id) resolved to "Figure 2" once everything is numbered."""

from __future__ import annotations

from ..core import model as m
from ..core.errors import Location, Problems, suggest

# The words the product adds for cross-references and the references section, by language.
# Kept in this one place until the narrative-language catalogue (l10n) replaces it.
LABELS: dict[str, dict[str, str]] = {
    "en": {"fig": "Figure", "tbl": "Table", "sec": "Section", "references": "References"},
    "de": {"fig": "Abbildung", "tbl": "Tabelle", "sec": "Abschnitt", "references": "Literatur"},
    "fr": {"fig": "Figure", "tbl": "Tableau", "sec": "Section", "references": "Références"},
    "es": {"fig": "Figura", "tbl": "Tabla", "sec": "Sección", "references": "Referencias"},
    "it": {"fig": "Figura", "tbl": "Tabella", "sec": "Sezione", "references": "Riferimenti"},
    "pl": {"fig": "Rysunek", "tbl": "Tabela", "sec": "Rozdział", "references": "Bibliografia"},
    "ru": {"fig": "Рисунок", "tbl": "Таблица", "sec": "Раздел", "references": "Литература"},
    "uk": {"fig": "Рисунок", "tbl": "Таблиця", "sec": "Розділ", "references": "Література"},
    "be": {"fig": "Малюнак", "tbl": "Табліца", "sec": "Раздзел", "references": "Літаратура"},
}
KINDS = {"fig": (m.Figure, m.Chart), "tbl": (m.Table,), "sec": (m.Section,)}


def label(language: str, name: str) -> str:
    return LABELS.get(language.split("-")[0].lower(), LABELS["en"])[name]


def resolve(doc: m.Document, found: list[tuple[m.CrossRef, Location]], problems: Problems) -> None:
    """Fill each reference's text; an id that names nothing of its kind is a located error."""
    numbers = m.numbered_targets(doc)
    targets = {block.id: block for block in doc.walk() if getattr(block, "id", "")}
    for ref, where in found:
        prefix = ref.target.split(":", 1)[0]
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
        ref.text = f"{label(doc.meta.language, prefix)}\u00a0{number}"
