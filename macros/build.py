"""The full build: PDFs, then the site around them, then a zip of it all, swapped in at once.

MkDocs runs in this process (macros/site/plugin.py: build_site), given the rubric the command
line already loaded and checked, so the rubric is read once per build.
"""

from __future__ import annotations

import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import model
from .errors import SiteBuildError
from .project import Project
from .site.pages import SITE_ZIP
from .store.output import STAMP, stage_dir, staging


def build_site(
    project: Project,
    toolkit: model.Toolkit,
    site_dir: Path,
    build_pdfs: Callable[[Path], list[Any]],
    *,
    stamp: str | None = None,
) -> list[Any]:
    """Build everything into a fresh folder and swap it in as `site_dir` only if all succeeded.

    `build_pdfs(out_dir)` renders the printables into the staging folder and returns them.
    """
    from .site.plugin import build_site as build_with_mkdocs  # MkDocs loads only for --site

    with staging(site_dir, stamp) as stage:
        pdf_parent = stage_dir(Path(site_dir), "pdf")
        try:
            pdf_dir = pdf_parent / "pdf"
            built = build_pdfs(pdf_dir)
            build_with_mkdocs(project, toolkit, stage, pdf_dir)  # PDFs go to stage/pdf
        finally:
            shutil.rmtree(pdf_parent, ignore_errors=True)
        if not (stage / "pdf" / "manifest.json").is_file():
            raise SiteBuildError("the site build did not take the PDFs in")
        zip_folder(stage, stage / SITE_ZIP, epoch=int(project.epoch))
    return built


def zip_folder(folder: Path, target: Path, *, epoch: int) -> None:
    """A reproducible zip of the built site (fixed dates, sorted names) to use offline, without
    the build's markers: an unzipped copy is the user's, never an output a build may replace."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path != target and path.name != STAMP:
                info = zipfile.ZipInfo(
                    f"implementation-toolkit/{path.relative_to(folder).as_posix()}", stamp
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
