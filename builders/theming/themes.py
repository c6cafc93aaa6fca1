"""Theme loading: find a theme, follow its `extends` chain, merge its design tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.catalogue import CATALOGUE
from ..core.errors import Location, Problems, TriptychError, suggest
from ..core.labels import KEYS, fields
from ..core.strict_yaml import load_yaml
from ..reading.frontmatter import BCP47
from .theme_files import check_theme_files

MANIFEST = "theme.yaml"
ENTRY_POINT_GROUP = "triptych.themes"
MAX_CHAIN = 8
COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
FAMILY = re.compile(r"^[A-Za-z0-9 ._-]{1,64}$")
LENGTH = re.compile(r"^\d+(?:\.\d+)?(?:pt|mm|cm|in|px|em|rem)?(?:\s+\d+(?:\.\d+)?(?:pt|mm|cm|in|px|em|rem)?){0,3}$")
TOKEN_GROUPS = {"colors", "fonts", "type", "page", "slides", "epub"}
MANIFEST_KEYS = TOKEN_GROUPS | {"name", "extends", "description", "labels"}


def builtin_dir() -> Path:
    """Built-in themes: inside the package when installed, else the repository's themes/."""
    package = Path(__file__).resolve().parent.parent  # builders/
    packaged = package / "themes"
    return packaged if packaged.is_dir() else package.parent / "themes"


@dataclass
class FontFace:
    family: str
    path: Path
    style: str  # normal | italic
    # A face for a script the theme's own faces lack (theming/script_fonts.py): stylesheets list its
    # family after each of the theme's, so a character they do not draw is drawn by it.
    fallback: bool = False


@dataclass
class Theme:
    name: str
    folders: list[Path]  # the theme first, then what it extends
    tokens: dict[str, Any]
    fonts: list[FontFace] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # language → label key → the theme's words

    @property
    def template_dirs(self) -> list[Path]:
        return [f / "templates" for f in self.folders if (f / "templates").is_dir()]

    def file(self, relative: str) -> Path | None:
        """The nearest theme's copy of a file (a child theme overrides file by file)."""
        for folder in self.folders:
            if (folder / relative).is_file():
                return folder / relative
        return None

    @property
    def roots(self) -> list[Path]:
        """Folders this theme may read resources from."""
        return [*self.folders, *{f.path.parent for f in self.fonts}]


def search_path(project_dir: Path | None) -> list[Path]:
    """A project's own themes/ folder first, then installed theme packages, then the built-ins."""
    builtin = builtin_dir()
    # Working in this repository, ./themes *is* the built-in folder: it still belongs last.
    paths: list[Path] = []
    candidates = [project_dir / "themes" if project_dir else None, Path.cwd() / "themes", *package_dirs()]
    for candidate in candidates:
        if candidate and candidate.is_dir() and candidate.resolve() not in [p.resolve() for p in [*paths, builtin]]:
            paths.append(candidate)
    return [*paths, builtin]


def package_dirs() -> list[Path]:
    """Folders of installed theme packages: each entry point of the group names a package
    whose folder holds theme folders, e.g. `[project.entry-points."triptych.themes"] acme = "acme_themes"`."""
    from importlib.metadata import entry_points
    from importlib.util import find_spec

    folders: list[Path] = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        try:
            # find_spec locates the package without running its code: listing themes stays cheap and safe.
            spec = find_spec(point.module)
        except (ImportError, ValueError):
            spec = None  # one broken package must not stop every build; its themes are simply absent
        for location in (spec.submodule_search_locations or []) if spec else []:
            folders.append(Path(location))
    return folders


def origin(folder: Path) -> str:
    """Where a theme comes from, for `triptych themes list`: project, package or built-in."""
    resolved = folder.resolve()
    if resolved.is_relative_to(builtin_dir().resolve()):
        return "built-in"
    if any(resolved.is_relative_to(p.resolve()) for p in package_dirs()):
        return "package"
    return "project"


