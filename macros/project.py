"""Where everything is: the project's folders, the package's data and the environment's settings.

The only module that reads environment variables or locates files; the rest of the code is
handed a Project, so a test or a copy of the project elsewhere changes one object, not globals.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

DISTRIBUTION = "implementation-toolkit"  # pyproject.toml's [project] name: what pip installs
DEFAULT_EPOCH = "1577836800"  # 2020-01-01: fonts carry a timestamp; a fixed one keeps bytes equal


@dataclass(frozen=True)
class Project:
    """A toolkit project folder (mkdocs.yml, rubric/, content/, overrides/) and its settings."""

    root: Path
    rubric: Path  #: TOOLKIT_RUBRIC, else rubric/
    cache: Path  #: TOOLKIT_CACHE, else .cache/: rendered PDFs and the form font
    epoch: str  #: SOURCE_DATE_EPOCH, else DEFAULT_EPOCH: the date stamped into PDFs and the zip
    debug: bool  #: TOOLKIT_DEBUG: tracebacks instead of one-line errors
    ci: bool  #: CI: no progress line

    # The package's own files: the same for every project, so readable from the class too.
    package: ClassVar[Path] = Path(__file__).resolve().parent
    templates: ClassVar[Path] = package / "render" / "templates"  #: the site's and printables'
    styles: ClassVar[Path] = package / "render" / "styles"  #: the printables' style sheets
    schemas: ClassVar[Path] = package / "source" / "schemas"  #: one JSON Schema per rubric file

    @classmethod
    def at(cls, root: Path, environ: Mapping[str, str] = os.environ) -> Project:
        root = Path(root).resolve()
        return cls(
            root=root,
            rubric=Path(environ.get("TOOLKIT_RUBRIC") or root / "rubric"),
            cache=Path(environ.get("TOOLKIT_CACHE") or root / ".cache"),
            epoch=environ.get("SOURCE_DATE_EPOCH") or DEFAULT_EPOCH,
            debug=bool(environ.get("TOOLKIT_DEBUG")),
            ci=bool(environ.get("CI")),
        )

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def overrides(self) -> Path:
        return self.root / "overrides"

    @property
    def font_cache(self) -> Path:
        return self.cache / "fonts"

    @property
    def pdf_cache(self) -> Path:
        return self.cache / "pdf"

    @contextmanager
    def library_epoch(self) -> Iterator[None]:
        """SOURCE_DATE_EPOCH set to `epoch` while a library that reads it runs, then restored.

        fontTools (fonts in PDFs) and MkDocs (the sitemap) read the date from the environment;
        our own code reads `epoch`, so nothing depends on when the variable was set.
        """
        previous = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = self.epoch
        try:
            yield
        finally:
            if previous is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous
