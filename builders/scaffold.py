"""`triptych new NAME`: a narrative folder with every kind of block, which builds as it is."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from .core.errors import Location, TriptychError
from .reading.blocks import BLOCKS

ENTRY = "index.md"  # the first of reading.ENTRY_NAMES: `triptych build NAME` finds it
IMAGE = Path("images") / "figure.png"
IMAGE_SIZE = (1600, 900)  # wide enough to print sharp at full text width (reading.advice.MIN_FIGURE_PX)

FRONT = """\
---
# Every key is optional except title; `triptych schema narrative` prints them all.
title: {title}
subtitle: What this briefing argues, in one line
short-title: {short}
authors: [{{name: Your Name, affiliation: Your organisation}}]
date: {date}
language: en
summary: One paragraph that says what the reader learns. It opens the PDF, describes the e-book and subtitles the title slide.
keywords: [briefing, example]
publisher: Your organisation
theme: {theme}
bibliography: refs.json   # the works [@key] cites; csl: chooses the style (default Chicago notes)
# marking: OFFICIAL-SENSITIVE   # a protective marking on every page, slide and chapter
---
"""

BODY = """
::: keypoints
- Key points come first: the three to five judgements a reader must take away.
- Each is one sentence; the deck shows them on a slide of their own.
- Replace this text, then run `triptych watch` and keep writing.
:::

# The argument {{#argument}}

A paragraph carries *emphasis*, **strong words**, [a link](https://example.org), a link to
[another section](#evidence) and a footnote.[^how] It cites its sources the way pandoc does
[@author2024, p. 14], and @fig:route refers to the figure below by its number.

The sections below show every kind of block once. Delete what you do not need.

## Lists and quotations

- A bulleted list holds parallel points.
- Keep each point short.

1. A numbered list is for steps or rankings.
2. Its numbers follow the source.

> A plain block quote, for a longer passage from a document.

::: {{.quote by="A. Person" role="Their role, their institution"}}
A pull quote is set large, with the speaker's name and role below it.
:::

## Dates and figures

::: {{.timeline title="How it unfolded"}}
- **2023-03** The first event, dated to the month.
- **2023-11-14** A later event, dated to the day.
- **2024** An event known only by its year.
:::

::: {{.figure #fig:route alt="An abstract map: three regions and a route crossing them" credit="Drawing: triptych new"}}
![A figure: its caption goes here, its alt text is for screen readers.](images/figure.png)
:::

::: {{.table caption="A table: numeric columns align on the right"}}
| Item     | 2023 | 2024 |
|:---------|-----:|-----:|
| First    |   12 |   18 |
| Second   |    7 |    9 |
:::
{chart}
# The evidence {{#evidence}}

::: {{.callout title="Why it matters"}}
A callout is a boxed aside: a definition, a caveat, a case in point.
:::

---

Code, when a briefing needs it, keeps its spacing:

```
triptych build {name} --format pdf
```

::: notes
Speaker notes: what the presenter says on this section's slides. Only the deck has them.
:::

::: {{.only formats="pdf,epub"}}
This paragraph appears in the PDF and the e-book but not on the slides.
:::

::: {{.slide title="A slide written by hand"}}
- A slide block replaces the slide the deck would derive here.
- It appears in the deck only.
:::

# Sources

::: sources
- Author, *Title of a report*, Publisher, 2024.
- Author, "Title of an article", *Journal* 12 (2024).
:::

# References {{.unnumbered}}

The works cited above, formatted by the citation style, are listed here.

[^how]: A footnote sits at the foot of the PDF's page, pops up in the e-book and stays out of the deck.
"""

CHART = """
::: {.chart type="bar" title="A chart from a table" units="%"}
| Region | Share |
|:-------|------:|
| North  |    42 |
| Centre |    35 |
| South  |    23 |

A data block becomes a native chart in the deck and a vector chart in the PDF and the e-book.
:::
"""


REFERENCES = [  # CSL-JSON: what reference managers (Zotero, Mendeley) export
    {"id": "author2024", "type": "report", "title": "Title of a report", "author": [{"family": "Author", "given": "Ann"}],
     "publisher": "Publisher", "issued": {"date-parts": [[2024]]}, "URL": "https://example.org/report"},
    {"id": "writer2023", "type": "article-journal", "title": "Title of an article", "container-title": "Journal",
     "volume": "12", "page": "1-20", "author": [{"family": "Writer", "given": "Wim"}], "issued": {"date-parts": [[2023]]}},
]


def scaffold(folder: Path, title: str | None = None, theme: str = "default") -> Path:
    """Create `folder` with a narrative and its image; returns the narrative's main file."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise TriptychError.at(Location(folder), "already exists and is not empty; choose another name")
    title = title or _title_from(folder.name)
    (folder / IMAGE.parent).mkdir(parents=True, exist_ok=True)
    _draw_figure(folder / IMAGE)
    # JSON strings are valid YAML scalars: a title with a colon or a quote stays one string.
    front = FRONT.format(title=json.dumps(title, ensure_ascii=False), short=json.dumps(title[:40], ensure_ascii=False),
                         date=dt.date.today().isoformat(), theme=json.dumps(theme))
    # The data block ships in this version only if the reader knows it.
    body = BODY.format(chart=CHART if "chart" in BLOCKS else "", name=folder.name)
    entry = folder / ENTRY
    entry.write_text(front + body, encoding="utf-8")
    (folder / "refs.json").write_text(json.dumps(REFERENCES, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return entry


def _title_from(name: str) -> str:
    words = re.sub(r"[-_]+", " ", name).strip() or "Briefing"
    return words[0].upper() + words[1:]


def _draw_figure(target: Path) -> None:
    """An abstract map drawn with Pillow: a placeholder that prints sharp and reads as a figure."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = IMAGE_SIZE
    image = Image.new("RGB", IMAGE_SIZE, "#EEF1F4")
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 100):
        draw.line([(x, 0), (x, height)], fill="#E1E6EB", width=2)
    for y in range(0, height, 100):
        draw.line([(0, y), (width, y)], fill="#E1E6EB", width=2)
    regions = [
        ([(80, 120), (620, 60), (760, 380), (520, 560), (140, 470)], "#C9D6E3"),
        ([(760, 380), (1180, 160), (1520, 300), (1460, 700), (980, 820)], "#E3D5BD"),
        ([(140, 470), (520, 560), (980, 820), (300, 860), (60, 700)], "#CFE0D2"),
    ]
    for points, colour in regions:
        draw.polygon(points, fill=colour, outline="#5B6670", width=4)
    route = [(260, 260), (560, 420), (860, 520), (1180, 460), (1380, 520)]
    for start, end in zip(route, route[1:]):
        draw.line([start, end], fill="#B3261E", width=10)
    for x, y in (route[0], route[-1]):
        draw.ellipse([x - 18, y - 18, x + 18, y + 18], fill="#14375E", outline="#FFFFFF", width=5)
    font = ImageFont.load_default(size=40)
    label = "Replace images/figure.png with your own figure"
    left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
    x, y = width - (right - left) - 80, 50
    draw.rectangle([x - 24, y - 16, x + right - left + 24, y + bottom - top + 28], fill="#FFFFFF", outline="#5B6670", width=3)
    draw.text((x - left, y - top + 6), label, fill="#1C1F23", font=font)
    image.save(target, optimize=True)
