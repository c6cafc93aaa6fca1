"""The EPUB 3 e-book: model → XHTML (shared block macros) → OCF zip, paged like the PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core import model as m
from ..context import BuildContext
from . import assets, content, cover, metadata, ocf, pagelist
from ...core.errors import Location, TriptychError
from ...core.labels import Labels
from ...theming.markup import block_marks, date_text, labels_for, numbering, stylesheet, wants_toc
from ...core.confine import OutsideRoots, confine

NAME = "epub"
SUFFIX = ".epub"
ROOT = "EPUB/"  # the package document and everything it lists live below this folder
CSS = "css/book.css"
XHTML = "application/xhtml+xml"
SVG = re.compile(r"<svg[\s>]")


@dataclass
class Item:
    id: str
    href: str
    media_type: str
    data: bytes
    properties: str = ""
    linear: bool = True


def build(ctx: BuildContext, target: Path) -> dict:
    """Write the e-book to `target`; returns facts for the summary (chapters as pages)."""
    doc, templates = ctx.doc, ctx.templates
    labels = labels_for(doc, ctx.theme)
    chapters = content.chapters(doc)
    texts, images = _content_files(ctx, chapters, labels)
    common: dict[str, Any] = {"doc": doc, "meta": doc.meta, "css_href": CSS, "label": labels}
    cover_item, cover_alt = _cover(doc, ctx, labels)
    font_assets, faces = assets.fonts(ctx.theme, CSS.rpartition("/")[0])
    css = stylesheet(templates, "epub.css.j2", faces, doc.meta.direction, em=assets.relative_sizes(ctx.theme))
    _only_book_files(css, {f.url for f in faces}, ctx)
    drawn = not (doc.meta.epub.cover or doc.meta.cover)  # the drawn cover carries the marking in its picture
    cover_page = templates.render("cover.xhtml.j2", **common, cover_href=cover_item.href, alt=cover_alt,
                                  marking_in_image=drawn)

    # Only now the PDF's page starts: when the PDF is laid out in its own process, the work
    # above was done while it was.
    page_files = pagelist.insert_markers(texts, ctx.page_starts()) if doc.meta.epub.page_list else {}
    texts = {name: pagelist.strip_marks(text) for name, text in texts.items()}
    page_refs = sorted((n, f"{name}#page-{n}") for name, numbers in page_files.items() for n in numbers)
    nav = templates.render("nav.xhtml.j2", **common, toc=_toc(doc.sections, chapters) or _title_entry(doc),
                           landmarks=_landmarks(chapters, labels), pages=[{"number": n, "href": h} for n, h in page_refs])
    items = [
        Item("cover", "cover.xhtml", XHTML, cover_page.encode()),
        Item("titlepage", content.TITLEPAGE, XHTML, texts[content.TITLEPAGE].encode(), _properties(texts[content.TITLEPAGE])),
        # The contents page reads in order where the PDF prints one; elsewhere it is navigation only.
        Item("nav", "nav.xhtml", XHTML, nav.encode(), "nav", linear=wants_toc(doc)),
        *(Item(f"c{n:02d}", c.file, XHTML, texts[c.file].encode(), _properties(texts[c.file]))
          for n, c in enumerate(chapters, 1)),
        Item("css", CSS, "text/css", css.encode()),
        *(Item(f"font-{n}", a.href, a.media_type, a.data) for n, a in enumerate(font_assets, 1)),
        cover_item,
        *(Item(f"image-{n}", a.href, a.media_type, a.data) for n, a in enumerate(images.assets, 1)),
    ]
    when = metadata.modified(doc)
    opf = templates.render(
        "package.opf.j2", meta=doc.meta, identifier=metadata.identifier(doc), modified=metadata.w3c_datetime(when),
        features=_features(bool(page_refs)), summary=_accessibility_summary(doc, bool(page_refs), labels),
        page_source=f"{doc.slug}.pdf" if page_refs else "",
        manifest=items, spine=[i for i in items if i.media_type == XHTML],
    )
    ocf.write_container(target, ROOT + "package.opf",
                        [(ROOT + "package.opf", opf.encode()), *((ROOT + i.href, i.data) for i in items)], when)
    return {"pages": len(chapters)}


CSS_REFERENCE = re.compile(r"""url\(\s*['"]?([^'")\s]*)|@import\s+['"]([^'"]*)""", re.I)


def _only_book_files(css: str, allowed: set[str], ctx: BuildContext) -> None:
    """The e-book's stylesheet may name only files in the book: a reader would fetch anything else."""
    for match in CSS_REFERENCE.finditer(css):
        target = match.group(1) or match.group(2) or ""
        if target and target not in allowed and not target.startswith(("#", "data:")):
            raise TriptychError.at(_written_at(target, ctx), f'e-book stylesheet: "{target[:80]}" is not a file of the book; '
                                                    "a theme's stylesheets refer only to its fonts")


def _written_at(text: str, ctx: BuildContext) -> Location:
    """Where a theme's stylesheet templates spell `text`, else the first that writes a url() of its own."""
    for needle in (text, "url("):
        for folder in ctx.theme.template_dirs:
            for template in sorted(folder.glob("*.css.j2")):
                source = template.read_text(encoding="utf-8", errors="replace")
                at = source.find(needle)
                if at >= 0 and not (needle == "url(" and "face.url" in source[at:at + 40]):
                    return Location(template, source.count("\n", 0, at) + 1, at - source.rfind("\n", 0, at))
    return Location(ctx.theme.file("templates/epub.css.j2") or ctx.theme.folders[0])


def _content_files(ctx: BuildContext, chapters: list[content.Chapter], labels: Labels) -> tuple[dict[str, str], assets.Images]:
    """Title page and chapters as XHTML in reading order, each followed by the notes it cites."""
    doc, templates = ctx.doc, ctx.templates
    notes = content.NotePlacer()
    images = assets.Images()
    render = templates.renderer(
        "epub", number=numbering(doc), image_url=images.href, mark=block_marks(doc),
        link_target=content.link_targets(doc, content.id_files(doc, chapters)),
        note_href=notes.note_href, noteref_id=notes.noteref_id, label=labels,
    )
    common = {"doc": doc, "meta": doc.meta, "css_href": CSS, "render": render, "label": labels}
    texts: dict[str, str] = {}
    # Render a file's body before its notes: the body decides which notes it holds.
    notes.current = content.TITLEPAGE
    front = render(doc.front)
    texts[content.TITLEPAGE] = templates.render("titlepage.xhtml.j2", **common, front=front,
                                                notes=notes.render_notes(render), date_text=date_text(doc, labels))
    for chapter in chapters:
        notes.current = chapter.file
        body = render(chapter.section)
        texts[chapter.file] = templates.render("chapter.xhtml.j2", **common, chapter=chapter, body=body,
                                               notes=notes.render_notes(render))
    return texts, images


def _properties(xhtml: str) -> str:
    """Manifest properties a content file needs: inline SVG (charts) must be declared."""
    # Text is escaped, so a literal "<svg" can only be markup.
    return "svg" if SVG.search(xhtml) else ""


def _cover(doc: m.Document, ctx: BuildContext, labels: Labels) -> tuple[Item, str]:
    """The narrative's own cover image when it names one, else one drawn like the PDF's first page."""
    own = doc.meta.epub.cover or doc.meta.cover
    if not own:
        alt = labels("cover_alt", title=doc.meta.title) + (f". {doc.meta.subtitle}" if doc.meta.subtitle else "")
        alt += f". {labels.names([a.name for a in doc.meta.authors])}" if doc.meta.authors else ""
        alt += ". " + labels("marked", marking=doc.meta.marking) if doc.meta.marking else ""
        return Item("cover-image", "images/cover.png", "image/png", cover.draw_cover(doc, ctx.theme, labels), "cover-image"), alt
    try:
        data, suffix, media_type = cover.cover_file(confine(str(own), doc.base_dir, [doc.base_dir]))
    except (OutsideRoots, ValueError) as exc:
        raise TriptychError.at(Location(doc.source), f"cover image {exc}") from None
    return Item("cover-image", f"images/cover{suffix}", media_type, data, "cover-image"), labels("cover_alt", title=doc.meta.title)


def _toc(sections: list[m.Section], chapters: list[content.Chapter], file: str = "") -> list[dict]:
    """Every heading, nested as in the text; top-level entries open their own file."""
    files = {id(c.section): c.file for c in chapters}
    entries = []
    for section in sections:
        own = files.get(id(section))
        href = own or f"{file}#{section.id}"
        entries.append({"title": section.title_text, "level": section.level, "href": href,
                        "children": _toc(section.subsections, chapters, own or file)})
    return entries


def _title_entry(doc: m.Document) -> list[dict]:
    """A narrative without headings still needs one contents entry."""
    return [{"title": doc.meta.title, "level": 1, "href": content.TITLEPAGE, "children": []}]


def _landmarks(chapters: list[content.Chapter], labels: Labels) -> list[dict]:
    marks = [{"type": "cover", "href": "cover.xhtml", "title": labels("cover")},
             {"type": "titlepage", "href": content.TITLEPAGE, "title": labels("title_page")},
             {"type": "toc", "href": "nav.xhtml#toc", "title": labels("contents")}]
    body = next((c for c in chapters if not c.back_matter), None)
    if body:
        marks.append({"type": "bodymatter", "href": body.file, "title": labels("start")})
    sources = next((c for c in chapters if any(isinstance(b, m.Sources) for b in c.section.children)), None)
    if sources:
        marks.append({"type": "bibliography", "href": sources.file, "title": sources.section.title_text})
    return marks


def _features(paged: bool) -> list[str]:
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "alternativeText", "displayTransformability"]
    return features + (["pageNavigation", "pageBreakMarkers"] if paged else [])


def _accessibility_summary(doc: m.Document, paged: bool, labels: Labels) -> str:
    pages = labels("a11y_pages", file=f"{doc.slug}.pdf") if paged else ""
    return labels("a11y_summary", pages_note=pages)
