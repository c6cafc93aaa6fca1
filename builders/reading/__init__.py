"""Reads a narrative (one file, or a folder whose front matter lists chapters) into a Document."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import model as m
from ..core.errors import Location, Problem, Problems, TriptychError
from ..core.confine import OutsideRoots, confine
from ..core.text import check_text
from ..core.strict_yaml import load_yaml
from .crossrefs import resolve as resolve_crossrefs
from .frontmatter import build_meta, split_front_matter
from .params import ParamRow, declared, resolve, substitute

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from .citing import Citer

# The Markdown parser and the block converter load in the functions that parse: finding a
# narrative's entry must stay cheap, since an up-to-date build does only that and hashing.

MAX_SOURCE_BYTES = 5 * 1024 * 1024
COVER_FORMATS = ("PNG", "JPEG")
MAX_FOOTNOTES = 10_000  # print lays out ~25 notes a page at a few seconds a page: this bounds a build  # what every e-book reader shows as a cover
ENTRY_NAMES = ("index.md", "briefing.md", "narrative.md")
# markdown-it stops reading, silently, at this nesting of tokens (a list level takes two): its
# commonmark preset's 20 dropped everything after a list ten levels deep. Deeper than the
# converter's own MAX_DEPTH is refused there with a located error; this is only the backstop.
MAX_NESTING = 100


def _parser(language: str) -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    from . import typography
    from .fenced_divs import fenced_div_plugin

    md = typography.use(MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable("table"), language)
    md.use(footnote_plugin).use(attrs_plugin).use(fenced_div_plugin)
    # markdown-it silently turns file: and data: images into plain text; accept every
    # address here so confinement can refuse it with a located error instead.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def find_entry(path: Path) -> Path:
    """The main file of a narrative given as a file or a folder."""
    if path.is_dir():
        for name in ENTRY_NAMES:
            if (path / name).is_file():
                return path / name
        candidates = sorted(path.glob("*.md"))
        if len(candidates) == 1:
            return candidates[0]
        raise TriptychError.at(Location(path), f"no narrative found: expected one of {', '.join(ENTRY_NAMES)}")
    if not path.is_file():
        raise TriptychError.at(Location(path), "no such file or folder")
    return path


def read_text(path: Path, problems: Problems, where: Location) -> str | None:
    """A source file as text: bounded size, valid UTF-8, no control characters."""
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            problems.add(where, f"{path.name} is larger than {MAX_SOURCE_BYTES // 2**20} MB")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(where, f"cannot read {path.name}: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(Location(path, line, column), "invalid UTF-8 byte")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for line, column, char in check_text(text):
        problems.add(Location(path, line, column), f"control character U+{ord(char):04X} is not allowed")
    return text


def read_narrative(path: Path, warnings: list[Problem] | None = None, network: bool = False,
                   params: ParamRow | None = None) -> m.Document:
    """Parse once; every problem of every file is reported together, warnings into `warnings`.

    `params`: the values of a parametrised narrative's `params:` (else their defaults).
    """
    from markdown_it.tree import SyntaxTreeNode

    from .advice import dangling_links
    from .blocks import Converter
    from .unbreakable import join_document

    entry = find_entry(Path(path))
    base_dir = entry.parent.resolve()
    problems = Problems()
    text = read_text(entry, problems, Location(entry))
    problems.raise_if_any()
    assert text is not None
    yaml_text, body, body_offset = split_front_matter(text)
    data, places = load_yaml(yaml_text, entry, 2, problems) if yaml_text is not None else ({}, {})
    values = _parameters(data, places, entry, params, problems)
    if values is not None:
        text = substitute(text, entry, values, problems, row=params)
        problems.raise_if_any()
        assert text is not None
        yaml_text, body, body_offset = split_front_matter(text)
        data, places = load_yaml(yaml_text, entry, 2, problems) if yaml_text is not None else ({}, {})
    meta, chapters = build_meta(data, places, entry, problems)

    language = meta.language if meta is not None else "en"
    before = len(problems.items)
    citer = _citer(meta, base_dir, places, entry, problems) if meta is not None else None
    # A bibliography or style that failed is reported once; its citations are not each reported again.
    citations_unchecked = citer is None and len(problems.items) > before
    crossrefs: list[tuple[m.CrossRef, Location]] = []
    md = _parser(language)
    ids: set[str] = set()
    footnotes: list[m.Footnote] = []
    front: list[m.Block] = []
    sections: list[m.Section] = []
    files = [(entry, body, body_offset)]
    for name in chapters:
        where = places.get("chapters", Location(entry))
        try:
            chapter_path = confine(name, base_dir, [base_dir])
        except OutsideRoots as exc:
            problems.add(where, f"chapter {exc}")
            continue
        if chapter_path == entry.resolve() or any(chapter_path == f[0] for f in files[1:]):
            problems.add(where, f'chapter "{name}" is listed twice or includes itself')
            continue
        chapter_text = read_text(chapter_path, problems, where)
        if chapter_text is not None and values is not None:
            chapter_text = substitute(chapter_text, chapter_path, values, problems, row=params)
        if chapter_text is None:
            continue
        _, chapter_body, offset = split_front_matter(chapter_text)
        files.append((chapter_path, chapter_body, offset))
    for index, (file, source, offset) in enumerate(files):
        converter = Converter(file, offset, source.split("\n"), base_dir, problems, ids, footnotes, index, network,
                              citer, crossrefs, citations_unchecked, language)
        env: dict = {}
        tokens = md.parse(source, env)
        _refuse_lost_text(tokens, file, offset, problems)
        tree = SyntaxTreeNode(tokens)
        _unused_footnotes(env, file, offset, source, problems)
        file_front, file_sections = converter.document(tree)
        (sections[-1].children if sections else front).extend(file_front)
        sections.extend(file_sections)
    if meta is not None:
        _check_cover(meta, base_dir, places, Location(entry), problems)
        if citer is not None:
            place_bibliography(sections, citer, meta, places.get("nocite", Location(entry)))
        probe = m.Document(meta, front, sections, footnotes, entry, base_dir, "")
        resolve_crossrefs(probe, crossrefs, problems)
    _name_charts(front, sections, ids)
    if len(footnotes) > MAX_FOOTNOTES:
        problems.add(footnotes[MAX_FOOTNOTES].location, f"more than {MAX_FOOTNOTES:,} footnotes")
    for problem in dangling_links(front, sections, footnotes):
        problems.add(problem.location, problem.message)
    problems.raise_if_any()
    assert meta is not None
    if warnings is not None:
        warnings.extend(problems.warnings)
    # From the title as written: typesetting it renames nothing. A parametrised narrative's
    # briefings are told apart by their rendered titles, not by the one file they share.
    slug = artefact_slug(entry, meta.title, meta.language, meta.slug, by_title=values is not None)
    _typeset_meta(meta)
    doc = m.Document(meta, front, sections, footnotes, entry, base_dir, slug)
    join_document(doc)  # after citations and cross-references read their locators and numbers
    if network:
        from .remote import cache_dir

        doc.extra_roots.append(cache_dir())  # fetched images may be read from there too
    return doc


def planned_slug(entry: Path, params: ParamRow | None = None) -> str | None:
    """The name a build of `entry` (with `params`) will give its artefacts, from the front matter
    alone; None when that does not read (the build itself then says why, located)."""
    problems = Problems()
    text = read_text(entry, problems, Location(entry))
    yaml_text = split_front_matter(text)[0] if text is not None else None
    if yaml_text is None:
        return None
    try:
        data, places = load_yaml(yaml_text, entry, 2, problems)
        values = _parameters(data, places, entry, params, problems)
        if values is not None:
            yaml_text = substitute(yaml_text, entry, values, problems, first_line=2, row=params)
            data, _ = load_yaml(yaml_text, entry, 2, problems) if yaml_text is not None else (None, {})
    except TriptychError:
        return None
    title = data.get("title") if isinstance(data, dict) else None
    if problems or not isinstance(title, (str, int, float)) or isinstance(title, bool):
        return None
    language, own = data.get("language") or data.get("lang"), data.get("slug")
    return artefact_slug(entry, str(title).strip(), language if isinstance(language, str) else "",
                         own if isinstance(own, str) else "", by_title=values is not None)


def _parameters(data: object, places: dict, entry: Path, row: ParamRow | None,
                problems: Problems) -> dict[str, str] | None:
    """The values to substitute, or None for a narrative that is not parametrised."""
    declared_here = isinstance(data, dict) and "params" in data
    if not declared_here and row is None:
        return None
    defaults = declared(data.get("params") if isinstance(data, dict) else None,
                        places.get("params", Location(entry)), problems)
    values = resolve(defaults, row, entry, problems)
    problems.raise_if_any()
    return values
def _citer(meta: m.Meta, base_dir: Path, places: dict, entry: Path, problems: Problems) -> "Citer | None":
    """The CSL processor over the front matter's bibliography and style; None without a bibliography."""
    if not meta.bibliography:
        return None
    from .bibliography import load
    from .citing import Citer, style_file

    before = len(problems.items)
    entries = load(meta.bibliography, base_dir, places.get("bibliography", Location(entry)), problems)
    style = style_file(meta.csl, base_dir, places.get("csl", Location(entry)), problems)
    if style is None or len(problems.items) > before:
        return None
    try:
        return Citer(entries, style, meta.language, problems)
    except Exception as exc:  # lxml and citeproc-py raise many types on a broken style
        problems.add(places.get("csl", Location(entry)), f"csl: {style.name} is not a usable CSL style: {exc}")
        return None


