"""Whole sentences and enumerated points of prose, in any script: the units a slide may show."""

from __future__ import annotations

import re
import unicodedata

from ...core.text import single_spaces

# A sentence ends at . ! ? … (or a run of them), after any closing quotes or brackets, before a
# space and the start of a new sentence: a character that is not a lower-case letter.
END = re.compile(r"(?:[.!?…‽]+|\.\.\.)[\"'”’»›)\]]*(?=\s+\S)")
OPENERS = "\"'“‘«‹„‚([¿¡—–-"
# Words whose full stop does not end a sentence. One list for every language: not splitting
# where a sentence did end only makes a bullet longer, splitting where it did not cuts it.
ABBREVIATIONS = frozenset("""
    mr mrs ms mx dr prof st sr jr gen col lt sgt capt cmdr adm gov sen rep rev hon fr messrs
    no nos fig figs approx vs etc e.g i.e cf al inc ltd co corp dept est vol vols ch chap pp p ed eds
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft op cit ibid viz ca c u.s u.k u.n e.u
    z.b d.h u.a usw bzw vgl nr abs art hr inkl ggf evtl jh jhd mio mrd bspw u.ä z.t s.o s.u dt engl
    mme mlle mm pr ste env ex av apr j.-c n° t éd coll
    sra srta dra ud uds pág núm ej sig sigg dott ecc pag np tzn itd itp mgr inż ul godz
    т.е т.д т.п т.к и.о г гг р рр в вв ст см ср напр др пр проф акад доц им ул вул просп пл
    м с стр млн млрд тыс тис грн руб коп обл р-н див т.зв і.т.д ін тощо ім б-р пров
""".split())
# Ordinal markers that open an enumerated point ("First, …", "По-перше, …", "Erstens …").
ORDINALS = re.compile(
    r"^(?:(?:and|und|et|y|e|i|и|і|та|а)\s+)?(?:(?:"
    r"first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|fifth(?:ly)?|sixth(?:ly)?|finally|lastly"
    r"|premièrement|deuxièmement|troisièmement|quatrièmement|enfin|primo|secundo|tertio"
    r"|primero|segundo|tercero|cuarto|en primer lugar|en segundo lugar|en tercer lugar|por último"
    r"|in primo luogo|in secondo luogo|in terzo luogo|infine"
    r"|po pierwsze|po drugie|po trzecie|po czwarte|wreszcie"
    r"|во-первых|во-вторых|в-третьих|в-четв[её]ртых|в-пятых|наконец"
    r"|по-перше|по-друге|по-третє|по-четверте|по-п[’']яте|нарешті"
    r")\s*[,:]"  # a word marker is followed by its comma: "First, …", not "First results …"
    r"|(?:erstens|zweitens|drittens|viertens|fünftens)(?=[\s,:])"
    r"|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})\)(?=\s))",
    re.IGNORECASE)
# Where an enumeration may start inside a sentence: after a colon or semicolon.
INNER_BREAK = re.compile(r"[:;](?=\s+\S)")


def _previous_word(text: str, end: int) -> str:
    start = max(text.rfind(c, 0, end) for c in " \n\t\u00a0") + 1
    return text[start:end]


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the text at `at` (after the space) can start a sentence: not a lower-case letter."""
    while at < len(text) and text[at] in OPENERS:
        at += 1
    if at >= len(text):
        return False
    char = text[at]
    return not char.islower() and (char.isalnum() or unicodedata.category(char).startswith(("L", "N", "S")))


def _is_abbreviation(word: str) -> bool:
    """"e.g.", "Dr.", "т.", "J." (an initial), "U.S." — a stop that is part of the word."""
    stem = word.lstrip(OPENERS).rstrip(".").lower()
    if not stem:
        return False
    if stem in ABBREVIATIONS:
        return True
    if len(stem) == 1 and stem.isalpha():
        return True  # an initial: J. Smith, Ю. Тимошенко
    if "." in stem and all(len(part) <= 2 for part in stem.split(".")):
        return True  # i.e, U.S, z.B, т.д
    return stem.isdigit() and len(stem) <= 2  # German and Slavic ordinals: "am 3. Oktober"


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence's closing mark (quotes included), the text's end aside."""
    ends = []
    for match in END.finditer(text):
        mark = match.group(0)
        after = match.end()
        while after < len(text) and text[after].isspace():
            after += 1
        if not _opens_sentence(text, after):
            continue
        if mark.startswith(".") and not mark.startswith("...") and _is_abbreviation(_previous_word(text, match.start() + 1)):
            continue
        ends.append(match.end())
    return ends


def sentences(text: str) -> list[str]:
    """The text's sentences, whole and in order (spaces normalised)."""
    text = single_spaces(text)
    out: list[str] = []
    start = 0
    for end in sentence_ends(text):
        out.append(text[start:end].strip())
        start = end
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def is_enumerated(unit: str) -> bool:
    """Whether a sentence or clause opens with an ordinal marker ("Second, …", "(b) …")."""
    return bool(ORDINALS.match(unit.lstrip(OPENERS)))


def enumeration(text: str) -> tuple[list[str], list[str], list[str]] | None:
    """(lead units, enumerated points, units after) when the prose enumerates two or more points
    ("Three implications follow: First, … Second, … Third, …"); None otherwise. Points are whole
    sentences, or clauses after a colon or semicolon; joined back they are the text."""
    units: list[str] = []
    for sentence in sentences(text):
        units.extend(_inner_points(sentence))
    marked = [n for n, unit in enumerate(units) if is_enumerated(unit)]
    if len(marked) < 2:
        return None
    first, last = marked[0], marked[-1]
    points: list[str] = []
    for n in range(first, last + 1):
        if is_enumerated(units[n]) or not points:
            points.append(units[n])
        else:
            points[-1] = f"{points[-1]} {units[n]}"  # a point's own further sentences stay with it
    return units[:first], points, units[last + 1:]


def _inner_points(sentence: str) -> list[str]:
    """A sentence split after a colon or semicolon where an enumerated point starts."""
    parts, start = [], 0
    for match in INNER_BREAK.finditer(sentence):
        if is_enumerated(sentence[match.end():].lstrip()):
            parts.append(sentence[start:match.end()].strip())
            start = match.end()
    parts.append(sentence[start:].strip())
    return [p for p in parts if p]
