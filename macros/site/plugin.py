"""The toolkit's MkDocs plugin: what `mkdocs serve` and a plain `mkdocs build` need beyond the
engine-neutral site of stage.py. The full build does not use it (macros/build.py).

mkdocs.yml lists it as `toolkit` (an entry point in pyproject.toml). Once per build it loads and
checks the rubric (stage.checked_toolkit, as `--check` checks it), and hands MkDocs what
stage.py makes for every engine: the navigation, the footer and one page per driver, and to the
macros (page_macros.py) the pages. The PDFs are those the cache holds for this content, written
into the site after MkDocs built it; the policy is sealed then too (site.csp).

Under `mkdocs serve` the same instance serves every rebuild (it has `on_startup`): it keeps the
last good rubric while the YAML is broken, renders the PDFs an edit changes (live_pdfs.py), says
so in a banner, and sends the policy as a header (serving.py). It does not re-import Python
code, so an edit to a .py file needs a restart; the banner says so.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .. import model
from ..catalogue import catalogue
from ..errors import RubricError
from ..project import Project
from ..render.markdown import MarkdownRenderer
from . import csp, serving
from .live_pdfs import LivePdfs
from .pages import SitePages
from .stage import checked_toolkit, driver_files, footer, hand_over, site_pages

if TYPE_CHECKING:
    from ..pdf.build import Built

log = logging.getLogger("mkdocs.plugins.toolkit")


class ToolkitConfig(base.Config):
    serve_pdfs = c.Type(bool, default=True)
    """Under `mkdocs serve`, render the PDFs an edit changes (else offer those cached)."""


def _project(config: MkDocsConfig) -> Project:
    """The project whose mkdocs.yml MkDocs reads (paths and settings: macros.project)."""
    return Project.at(Path(config.config_file_path).parent)


def _code_signature(package: Path) -> dict[str, tuple[int, int]]:
    return {
        path.relative_to(package.parent).as_posix(): (path.stat().st_mtime_ns, path.stat().st_size)
        for path in sorted(package.rglob("*.py"))
    }


class ToolkitPlugin(BasePlugin[ToolkitConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.code: dict[str, tuple[int, int]] = {}  #: the .py files this process runs
        self.last_good: model.Toolkit | None = None  #: under serve, shown while the YAML is broken
        self.live_pdfs: LivePdfs | None = None  #: under serve, PDFs that follow the edits
        self.pages: SitePages | None = None
        self.built: list[Built] = []  #: the PDFs this build puts into the site (pdf.build.Built)
        self.hashes: list[str] = []  #: under serve, the policy's hashes of the theme's scripts

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.code = _code_signature(Project.package)
        if self.serving and self.config.serve_pdfs:
            self.live_pdfs = LivePdfs()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project = _project(config)
        notices: dict[str, object] = {}
        toolkit = self._toolkit(project, notices)
        shown = toolkit or self.last_good  # the last good one while serve shows a broken rubric
        if shown is None:
            raise PluginError("the toolkit plugin has no rubric to show")
        self.built = self._pdfs(project, shown, toolkit is not None, notices)
        changed = sorted(
            name
            for name, stamp in _code_signature(Project.package).items()
            if self.code.get(name) != stamp
        )
        if self.serving and changed:
            log.info("Python code changed (%s): restart `mkdocs serve` to run it", changed[0])
            notices["code_changed"] = changed
        self.pages = site_pages(shown, self.built)
        hand_over(Path(config.docs_dir), self.pages)
        config.nav = self.pages.nav()
        config.copyright = footer(self.pages)
        config.extra["toolkit_notices"] = notices or None
        # Live reload injects a script that changes on every request: under serve the server
        # sends the policy as a header with its hash (serving.guard), not in the page.
        config.extra["content_security_policy"] = None if self.serving else csp.UNSEALED
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """One page per driver, its Markdown made by stage.py (not a template); and the PDFs
        beside the pages (the Downloads page links to pdf/), as soon as MkDocs has emptied the
        site folder: under serve they are missing only for that moment."""
        if self.pages is None:
            raise PluginError("the toolkit plugin has not run on_config")
        for path, text in driver_files(self.pages).items():
            files.append(File.generated(config, path, content=text))
        pdf_dir = Path(config.site_dir) / "pdf"
        if self.live_pdfs is not None:
            self.live_pdfs.write(pdf_dir)
        elif self.built:
            from ..pdf.build import write_pdfs

            write_pdfs(pdf_dir, self.built)
        return files

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Send the site's policy and refuse other hosts (serving.guard); also watch a rubric
        given through TOOLKIT_RUBRIC (mkdocs.yml watches rubric/), and the end of a PDF render."""
        serving.guard(server, config.dev_addr.host, config.dev_addr.port, lambda: self.hashes)
        project = _project(config)
        if project.rubric != project.root / "rubric":
            server.watch(str(project.rubric))
        if self.live_pdfs is not None:
            server.watch(str(self.live_pdfs.done_dir))  # PDFs rendered: show them
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Seal the pages' Content-Security-Policy (site.csp)."""
        site_dir = Path(config.site_dir)
        if config.extra.get("content_security_policy"):
            csp.seal(site_dir, config.theme.dirs)
        elif self.serving:
            self.hashes = csp.site_hashes(site_dir, config.theme.dirs)

    def on_shutdown(self) -> None:
        if self.live_pdfs is not None:
            self.live_pdfs.close()

    # --- the steps of on_config -----------------------------------------------------------------

    def _toolkit(self, project: Project, notices: dict[str, Any]) -> model.Toolkit | None:
        """The rubric, checked as `--check` checks it; None while serve shows the last good one."""
        try:
            toolkit = checked_toolkit(project.rubric)
        except RubricError as error:
            if not (self.serving and self.last_good):
                raise PluginError(error.report()) from None
            log.info("%s\nStill serving the last good version until this is fixed.", error)
            notices["rubric_problems"] = [str(problem) for problem in error.problems]
            return None
        self.last_good = toolkit
        return toolkit

    def _pdfs(
        self, project: Project, toolkit: model.Toolkit, current: bool, notices: dict[str, Any]
    ) -> list[Built]:
        """The PDFs of this build: serve's (rendered as the edits come), else those the cache
        holds for this content (`make build` renders them all)."""
        if self.live_pdfs is not None:
            if current:  # else keep the PDFs of the last good rubric
                status = self.live_pdfs.update(project, toolkit)
                if status.pending:
                    notices["pdfs_pending"] = status.pending
                if status.error:
                    log.info("The PDFs could not be rendered: %s", status.error)
                    notices["pdf_problem"] = status.error
            return self.live_pdfs.status.built
        from ..pdf.build import PdfPlan  # WeasyPrint loads only here

        printables = catalogue(toolkit)
        built = PdfPlan(project, toolkit, MarkdownRenderer(), printables).ready()
        if len(built) < len(printables):
            log.info(
                "%d of %d PDFs are not in the cache for this content and are left out; "
                "`make build` renders them",
                len(printables) - len(built),
                len(printables),
            )
        return built
