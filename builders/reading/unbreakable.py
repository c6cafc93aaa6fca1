"""Where a line must never break: a number and its unit, a range, a sign and its number.

"$1.5" at a line's end reads as the whole amount, "1990–" as an open-ended period. The rule is
applied once, to the model's text, for every format: a word joiner (U+2060, invisible and of no
width) follows each space and each range dash inside such a run, so the author's characters
all stay. Writers honour the mark as their medium can: the HTML of print and e-book sets each
joined run in a span that neither wraps nor hyphenates, and drops the joiners (the words read
back, and copy, exactly as written); the deck turns a joined space into a no-break space;
`plain_text` drops them.
"""

from __future__ import annotations

import re
from typing import Any

from ..core import model as m

NBSP, NNBSP, WJ = "\u00a0", "\u202f", m.WORD_JOINER
SPACE = f"[ {NBSP}{NNBSP}]{WJ}?"
# A number as written in any of the shipped languages: 1,500.25 · 1.500,25 · 1 500 · 12.
NUMBER = rf"(?<![\w.,])\d+(?:[.,]\d+)*(?:{SPACE}\d{{3}}(?!\d))*"
# Units, magnitudes and currencies written after a number.
UNITS = sorted((
    "billion billions million millions thousand thousands trillion bn mn m k "
    "milliard milliards mille Milliarde Milliarden Million Millionen Tausend Mrd. Mio. Tsd. "
    "miliardi milioni mila millones mil miliardów miliardy miliard milionów miliony milion mld mln tys. "
    "млрд млн тыс. тис. трлн "
    "km m cm mm km² m² m³ ha kg g t Mt kt l h min km/h mph kn bbl "
    "W kW MW GW TW Wh kWh MWh GWh TWh "
    "км м кг т га МВт ГВт кВт р. рр. г. гг. "
    "% ‰ pp bp °C °F ° "
    "€ $ £ ¥ ₴ ₽ zł Kč EUR USD GBP UAH RUB BYN PLN CHF "
    "euro euros Euro dollars dollar Dollar złotych hryvnias гривень грн руб. рублей рублів "
    "percent Prozent процентов відсотків").split() + ["per cent", "pour cent", "por ciento", "per cento"],
    key=len, reverse=True)
UNIT_RUN = re.compile(rf"({NUMBER})((?:[ ](?:{'|'.join(re.escape(u) for u in UNITS)})(?![\w²³]))+)")
# Signs and abbreviations written before a number: currencies, §, page, number, circa.
PREFIXES = ("$", "US$", "€", "£", "¥", "₴", "₽", "§", "§§", "¶", "№", "No.", "no.", "Nr.", "nr.", "n°", "p.", "pp.",
            "S.", "Art.", "art.", "Abs.", "Fig.", "fig.", "Tab.", "vol.", "Vol.", "ch.", "Kap.", "c.", "ca.", "approx.",
            "с.", "ст.", "п.")
PREFIXED = re.compile(rf"(?<![\w.])({'|'.join(re.escape(p) for p in sorted(PREFIXES, key=len, reverse=True))})[ ](?=\d)")
# A range between numbers, its dash set tight or spaced: 1990–1995, 10 – 20.
RANGE = re.compile(rf"({NUMBER})( ?)([–—])( ?)(?=\d)")
GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3}(?!\d))+")


def joined(text: str) -> str:
    """`text` with a word joiner after each space and range dash inside a number and its unit, a
    sign and its number, or a range (applied again, it changes nothing)."""
    if not any(c.isdigit() for c in text):
        return text
    text = GROUPS.sub(lambda g: g.group(0).replace(" ", " " + WJ), text)
    text = PREFIXED.sub(lambda g: g.group(1) + " " + WJ, text)
    text = RANGE.sub(lambda g: g.group(1) + (" " + WJ if g.group(2) else "") + g.group(3) + (g.group(4) or "") + WJ, text)
    return UNIT_RUN.sub(lambda g: g.group(1) + g.group(2).replace(" ", " " + WJ), text)


def for_slides(text: str) -> str:
    """Slide software knows no span that does not wrap: a joined space becomes a no-break space,
    and a range's dash may break there (a joiner would reach the slide's text)."""
    return text.replace(" " + WJ, NBSP).replace(WJ, "")


def join_document(doc: m.Document) -> None:
    """Every text of the narrative's body (not code) joined where a line must not break."""
    seen: set[int] = set()
    _visit(doc.front, seen)
    _visit(doc.sections, seen)
    _visit(doc.footnotes, seen)


def _visit(value: Any, seen: set[int]) -> None:
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, m.Text):
        value.text = joined(value.text)
    elif isinstance(value, list):
        for item in value:
            _visit(item, seen)
    elif isinstance(value, (m.Code, m.CodeBlock, m.Series, str)) or not hasattr(value, "__dataclass_fields__"):
        return
    else:
        for name in value.__dataclass_fields__:
            _visit(getattr(value, name), seen)
