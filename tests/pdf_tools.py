"""Small helpers to read built PDFs the way a user meets them: their text, form fields, metadata."""

from __future__ import annotations

import functools
import re
import subprocess
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from macros.render.markdown import plain

PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
RADIO = 1 << 15
PUSHBUTTON = 1 << 16


def norm(text: str) -> str:
    """Text as a reader sees it: no soft hyphens, hyphenated breaks joined, spaces collapsed."""
    text = text.replace("\u00ad", "").replace("\ufb01", "fi").replace("\ufb02", "fl")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1-\2", text)
    return re.sub(r"\s+", " ", text).strip()


def md_text(markdown: str) -> str:
    """Rubric Markdown as it reads once printed (emphasis marks gone, spaces collapsed)."""
    return norm(plain(markdown))


def _stamp(pdf: Path) -> tuple[str, int, int]:
    stat = Path(pdf).stat()
    return str(pdf), stat.st_mtime_ns, stat.st_size


@functools.cache
def _reader(path: str, mtime: int, size: int) -> PdfReader:
    return PdfReader(path)


def reader_of(pdf: Path) -> PdfReader:
    """A pypdf reader for the PDF, shared between tests while the file is unchanged."""
    return _reader(*_stamp(pdf))


def page_count(pdf: Path) -> int:
    """How many pages the PDF has, as qpdf reads it (fast enough for every PDF of a build)."""
    with pikepdf.open(pdf) as document:
        return len(document.pages)


@functools.cache
def _pages(path: str, mtime: int, size: int) -> tuple[str, ...]:
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", path, "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    pages = result.stdout.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return tuple(norm(page) for page in pages)


def pages_of(pdf: Path) -> tuple[str, ...]:
    """The normalised text of each page (pdftotext -raw: drawing order, hyphens kept)."""
    return _pages(*_stamp(pdf))


def text_of(pdf: Path) -> str:
    """The normalised text of the whole PDF."""
    return " ".join(pages_of(pdf))


def missing(texts, pdf: Path) -> list[str]:
    """Those of `texts` (already normalised) that the PDF's text does not hold."""
    text = text_of(pdf)
    return [item for item in texts if item not in text]


@dataclass
class Field:
    name: str
    kind: str  #: "text", "checkbox", "radio", "button" or "choice"
    options: tuple[str, ...]  #: a radio group's export values, in order
    value: str
    tooltip: str  #: /TU, the name a screen reader announces
    widgets: int  #: how many boxes on the pages carry this name


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _kind(field) -> str:
    field_type = field.get("/FT")
    flags = int(field.get("/Ff", 0))
    if field_type == "/Tx":
        return "text"
    if field_type == "/Ch":
        return "choice"
    if flags & PUSHBUTTON:
        return "button"
    return "radio" if flags & RADIO else "checkbox"


def fields_of(pdf: Path) -> dict[str, Field]:
    """Every form field a viewer shows, by name, found from the widgets on the pages."""
    fields: dict[str, Field] = {}
    for page in reader_of(pdf).pages:
        for annotation in _resolve(page.get("/Annots")) or []:
            widget = _resolve(annotation)
            if widget.get("/Subtype") != "/Widget":
                continue
            field = _resolve(widget["/Parent"]) if "/Parent" in widget else widget
            name = str(field["/T"])
            if name in fields:
                fields[name].widgets += 1
                continue
            options = ()
            if _kind(field) == "radio":
                if "/Opt" in field:
                    options = tuple(str(option) for option in field["/Opt"])
                else:
                    kids = [_resolve(kid) for kid in field.get("/Kids", [widget])]
                    options = tuple(
                        str(state)[1:]
                        for kid in kids
                        for state in _resolve(kid["/AP"])["/N"]
                        if state != "/Off"
                    )
            fields[name] = Field(
                name, _kind(field), options, str(field.get("/V", "")), str(field.get("/TU", "")), 1
            )
    return fields


def link_uris(pdf: Path) -> list[str]:
    """The target of every link annotation in the PDF."""
    uris = []
    for page in reader_of(pdf).pages:
        for annotation in _resolve(page.get("/Annots")) or []:
            action = _resolve(_resolve(annotation).get("/A"))
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def acroform_of(pdf: Path):
    """The document's /AcroForm dictionary, or None."""
    return _resolve(reader_of(pdf).trailer["/Root"].get("/AcroForm"))


def catalog_of(pdf: Path):
    return reader_of(pdf).trailer["/Root"]


def xmp_of(pdf: Path) -> ElementTree.Element | None:
    """The XMP metadata packet, parsed, or None when there is none."""
    metadata = catalog_of(pdf).get("/Metadata")
    if metadata is None:
        return None
    data = _resolve(metadata).get_data()
    start, end = data.index(b"<x:xmpmeta"), data.rindex(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")
    return ElementTree.fromstring(data[start:end])


def pdfua_part(pdf: Path) -> str | None:
    """The PDF/UA part the XMP metadata declares (attribute or element form), or None."""
    xmp = xmp_of(pdf)
    if xmp is None:
        return None
    for element in xmp.iter():
        if f"{{{PDFUA_NS}}}part" in element.attrib:
            return element.attrib[f"{{{PDFUA_NS}}}part"]
        if element.tag == f"{{{PDFUA_NS}}}part":
            return (element.text or "").strip()
    return None


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Width and height in points of each page, as a viewer shows it (rotation applied)."""
    sizes = []
    for page in reader_of(pdf).pages:
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        if int(page.get("/Rotate", 0)) % 180:
            width, height = height, width
        sizes.append((width, height))
    return sizes


def render_first_page(pdf: Path, out_prefix: Path, dpi: int = 40) -> Path:
    """Page one rendered to PNG with pdftoppm; returns the PNG's path."""
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(out_prefix),
        ],
        check=True,
        capture_output=True,
    )
    return out_prefix.with_suffix(".png")
