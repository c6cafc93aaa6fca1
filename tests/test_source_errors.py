"""A bad narrative fails with every problem located as file:line:col, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builders.cli import main
from builders.core.errors import TriptychError
from builders.reading import read_narrative


def errors_of(path: Path) -> list[str]:
    with pytest.raises(TriptychError) as caught:
        read_narrative(path)
    return [str(p) for p in caught.value.problems]


def test_unknown_block_bad_date_and_missing_image_are_three_located_errors(narrative, tmp_path):
    path = narrative(
        """
        # One

        ::: qoute
        Hello.
        :::

        ![A map](images/missing.png)
        """,
        front="title: Bad\ndate: 2024-13-45",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(path), "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 3, result.output
    assert lines[0].endswith('doc.md:3:7: date: "2024-13-45" is not an ISO 8601 date (YYYY-MM-DD)')
    assert lines[1].endswith('doc.md:8:5: unknown block "qoute" (did you mean "quote"?)')
    assert lines[2].endswith('doc.md:12:10: image "images/missing.png" does not exist')
    assert not out.exists() or not any(out.glob("*.pdf"))


def test_unknown_front_matter_key_suggests_the_right_one(narrative):
    errors = errors_of(narrative("Text.\n", front="title: T\nsubtitel: S"))
    assert errors[0].endswith(':3:1: unknown front matter key "subtitel" (did you mean "subtitle"?)')


def test_title_is_required(narrative):
    assert errors_of(narrative("Text.\n", front="date: 2024-01-01"))[0].endswith(':1:1: front matter: "title" is required')


@pytest.mark.parametrize(
    "front, message",
    [
        ("title: T\ntitle: U", 'duplicate key "title"'),
        ("title: !!python/object:os.system ls", "could not determine a constructor"),
        ("title: T\nlanguage: english language", "is not a BCP 47 language tag"),
        ("title: T\nkeywords: {a: 1}", "keywords: must be a list of words"),
        ("title: [unclosed", "front matter"),
        ("title: T\nslides: {max-bullets: 11}", 'slides: max-bullets "11" is not a whole number from 1 to 10'),
        ("title: T\nepub: {page-list: nope}", 'epub: page-list "nope" is not one of False, True'),
    ],
)
def test_front_matter_faults_are_located(narrative, front, message):
    errors = errors_of(narrative("Text.\n", front=front))
    assert any(message in e for e in errors), errors
    assert all(e.split(":")[1].isdigit() and e.split(":")[2].isdigit() for e in errors)


@pytest.mark.parametrize(
    "front, where, message",
    [
        ('title: "Half a title\nauthor: Someone', ":2:8:", "this quoted value is never closed"),
        ("title: T\nauthors: [Ann, Bob\ndate: 2024-01-01", ":3:10:", 'this "[" list is never closed with "]"'),
    ],
)
def test_an_unclosed_yaml_value_is_located_where_it_opens(narrative, front, where, message):
    """Not at the end of the front matter, where the parser gave up: the author looks where it opens."""
    [error] = errors_of(narrative("Text.\n", front=front))
    assert where in error and message in error, error


def test_yaml_words_are_not_coerced(narrative):
    doc = read_narrative(narrative("Text.\n", front="title: no\nsubtitle: 12:30\nshort-title: 1.10"))
    assert (doc.meta.title, doc.meta.subtitle, doc.meta.short_title) == ("no", "12:30", "1.10")


def test_format_options_are_typed_when_the_front_matter_is_read(narrative):
    front = "title: T\npdf: {toc: false, page-size: Letter}\nslides: {max-bullets: 3}\nepub: {page-list: false}"
    meta = read_narrative(narrative("Text.\n", front=front)).meta
    assert (meta.pdf.toc, meta.pdf.page_size, meta.pdf.variant) == ("never", "Letter", None)
    assert (meta.slides.max_bullets, meta.slides.reference, meta.epub.page_list) == (3, None, False)
    defaults = read_narrative(narrative("Text.\n", front="title: T", name="plain.md")).meta
    assert (defaults.pdf.toc, defaults.slides.max_bullets, defaults.epub.page_list) == ("auto", None, True)


def test_block_attribute_typo_and_missing_required_attribute(narrative):
    errors = errors_of(narrative('::: {.quote by="A" rol="B"}\nQ.\n:::\n\n::: quote\nQ.\n:::\n'))
    assert errors[0].endswith(':6:20: block "quote" has no attribute "rol" (did you mean "role"?)')
    assert errors[1].endswith(':10:5: block "quote" needs by="…"')


def test_undefined_footnote_and_unclosed_block(narrative):
    errors = errors_of(narrative("Text[^nope].\n\n::: callout\nNever closed.\n"))
    assert any(e.endswith(":6:5: footnote [^nope] is never defined") for e in errors), errors
    assert any('block "callout" is never closed' in e for e in errors), errors


def test_timeline_needs_dates(narrative):
    errors = errors_of(narrative("::: timeline\n- **2020-08** Fine\n- **August** Not a date\n- No date at all\n:::\n"))
    assert len(errors) == 2
    assert 'timeline date "August"' in errors[0]
    assert "starts with its date in bold" in errors[1]


def test_image_outside_the_narrative_folder_is_refused(narrative, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes((Path(__file__).parent.parent / "source/images/map.png").read_bytes())
    for reference in ("../secret.png", str(secret), "file://" + str(secret), "%2e%2e/secret.png"):
        errors = errors_of(narrative(f"![x]({reference})\n"))
        assert "lies outside the narrative's folder" in errors[0], (reference, errors)


def test_control_characters_are_located(narrative):
    errors = errors_of(narrative("Bell \x07 here.\n"))
    assert errors[0].endswith(":6:6: control character U+0007 is not allowed")


def test_bad_input_leaves_earlier_outputs_intact(narrative, tmp_path):
    out = tmp_path / "out"
    good = narrative("# One\n\nFine.\n")
    assert CliRunner().invoke(main, ["build", str(good), "--format", "pdf", "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    good.write_text(good.read_text().replace("Fine.", "::: nonsense\nx\n:::"))
    result = CliRunner().invoke(main, ["build", str(good), "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_link_to_a_missing_id_is_a_located_error(narrative):
    errors = errors_of(narrative("# One {#one}\n\nSee [here](#one) and [there](#nowhere).\n"))
    assert errors == [errors[0].split(":")[0] + ':8:1: link "#nowhere" points to no section, figure or table id']
