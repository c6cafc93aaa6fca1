"""Typographic punctuation, set as pandoc's `smart` extension sets it: curly quotes in the
narrative's language, en and em dashes from -- and ---, an ellipsis from ... — but not
markdown-it's (c) → ©, which would turn "Article 5(c)" into "Article 5©"."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

NNBSP = "\u202f"  # French sets its guillemets off with a narrow no-break space
QUOTES: dict[str, list[str]] = {  # primary language subtag → double open, close, single open, close
    "en": ["“", "”", "‘", "’"],
    "de": ["„", "“", "‚", "‘"],
    "fr": [f"«{NNBSP}", f"{NNBSP}»", "‹" + NNBSP, NNBSP + "›"],
    "es": ["«", "»", "“", "”"],
    "it": ["«", "»", "“", "”"],
    "pt": ["«", "»", "“", "”"],
    "ru": ["«", "»", "„", "“"],
    "uk": ["«", "»", "„", "“"],
    "be": ["«", "»", "„", "“"],
    "pl": ["„", "”", "«", "»"],
    "cs": ["„", "“", "‚", "‘"],
    "nl": ["“", "”", "‘", "’"],
    "sv": ["”", "”", "’", "’"],
    "fi": ["”", "”", "’", "’"],
    "da": ["»", "«", "›", "‹"],
    "nb": ["«", "»", "‘", "’"],
    "no": ["«", "»", "‘", "’"],
    # Right to left: the bidi algorithm draws « » mirrored, so they open and close on the right sides.
    "ar": ["«", "»", "‹", "›"],
    "fa": ["«", "»", "‹", "›"],
}


def quotes(language: str) -> list[str]:
    """The quotation marks of `language` (a BCP 47 tag); English ones for any other."""
    return QUOTES.get(language.split("-")[0].lower(), QUOTES["en"])


def display_mark(language: str) -> str:
    """The large opening mark set before a pull quote: the language's own, but a low one („)
    would hang at the baseline, so those languages show their high closing-style mark (“, ”)."""
    opening, closing = (mark.strip() for mark in quotes(language)[:2])
    return closing if opening in ("„", "‚") else opening


def use(md: MarkdownIt, language: str) -> MarkdownIt:
    """Have `md` set quotes, dashes and ellipses in the narrative's text."""
    md.options["typographer"] = True
    md.options["quotes"] = quotes(language)
    md.enable("smartquotes")
    md.core.ruler.before("smartquotes", "dashes", _dashes)
    return md


def plain(text: str, language: str) -> str:
    """A front-matter string (title, subtitle, summary) set like the text; no Markdown in it is read."""
    if not text:
        return text
    [line] = _plain_parser(language).parseInline(text)
    return "".join(token.content for token in line.children or [])


@lru_cache(maxsize=4)
def _plain_parser(language: str) -> MarkdownIt:
    from markdown_it import MarkdownIt

    return use(MarkdownIt("zero"), language)


def _dashes(state: Any) -> None:
    from markdown_it.rules_core.replacements import RARE_RE, replace_rare

    for token in state.tokens:
        if token.type == "inline" and token.children and RARE_RE.search(token.content):
            replace_rare(token.children)
