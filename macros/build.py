"""The full build: the PDFs, then the site around them, then a zip of it all, swapped in at once.

In order: the PDFs are rendered into the cache (the command line's `build_pdfs`, which returns
them); the site's sources are staged (site/stage.py: content/, one page per driver, the
navigation and the footer, around the PDFs that were built); the engine, MkDocs or Zensical,
builds them in this process, handed the pages so nothing is loaded twice; then the policy is
sealed, the PDFs are written into pdf/ and the whole is zipped.
"""

from __future__ import annotations

import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from . import model
from .pdf.build import Built, write_pdfs
from .project import Project
from .site import csp
from .site.engines import build_with
from .site.pages import SITE_ZIP
from .site.stage import DOCS, handed, site_pages, stage_docs
from .store.output import STAMP, stage_dir, staging


def build_site(
    project: Project,
    toolkit: model.Toolkit,
    site_dir: Path,
    build_pdfs: Callable[[Path | None], list[Built]],
    *,
    rubric: Path | None = None,
    stamp: str | None = None,
    engine: str = "mkdocs",
) -> list[Built]:
    """Build everything into a fresh folder and swap it in as `site_dir` only if all succeeded.

    `build_pdfs(None)` renders the printables into the cache and returns them; `rubric` is the
    folder `toolkit` was loaded from (default: the project's).
    """
    with staging(site_dir, stamp) as stage:
        built = build_pdfs(None)
        pages = site_pages(toolkit, built)
        sources = stage_dir(Path(site_dir), "docs")
        try:
            config = stage_docs(project, rubric or project.rubric, pages, sources)
            with handed(sources / DOCS, pages):
                template_dirs = build_with(engine, project, config, stage)
        finally:
            shutil.rmtree(sources, ignore_errors=True)
        csp.seal(stage, template_dirs)
        write_pdfs(stage / "pdf", built)
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
