"""How a narrative's language is written: left to right or right to left (CLDR, through Babel)."""

from __future__ import annotations

from functools import lru_cache

# Scripts written right to left (ISO 15924), for a tag CLDR does not know but whose script subtag
# says it (e.g. a made-up "xx-Arab"): Arabic, Hebrew, Syriac, Thaana, N'Ko, Adlam, Hanifi Rohingya,
# Mandaic, Samaritan.
RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand", "samr"})


@lru_cache(maxsize=64)
def direction(language: str) -> str:
    """"rtl" for a language written right to left (ar, he, fa, ur, az-Arab …), else "ltr"."""
    from babel import Locale, UnknownLocaleError

    subtags = [s.lower() for s in language.replace("_", "-").split("-") if s]
    if any(len(s) == 4 and s in RTL_SCRIPTS for s in subtags[1:]):
        return "rtl"
    try:
        order = Locale.parse(language.replace("-", "_")).character_order
    except (UnknownLocaleError, ValueError, TypeError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"
