"""The one slug function: readable ASCII names from text in any script (file names, ids)."""

from __future__ import annotations

import re

from .labels import primary

# A `slug:` the author writes is used as the file name as it is: plain, portable characters only.
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
ELIDING = {"fr", "it", "ca"}  # l’été, dell’anno: the apostrophe joins two words, it is not a possessive
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def slugify(text: str, language: str = "", max_length: int = 0) -> str:
    """Lowercase words joined by hyphens, transliterated to ASCII ("" only when `text` holds no
    letter or digit in any script): "Друкарство в Києві" → "drukarstvo-v-kyievi".

    Ukrainian goes through its official romanisation (KMU 2010: и → y, є → ie, Київ → Kyiv),
    which the generic transliteration (text-unidecode, read as Russian) gets wrong; every other
    language through python-slugify's text-unidecode. `max_length` cuts at a word boundary.
    """
    from slugify import slugify as library_slugify

    if primary(language) == "uk":
        import translitua

        text = translitua.translit(text)
    if primary(language) in ELIDING:
        text = text.replace("’", " ").replace("'", " ")
    return library_slugify(text, max_length=max_length, word_boundary=bool(max_length), save_order=True)


def slug_problem(value: str, language: str = "") -> str:
    """Why `value` cannot name files ("" when it can), with a usable suggestion."""
    if SLUG.match(value) and value.split(".")[0].lower() not in RESERVED and not value.endswith("."):
        return ""
    suggestion = slugify(value, language, max_length=60)
    usable = suggestion and SLUG.match(suggestion) and suggestion.split(".")[0] not in RESERVED
    hint = f' (e.g. "{suggestion}")' if usable else ""
    return f'"{value}" cannot name files: use letters, digits, "-", "_" and "." (up to 100){hint}'
