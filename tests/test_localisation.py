"""Narratives in Ukrainian, German and French: every word the product adds, in every built
artefact, is in the narrative's language; file names from titles in any script."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from builders.build import pipeline
from conftest import write_narrative

FORMATS = ["pdf", "pptx", "epub"]
BODY = """\
::: keypoints
- {point}
- {point2}
:::

# {one}

{para}[^1]

::: {{.quote by="{by}" role='{role}'}}
{quote}
:::

![{caption}](images/pic.png){{credit="{credit}"}}

::: timeline
- **1615-03** {event}
- **1720-10-05** {event2}
:::

# {two}

::: {{.callout title='{callout}'}}
{para2}
:::

| {year} | {count} |
|-----:|------:|
| 2020 | 1200.5 |
| 2024 | 1850 |

: {table}

::: {{.chart type="column" title="{chart}" source="{source}"}}
| {year} | {count} |
|-----|-------:|
| 2022 | 1500 |
| 2023 | 2300 |
:::

[^1]: {note}
"""

NARRATIVES = {
    "uk": dict(
        title="Друкарство в Києві", point="Лаврська друкарня працювала з 1615 року.",
        point2="Видавці пережили цензуру.", one="Початки", two="Сучасність",
        para="Перша друкарня в Києві постала при Лаврі. Книжки друкували церковнослов’янською мовою",
        by="Іван Франко", role='письменник, "Каменяр"', quote="Книжка — то міст між поколіннями.",
        caption="Мапа Києва", credit="Архів видавця", event="Заснування друкарні", event2="Указ про заборону",
        callout='Чому це "важливо"', para2="Незалежні видавці формують культуру читання.", year="Рік",
        count="Книжок", table="Кількість книжок", chart="Наклади", source="Книжкова палата",
        note="Заснована архімандритом Єлисеєм Плетенецьким."),
    "de": dict(
        title="Buchdruck in Mainz", point="Gutenberg druckte um 1450 in Mainz.", point2="Die Presse veränderte Europa.",
        one="Anfänge", two="Gegenwart", para="Die erste Druckerei entstand in einem Hof der Stadt",
        by="Johannes Gutenberg", role='Drucker, "Meister"', quote="Das Buch ist eine Brücke.",
        caption="Karte von Mainz", credit="Stadtarchiv", event="Gründung der Werkstatt", event2="Erstes Edikt",
        callout='Warum das "zählt"', para2="Verlage prägen die Lesekultur.", year="Jahr", count="Bücher",
        table="Anzahl der Bücher", chart="Auflagen", source="Börsenverein", note="Nach der Stadtchronik."),
    "fr": dict(
        title="L’imprimerie à Lyon", point="Lyon imprimait dès 1473.", point2="Les libraires ont bravé la censure.",
        one="Origines", two="Aujourd’hui", para="Le premier atelier s’installa rue Mercière",
        by="Étienne Dolet", role='imprimeur, "humaniste"', quote="Le livre est un pont entre les siècles.",
        caption="Plan de Lyon", credit="Archives municipales", event="Premier atelier", event2="Édit royal",
        callout='Pourquoi c’est "important"', para2="Les éditeurs façonnent la lecture.", year="Année",
        count="Livres", table="Nombre de livres", chart="Tirages", source="BnF", note="Selon les registres."),
}
# What each language must show: the running foot, the date, a caption label, the contents' title,
# the deck's key points title; and the quotation marks around a quoted attribute word.
EXPECTED = {
    "uk": {"page": "Сторінка 1 з", "date": "21 лютого 2025", "figure": "Рисунок 1.", "contents": "Зміст",
           "keypoints": "Ключові висновки", "draft": "ЧЕРНЕТКА", "quoted": "«важливо»", "slug": "drukarstvo-v-kyievi"},
    "de": {"page": "Seite 1 von", "date": "21. Februar 2025", "figure": "Abbildung 1:", "contents": "Inhalt",
           "keypoints": "Kernpunkte", "draft": "ENTWURF", "quoted": "„zählt“", "slug": "buchdruck-in-mainz"},
    "fr": {"page": "Page 1 sur", "date": "21 février 2025", "figure": "Figure 1", "contents": "Sommaire",
           "keypoints": "Points clés", "draft": "BROUILLON", "quoted": "«\u202fimportant\u202f»", "slug": "l-imprimerie-a-lyon"},
}
# English the product used to add; none may remain (whole words: French "Tableau" is not "Table").
ENGLISH = ["Briefing", "Key points", "Timeline", "Contents", "Page 1 of", r"Figure 1\.", "Table 1", "Source:",
           "Sources", "The data", r"\(cont\.\)", "Introduction", "Landmarks", "Cover", "Title page", "Start of content",
           "Pages of the PDF edition", "back to the text", "Notes:", "In this part", "highest", "lowest",
           "Column chart", "DRAFT", "February", "Feb", "Mar 1615", "Oct 1720", " and ", "No known hazards"]
# French shares a few of these words with English.
SHARED = {"fr": {"Sources", "Introduction"}}


def english_left(text: str, language: str) -> list[str]:
    allowed = SHARED.get(language, set())
    return [w for w in ENGLISH if w not in allowed and re.search(rf"(?<![\w]){w}(?![\w])", text, re.IGNORECASE)]


def spaced(text: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Each language's narrative built once into all three formats; its file name is only the language."""
    out: dict[str, dict[str, Path]] = {}
    for language, words in NARRATIVES.items():
        folder = tmp_path_factory.mktemp(language)
        authors = "[Олена Коваль, Іван Петренко]" if language == "uk" else "[Anna Weber, Paul Martin]"
        front = f"title: {words['title']}\nauthors: {authors}\ndate: 2025-02-21\nlanguage: {language}\ndraft: true\npdf: {{toc: always}}"
        path = write_narrative(folder, BODY.format(**words), front, name=f"{language}.md")
        artefacts = pipeline.build(path, FORMATS, folder / "out")
        out[language] = {a.format: a.path for a in artefacts}
    return out


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return "\n".join(book.read(n).decode() for n in book.namelist() if n.endswith((".xhtml", ".opf")))


