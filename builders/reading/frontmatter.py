"""YAML front matter: split from the text, read by core.strict_yaml, validated into `Meta`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable

from ..core.errors import Location, Problems, suggest
from ..core.labels import LANGUAGES, is_supported
from ..core.model import Author, EpubOptions, Meta, PdfOptions, SlideOptions
from ..core.slugs import slug_problem
from ..core.text import FORBIDDEN


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(yaml text or None, body, number of lines before the body)."""
    if not text.startswith("---"):
        return None, text, 0
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text, 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 1
    return "\n".join(lines[1:]), "", len(lines)


# ---------------------------------------------------------------- validation

BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-[A-Za-z0-9]{5,8})*$")
PAGE_SIZES = {"A4", "Letter", "A5"}
PDF_VARIANTS = {"pdf/a-3b", "pdf/ua-1"}
ASPECTS = {"16:9", "4:3"}


LINE_BREAKS = re.compile("[ ]*[\r\n\t\v\f\x85\u2028\u2029]+[ ]*")  # not str.split(): no-break spaces are the author's


class _Invalid(Exception):
    pass


def _text(value: Any) -> str:
    """One line of text: YAML escapes ("\\r", "\\x01") can smuggle in what the file's own check let pass."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Invalid("must be text")
    text = str(value)
    bad = FORBIDDEN.search(text)
    if bad:
        raise _Invalid(f"control character U+{ord(bad.group(0)):04X} is not allowed")
    # Line breaks and tabs become spaces: these values are set on one line (titles, the cover, metadata).
    return LINE_BREAKS.sub(" ", text).strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise _Invalid(f'"{value}" is not an ISO 8601 date (YYYY-MM-DD)') from None


def _language(value: Any) -> str:
    text = _text(value)
    if not BCP47.match(text):
        raise _Invalid(f'"{text}" is not a BCP 47 language tag (e.g. en, en-GB, de)')
    return text


def _slug(value: Any) -> str:
    return _text(value)  # checked in build_meta, where the language is known: its suggestion is transliterated


def _authors(value: Any) -> list[Author]:
    if isinstance(value, str):
        return [Author(name=_text(value))]
    if not isinstance(value, list):
        raise _Invalid("must be a name or a list of {name, affiliation}")
    authors = []
    for item in value:
        if isinstance(item, str):
            authors.append(Author(_text(item)))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            unknown = set(item) - {"name", "affiliation"}
            if unknown:
                raise _Invalid(f'unknown author key "{sorted(unknown)[0]}"{suggest(sorted(unknown)[0], ["name", "affiliation"])}')
            authors.append(Author(_text(item["name"]), _text(item.get("affiliation", ""))))
        else:
            raise _Invalid("each author needs a name")
    return authors


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [_text(k) for k in value.split(",") if k.strip()]
    if not isinstance(value, list):
        raise _Invalid("must be a list of words")
    return [_text(k) for k in value]


def _options(allowed: dict[str, set[str] | None], typed: Callable[[dict], Any]) -> Callable[[Any], Any]:
    """A format's options: known keys, values among their choices, then typed by `typed`."""
    def check(value: Any) -> Any:
        if value is None:
            return typed({})
        if not isinstance(value, dict):
            raise _Invalid("must be a mapping")
        for key, item in value.items():
            if key not in allowed:
                raise _Invalid(f'unknown option "{key}"{suggest(str(key), allowed)}')
            choices = allowed[key]
            if choices is not None and str(item) not in choices:
                raise _Invalid(f'{key} "{item}" is not one of {", ".join(sorted(choices))}')
        return typed(value)

    check.allowed = allowed  # type: ignore[attr-defined]  # read by the JSON Schema generator (builders.theming.schemas)
    return check


def _params(value: Any) -> Any:
    return value  # checked and used by params.declared before the rest of the front matter is read


def _files(value: Any) -> list[str]:
    if isinstance(value, str) and value.strip():
        return [value.strip()]
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return [v.strip() for v in value]
    raise _Invalid("must be a file name or a list of file names")


def _nocite(value: Any) -> list[str]:
    """pandoc's form: "@a, @b" (or a list of them); "@*" lists every work in the bibliography."""
    items = value if isinstance(value, list) else [value]
    keys: list[str] = []
    for item in items:
        for part in re.split(r"[,;\s]+", _text(item)):
            if not part:
                continue
            if not part.startswith("@") or len(part) < 2:
                raise _Invalid(f'"{part}" is not a citation key written as @key (or @* for every work)')
            keys.append(part[1:])
    return keys


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _Invalid("must be true or false")


