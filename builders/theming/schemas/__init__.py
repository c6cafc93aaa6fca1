"""JSON Schemas of the front matter and of theme.yaml, generated from the validators so they cannot drift.

`python tools/regenerate_schemas.py` rewrites the shipped files; a test fails when they are stale.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable

from ...core.catalogue import CATALOGUE
from ...core.labels import KEYS
from ...core.slugs import SLUG
from ...reading import frontmatter as fm
from .. import themes

FOLDER = Path(__file__).parent
DIALECT = "https://json-schema.org/draft/2020-12/schema"
FONT_KEYS = {
    "family": "Font family name: a fontpkg package or the theme's fonts/ folder provides the files.",
    "metrics": "Family whose metrics measure slide text (e.g. Liberation Sans for Arial).",
    "embed": "false: the font is not embedded (slide fonts every viewer has).",
}
FIELD_HELP = {
    "title": "Title of the narrative (required).",
    "subtitle": "Subtitle under the title.",
    "short-title": "Short title for the PDF's running head.",
    "authors": "A name, or a list of names or {name, affiliation}.",
    "author": "Same as authors.",
    "date": "Publication date, ISO 8601 (YYYY-MM-DD).",
    "language": "BCP 47 language tag: hyphenation and lang attributes (default en).",
    "lang": "Same as language.",
    "summary": "One paragraph: the PDF abstract, the EPUB description, the title slide's subtitle.",
    "abstract": "Same as summary.",
    "keywords": "A list of keywords, or one comma-separated string.",
    "publisher": "Publisher, shown in the masthead and the metadata.",
    "rights": "Copyright or licence statement.",
    "theme": "Theme name (default: default); see `triptych themes list`.",
    "slug": "File name of the artefacts (letters, digits, -, _ and .); derived from the title when absent.",
    "identifier": "Stable identifier (e.g. urn:isbn:… or a URL); derived from the title when absent.",
    "cover": "Cover image for the e-book, relative to the narrative's folder.",
    "chapters": "Further Markdown files, in reading order, relative to this file.",
    "params": "Parameters of a series: name → default (empty: must be given); {{ params.name }} in the text.",
    "bibliography": "CSL-JSON (.json), CSL YAML (.yaml) or BibTeX (.bib) file(s) in the narrative's folder, for [@key] citations.",
    "csl": "Citation style: a CSL style name (e.g. chicago-author-date, apa) or a .csl file in the folder; default chicago-notes-bibliography.",
    "citation-style": "Same as csl.",
    "nocite": "Works listed in the references though not cited: \"@key1, @key2\", or \"@*\" for every work.",
    "marking": "Protective marking (e.g. OFFICIAL-SENSITIVE): top and foot of every PDF page, every slide, every e-book chapter.",
    "draft": "true: a DRAFT watermark on every PDF page and slide.",
    "pdf": "Options of the PDF briefing.",
    "slides": "Options of the slide deck.",
    "epub": "Options of the e-book.",
}


def narrative_schema() -> dict[str, Any]:
    """The front matter: every key of frontmatter.FIELDS, typed by its validator."""
    properties = {key: {"description": FIELD_HELP.get(key, ""), **_fragment(check)} for key, (_, check) in fm.FIELDS.items()}
    return {
        "$schema": DIALECT,
        "title": "triptych narrative front matter",
        "description": "The YAML front matter of a Narrative Markdown file.",
        "type": "object",
        "required": ["title"],
        "properties": properties,
        "additionalProperties": False,
    }


def _fragment(check: Callable[[Any], Any]) -> dict[str, Any]:
    if hasattr(check, "allowed"):
        return {
            "type": "object",
            "properties": {key: _choices(choices) for key, choices in check.allowed.items()},
            "additionalProperties": False,
        }
    known = {
        fm._text: {"type": ["string", "number"]},
        fm._date: {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        fm._language: {"type": "string", "pattern": fm.BCP47.pattern},
        fm._authors: {"oneOf": [
            {"type": "string"},
            {"type": "array", "items": {"oneOf": [
                {"type": "string"},
                {"type": "object", "required": ["name"], "additionalProperties": False,
                 "properties": {"name": {"type": "string"}, "affiliation": {"type": ["string", "number"]}}},
            ]}},
        ]},
        fm._keywords: {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": ["string", "number"]}}]},
        fm._chapters: {"type": "array", "items": {"type": "string"}},
        fm._params: {"type": "object", "propertyNames": {"pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"},
                     "additionalProperties": {"type": ["string", "number", "boolean", "null"]}},
        fm._files: {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]},
        fm._nocite: {"oneOf": [{"type": "string", "pattern": r"^\s*@"}, {"type": "array", "items": {"type": "string", "pattern": r"^\s*@"}}]},
        fm._flag: {"type": "boolean"},
        fm._slug: {"type": "string", "pattern": SLUG.pattern},
    }
    if check not in known:  # a new validator needs its schema here; the shipped-file test points at this
        raise LookupError(f"no JSON Schema for front matter validator {check.__name__}")
    return known[check]


def _choices(choices: set[str] | None) -> dict[str, Any]:
    if choices is None:
        return {}
    # YAML reads true/false as booleans; the validator compares their text ("True"/"False").
    values = sorted(c for c in choices if c not in ("True", "False"))
    values += [c == "True" for c in sorted(choices) if c in ("True", "False")]
    return {"enum": values}


def theme_schema() -> dict[str, Any]:
    """theme.yaml: the manifest keys and token groups themes.py accepts, with the default theme's tokens named."""
    colour = {"type": "string", "pattern": themes.COLOR.pattern}
    length = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": themes.LENGTH.pattern},
                        {"type": "string", "pattern": themes.FAMILY.pattern}]}
    family = {"type": "string", "pattern": themes.FAMILY.pattern}
    font = {"anyOf": [family, {"type": "object", "required": ["family"], "additionalProperties": False,
                               "properties": {key: {"description": text, **({"type": "boolean"} if key == "embed" else family)}
                                              for key, text in FONT_KEYS.items()}}]}
    values = {
        "colors": {"anyOf": [colour, {"type": "array", "items": colour}]},
        "fonts": font,
        "type": length,
        "page": length,
    }
    documented = _default_tokens()
    properties: dict[str, Any] = {
        "name": {"type": "string", "description": "The theme's name; its folder's name is what `theme:` refers to."},
        "extends": {"type": "string", "description": "The theme this one inherits tokens and templates from."},
        "description": {"type": "string", "description": "One line for `triptych themes list`."},
    }
    properties["labels"] = {
        "type": "object",
        "description": "Words the product adds, per language tag, replacing the built-in catalogue's.",
        "propertyNames": {"pattern": fm.BCP47.pattern},
        "additionalProperties": {
            "type": "object",
            "additionalProperties": False,
            "properties": {key: {"type": "string", "description": f"Built in: {CATALOGUE['en'][key]}"} for key in sorted(KEYS)},
        },
    }
    for group in sorted(themes.TOKEN_GROUPS):
        value = values.get(group, {})
        named = {key: {"description": text, **value} if text else dict(value) for key, text in documented.get(group, {}).items()}
        properties[group] = {"type": "object", "properties": named, "additionalProperties": value or True}
    missing = themes.MANIFEST_KEYS - set(properties)
    if missing:
        raise LookupError(f"theme keys without a schema: {sorted(missing)}")
    return {
        "$schema": DIALECT,
        "title": "triptych theme manifest",
        "description": "theme.yaml: a theme's design tokens; a theme with `extends` sets only what differs.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def _default_tokens() -> dict[str, dict[str, str]]:
    """Token names of the built-in default theme with their trailing comments, for editors' completion."""
    groups: dict[str, dict[str, str]] = {}
    group = ""
    for line in (themes.builtin_dir() / "default" / themes.MANIFEST).read_text(encoding="utf-8").splitlines():
        top = re.match(r"^([a-z-]+):", line)
        item = re.match(r"""^  ([a-z0-9-]+):\s*(?:"[^"]*"|'[^']*'|\[[^\]]*\]|\{[^}]*\}|[^#\s]*)\s*(?:#\s*(.*))?$""", line)
        if top:
            group = top.group(1)
        elif item and group in themes.TOKEN_GROUPS:
            groups.setdefault(group, {})[item.group(1)] = (item.group(2) or "").strip()
    return groups


GENERATORS = {"narrative": narrative_schema, "theme": theme_schema}


def shipped(kind: str) -> Path:
    """The schema file that ships inside the package."""
    return FOLDER / f"{kind}.schema.json"


def render(kind: str) -> str:
    return json.dumps(GENERATORS[kind](), indent=2, ensure_ascii=False) + "\n"
