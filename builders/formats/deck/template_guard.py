"""A corporate template is untrusted: bounded, macro-free and without external links before python-pptx reads it.

A .pptx is a zip of parts. Its central directory says how many parts there are and how
large each is uncompressed, so a template that would cost gigabytes is refused before
any part is read. A macro project would ride along into every deck built on it, and an
external relationship (a `file:` path, a UNC share, a web address) makes PowerPoint
fetch from elsewhere when the deck is opened: macros are refused, external links removed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from ...core.errors import Location, Problem, TriptychError

MAX_PARTS = 2000
MAX_PART_BYTES = 64 * 2**20
MAX_TOTAL_BYTES = 256 * 2**20
POTX = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PPTX = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
MACRO_SUFFIXES = (".pptm", ".potm", ".ppsm")
MACRO_MARKS = (b"vbaProject", b"macroEnabled", b"vnd.ms-office.activeX")
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINKS = {"{http://schemas.openxmlformats.org/drawingml/2006/main}hlinkClick",
              "{http://schemas.openxmlformats.org/drawingml/2006/main}hlinkHover"}


def sanitized(path: Path, where: Location, warnings: list[Problem] | None = None) -> io.BytesIO:
    """The template as a .pptx package in memory: bounded, without macros or external relationships."""
    try:
        with zipfile.ZipFile(path) as src:
            infos = src.infolist()
            _check_bounds(path, infos, where)
            parts = {info.filename: src.read(info) for info in infos}
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise TriptychError.at(where, f"{path.name} cannot be read as a slide template ({exc})") from None
    _refuse_macros(path, parts, where)
    removed = _remove_external_links(parts)
    if removed and warnings is not None:
        shown = ", ".join(sorted(set(removed))[:3])
        warnings.append(Problem(where, f"{path.name}: {len(removed)} external link(s) removed from the template ({shown})"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            data = parts[info.filename]
            if info.filename == "[Content_Types].xml":
                data = data.replace(POTX, PPTX)  # a .potx differs from a .pptx only in this type
            out.writestr(info.filename, data)
    buffer.seek(0)
    return buffer


def _check_bounds(path: Path, infos: list[zipfile.ZipInfo], where: Location) -> None:
    if len(infos) > MAX_PARTS:
        raise TriptychError.at(where, f"{path.name} holds {len(infos)} parts; a slide template may hold at most {MAX_PARTS}")
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise TriptychError.at(where, f"{path.name}: part {info.filename} is {info.file_size // 2**20} MB uncompressed; "
                                          f"at most {MAX_PART_BYTES // 2**20} MB each")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise TriptychError.at(where, f"{path.name} is {total // 2**20} MB uncompressed; a slide template may be at most "
                                      f"{MAX_TOTAL_BYTES // 2**20} MB")


def _refuse_macros(path: Path, parts: dict[str, bytes], where: Location) -> None:
    types = parts.get("[Content_Types].xml", b"")
    macro_part = next((n for n in parts if PurePosixPath(n).name.lower() == "vbaproject.bin"), None)
    if path.suffix.lower() in MACRO_SUFFIXES or macro_part or any(mark in types for mark in MACRO_MARKS):
        raise TriptychError.at(where, f"{path.name} is a macro-enabled template; macros are refused "
                                      "(save it as a .pptx or .potx without macros)")


def _remove_external_links(parts: dict[str, bytes]) -> list[str]:
    """Drop every TargetMode="External" relationship, and the references to it in its part."""
    removed: list[str] = []
    for name in [n for n in parts if n.endswith(".rels")]:
        try:
            rels = etree.fromstring(parts[name])
        except etree.XMLSyntaxError:
            continue  # python-pptx reports a broken package itself
        ids = set()
        for rel in rels.findall(f"{{{RELS}}}Relationship"):
            if rel.get("TargetMode", "").lower() == "external":
                ids.add(rel.get("Id"))
                removed.append(rel.get("Target", "")[:60])
                rels.remove(rel)
        if not ids:
            continue
        parts[name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        source = _source_part(name)
        if source in parts:
            parts[source] = _drop_references(parts[source], ids)
    return removed


def _source_part(rels_name: str) -> str:
    """word/_rels/x.xml.rels → word/x.xml; _rels/.rels → the package itself ('')."""
    folder, _, file = rels_name.rpartition("_rels/")
    return folder + file.removesuffix(".rels")


def _drop_references(xml: bytes, ids: set[str]) -> bytes:
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError:
        return xml
    for element in list(root.iter()):
        for attr, value in list(element.attrib.items()):
            if attr.startswith(f"{{{R}}}") and value in ids:
                if element.tag in HYPERLINKS and element.getparent() is not None:
                    element.getparent().remove(element)
                    break
                del element.attrib[attr]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
