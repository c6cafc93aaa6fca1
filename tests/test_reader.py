"""The reader turns Narrative Markdown into one typed model with a location on every block."""

from __future__ import annotations

import pytest

from builders.core import model as m
from builders.core.errors import TriptychError
from builders.reading import read_narrative
from conftest import SAMPLE, write_narrative


def test_sample_uses_every_block_kind_that_fits_the_story():
    doc = read_narrative(SAMPLE)
    kinds = {b.kind for b in doc.walk()}
    assert {"keypoints", "quote", "timeline", "figure", "table", "callout", "notes", "only", "sources", "section"} <= kinds
    assert len(doc.footnotes) >= 6 and doc.meta.date.isoformat() == "2024-08-26"
    assert all(b.location.line > 0 for b in doc.walk() if hasattr(b, "location"))


def test_blocks_carry_their_source_lines(narrative):
    doc = read_narrative(narrative("# One {#first}\n\nPara.\n\n::: {.callout title=\"Why\"}\nInside.\n:::\n"))
    section = doc.sections[0]
    assert (section.id, section.location.line) == ("first", 6)
    callout = section.children[1]
    assert isinstance(callout, m.Callout) and callout.title == "Why" and callout.location.line == 10


def test_chapters_join_into_one_document_with_shared_footnote_numbers(tmp_path):
    main = write_narrative(tmp_path, "# One\n\nA[^a].\n\n[^a]: First.\n", front="title: Book\nchapters: [two.md]")
    (tmp_path / "two.md").write_text("# Two {#two}\n\nB[^a] and [back](#one).\n\n[^a]: Second, same label.\n")
    doc = read_narrative(main)
    assert [s.id for s in doc.sections] == ["one", "two"]
    assert [n.number for n in doc.footnotes] == [1, 2]
    assert m.plain_text(doc.footnotes[1].blocks[0].inlines) == "Second, same label."
    assert doc.footnotes[1].location.file.name == "two.md"


def test_chapter_outside_the_folder_or_listed_twice_is_an_error(tmp_path):
    main = write_narrative(tmp_path / "p", "Text.\n", front="title: Book\nchapters: [../x.md, doc.md]")
    (tmp_path / "x.md").write_text("# X\n")
    with pytest.raises(TriptychError) as caught:
        read_narrative(main)
    text = str(caught.value)
    assert "chapter \"../x.md\" lies outside" in text and 'chapter "doc.md" is listed twice or includes itself' in text


def test_pipe_table_caption_alignment_and_numeric_columns(narrative):
    doc = read_narrative(narrative("| Item | Value |\n|:--|--:|\n| Loan | $1.5 billion |\n| Troops | ~30,000 |\n\nTable: Figures\n"))
    [table] = doc.front
    assert isinstance(table, m.Table) and m.plain_text(table.caption) == "Figures"
    assert table.numeric_columns == [False, True]


def test_figure_keeps_alt_credit_and_pixel_size(narrative):
    doc = read_narrative(narrative('![A *map*](images/pic.png){alt="Map of X" credit="Me"}\n'))
    [figure] = doc.front
    assert (figure.alt, figure.credit, figure.width, figure.height) == ("Map of X", "Me", 40, 30)
    assert m.plain_text(figure.caption) == "A map"


def test_per_format_blocks_and_slide_overrides(narrative):
    doc = read_narrative(narrative('::: {.only formats="pdf, epub"}\nLong.\n:::\n\n::: {.slide layout="Two Content" title="S"}\n- a\n:::\n'))
    only, slide = doc.front
    assert only.formats == frozenset({"pdf", "epub"})
    assert (slide.layout, slide.title) == ("Two Content", "S")


def test_deep_nesting_is_refused(narrative):
    body = "".join(f"{':' * (3 + i)} callout\n" for i in range(14)) + "x\n" + "".join(f"{':' * (3 + i)}\n" for i in reversed(range(14)))
    with pytest.raises(TriptychError, match="nested deeper than"):
        read_narrative(narrative(body))


def test_only_three_heading_levels(narrative):
    with pytest.raises(TriptychError, match=":6:1: heading level 4: at most three levels"):
        read_narrative(narrative("#### Too deep\n"))


def test_quotes_dashes_and_ellipses_are_set_in_the_narratives_language(narrative):
    """As pandoc's `smart` does: curly quotes in the language's style, -- and --- as dashes,
    ... as an ellipsis; code keeps its straight quotes and "5(c)" stays a clause."""
    body = ('He said "it\'s over" -- twice, in 1990--2020 --- and more...\n\n'
            'See Article 5(c) and `print("x")`.\n')
    doc = read_narrative(narrative(body, front='title: Minsk\'s "offer" -- a test\ndate: 2024-08-26'))
    first, second = (m.plain_text(b.inlines) for b in doc.front[:2])
    assert first == "He said “it’s over” – twice, in 1990–2020 — and more…"
    assert "Article 5(c)" in second and 'print("x")' in second
    assert doc.meta.title == "Minsk’s “offer” – a test"
    assert doc.slug == "doc"  # an entry named doc.md names its artefacts itself
    german = read_narrative(narrative('Er sagte "ja".\n', front="title: T\nlanguage: de-AT", name="de.md"))
    assert m.plain_text(german.front[0].inlines) == "Er sagte „ja“."


def test_typesetting_the_title_does_not_rename_the_artefacts(tmp_path):
    path = write_narrative(tmp_path / "p", "Text.\n", front="title: Minsk's \"offer\"", name="briefing.md")
    assert read_narrative(path).slug == "minsk-s-offer"
