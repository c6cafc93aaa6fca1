"""Data blocks: one table of numbers becomes a vector chart with a text alternative."""

from __future__ import annotations

import re

import pytest

from builders.build import pipeline
from builders.core.labels import Labels
from builders.theming.chart_svg import chart_summary, nice_scale, render_chart_svg
from builders.theming.themes import load_theme
from builders.core.errors import TriptychError
from builders.formats.pdf.build import render_html
from builders.core.model import CHART_TYPES, Chart
from builders.reading import read_narrative
from conftest import SAMPLE

DATA = "| Year | Loans | Grants |\n|---|--:|--:|\n| 2020 | 1.5 | 0.2 |\n| 2021 | 0.6 | 0.1 |\n| 2022 | 1,200 | 3 |\n"


def chart_of(narrative, attrs: str, data: str = DATA) -> Chart:
    doc = read_narrative(narrative(f"::: {{.chart {attrs}}}\n{data}\nA caption.\n:::\n"))
    [chart] = doc.front
    return chart


def test_pipe_table_becomes_categories_and_series(narrative):
    chart = chart_of(narrative, 'type="column" title="Money" units="US$ bn" source="MoF"')
    assert chart.categories == ["2020", "2021", "2022"]
    assert [(s.name, s.values) for s in chart.series] == [("Loans", [1.5, 0.6, 1200.0]), ("Grants", [0.2, 0.1, 3.0])]
    assert (chart.title, chart.units, chart.source) == ("Money", "US$ bn", "MoF")
    assert "highest 2022 (1,200 US$ bn)" in chart_summary(chart, Labels("en"))
    assert "максимум — 2022 (1\u00a0200 US$ bn)" in chart_summary(chart, Labels("uk"))


@pytest.mark.parametrize("kind", CHART_TYPES)
def test_every_chart_type_draws_wellformed_svg_in_theme_colours(narrative, kind):
    from xml.etree import ElementTree

    theme = load_theme("default").tokens
    svg = str(render_chart_svg(chart_of(narrative, f'type="{kind}"'), theme, Labels("en")))
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
    assert theme["colors"]["chart"][0] in svg
    assert re.search(r"<(rect|path|polyline|circle) ", svg)


def test_csv_data_file_next_to_the_source(narrative):
    path = narrative('::: {.chart type="line" src="data.csv"}\n:::\n')
    (path.parent / "data.csv").write_text("Month,Troops\nJan,10000\nFeb,30000\n")
    [chart] = read_narrative(path).front
    assert chart.series[0].values == [10000, 30000]


def test_bad_data_is_located(narrative):
    ragged = "| A | B |\n|---|---|\n| x | 1 | 9 |\n| y | lots |\n"
    with pytest.raises(TriptychError) as caught:
        read_narrative(narrative(f'::: {{.chart type="bar"}}\n{ragged}:::\n'))
    errors = [str(p) for p in caught.value.problems]
    assert errors[0].endswith(":9:3: chart row has 3 cells, the header has 2")
    assert errors[1].endswith(':10:7: "lots" is not a number (series "B")')


def test_missing_csv_and_bad_type_are_located(narrative):
    with pytest.raises(TriptychError) as caught:
        read_narrative(narrative('::: {.chart type="pie" src="nope.csv"}\n:::\n\n::: {.chart type="bars"}\n| a | b |\n|--|--|\n| x | 1 |\n:::\n'))
    errors = [str(p) for p in caught.value.problems]
    assert errors[0].endswith(':6:24: data file "nope.csv" does not exist')
    assert errors[1].endswith(':9:13: chart type "bars" is not one of bar, column, line, pie, doughnut, stacked-bar, stacked-column (did you mean "bar"?)')


def test_csv_errors_name_the_csv_file(narrative):
    path = narrative('::: {.chart type="column" src="d.csv"}\n:::\n')
    (path.parent / "d.csv").write_text("k,v\na,1\nb,x\n")
    with pytest.raises(TriptychError, match=r"d\.csv:3:3: \"x\" is not a number"):
        read_narrative(path)


def test_nice_scale_rounds_outward():
    assert nice_scale(530) == (0, 600, 200)
    assert nice_scale(1.4) == (0, 1.5, 0.5)
    assert nice_scale(10, -3) == (-5, 10, 5)


def test_sample_chart_reaches_the_pdf_as_vectors_with_a_text_alternative():
    ctx = pipeline.prepare(SAMPLE)
    html = render_html(ctx.doc, ctx.theme, ctx.templates)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert "Bar chart, The shortest road to Kyiv: highest Crimea (northern edge) (530 km)" in html  # <desc> and the hidden summary
    assert '<th scope="row">Belarusian border</th>' in html


def test_sample_chart_is_native_in_the_deck_vector_in_the_pdf_and_svg_in_the_epub(tmp_path):
    import subprocess
    import zipfile

    from pptx import Presentation

    artefacts = {a.format: a.path for a in pipeline.build(SAMPLE, ["pdf", "pptx", "epub"], tmp_path)}
    charts = [s.chart for slide in Presentation(artefacts["pptx"]).slides for s in slide.shapes if s.has_chart]
    assert len(charts) == 1
    plot = charts[0].plots[0]
    assert list(plot.categories) == ["Belarusian border", "Russian border (north-east)", "Crimea (northern edge)"]
    assert list(plot.series[0].values) == [95.0, 230.0, 530.0]
    # PDF: the chart's labels are text drawn by vector paths, not a picture
    text = subprocess.run(["pdftotext", str(artefacts["pdf"]), "-"], capture_output=True, text=True).stdout
    assert "Russian border (north-east)" in text and "The shortest road to Kyiv" in text
    pdf = artefacts["pdf"].read_bytes()
    assert pdf.count(b"/Subtype /Image") == 1  # the map only
    # EPUB: inline SVG with a title, a description and the numbers as a table
    with zipfile.ZipFile(artefacts["epub"]) as book:
        chapter = next(book.read(n).decode() for n in book.namelist() if n.endswith("-launch-pad.xhtml") and "revolt" not in n)
    assert "<svg" in chapter and "<desc" in chapter and "<details" in chapter and ">530<" in chapter


def test_every_chart_type_is_a_native_chart_of_that_kind_in_the_deck(narrative, tmp_path):
    from pptx import Presentation
    from pptx.enum.chart import XL_CHART_TYPE

    expected = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
                "line": XL_CHART_TYPE.LINE_MARKERS, "pie": XL_CHART_TYPE.PIE, "doughnut": XL_CHART_TYPE.DOUGHNUT,
                "stacked-bar": XL_CHART_TYPE.BAR_STACKED, "stacked-column": XL_CHART_TYPE.COLUMN_STACKED}
    body = "".join(f'# {kind}\n\n::: {{.chart type="{kind}" title="{kind}"}}\n{DATA}:::\n\n' for kind in CHART_TYPES)
    [deck] = pipeline.build(narrative(body), ["pptx"], tmp_path / "out")
    found = [s.chart.chart_type for slide in Presentation(deck.path).slides for s in slide.shapes if s.has_chart]
    assert found == [expected[k] for k in CHART_TYPES]