def available(project_dir: Path | None = None) -> dict[str, Path]:
    """Theme name → folder, earlier search paths winning."""
    found: dict[str, Path] = {}
    for base in search_path(project_dir):
        for folder in sorted(base.iterdir()):
            if (folder / MANIFEST).is_file() and folder.name not in found:
                found[folder.name] = folder
    return found


def load_theme(name: str, project_dir: Path | None = None, where: Location | None = None) -> Theme:
    """Load a theme by name with its whole inheritance chain."""
    themes = available(project_dir)
    problems = Problems()
    chain: list[tuple[Path, dict]] = []
    labels: dict[str, dict[str, str]] = {}
    current, asked_at = name, where
    while current:
        if current not in themes:
            raise TriptychError.at(asked_at or Location(Path("theme")), f'unknown theme "{current}"{suggest(current, themes)}')
        folder = themes[current]
        if any(folder == f for f, _ in chain) or len(chain) >= MAX_CHAIN:
            raise TriptychError.at(Location(folder / MANIFEST), f'theme "{current}" extends itself')
        manifest = folder / MANIFEST
        data, places = load_yaml(manifest.read_text(encoding="utf-8"), manifest, 1, problems)
        problems.raise_if_any()
        if not isinstance(data, dict):
            raise TriptychError.at(Location(manifest), "a theme manifest is a mapping")
        for key in data:
            if key not in MANIFEST_KEYS:
                problems.add(places.get(f"key:{key}", Location(manifest)), f'unknown theme key "{key}"{suggest(str(key), MANIFEST_KEYS)}')
        chain.append((folder, data))
        for language, words in _labels(data.get("labels"), places, Location(manifest), problems).items():
            labels[language] = {**words, **labels.get(language, {})}  # the child's words win
        parent = data.get("extends")
        asked_at = places.get("extends")
        # A project theme may extend a built-in one of the same name.
        if parent == current:
            themes = {**themes, current: builtin_dir() / current}
        current = parent
    problems.raise_if_any()
    tokens: dict[str, Any] = {}
    for _, data in reversed(chain):
        tokens = _merge_tokens(tokens, {k: v for k, v in data.items() if k in TOKEN_GROUPS})
    theme = Theme(name, [f for f, _ in chain], tokens, labels=labels)
    check_theme_files(theme.folders, problems)
    _validate(theme, problems)
    problems.raise_if_any()
    theme.fonts = _font_faces(theme, problems)
    problems.raise_if_any()
    return theme


