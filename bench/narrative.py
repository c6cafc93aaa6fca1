"""Deterministic synthetic narratives for the benchmark.

Every word comes from the fixed lists below and a seeded `random.Random`, so the same
size and seed always give the same file, byte for byte. The Markdown stays inside the
subset Pandoc also reads: YAML front matter, ATX headings with `{#id}`, footnotes, pipe
tables with a `Table:` caption after them, images with `{alt=… credit=…}` alone in a
paragraph, and fenced divs.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

# Plain, neutral vocabulary (no copyrighted text): function words appear more often so
# lines break and hyphenate roughly like English prose.
FUNCTION = ("the the the of of and and to to in in a a that is for on with as by was are "
            "from at this which it be or its has had not were their but an also more than "
            "between after before over under into most these those while").split()
CONTENT = """
administration agreement allocation analysis approach assessment authority balance border
budget capacity category challenge coalition commitment committee community comparison
concern conference consequence constitution consultation contract corridor council
coverage crisis currency decision defence delegation deployment development dialogue
distribution district doctrine economy election emphasis energy enterprise environment
estimate evidence exchange exercise expansion expenditure experience export facility
framework frontier funding government guidance harbour household implication import
incentive income industry influence infrastructure initiative institution instrument
integration intervention investment judgement landscape legislation leverage logistics
majority mandate manufacturing measure mechanism mediator membership migration ministry
minority mission negotiation network neutrality obligation observer operation opposition
outcome parliament partnership pipeline platform policy population position potash
pressure priority procedure production programme province railway reform region
regulation relationship reliance report representative reserve resilience resource
response revenue review river sanction schedule security settlement signal sovereignty
stability statement strategy structure subsidy supply surveillance tariff territory
threshold transit treasury treaty uncertainty valley verification volume warehouse
accepted adopted announced approved argued assessed balanced blocked calculated changed
closed committed compared concluded confirmed considered continued coordinated declared
delivered described designed determined developed directed documented doubled enabled
encouraged established estimated expanded expected extended financed followed funded
granted improved increased indicated introduced launched limited maintained measured
monitored negotiated observed opened organised outlined permitted planned prepared
presented produced proposed protected provided published raised recorded reduced
reflected reinforced rejected released remained reported required restored reviewed
secured signed strengthened suggested supported sustained tested tracked transferred
additional annual central civilian coastal collective commercial comparable complex
considerable consistent critical decisive domestic eastern economic effective
electoral essential european external federal financial formal gradual historical
independent industrial informal internal international joint limited local long-term
military modest multilateral national northern official operational parliamentary
partial political practical principal provisional public rapid regional relative
reliable rural seasonal secondary significant southern stable strategic structural
substantial technical temporary territorial uneven urban western
""".split()
NAMES = ("Alder Brannock Corvin Dalmar Elsworth Fennick Garrow Halvard Isarn Jessop Kelby "
         "Lorimer Marwick Norland Orrin Pellam Quenby Rosmer Stannard Tarvin Ulwen Varrick "
         "Wendell Yarrow").split()
GIVEN = ("Ada Bram Cecily Dorian Edith Florin Greta Hollis Ines Jonah Kira Linus Mara "
         "Nils Odile Piet Rhea Silas Tova Uma Vera Wim").split()
BODIES = ("Institute for Regional Studies", "Centre for Transit Policy", "Council on Border Affairs",
          "Observatory of Public Finance", "Forum for Security Dialogue", "Bureau of Economic Review")
PLACES = ("Arnholt Brevik Calder Dunmore Eskfield Farrow Glenmere Harwick Ivesby Kelross "
          "Lindholm Marrow Northby Oakhurst Pellow Ravensmere Stellan Thornby").split()
UNITS = ("million", "billion", "tonnes", "km", "per cent", "days", "units")

IMAGES = ("chart-bars.png", "chart-lines.png", "map-grid.png", "diagram-flow.png")
WORDS_PER_SECTION = 1400


@dataclass
class Narrative:
    path: Path
    words: int  # words in paragraphs (what `triptych check` counts); 0 for the copied sample
    footnotes: int
    figures: int
    tables: int
    quotes: int
    timelines: int


class _Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = 0
        self.notes: list[str] = []

    # ------------------------------------------------------------ text
    def word(self) -> str:
        return self.rng.choice(FUNCTION) if self.rng.random() < 0.42 else self.rng.choice(CONTENT)

    def sentence(self, lo: int = 9, hi: int = 24, count: bool = True) -> str:
        n = self.rng.randint(lo, hi)
        words = [self.word() for _ in range(n)]
        if self.rng.random() < 0.25:
            words[self.rng.randrange(n)] = self.rng.choice(PLACES)
        if self.rng.random() < 0.15:
            words.insert(self.rng.randrange(1, n), f"{self.rng.randint(2, 950)} {self.rng.choice(UNITS)}")
        if n > 12 and self.rng.random() < 0.35:
            words[self.rng.randrange(4, n - 3)] += ","
        if count:
            self.words += len(" ".join(words).split())
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def title(self, lo: int = 2, hi: int = 5) -> str:
        words = [self.rng.choice(CONTENT) for _ in range(self.rng.randint(lo, hi))]
        return " ".join(words).capitalize()

    def person(self) -> str:
        return f"{self.rng.choice(GIVEN)} {self.rng.choice(NAMES)}"

    def footnote(self) -> str:
        number = len(self.notes) + 1
        body = f"{self.person()}, {self.rng.choice(BODIES)}, report of {self.rng.randint(2001, 2023)}. " + \
            " ".join(self.sentence(6, 18, count=False) for _ in range(self.rng.randint(1, 2)))
        self.notes.append(f"[^n{number}]: {body}")
        return f"[^n{number}]"

    def paragraph(self, lo: int = 3, hi: int = 7, notes: float = 0.3) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(lo, hi))]
        i = self.rng.randrange(len(sentences))
        roll = self.rng.random()
        if roll < 0.12:
            words = sentences[i].split()
            k = self.rng.randrange(len(words) - 1)
            words[k] = f"*{words[k]}*"
            sentences[i] = " ".join(words)
        elif roll < 0.2:
            words = sentences[i].split()
            k = self.rng.randrange(len(words) - 1)
            words[k] = f"**{words[k]}**"
            sentences[i] = " ".join(words)
        elif roll < 0.26:
            words = sentences[i].split()
            k = self.rng.randrange(len(words) - 1)
            words[k] = f"[{words[k]}](https://example.org/ref/{self.rng.randint(100, 999)})"
            sentences[i] = " ".join(words)
        if self.rng.random() < notes:
            j = self.rng.randrange(len(sentences))
            sentences[j] += self.footnote()
        return " ".join(sentences)

    # ------------------------------------------------------------ blocks
    def keypoints(self) -> str:
        items = [f"- {self.sentence(12, 26, count=False)}" for _ in range(5)]
        return "::: keypoints\n" + "\n".join(items) + "\n:::"

    def quote(self) -> str:
        return (f'::: {{.quote by="{self.person()}" role="{self.rng.choice(BODIES)}"}}\n'
                f"{self.sentence(14, 32)} {self.sentence(8, 20)}\n:::")

    def timeline(self, start_year: int) -> str:
        year, month = start_year, self.rng.randint(1, 6)
        items = []
        for _ in range(self.rng.randint(6, 10)):
            month += self.rng.randint(1, 3)
            if month > 12:
                year, month = year + 1, month - 12
            if self.rng.random() < 0.5:
                when = f"{year}-{month:02d}-{self.rng.randint(1, 28):02d}"
            else:
                when = f"{year}-{month:02d}"
            items.append(f"- **{when}** {self.sentence(7, 16, count=False)}")
        return "::: timeline\n" + "\n".join(items) + "\n:::"

    def table(self) -> str:
        rows = ["| Indicator | Value | Note |", "|:----------|------:|:-----|"]
        for _ in range(self.rng.randint(4, 8)):
            label = self.title(2, 4)
            value = f"{self.rng.randint(1, 999):,}.{self.rng.randint(0, 9)} {self.rng.choice(UNITS)}"
            note = self.sentence(3, 8, count=False).rstrip(".")
            rows.append(f"| {label} | {value} | {note} |")
        return "\n".join(rows) + f"\n\nTable: {self.title(3, 6)}"

    def figure(self, index: int) -> str:
        name = IMAGES[index % len(IMAGES)]
        caption = self.sentence(8, 16, count=False)
        alt = self.sentence(10, 20, count=False)
        credit = f"{self.rng.choice(BODIES)}. Synthetic illustration."
        return f'![{caption}](images/{name}){{alt="{alt}" credit="{credit}"}}'

    def callout(self) -> str:
        return (f'::: {{.callout title="{self.title(2, 4)}"}}\n{self.paragraph(2, 4, notes=0)}\n\n'
                f"{self.paragraph(2, 3, notes=0)}\n:::")

    def notes_block(self) -> str:
        return f"::: notes\n{self.paragraph(2, 4, notes=0)}\n:::"

    def only(self) -> str:
        return f'::: {{.only formats="pdf,epub"}}\n{self.paragraph(3, 5, notes=0)}\n:::'

    def bullets(self) -> str:
        return "\n".join(f"- {self.sentence(6, 16, count=False)}" for _ in range(self.rng.randint(3, 5)))


def front_matter(label: str, words: int) -> str:
    return f"""---
