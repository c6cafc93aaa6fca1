"""A number and its unit, a range, a sign and its number never break across lines — in the PDF,
the e-book and the deck, in every language — and the author's words read back unchanged."""

from __future__ import annotations

import subprocess
import zipfile

import pytest
from pptx import Presentation

from builders.build import pipeline
from builders.reading.unbreakable import WJ, joined
from conftest import write_narrative

FILLER = ("grid storage capacity reservoir interconnector transmission auction tariff regulator municipal "
          "turbine substation household consumption winter demand balancing").split()
SENTENCES = {
    "en": ("The corridor is ~90–100 km long and was built 1990–1995 (see pp. 12–15 and § 5). Losses fell "
           "10 – 20 % while prices rose by $1.5 billion, or € 300 million, at 17 °C.",
           ["~90–100 km", "1990–1995", "pp. 12–15", "§ 5", "10 – 20 %", "$1.5 billion", "€ 300 million", "17 °C"]),
    "de": ("Der Korridor ist ~90–100 km lang und wurde 1990–1995 gebaut (siehe S. 12–15 und § 5). Die Verluste "
           "sanken um 10–20 % bei Kosten von 1,5 Mrd. € und 300 Mio. € für 12 MW.",
           ["~90–100 km", "1990–1995", "S. 12–15", "§ 5", "10–20 %", "1,5 Mrd. €", "300 Mio. €", "12 MW"]),
    "fr": ("Le corridor mesure ~90–100 km et fut construit en 1990–1995 (voir p. 12–15 et § 5). Les pertes ont "
           "baissé de 10 – 20 % pour 300 millions €, soit 17 °C et 1 500 000 km.",
           ["~90–100 km", "1990–1995", "p. 12–15", "§ 5", "10 – 20 %", "300 millions €", "17 °C", "1 500 000 km"]),
    "uk": ("Коридор завдовжки ~90–100 км збудовано у 1990–1995 рр. (див. с. 12–15 та § 5); втрати впали на "
           "10–20 %, а витрати сягнули 1,5 млрд грн.",
           ["~90–100 км", "1990–1995 рр.", "с. 12–15", "§ 5", "10–20 %", "1,5 млрд грн"]),
}
REPEATS = 24


def body(language: str) -> str:
    sentence = SENTENCES[language][0]
    # A different number of words before each sentence moves every phrase along the line.
    paragraphs = [" ".join(FILLER[: 1 + i % len(FILLER)]).capitalize() + ". " + sentence for i in range(REPEATS)]
    return "# One\n\n" + "\n\n".join(paragraphs[:12]) + "\n\n# Two\n\n" + "\n\n".join(paragraphs[12:]) + "\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    out = {}
    for language in SENTENCES:
        folder = tmp_path_factory.mktemp(language)
        source = write_narrative(folder / "src", body(language), f"title: Ranges {language}\ndate: 2025-03-01\nlanguage: {language}")
        paths = {a.path.suffix: a.path for a in pipeline.build(source, ["pdf", "epub", "pptx"], folder / "out")}
        lines = subprocess.run(["pdftotext", str(paths[".pdf"]), "-"], capture_output=True, text=True, check=True).stdout.splitlines()
        with zipfile.ZipFile(paths[".epub"]) as book:
            xhtml = "\n".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
        deck = Presentation(str(paths[".pptx"]))
        slides = [p.text for s in deck.slides for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs]
        notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
        out[language] = {"lines": lines, "xhtml": xhtml, "slides": slides, "notes": notes}
    return out


@pytest.mark.parametrize("language", SENTENCES)
def test_no_range_or_amount_breaks_across_lines_in_print(built, language):
    lines = built[language]["lines"]
    whole = " ".join(" ".join(line.split()) for line in lines)
    for phrase in SENTENCES[language][1]:
        assert whole.count(phrase) == REPEATS, f"{phrase!r} reads back as written"
        on_one_line = sum(" ".join(line.split()).count(phrase) for line in lines)
        assert on_one_line == REPEATS, f"{phrase!r} broke across lines {REPEATS - on_one_line} times"


@pytest.mark.parametrize("language", SENTENCES)
def test_the_e_book_holds_each_on_one_line_and_keeps_the_words_as_written(built, language):
    xhtml = built[language]["xhtml"]
    assert WJ not in xhtml
    for phrase in SENTENCES[language][1]:
        assert f'<span class="nobr">{phrase}' in xhtml.replace("&amp;", "&"), phrase


@pytest.mark.parametrize("language", SENTENCES)
def test_the_deck_joins_with_no_break_spaces_and_no_hidden_characters(built, language):
    texts = built[language]["slides"] + built[language]["notes"]
    assert not any(WJ in t for t in texts)
    shown = " ".join(built[language]["slides"])
    for phrase in SENTENCES[language][1]:
        if phrase.replace(" ", "\u00a0") in shown or phrase in shown:
            assert phrase.replace(" ", "\u00a0") in shown, f"{phrase!r} may break on the slide"


def test_joining_changes_no_character_of_the_authors_text_and_is_idempotent():
    for sentence, _ in SENTENCES.values():
        once = joined(sentence)
        assert once != sentence and once.replace(WJ, "") == sentence and joined(once) == once
    assert joined("12 months, F-16 jets, 2020 300 people") == "12 months, F-16 jets, 2020 300 people"