def deck_text(path: Path) -> str:
    texts = []
    for slide in Presentation(str(path)).slides:
        texts.extend(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        texts.append(slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "")
    return "\n".join(texts)


@pytest.mark.parametrize("language", NARRATIVES)
def test_the_pdf_speaks_the_narratives_language(built, language: str) -> None:
    text = spaced(pdf_text(built[language]["pdf"]))
    expected = EXPECTED[language]
    assert not english_left(text, language)
    pages = len(PdfReader(str(built[language]["pdf"])).pages)
    assert f"{expected['page']} {pages}" in text  # the running foot: CSS counters in the language's words
    for key in ("date", "figure", "draft"):  # the draft watermark too
        assert expected[key] in text, key
    for key in ("contents", "keypoints"):  # set in capitals by the theme
        assert expected[key].upper() in text.upper(), key
    assert spaced(expected["quoted"]) in text  # quotes inside an attribute follow the language


@pytest.mark.parametrize("language", NARRATIVES)
def test_the_ebook_speaks_the_narratives_language(built, language: str) -> None:
    text = epub_text(built[language]["epub"])
    visible = spaced(re.sub(r"<[^>]+>", " ", text))
    assert not english_left(visible, language)
    assert not english_left(" ".join(re.findall(r'(?:aria-label|alt)="([^"]*)"', text)), language)
    expected = EXPECTED[language]
    assert expected["date"] in visible and expected["contents"] in visible and expected["figure"] in visible


@pytest.mark.parametrize("language", NARRATIVES)
def test_the_deck_speaks_the_narratives_language(built, language: str) -> None:
    text = spaced(deck_text(built[language]["pptx"]))
    assert not english_left(text, language)
    expected = EXPECTED[language]
    assert expected["keypoints"] in text and expected["date"] in text


@pytest.mark.parametrize("language", NARRATIVES)
def test_files_are_named_from_the_title_transliterated(built, language: str) -> None:
    assert {p.name for p in built[language].values()} == {EXPECTED[language]["slug"] + s for s in (".pdf", ".pptx", ".epub")}


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builders.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_an_unsupported_language_builds_in_english_and_warns_at_its_line(tmp_path: Path) -> None:
    path = write_narrative(tmp_path, "::: keypoints\n- 一つ目。\n:::\n\n# 見出し\n\n本文。\n",
                           "title: 印刷の歴史\ndate: 2025-02-21\nlanguage: ja")
    result = _cli("build", str(path), "--format", "pdf", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r'doc\.md:4:11: .*language "ja" has no catalogue', result.stdout + result.stderr)
    [pdf] = (tmp_path / "out").glob("*.pdf")
    text = pdf_text(pdf)
    assert "Page 1 of 1" in text and "21 February 2025" in text


def test_slug_in_the_front_matter_names_the_files_and_a_bad_one_is_located(tmp_path: Path) -> None:
    path = write_narrative(tmp_path, "Text.\n", "title: Друкарство\nlanguage: uk\nslug: print-history_2025")
    assert _cli("build", str(path), "--format", "pdf", "--out", "out", cwd=tmp_path).returncode == 0
    assert [p.name for p in (tmp_path / "out").glob("*.pdf")] == ["print-history_2025.pdf"]
    bad = write_narrative(tmp_path / "bad", "Text.\n", "title: Друкарство\nlanguage: uk\nslug: Друкарство Києва")
    result = _cli("build", str(bad), "--format", "pdf", "--out", "out", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r'doc\.md:4:7: slug: "Друкарство Києва" cannot name files.*"drukarstvo-kyieva"', result.stderr)
    assert not (tmp_path / "out" / "drukarstvo.pdf").exists()


def test_a_theme_overrides_labels_per_language_and_bad_labels_are_located(tmp_path: Path) -> None:
    theme = tmp_path / "themes" / "house"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: house\nextends: default\nlabels:\n  uk:\n    briefing: Огляд\n"
                                      "    page_of: \"{page} / {pages}\"\n", encoding="utf-8")
    path = write_narrative(tmp_path, "# Розділ\n\nТекст.\n", "title: Звіт\ndate: 2025-02-21\nlanguage: uk\ntheme: house")
    assert _cli("build", str(path), "--format", "pdf", "--out", "out", cwd=tmp_path).returncode == 0
    text = pdf_text(next((tmp_path / "out").glob("*.pdf")))
    assert "Огляд" in text and "1 / 1" in text and "Аналітична записка" not in text
    (theme / "theme.yaml").write_text("name: house\nextends: default\nlabels:\n  uk:\n    contnets: Зміст\n"
                                      "    page_of: \"{page} з {total}\"\n", encoding="utf-8")
    result = _cli("build", str(path), "--format", "pdf", "--out", "out2", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r'theme\.yaml:5:5: labels\.uk: unknown label "contnets" \(did you mean "contents"\?\)', result.stderr)
    assert re.search(r"theme\.yaml:6:14: labels\.uk\.page_of: may use \{page\}, \{pages\}", result.stderr)
