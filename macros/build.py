"""The full build: PDFs, then the site around them, then a zip of it all, swapped in at once.

MkDocs runs as a separate process, so nothing outside macros/site/plugin.py imports it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from .project import Project
from .site.pages import SITE_ZIP
from .store.output import staging


class SiteBuildError(Exception):
    """MkDocs failed; the message holds what it reported."""


def build_site(
    project: Project, site_dir: Path, build_pdfs, *, rubric: Path, stamp: str | None = None
) -> list:
    """Build everything into a fresh folder and swap it in as `site_dir` only if all succeeded.

    `build_pdfs(out_dir)` renders the printables into the staging folder and returns them.
    """
    with (
        staging(site_dir, stamp) as stage,
        tempfile.TemporaryDirectory(
            prefix=f".{Path(site_dir).name}-pdf-", dir=Path(site_dir).parent
        ) as pdf_parent,
    ):
        pdf_dir = Path(pdf_parent) / "pdf"
        built = build_pdfs(pdf_dir)
        run_mkdocs(project, stage, pdf_dir=pdf_dir, rubric=rubric)  # copies the PDFs into stage/pdf
        if not (stage / "pdf" / "manifest.json").is_file():
            raise SiteBuildError("the site build did not take the PDFs in")
        zip_folder(stage, stage / SITE_ZIP, epoch=int(project.epoch))
    return built


def run_mkdocs(project: Project, site_dir: Path, *, pdf_dir: Path, rubric: Path) -> None:
    python_path = [str(project.package.parent), os.environ.get("PYTHONPATH", "")]
    environment = {
        **os.environ,
        # MkDocs loads this package's plugin by file path: it must import this package too.
        "PYTHONPATH": os.pathsep.join(filter(None, python_path)),
        "TOOLKIT_PDF_DIR": str(pdf_dir),
        "TOOLKIT_RUBRIC": str(Path(rubric).resolve()),
        "NO_MKDOCS_2_WARNING": "1",
    }
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(project.config_file),
        "--site-dir",
        str(site_dir),
    ]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = [
            line
            for line in (result.stderr + result.stdout).splitlines()
            if line.strip() and not line.startswith(("INFO", "DEBUG"))
        ]
        if "Traceback (most recent call last):" in lines and not project.debug:
            start = lines.index("Traceback (most recent call last):")
            lines = lines[:start] + lines[-1:]  # the exception, not the stack
        raise SiteBuildError("the site did not build:\n" + "\n".join(lines[-40:]))


def zip_folder(folder: Path, target: Path, *, epoch: int) -> None:
    """A reproducible zip of the built site (fixed dates, sorted names) to use offline."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path != target:
                info = zipfile.ZipInfo(
                    f"implementation-toolkit/{path.relative_to(folder).as_posix()}", stamp
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