def _merge_tokens(base: dict, layer: dict) -> dict:
    """A child theme's tokens over its parent's. A font is replaced whole (a child's Verdana is not
    measured with the parent's `metrics:` twin), and a child that sets the slide face without a
    slide heading face gets its titles in that face too."""
    fonts = layer.get("fonts")
    if not isinstance(fonts, dict) or not isinstance(base.get("fonts"), dict):
        return _merge(base, layer)
    dropped = {"slide-heading"} - set(fonts) if "slide" in fonts else set()
    merged = _merge(base, {k: v for k, v in layer.items() if k != "fonts"})
    # The parent's roles in its order, each replaced whole where the child names it; then the child's new ones.
    merged["fonts"] = {**{role: fonts.get(role, spec) for role, spec in base["fonts"].items() if role not in dropped},
                       **fonts}
    return merged


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _labels(data: Any, places: dict[str, Location], top: Location, problems: Problems) -> dict[str, dict[str, str]]:
    """A manifest's `labels:`: language tag → label → words, each keeping the catalogue's {fields}."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.add(places.get("labels", top), "labels: a mapping of language tags to labels, e.g. labels: {en: {briefing: Policy brief}}")
        return {}
    found: dict[str, dict[str, str]] = {}
    for language, words in data.items():
        where = places.get(f"labels.{language}", top)
        if not isinstance(language, str) or not BCP47.match(language):
            problems.add(places.get(f"key:labels.{language}", where), f'labels: "{language}" is not a BCP 47 language tag (e.g. en, uk, de-AT)')
            continue
        if not isinstance(words, dict):
            problems.add(where, f"labels.{language}: a mapping of labels to words, e.g. {{contents: …}}")
            continue
        for key, value in words.items():
            here = places.get(f"labels.{language}.{key}", where)
            if key not in KEYS:
                problems.add(places.get(f"key:labels.{language}.{key}", here), f'labels.{language}: unknown label "{key}"{suggest(str(key), KEYS)}')
            elif not isinstance(value, str) or not value.strip():
                problems.add(here, f"labels.{language}.{key}: the words, as text")
            elif not _fields_kept(value, CATALOGUE["en"][key]):
                wanted = ", ".join(f"{{{f}}}" for f in sorted(fields(CATALOGUE["en"][key]))) or "no {fields}"
                problems.add(here, f"labels.{language}.{key}: may use {wanted} (like \"{CATALOGUE['en'][key]}\")")
            else:
                found.setdefault(language, {})[key] = value
    return found


def _fields_kept(value: str, default: str) -> bool:
    try:
        return fields(value) <= fields(default)
    except ValueError:  # an unmatched brace
        return False


def _validate(theme: Theme, problems: Problems) -> None:
    """Tokens land in CSS and slide XML: only well-formed values get through."""
    where = Location(theme.folders[0] / MANIFEST)
    for name, value in theme.tokens.get("colors", {}).items():
        for colour in value if isinstance(value, list) else [value]:
            if not isinstance(colour, str) or not COLOR.match(colour):
                problems.add(where, f'colors.{name}: "{colour}" is not a #RRGGBB colour')
    for group in ("fonts",):
        for role, spec in theme.tokens.get(group, {}).items():
            family = spec.get("family") if isinstance(spec, dict) else spec
            if not isinstance(family, str) or not FAMILY.match(family):
                problems.add(where, f'fonts.{role}: "{family}" is not a font family name')
    for group in ("type", "page"):
        for key, value in theme.tokens.get(group, {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                continue
            if not isinstance(value, str) or not (LENGTH.match(value) or FAMILY.match(value)):
                problems.add(where, f'{group}.{key}: "{value}" is not a length')
    style = theme.tokens.get("type", {}).get("subtitle-style", "italic")
    if style not in ("italic", "normal"):
        problems.add(where, f'type.subtitle-style: "{style}" is neither italic nor normal')
    for required in ("brand", "ink", "paper"):
        if required not in theme.tokens.get("colors", {}):
            problems.add(where, f'colors.{required} is required')


def _font_faces(theme: Theme, problems: Problems) -> list[FontFace]:
    """Font files for the theme's families: from the theme's fonts/ folder or a fontpkg package."""
    import fontpkg

    faces: list[FontFace] = []
    seen: set[str] = set()
    for role, spec in theme.tokens.get("fonts", {}).items():
        family = spec["family"] if isinstance(spec, dict) else spec
        if family in seen or (isinstance(spec, dict) and spec.get("embed") is False):
            continue
        seen.add(family)
        local = [p for folder in theme.folders for p in sorted((folder / "fonts").glob("*.[ot]tf"))
                 if p.stem.replace("-", " ").lower().startswith(family.lower())]
        if local:
            faces.extend(FontFace(family, p, "italic" if "italic" in p.stem.lower() else "normal") for p in local)
            continue
        try:
            package = fontpkg.family(family)
        except fontpkg.FontpkgError:
            problems.add(Location(theme.folders[0] / MANIFEST), f'fonts.{role}: "{family}" is not installed (pip install fontpkg-{fontpkg.slugify(family)})')
            continue
        faces.extend(FontFace(family, f.path, f.style) for f in package.files)
    return faces


def describe(theme: Theme) -> str:
    """A short human summary, for `triptych themes show`."""
    chain = " → ".join(f.name for f in theme.folders)
    return yaml.safe_dump({"theme": theme.name, "inherits": chain, **theme.tokens}, sort_keys=False, allow_unicode=True)
