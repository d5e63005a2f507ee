"""Skip a build whose inputs have not changed since the output was made.

The stamp is a hash of every file the build reads (rubric, code, templates, styles, site
config), the options, the library versions and the fonts; store.output keeps it in the output.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

PDF_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "jinja2", "markdown", "pyyaml")
LIBRARIES = (*PDF_LIBRARIES, "jsonschema", "mkdocs", "mkdocs-material", "mkdocs-macros-plugin")


def inputs_key(folders: list[Path], files: list[Path], options: str) -> str:
    digest = hashlib.sha256(options.encode())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    for path in files:
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}={version(library)}".encode())
    return digest.hexdigest()
