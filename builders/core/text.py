"""The one sanitizer: which characters may reach any writer (XML 1.0's rules)."""

from __future__ import annotations

import re
from typing import Iterator

# Tab and newline are fine; other C0/C1 controls and non-characters are not valid XML
# and python-pptx would turn them into visible _x0001_ escapes.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def check_text(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, character) of every forbidden character."""
    for match in FORBIDDEN.finditer(text):
        start = match.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        yield line, column, match.group(0)


def clean(text: str) -> str:
    """Drop forbidden characters (for values that did not come from a checked source)."""
    return FORBIDDEN.sub("", text)


def single_spaces(text: str) -> str:
    """Runs of spaces, tabs and newlines as one space, ends trimmed; a no-break space stays
    (`" ".join(text.split())` would turn it into a breaking one)."""
    return re.sub(r"[^\S\u00a0\u202f]+", " ", text).strip()