def place_bibliography(sections: list[m.Section], citer: "Citer", meta: m.Meta, where: Location) -> None:
    """The works cited, where the author put # References (or a references id), else at the end."""
    from ..core.labels import label

    listed = citer.entries_cited(meta.nocite, where)
    if not listed:
        return
    home = next((s for s in _all_sections(sections) if s.id in ("references", "bibliography", "refs")), None)
    if home is None:
        home = m.Section(1, [m.Text(label(meta.language, "references"))], "references", [], where)
        sections.append(home)
    paragraphs = [[m.Paragraph(inlines, home.location)] for _, inlines in listed]
    home.children.append(m.Sources(paragraphs, home.location, [f"ref-{key}" for key, _ in listed]))


def _all_sections(sections: list[m.Section]) -> list[m.Section]:
    return [b for b in m._walk(sections) if isinstance(b, m.Section)]


def _typeset_meta(meta: m.Meta) -> None:
    """Quotes and dashes in the front matter's prose, as in the text (typography.py)."""
    from .typography import plain

    for field in ("title", "subtitle", "short_title", "summary"):
        setattr(meta, field, plain(getattr(meta, field), meta.language))


def artefact_slug(entry: Path, title: str, language: str = "", slug: str = "", by_title: bool = False) -> str:
    """The artefacts' file name: the front matter's `slug:`, else the entry's own name, else (when
    that name says nothing: index.md, briefing.md, or only the narrative's language, uk.md; or a
    parametrised narrative's briefings, `by_title`) its title, transliterated from any script. Never empty."""
    from ..core.slugs import slugify

    if slug:
        return slug
    stem = entry.stem
    says_nothing = by_title or stem in (n.removesuffix(".md") for n in ENTRY_NAMES) or (
        language and stem.lower() in (language.lower(), language.split("-")[0].lower()))
    named = slugify(title, language, max_length=60) if says_nothing else slugify(stem, language)
    return named or slugify(stem, language) or slugify(title, language, max_length=60) or _anonymous(title)


