"""pandoc's citation syntax in running text: [@key, p. 14], [see @a; @b], @key says, [-@key], @fig:id."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# pandoc's key: starts with a letter, digit or _, may hold :.#$%&-+?<>~/ inside, ends with a word
# character (so "@doe2021." ends the sentence, not the key).
KEY = r"[\w](?:[\w:.#$%&+?<>~/-]*[\w])?"
BRACKETED = re.compile(r"\[(?P<body>[^\[\]]*?-?@" + KEY + r"[^\[\]]*)\](?![(\[])")
ITEM = re.compile(r"^(?P<prefix>.*?)(?P<minus>-?)@(?P<key>" + KEY + r")(?P<suffix>.*)$", re.DOTALL)
# Not after a word character (an e-mail address), nor after another @ or a backslash.
IN_TEXT = re.compile(r"(?<![\w@\\])(?P<minus>-?)@(?P<key>" + KEY + r")(?:\s\[(?P<suffix>[^\[\]@]*)\](?![(\[]))?")
CROSSREF_PREFIXES = ("fig:", "tbl:", "sec:", "Fig:", "Tbl:", "Sec:")  # pandoc-crossref: @Fig: capitalises

# pandoc's locator terms → CSL locator labels.
LOCATOR_TERMS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page", "s": "page", "с": "page",
    "chap": "chapter", "chaps": "chapter", "chapter": "chapter", "chapters": "chapter",
    "sec": "section", "secs": "section", "section": "section", "sections": "section", "§": "section", "§§": "section",
    "para": "paragraph", "paras": "paragraph", "paragraph": "paragraph", "¶": "paragraph",
    "vol": "volume", "vols": "volume", "volume": "volume", "fig": "figure", "figs": "figure", "figure": "figure",
    "n": "note", "nn": "note", "note": "note", "l": "line", "ll": "line", "line": "line",
    "art": "article", "no": "issue", "col": "column", "bk": "book", "pt": "part", "part": "part",
}
LOCATOR = re.compile(r"^\s*,?\s*(?:(?P<term>[^\s\d.,;]+)\.?\s*)?(?P<value>[\dIVXLCDMivxlcdm]+(?:\s*[-–—,]\s*[\dIVXLCDMivxlcdm]+)*)(?P<rest>.*)$",
                     re.DOTALL)


@dataclass
class CiteItem:
    key: str
    prefix: str = ""
    suffix: str = ""
    locator: tuple[str, str] | None = None  # (CSL label, value), e.g. ("page", "14–16")
    suppress_author: bool = False


@dataclass
class CiteGroup:
    """One citation as written; `column` is where it starts in the text it was found in."""

    items: list[CiteItem]
    in_text: bool
    column: int
    written: str
    keys: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keys = [item.key for item in self.items]


@dataclass
class RefMark:
    """@fig:id, @tbl:id or @sec:id."""

    targets: list[str]
    column: int
    written: str


Piece = "str | CiteGroup | RefMark"


def scan(text: str) -> list[str | CiteGroup | RefMark]:
    """Split running text into plain text, citations and cross-references, in order."""
    out: list[str | CiteGroup | RefMark] = []
    position = 0
    for match in _matches(text):
        start, end, piece = match
        if start > position:
            out.append(text[position:start])
        out.append(piece)
        position = end
    if position < len(text):
        out.append(text[position:])
    return out


def _matches(text: str) -> list[tuple[int, int, CiteGroup | RefMark]]:
    found: list[tuple[int, int, CiteGroup | RefMark]] = []
    taken: list[tuple[int, int]] = []
    for match in BRACKETED.finditer(text):
        items = [_item(part) for part in match.group("body").split(";")]
        if any(item is None for item in items):
            continue  # "[see the @ sign]": not a citation
        keys = [item.key for item in items if item]
        if all(k.startswith(CROSSREF_PREFIXES) for k in keys):
            found.append((match.start(), match.end(), RefMark(keys, match.start() + 1, match.group(0))))
        else:
            found.append((match.start(), match.end(), CiteGroup([i for i in items if i], False, match.start() + 1, match.group(0))))
        taken.append((match.start(), match.end()))
    for match in IN_TEXT.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        key = match.group("key")
        if key.startswith(CROSSREF_PREFIXES):
            end = match.start() + len(match.group("minus")) + 1 + len(key)
            found.append((match.start(), end, RefMark([key], match.start() + 1, text[match.start():end])))
            continue
        item = CiteItem(key, suppress_author=bool(match.group("minus")))
        if match.group("suffix") is not None:
            item.locator, item.suffix = _locator(match.group("suffix"))
        found.append((match.start(), match.end(), CiteGroup([item], not item.suppress_author, match.start() + 1, match.group(0))))
    return sorted(found, key=lambda f: f[0])


def _item(part: str) -> CiteItem | None:
    match = ITEM.match(part.strip())
    if not match:
        return None
    locator, suffix = _locator(match.group("suffix"))
    return CiteItem(match.group("key"), match.group("prefix").strip(), suffix, locator, bool(match.group("minus")))


def _locator(suffix: str) -> tuple[tuple[str, str] | None, str]:
    """", p. 14–16, emphasis added" → (("page", "14–16"), ", emphasis added"); else (None, suffix)."""
    match = LOCATOR.match(suffix)
    if not suffix.strip() or not match or not suffix.lstrip().startswith((",", *"0123456789")) and match.group("term") is None:
        return None, suffix.rstrip()
    term = (match.group("term") or "").lower().rstrip(".")
    if term and term not in LOCATOR_TERMS:
        return None, suffix.rstrip()
    return (LOCATOR_TERMS.get(term, "page"), match.group("value")), match.group("rest").rstrip()
