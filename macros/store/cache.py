"""Every cache key of the build, each a hash of the inputs it declares.

- `build_stamp`: everything a build reads, kept in its output to skip an unchanged build;
- `pdf_environment_key`: what changes a PDF's bytes besides its HTML; `printable_key`: one PDF;
- `form_font_key`: the subset font of the PDF form fields.

Library versions are not a hand-kept list: they are the installed versions of what the
project (or WeasyPrint, for the PDFs) declares it requires, followed through their own
requirements.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from ..project import DISTRIBUTION, Project

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def requirement_versions(*roots: str) -> list[str]:
    """`name=version` of the distributions `roots` and all they require (not their extras)."""
    versions: dict[str, str] = {}
    todo = list(roots)
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in versions:
            continue
        try:
            found = distribution(name)
        except PackageNotFoundError:  # a requirement for another platform or Python
            continue
        versions[name] = found.version
        for requirement in found.requires or []:
            match = _NAME.match(requirement)
            if match and "extra" not in requirement.partition(";")[2]:
                todo.append(match.group())
    return sorted(f"{name}={version}" for name, version in versions.items())


class _Digest:
    def __init__(self, *parts: str) -> None:
        self._hash = hashlib.sha256()
        for part in parts:
            self.text(part)

    def text(self, value: str) -> None:
        self._hash.update(value.encode() + b"\0")

    def file(self, path: Path, name: str) -> None:
        self.text(name)
        self._hash.update(path.read_bytes())

    def folder(self, folder: Path) -> None:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                self.file(path, path.relative_to(folder).as_posix())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def build_stamp(
    project: Project, rubric: Path, options: Iterable[object], fonts: Iterable[Path]
) -> str:
    """The inputs of a whole build: rubric, code and templates, site files, options, fonts."""
    digest = _Digest(repr((tuple(options), project.epoch)))
    for folder in (rubric, project.package, project.overrides, project.content):
        digest.folder(folder)
    digest.file(project.config_file, "mkdocs.yml")
    for font in fonts:
        digest.file(font, str(font))
    for version in requirement_versions(DISTRIBUTION):
        digest.text(version)
    return digest.hexdigest()


def pdf_environment_key(
    project: Project, fonts: Iterable[Path], code: Iterable[Path], harfbuzz_subset: bool
) -> str:
    """Everything outside a printable's HTML that changes its PDF's bytes.

    `code` is the modules that turn HTML into PDF; the HTML itself holds all the data.
    """
    digest = _Digest(project.epoch, f"harfbuzz-subset={harfbuzz_subset}")
    digest.folder(project.styles)
    for font in fonts:
        digest.file(font, font.name)
    for path in code:
        digest.file(path, path.name)
    for version in requirement_versions("weasyprint", "pikepdf"):
        digest.text(version)
    return digest.hexdigest()


def printable_key(environment: str, options: Iterable[object], html: str) -> str:
    """One PDF: the environment, its page options and its final HTML."""
    return _Digest(environment, repr(tuple(options)), html).hexdigest()


def form_font_key(source: Path, unicodes: list[int], code: Path) -> str:
    """The form-field font: its source font, the characters kept and the code that subsets."""
    digest = _Digest(repr(unicodes))
    digest.file(source, source.name)
    digest.file(code, code.name)
    return digest.hexdigest()[:16]