def _anonymous(title: str) -> str:
    """A name for a title and file name without a letter or digit in any script (emoji only)."""
    import hashlib

    return "narrative-" + hashlib.sha256(title.encode()).hexdigest()[:8]


def _refuse_lost_text(tokens: list, file: Path, offset: int, problems: Problems) -> None:
    """markdown-it drops the rest of a file nested beyond maxNesting: a located error instead."""
    deepest = max(tokens, key=lambda t: t.level, default=None)
    if deepest is not None and deepest.level >= MAX_NESTING - 1:
        line = deepest.map[0] + 1 if deepest.map else 1
        problems.add(Location(file, offset + line, 1), f"blocks nested deeper than {MAX_NESTING // 2} levels; the rest of the file cannot be read")


def _unused_footnotes(env: dict, file: Path, offset: int, source: str, problems: Problems) -> None:
    """markdown-it drops a footnote nobody cites without a trace; say so, at its definition."""
    for key, number in env.get("footnotes", {}).get("refs", {}).items():
        if number != -1:
            continue
        label = key[1:]
        found = re.search(rf"^ {{0,3}}\[\^{re.escape(label)}\]:", source, re.MULTILINE)
        line = source.count("\n", 0, found.start()) + 1 if found else 1
        problems.warn(Location(file, offset + line, 1), f"footnote [^{label}] is defined but never cited")


def _check_cover(meta: m.Meta, base_dir: Path, places: dict[str, Location], top: Location, problems: Problems) -> None:
    """A cover of the narrative's own is a PNG or JPEG inside its folder, of a sane size: checked here, located."""
    from .blocks import image_size

    own = meta.epub.cover or meta.cover
    if not own:
        return
    where = places.get("epub" if meta.epub.cover else "cover", top)
    try:
        image_size(confine(str(own), base_dir, [base_dir]), COVER_FORMATS)
    except (OutsideRoots, ValueError) as exc:
        problems.add(where, f'cover image "{own}" {exc}' if isinstance(exc, ValueError) else f"cover image {exc}")


def _name_charts(front: list[m.Block], sections: list[m.Section], ids: set[str]) -> None:
    """Every chart gets an id: its drawing's title and description are referenced by id, and two
    charts without one would share them (epubcheck rejects the book)."""
    count = 0
    for block in m.walk_blocks([*front, *sections]):
        if isinstance(block, m.Chart) and not block.id:
            count += 1
            while f"chart-{count}" in ids:
                count += 1
            block.id = f"chart-{count}"
            ids.add(block.id)
