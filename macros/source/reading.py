"""Find and read the rubric's files: which files, what they are, their YAML with positions.

A file that is not there, not a regular file, or a second link to one driver is a Problem here;
what a readable file says is checked by validating.py and crosscheck.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import Problem
from .yamldoc import Document, read_document

TOOLKIT_FILES = {  # file -> (schema, key it fills in the Toolkit, or None for the top level)
    "toolkit.yaml": ("toolkit.schema.json", None),
    "references.yaml": ("references.schema.json", "references"),
    "forms.yaml": ("forms.schema.json", "forms"),
    "implementation-support.yaml": ("implementation-support.schema.json", "implementation_support"),
}
DRIVER_SCHEMA = "driver.schema.json"


def shown(file: Path, base: Path) -> str:
    """The path as given (links not followed, so a link and its target are told apart)."""
    try:
        return Path(os.path.abspath(file)).relative_to(base).as_posix()
    except ValueError:
        return file.as_posix()


def _not_a_file(file: Path) -> str | None:
    """Why `file` cannot be read as a rubric file, without opening it (a FIFO would block)."""
    if file.is_symlink() and not file.exists():
        return "is a symbolic link that leads nowhere (or in a loop)"
    if not file.exists():
        return "file is missing"
    if file.is_dir():
        return "is a folder; expected a YAML file"
    if not file.is_file():
        return "is not a regular file (a FIFO, device or socket); expected a YAML file"
    return None


def read(file: Path, base: Path, problems: list[Problem]) -> Document | None:
    """One rubric file's YAML, or None with its problems added to `problems`."""
    name = shown(file, base)
    reason = _not_a_file(file)
    if reason:
        problems.append(Problem(name, 1, 1, "(file)", reason))
        return None
    document, found = read_document(file, name)
    problems.extend(found)
    return document


def driver_files(driver_dir: Path, base: Path, problems: list[Problem]) -> Iterator[Path]:
    """The files of drivers/ to read, each once: other names and second links are problems."""
    files = (
        sorted(driver_dir.iterdir(), key=lambda f: (f.is_symlink(), f.name))
        if driver_dir.is_dir()
        else []
    )
    read_as: dict[Path, str] = {}  # the real file behind each driver file, for links
    for file in files:  # real files first: a link to one of them is the one reported
        if file.name.startswith(".") or (file.is_dir() and file.suffix != ".yaml"):
            continue
        name = shown(file, base)
        real = file.resolve() if file.exists() else file
        if file.suffix != ".yaml":
            problems.append(Problem(name, 1, 1, "(file)", "driver files must be named <id>.yaml"))
        elif real in read_as:
            link = f"is a link to {read_as[real]}; a driver is one file"
            problems.append(Problem(name, 1, 1, "(file)", link))
        else:
            read_as[real] = name
            yield file