def _chosen(value: Any) -> str | None:
    """A validated choice as its text (YAML's true/false become "True"/"False"); None when absent."""
    return None if value is None else str(value)


def _given(value: Any) -> str | None:
    """A file name, or None when left empty."""
    return str(value) if value else None


def _max_bullets(value: Any) -> int | None:
    if value is None:
        return None
    text = str(value).strip()  # the strict reader keeps plain scalars as text
    if isinstance(value, bool) or not text.isdigit() or not 1 <= int(text) <= 10:
        raise _Invalid(f'max-bullets "{value}" is not a whole number from 1 to 10')
    return int(text)


def _pdf_options(value: dict) -> PdfOptions:
    toc = _chosen(value.get("toc")) or "auto"
    return PdfOptions(_chosen(value.get("page-size")), _chosen(value.get("variant")),
                      {"True": "always", "False": "never"}.get(toc, toc))


def _slide_options(value: dict) -> SlideOptions:
    return SlideOptions(_chosen(value.get("aspect")), _given(value.get("reference")), _max_bullets(value.get("max-bullets")))


def _epub_options(value: dict) -> EpubOptions:
    return EpubOptions(_given(value.get("cover")), _chosen(value.get("page-list")) != "False")


def _chapters(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Invalid("must be a list of file names")
    return value


FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "title": ("title", _text),
    "subtitle": ("subtitle", _text),
    "short-title": ("short_title", _text),
    "authors": ("authors", _authors),
    "author": ("authors", _authors),
    "date": ("date", _date),
    "language": ("language", _language),
    "lang": ("language", _language),
    "summary": ("summary", _text),
    "abstract": ("summary", _text),
    "keywords": ("keywords", _keywords),
    "publisher": ("publisher", _text),
    "rights": ("rights", _text),
    "theme": ("theme", _text),
    "slug": ("slug", _slug),
    "identifier": ("identifier", _text),
    "cover": ("cover", _text),
    "chapters": ("chapters", _chapters),
    "bibliography": ("bibliography", _files),
    "csl": ("csl", _text),
    "citation-style": ("csl", _text),
    "nocite": ("nocite", _nocite),
    "marking": ("marking", _text),
    "draft": ("draft", _flag),
    "pdf": ("pdf", _options({"page-size": PAGE_SIZES, "variant": PDF_VARIANTS, "toc": {"auto", "always", "never", "True", "False"}},
                            _pdf_options)),
    "slides": ("slides", _options({"aspect": ASPECTS, "reference": None, "max-bullets": None}, _slide_options)),
    "epub": ("epub", _options({"cover": None, "page-list": {"True", "False"}}, _epub_options)),
    # Declared and substituted before validation (params.py); kept out of Meta.
    "params": ("params", _params),
}


def build_meta(data: Any, places: dict[str, Location], file: Path, problems: Problems) -> tuple[Meta | None, list[str]]:
    """Validate front matter into Meta; returns (meta, chapter files)."""
    top = Location(file, 1, 1)
    if data is None:  # the YAML itself failed and is reported; a missing title would be noise
        return None, []
    if not isinstance(data, dict):
        problems.add(top, "front matter must be a mapping of keys to values")
        return None, []
    values: dict[str, Any] = {}
    for key, raw in data.items():
        where = places.get(str(key), top)
        if key not in FIELDS:
            problems.add(places.get(f"key:{key}", where), f'unknown front matter key "{key}"{suggest(str(key), FIELDS)}')
            continue
        attr, check = FIELDS[key]
        try:
            values[attr] = check(raw)
        except _Invalid as exc:
            problems.add(where, f"{key}: {exc}")
    if not values.get("title"):
        if "title" not in data:
            problems.add(top, 'front matter: "title" is required')
        elif "title" in values:
            problems.add(places.get("title", top), "title: must not be empty")
        return None, []
    values.pop("params", None)
    language = values.get("language")
    problem = slug_problem(values["slug"], language or "") if "slug" in values else ""
    if problem:
        problems.add(places.get("slug", top), f"slug: {problem}")
    if language and not is_supported(language):
        key = "language" if "language" in data else "lang"
        problems.warn(places.get(key, top), f'language "{language}" has no catalogue of labels yet: the PDF, e-book and deck '
                      f'use English words and dates (shipped: {", ".join(LANGUAGES)})')
    chapters = values.pop("chapters", [])
    cover = values.pop("cover", None)
    values["bibliography"] = [Path(name) for name in values.get("bibliography", [])]  # confined when read
    meta = Meta(**values)
    meta.places = {k: v for k, v in places.items() if not k.startswith("key:")}
    if cover:
        meta.cover = Path(cover)
    return meta, chapters
