"""The catalogue of the words the product adds, and the one slug function."""

from __future__ import annotations

import datetime as dt

import pytest

from builders.core.catalogue import CATALOGUE
from builders.core.labels import KEYS, Labels, fields, is_supported, label
from builders.core.slugs import slug_problem, slugify

SHIPPED = ["en", "de", "fr", "es", "it", "pl", "ru", "uk", "be"]


@pytest.mark.parametrize("language", SHIPPED)
def test_every_language_has_every_label_with_the_same_fields(language: str) -> None:
    words = CATALOGUE[language]
    assert set(words) == KEYS
    for key, pattern in words.items():
        assert fields(pattern) == fields(CATALOGUE["en"][key]), (language, key)
        assert pattern.strip(), (language, key)


@pytest.mark.parametrize("language", [lang for lang in SHIPPED if lang != "en"])
def test_a_translation_is_a_translation(language: str) -> None:
    """Words a reader sees differ from the English ones (a copied English value is a gap)."""
    same = [k for k in ("briefing", "keypoints", "contents", "page_of", "chart_data", "a11y_summary")
            if CATALOGUE[language][k] == CATALOGUE["en"][k]]
    assert not same, f"{language}: {same}"


def spaced(text: str) -> str:
    """CLDR sets no-break spaces (narrow ones too) where a plain space is written here."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_labels_fill_their_fields_and_dates_follow_cldr() -> None:
    day = dt.date(2025, 2, 21)
    uk = Labels("uk-UA")
    assert uk("page_of", page=1, pages=3) == "Сторінка 1 з 3"
    assert spaced(uk.date(day)) == "21 лютого 2025 р."
    assert Labels("de").date(day) == "21. Februar 2025"
    assert Labels("fr").date(day) == "21 février 2025"
    assert Labels("en").date(day) == "21 February 2025"
    assert Labels("en-US").date(day) == "February 21, 2025"
    assert spaced(Labels("fr").number(1234.5)) == "1 234,5"
    assert label("de", "table_ref") == "Tabelle" and label("uk", "figure") == "Рисунок"


def test_an_unsupported_language_gets_english_words_and_dates() -> None:
    ja = Labels("ja")
    assert not is_supported("ja") and not ja.supported
    assert ja("contents") == "Contents" and ja.date(dt.date(2025, 2, 21)) == "21 February 2025"


def test_a_theme_overrides_a_label_per_language() -> None:
    overrides = {"uk": {"briefing": "Огляд"}, "uk-UA": {"contents": "Зміст звіту"}, "de": {"briefing": "Lagebild"}}
    assert Labels("uk", overrides)("briefing") == "Огляд"
    assert Labels("uk-UA", overrides)("contents") == "Зміст звіту"
    assert Labels("uk", overrides)("contents") == "Зміст"
    assert Labels("en", overrides)("briefing") == "Briefing"


@pytest.mark.parametrize(("title", "language", "slug"), [
    ("Друкарство в Києві", "uk", "drukarstvo-v-kyievi"),  # KMU 2010, Ukraine's official romanisation
    ("Как Лукашенко помог России", "ru", "kak-lukashenko-pomog-rossii"),
    ("Über die Brücke", "de", "uber-die-brucke"),
    ("L’été de la « guerre »", "fr", "l-ete-de-la-guerre"),
    ("Zażółć gęślą jaźń", "pl", "zazolc-gesla-jazn"),
])
def test_slugs_transliterate_any_script(title: str, language: str, slug: str) -> None:
    assert slugify(title, language) == slug


def test_slug_problems_suggest_a_usable_name() -> None:
    assert slug_problem("report-2024_v2") == ""
    assert '"mii-zvit"' in slug_problem("Мій звіт")
    assert slug_problem("con") and slug_problem("../up") and slug_problem("")