title: Synthetic briefing of about {words:,} words
subtitle: Generated deterministically for the triptych benchmark ({label})
short-title: Synthetic briefing {label}
authors:
  - name: Bench Generator
    affiliation: Triptych Benchmark
date: 2024-08-26
language: en
summary: A synthetic narrative assembled from a fixed word list by a seeded random generator. It exercises footnotes, pull quotes, timelines, tables, figures, callouts, speaker notes and per-format blocks at a realistic density, so build times can be compared across tools.
keywords: [benchmark, synthetic, triptych]
publisher: Triptych Benchmark
theme: default
---
"""


def generate(directory: Path, target_words: int, label: str, seed: int = 7) -> Narrative:
    """Write `directory/<label>.md` of about `target_words` words plus its images."""
    directory.mkdir(parents=True, exist_ok=True)
    write_images(directory / "images")
    w = _Writer(seed * 1_000_003 + target_words)
    parts: list[str] = [front_matter(label, target_words), w.keypoints()]
    counts = dict(figures=0, tables=0, quotes=0, timelines=0)
    section = 0
    # Leave room for the sources list at the end.
    while w.words < target_words - 60:
        section += 1
        parts.append(f"# {w.title()} {{#sec-{section}}}")
        budget = w.words + min(WORDS_PER_SECTION, target_words - 60 - w.words)
        parts.append(w.paragraph())
        subsection = 0
        while w.words < budget:
            subsection += 1
            parts.append(f"## {w.title()} {{#sec-{section}-{subsection}}}")
            for _ in range(w.rng.randint(2, 4)):
                parts.append(w.paragraph())
            if subsection == 1:
                parts.append(w.quote())
                counts["quotes"] += 1
            if subsection == 1 and section % 2 == 1:
                parts.append(w.timeline(2000 + section % 20))
                counts["timelines"] += 1
            if subsection == 2 and section % 2 == 0:
                parts.append(w.table())
                counts["tables"] += 1
            if subsection == 2 and section % 3 != 0:
                parts.append(w.figure(counts["figures"]))
                counts["figures"] += 1
            if subsection == 2 and section % 3 == 0:
                parts.append(f"### {w.title()} {{#sec-{section}-{subsection}-a}}")
                parts.append(w.paragraph())
                parts.append(w.bullets())
                parts.append(w.paragraph())
            if subsection == 3 and section % 3 == 1:
                parts.append(w.callout())
            if subsection == 3 and section % 4 == 2:
                parts.append(w.only())
            parts.append(w.paragraph())
        parts.append(w.notes_block())
    parts.append("# Sources {#sources}")
    sources = [f"- {w.rng.choice(BODIES)}, {w.title(3, 6).lower()}, {w.rng.randint(2001, 2023)}."
               for _ in range(8)]
    parts.append("::: sources\n" + "\n".join(sources) + "\n:::")
    parts.extend(w.notes)
    path = directory / f"{label}.md"
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return Narrative(path, w.words, len(w.notes), **counts)


def copy_sample(source_dir: Path, directory: Path) -> Narrative:
    """The repository's sample narrative and its images, copied as they are."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source_dir / "briefing.md", directory / "briefing.md")
    shutil.copytree(source_dir / "images", directory / "images", dirs_exist_ok=True)
    text = (directory / "briefing.md").read_text(encoding="utf-8")
    return Narrative(directory / "briefing.md", 0, text.count("\n[^"), text.count("\n!["),
                     text.count("\nTable: "), text.count(".quote "), text.count("::: timeline"))


