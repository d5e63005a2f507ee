"""The site engines that build a staged folder (stage.py) in this process: MkDocs or Zensical.

Each is given the staged config and the folder to build into, and reports its errors as one
SiteBuildError. Nothing else here differs between them; the full build (macros/build.py) seals
the policy with the template folders each one names.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from ..errors import SiteBuildError
from ..project import Project

ENGINES = ("mkdocs", "zensical")


def build_with(engine: str, project: Project, config_file: Path, site_dir: Path) -> list[Path]:
    """Build the staged site of `config_file` into `site_dir`; the theme's template folders."""
    if engine == "zensical":
        return _zensical(config_file, site_dir)
    return _mkdocs(project, config_file, site_dir)


class _Messages(logging.Handler):
    """What MkDocs and its plugins report while the full build runs (shown only if it fails)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _mkdocs(project: Project, config_file: Path, site_dir: Path) -> list[Path]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    messages = _Messages()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(messages)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            with project.library_epoch():  # MkDocs dates the sitemap with it
                build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as error:  # mkdocs-macros exits on a macro error
        lines = [_without_traceback(line, project.debug) for line in messages.lines]
        if not isinstance(error, SystemExit) or str(error) not in ("", "100"):
            lines.append(str(error))
        raise SiteBuildError("the site did not build:\n" + "\n".join(lines)) from error
    finally:
        logger.removeHandler(messages)
    return [Path(folder) for folder in config.theme.dirs]


def _zensical(config_file: Path, site_dir: Path) -> list[Path]:
    """Zensical builds into the staged folder's own site/ (it keeps output beside its config)."""
    try:
        import zensical
        from zensical.config import get_config
    except ImportError:
        raise SiteBuildError(
            "--engine zensical: Zensical is not installed (pip install zensical)"
        ) from None

    try:
        zensical.build(str(config_file), {"clean": True, "strict": True})
    except Exception as error:  # noqa: BLE001 (its errors have no common base class)
        raise SiteBuildError(f"the site did not build:\n{error}") from error
    config = get_config()
    built = Path(config["root_dir"], config["site_dir"])
    for path in sorted(built.iterdir()):
        path.rename(site_dir / path.name)
    shutil.rmtree(built, ignore_errors=True)
    return [Path(folder) for folder in config["theme_dirs"]]


def _without_traceback(message: str, debug: bool) -> str:
    """mkdocs-macros appends a traceback to its error message: kept for --debug only."""
    if debug:
        return message
    return message.split("```")[0].split("Traceback (most recent call last)")[0].strip()
