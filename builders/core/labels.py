"""The narrative's own language for every word, date and number the product adds (CLDR via Babel).

    labels = Labels("uk")                 # or Labels(meta.language, theme.labels)
    labels("figure")                      # "Рисунок"
    labels("page_of", page=1, pages=3)    # "Сторінка 1 з 3"
    labels.date(dt.date(2025, 2, 21))     # "21 лютого 2025 р."
    label("de", "table_ref")              # "Tabelle": a cross-reference's prefix ("@tbl:id")

A language the catalogue does not ship gets English words and English dates (the reader warns,
located, at the front matter's `language:`); a theme may override any label per language.
"""

from __future__ import annotations

import datetime as dt
import string
from functools import lru_cache
from typing import Any, Mapping

from .catalogue import CATALOGUE
from .writing import direction

FALLBACK = "en"
KEYS: frozenset[str] = frozenset(CATALOGUE[FALLBACK])
LANGUAGES: tuple[str, ...] = tuple(sorted(CATALOGUE))
# English without a region keeps the day-month-year dates briefings used before (21 February 2025);
# en-US, en-AU … get their own region's CLDR forms.
DEFAULT_REGION = {"en": "en_GB"}


def primary(language: str) -> str:
    """The primary subtag of a BCP 47 tag: "uk" for "uk-UA"."""
    return language.split("-")[0].lower()


def is_supported(language: str) -> bool:
    """Whether the catalogue has the words of `language` (any region of it)."""
    return primary(language) in CATALOGUE


def fields(pattern: str) -> set[str]:
    """The named fields of a label ("Page {page} of {pages}" → {"page", "pages"}).

    ValueError for anything but plain {name} fields: a theme's label must not reach into
    attributes ({n.__class__}), positions ({}) or formats ({n:>9999999}).
    """
    names = set()
    for _, name, spec, conversion in string.Formatter().parse(pattern):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"{{{name}}} is not a plain field")
        names.add(name)
    return names


class Labels:
    """The words of one language, a theme's overrides first; dates and numbers in its CLDR forms."""

    def __init__(self, language: str, overrides: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.language = language
        self.supported = is_supported(language)
        code = primary(language) if self.supported else FALLBACK
        theme = overrides or {}
        # A theme's words for this exact tag win over those for its primary language.
        self.words = {**CATALOGUE[code], **theme.get(code, {}), **(theme.get(language, {}) if language != code else {})}
        self.locale = _locale(language if self.supported else FALLBACK)
        # English words in a right-to-left narrative (Arabic, Persian …, no catalogue yet) are
        # isolated runs (U+2066 … U+2069): else the bidi algorithm sets "12 May 2024" as "May 2024 12".
        self._isolate = not self.supported and direction(language) == "rtl"

    def __call__(self, key: str, **values: Any) -> str:
        """The label `key`, its {fields} filled from `values`."""
        pattern = self.words[key]  # a KeyError is a bug in the caller: every key is in English
        return self._run(pattern.format(**values) if values else pattern)

    def date(self, date: dt.date) -> str:
        """A full date: "21 February 2025", "21. Februar 2025", "21 лютого 2025 р."."""
        from babel.dates import format_date

        return self._run(format_date(date, "long", locale=self.locale))

    def month(self, date: dt.date) -> str:
        """A month and year, abbreviated: "Feb 2025", "févr. 2025"."""
        from babel.dates import format_skeleton

        return self._run(format_skeleton("yMMM", date, locale=self.locale))

    def day(self, date: dt.date) -> str:
        """A day, month and year, abbreviated: "21 Feb 2025", "21. Feb. 2025"."""
        from babel.dates import format_skeleton

        return self._run(format_skeleton("yMMMd", date, locale=self.locale))

    def _run(self, text: str) -> str:
        return f"\u2066{text}\u2069" if self._isolate and text else text

    def when(self, written: str, date: dt.date) -> str:
        """A date as precise as the author wrote it (2020-08-09, 2020-08, 2020): "9 Aug 2020", "Aug 2020", "2020"."""
        if len(written) == 10:
            return self.day(date)
        if len(written) == 7:
            return self.month(date)
        return written

    def names(self, names: list[str]) -> str:
        """Names joined as the language lists them: "A, B and C", "A, B und C", "A, B і C"."""
        from babel.lists import format_list

        return format_list(names, locale=self.locale) if names else ""

    def number(self, value: float) -> str:
        """A number with the language's separators, every digit kept: "1,000.5", "1 000,5"."""
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale, decimal_quantization=False)


    def percent(self, share: float) -> str:
        """A share as a whole percentage: "35%", "35 %", "35\u00a0%"."""
        from babel.numbers import format_percent

        return format_percent(share, locale=self.locale)


def label(language: str, key: str, **values: Any) -> str:
    """One catalogue label in `language` (English for a language the catalogue lacks), no theme."""
    return _plain(language)(key, **values)


@lru_cache(maxsize=32)
def _plain(language: str) -> Labels:
    return Labels(language)


@lru_cache(maxsize=32)
def _locale(language: str) -> Any:
    from babel import Locale, UnknownLocaleError

    tag = DEFAULT_REGION.get(language.lower(), language)
    for candidate in (tag, primary(tag)):
        try:
            return Locale.parse(candidate.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(DEFAULT_REGION[FALLBACK])