def write_images(folder: Path) -> None:
    """Four small deterministic PNGs (charts, a grid map, a flow diagram)."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1234)
    size = (960, 600)
    palette = [(31, 78, 121), (200, 80, 60), (90, 150, 90), (230, 170, 40), (120, 90, 160)]
    for index, name in enumerate(IMAGES):
        img = Image.new("RGB", size, (248, 246, 240))
        draw = ImageDraw.Draw(img)
        for x in range(60, size[0] - 40, 60):
            draw.line([(x, 40), (x, size[1] - 60)], fill=(225, 222, 214), width=1)
        for y in range(40, size[1] - 40, 50):
            draw.line([(60, y), (size[0] - 40, y)], fill=(225, 222, 214), width=1)
        draw.line([(60, size[1] - 60), (size[0] - 40, size[1] - 60)], fill=(60, 60, 60), width=3)
        draw.line([(60, 40), (60, size[1] - 60)], fill=(60, 60, 60), width=3)
        if index == 0:
            for k in range(12):
                h = rng.randint(60, 460)
                x = 80 + k * 70
                draw.rectangle([x, size[1] - 60 - h, x + 46, size[1] - 61], fill=palette[k % 3])
        elif index == 1:
            for series in range(3):
                pts = [(60 + k * 80, rng.randint(80, 520)) for k in range(12)]
                draw.line(pts, fill=palette[series], width=5)
                for p in pts:
                    draw.ellipse([p[0] - 6, p[1] - 6, p[0] + 6, p[1] + 6], fill=palette[series])
        elif index == 2:
            for _ in range(14):
                x, y = rng.randint(80, 880), rng.randint(60, 520)
                r = rng.randint(8, 30)
                draw.ellipse([x - r, y - r, x + r, y + r], outline=palette[3], width=4)
            pts = [(rng.randint(80, 880), rng.randint(60, 520)) for _ in range(6)]
            draw.line(pts, fill=palette[1], width=7)
        else:
            boxes = [(100 + (k % 4) * 200, 100 + (k // 4) * 220) for k in range(8)]
            for k, (x, y) in enumerate(boxes):
                draw.rounded_rectangle([x, y, x + 150, y + 100], radius=14, fill=palette[k % 5])
                if k % 4 != 3:
                    draw.line([(x + 150, y + 50), (x + 200, y + 50)], fill=(60, 60, 60), width=4)
        img.save(folder / name, optimize=True)


if __name__ == "__main__":  # quick manual check: python bench/narrative.py DIR WORDS
    import sys

    result = generate(Path(sys.argv[1]), int(sys.argv[2]), f"{int(sys.argv[2]) // 1000}k")
    print(result)
