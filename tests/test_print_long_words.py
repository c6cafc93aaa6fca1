"""Words longer than the line stay on the page: German compounds in the title and headings are
hyphenated; a table of web addresses stays upright, each address reads back whole and a
short word beside it is not split. Read back from the built PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from builders.build import pipeline
from conftest import write_narrative

TITLE = "Die Zukunft der Übertragungsnetzbetreiber und Energiewirtschaftsgesetzgebungsverfahren"
HEADING = "Donaudampfschifffahrtsgesellschaftskapitänsmützen"
PROSE = ("Die Übertragungsnetzbetreiber melden der Bundesnetzagentur ihre Kapazitätsreserven, und das "
         "Energiewirtschaftsgesetz regelt die Versorgungssicherheit im Winter. ") * 8
URL = "https://www.example-statistics-agency.europa.eu/eurostat/databrowser/view/nrg_cb_e_{}/default/table?lang=en&category=nrg.nrg_quant"


def build(folder: Path, body: str, front: str, theme: str = "default") -> list[dict]:
    source = write_narrative(folder / "src", body, front)
    [artefact] = pipeline.build(source, ["pdf"], folder / "out", theme_name=theme)
    with pdfplumber.open(artefact.path) as pdf:
        return [{"width": float(p.width), "height": float(p.height), "chars": p.chars, "text": p.extract_text() or "",
                 "words": p.extract_words()} for p in pdf.pages]


@pytest.mark.parametrize("theme", ["default", "contrast"])
def test_german_compounds_in_title_and_headings_stay_on_the_page(tmp_path, theme):
    body = "\n\n".join(f"# Kapitel {n}: {HEADING}\n\n{PROSE}" for n in range(1, 4))
    pages = build(tmp_path, body, f"title: {TITLE}\ndate: 2025-03-01\nlanguage: de", theme)
    for number, page in enumerate(pages, 1):
        ink = [c for c in page["chars"] if c["text"].strip()]
        assert max(float(c["x1"]) for c in ink) <= page["width"] - 14, f"page {number}: text at the page's edge"
    # Read back as the independent check does: the hyphens a line break added are ASCII ones.
    text = re.sub(r"[\s-]+", "", " ".join(p["text"] for p in pages))
    assert re.sub(r"\s+", "", TITLE) in text and text.count(HEADING) == 3


def test_a_table_of_web_addresses_stays_upright_and_each_reads_back_whole(tmp_path):
    rows = "\n".join(f"| Report {r} | {URL.format(r)} | checked by the regulator |" for r in range(6))
    body = f"# Sources of data\n\n{PROSE}\n\n| Source | Address | Note |\n|:--|:--|:--|\n{rows}\n\nTable: Addresses\n\n{PROSE}\n"
    source = write_narrative(tmp_path / "src", body, "title: Addresses\ndate: 2025-03-01")
    [artefact] = pipeline.build(source, ["pdf"], tmp_path / "out")
    with pdfplumber.open(artefact.path) as pdf:
        assert all(p.width < p.height for p in pdf.pages), "a three-column table stays upright"
        [page] = [p for p in pdf.pages if "Table 1. Addresses" in (p.extract_text() or "")]
        words = page.extract_words()
        left = next(w["x0"] for w in words if w["text"] == "Address")
        right = next(w["x0"] for w in words if w["text"] == "Note")
        column = "".join((page.crop((left - 1, 0, right - 1, page.height)).extract_text() or "").split())
        sources = [w["text"] for w in words if w["text"].startswith("Repor")]
    assert sources == ["Report"] * 6, "a short word beside a long address is never split"
    for r in range(6):
        assert URL.format(r) in column, "each address reads back whole, nothing added"
