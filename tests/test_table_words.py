"""Words in a printed table stay words: a narrow column hyphenates only long words, never breaks
a name without a hyphen, and an address breaks without taking a hyphen that is not in it."""

from __future__ import annotations

import pdfplumber

from builders.build import pipeline

URL = "https://www.example.org/a/very/long/path/that/goes/on/and/on/without/any/natural/break/points/index.html"
TABLE = """
| Country | Population (m) | Irrigated land (kha) | Share of basin water (%) | Hydropower (TWh) | Main crop | Notes |
|---|--:|--:|--:|--:|---|---|
| Kazakhstan | 19.6 | 1,420 | 12 | 9.1 | Wheat, rice | Downstream on the Syr Darya; depends on releases from Toktogul |
| Kyrgyzstan | 6.9 | 1,020 | 4 | 13.9 | Cotton, fodder | Upstream; Toktogul reservoir operator |
| Tajikistan | 10.1 | 742 | 11 | 20.4 | Cotton | Upstream; Nurek and Rogun |
| Turkmenistan | 6.4 | 1,990 | 22 | 0 | Cotton, wheat | Karakum canal takes much of the Amu Darya, see https://example.org/karakum/canal/report.pdf |
| Uzbekistan | 36.0 | 4,300 | 51 | 6.8 | Cotton, wheat | Largest user by far |

Table: Basin figures, rounded.
"""


def test_names_in_a_narrow_column_stay_whole_and_addresses_take_no_hyphen(narrative, tmp_path):
    path = narrative(f"# Water\n\nIrrigation withdrew about 100 km³ a year (see {URL} for the data).\n\n{TABLE}")
    pipeline.build(path, ["pdf"], tmp_path / "out")
    with pdfplumber.open(tmp_path / "out" / "doc.pdf") as pdf:
        words = [w["text"] for page in pdf.pages for w in page.extract_words()]
        text = "".join("".join(page.extract_text().split()) for page in pdf.pages)
    for name in ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "Population", "Hydropower"]:
        assert name in words, (name, [w for w in words if w[:4] == name[:4]])
    # Lines joined without their spaces: the address reads back as written, with no hyphen added.
    assert URL in text and "https://example.org/karakum/canal/report.pdf" in text
