"""The narrative's bibliography files (CSL-JSON, CSL YAML, BibTeX) → CSL-JSON entries by key."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

from ..core.errors import Location, Problems
from ..core.confine import OutsideRoots, confine
from ..core.strict_yaml import parse_yaml

FORMATS = {".json": "CSL-JSON", ".yaml": "CSL YAML", ".yml": "CSL YAML", ".bib": "BibTeX", ".bibtex": "BibTeX"}
DATE_FIELDS = ("issued", "accessed", "event-date", "original-date", "submitted")
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
MAX_BYTES = 10 * 1024 * 1024


def load(names: list[Path], base_dir: Path, where: Location, problems: Problems) -> dict[str, dict[str, Any]]:
    """Every entry of every file, keyed as cited; each problem located in its file."""
    entries: dict[str, dict[str, Any]] = {}
    for name in names:
        try:
            path = confine(str(name), base_dir, [base_dir])
        except OutsideRoots as exc:
            problems.add(where, f"bibliography {exc}")
            continue
        kind = FORMATS.get(path.suffix.lower())
        if kind is None:
            problems.add(where, f'bibliography "{name}": expected a .json (CSL-JSON), .yaml (CSL YAML) or .bib (BibTeX) file')
            continue
        if path.stat().st_size > MAX_BYTES:
            problems.add(Location(path), f"bibliography {path.name} is larger than {MAX_BYTES // 2**20} MB")
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.add(Location(path), f"cannot read bibliography {path.name}: {exc}")
            continue
        found = _bibtex(path, problems) if kind == "BibTeX" else _csl(path, text, kind, problems)
        for key, entry in found.items():
            entries.setdefault(key, entry)
    return entries


def _csl(path: Path, text: str, kind: str, problems: Problems) -> dict[str, dict[str, Any]]:
    if kind == "CSL-JSON":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.add(Location(path, exc.lineno, exc.colno), f"{path.name} is not valid JSON: {exc.msg}")
            return {}
    else:
        data, _ = parse_yaml(text, path, 1, problems)
        if data is None:
            return {}
        if isinstance(data, dict) and "references" in data:  # pandoc's form: references: [...]
            data = data["references"]
    if not isinstance(data, list):
        problems.add(Location(path), f"{path.name}: a {kind} bibliography is a list of entries, each with an id")
        return {}
    entries: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(data, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), (str, int)) or isinstance(entry.get("id"), bool):
            problems.add(_entry_location(path, text, index, None), f"{path.name}: entry {index} has no id")
            continue
        key = str(entry["id"])
        if key in entries:
            problems.add(_entry_location(path, text, index, key), f'{path.name}: id "{key}" is used twice')
            continue
        entries[key] = _normalised(entry)
    return entries


def _normalised(entry: dict[str, Any]) -> dict[str, Any]:
    """CSL YAML's and pandoc's shorthands as CSL-JSON: dates written 2021-04-01, names as one string."""
    out = dict(entry)
    out["id"] = str(entry["id"])
    out.setdefault("type", "document")
    for field in DATE_FIELDS:
        value = out.get(field)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            match = ISO_DATE.match(str(value).strip())
            out[field] = {"date-parts": [[int(p) for p in match.groups() if p]]} if match else {"literal": str(value)}
    for field in ("author", "editor", "translator", "container-author"):
        value = out.get(field)
        if isinstance(value, str):
            out[field] = [{"literal": value}]
        elif isinstance(value, dict):
            out[field] = [value]
    return out


def _entry_location(path: Path, text: str, index: int, key: str | None) -> Location:
    if key is not None:
        for pattern in (rf'"id"\s*:\s*"{re.escape(key)}"', rf"\bid:\s*['\"]?{re.escape(key)}\b"):
            found = list(re.finditer(pattern, text))
            if len(found) > 1:
                start = found[1].start()
                return Location(path, text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start))
    return Location(path)


def _bibtex(path: Path, problems: Problems) -> dict[str, dict[str, Any]]:
    """BibTeX through citeproc-py's reader, kept as its own entries (they convert on use)."""
    from citeproc.source.bibtex import BibTeX

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source = BibTeX(str(path), encoding="utf-8")
    except Exception as exc:  # the reader raises ValueError, EOFError, KeyError … on malformed files
        line = _bibtex_error_line(path)
        problems.add(Location(path, line, 1), f"{path.name} is not valid BibTeX: {exc or type(exc).__name__}")
        return {}
    return {str(key): {"id": str(key), "_bibtex": source[key]} for key in source}


def _bibtex_error_line(path: Path) -> int:
    """The line of the first entry whose braces do not balance (the reader names no line)."""
    depth, start = 0, 1
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), 1):
        if depth == 0 and line.lstrip().startswith("@"):
            start = number
        depth += line.count("{") - line.count("}")
        if depth < 0:
            return number
    return start if depth else 1
