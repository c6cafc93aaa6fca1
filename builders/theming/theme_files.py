"""Every file a theme contributes stays inside it: checked once, at load, whatever is built.

A theme may come from anyone (a colleague's folder, a package). Its fonts, images,
templates and reference deck are read into artefacts, so a symlink out of the theme
would copy any file the user can read into a PDF, deck or e-book, and a stylesheet
`url()` that names an outside file would carry it there too.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..core.errors import Location, Problems

MAX_THEME_FILES = 2000  # a theme is a few dozen files; a folder of thousands is a mistake
# Literal references in templates and stylesheets: url(...), @import "...", src="...".
REFERENCE = re.compile(r"""url\(\s*(['"]?)([^'")\s]*)\1\s*\)|@import\s+(['"])([^'"]*)\3|\bsrc\s*=\s*(['"])([^'"]*)\5""", re.I)


def check_theme_files(folders: list[Path], problems: Problems) -> None:
    """Refuse links that leave the theme and literal references to files outside it."""
    roots = [f.resolve() for f in folders]
    for folder in folders:
        count = 0
        for top, dirs, files in os.walk(folder, followlinks=False):
            for name in sorted([*dirs, *files]):
                path = Path(top) / name
                count += 1
                if count > MAX_THEME_FILES:
                    problems.add(Location(folder), f"the theme holds more than {MAX_THEME_FILES} files")
                    return
                if path.is_symlink() and not _inside(path, roots):
                    problems.add(Location(path), "a link to a file outside the theme: a theme's files must lie in its folder")
                elif name.endswith(".j2") and path.is_file() and not path.is_symlink():
                    _check_references(path, folder, roots, problems)


def _inside(path: Path, roots: list[Path]) -> bool:
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return any(resolved.is_relative_to(root) for root in roots)


def _check_references(template: Path, folder: Path, roots: list[Path], problems: Problems) -> None:
    text = template.read_text(encoding="utf-8", errors="replace")
    for match in REFERENCE.finditer(text):
        target = next(g for g in (match.group(2), match.group(4), match.group(6)) if g is not None)
        if "{{" in text[match.start():match.end() + 2] or "{" in target or target.startswith(("#", "data:")) or not target:
            continue  # filled in by the build (font files, figures), an in-page anchor, or inline data
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - text.rfind("\n", 0, match.start())
        where = Location(template, line, column)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("/", "\\")):
            problems.add(where, f'"{target}" lies outside the theme: a theme refers only to files in its own folder')
        elif (".." in Path(target).parts or (folder / target).exists()) and not _inside(folder / target, roots):
            problems.add(where, f'"{target}" lies outside the theme: a theme refers only to files in its own folder')
