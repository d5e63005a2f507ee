"""The toolkit's MkDocs plugin: with macros/site/page_macros.py, the only code that knows MkDocs.

mkdocs.yml lists it as `toolkit` (an entry point in pyproject.toml). Once per build it loads and
checks the rubric (the checks of `build_pdf.py --check`, font coverage included), sets the
navigation and the footer, and adds one generated page per driver. mkdocs-macros-plugin renders
the hand-written pages' macros by asking this plugin (page_macros.py), so nothing loads twice.

Under `mkdocs serve` the same instance serves every rebuild (it has `on_startup`): it keeps the
last good rubric while the YAML is broken, and renders the PDFs an edit changes. It does not
re-import Python code, so an edit to a .py file needs a restart; the banner says so.
The full build (macros/build.py) runs MkDocs in its own process, not a child one, through
`build_site`, handing over the rubric it loaded and the PDFs it rendered.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .. import model
from ..errors import RubricError, SiteBuildError
from ..project import Project
from ..render.markdown import MarkdownRenderer
from ..store.output import made_folder, remove_dead
from . import csp, serving
from .live_pdfs import LivePdfs
from .pages import SitePages, driver_page_path

log = logging.getLogger("mkdocs.plugins.toolkit")


class ToolkitConfig(base.Config):
    serve_pdfs = c.Type(bool, default=True)
    """Under `mkdocs serve`, render the PDFs an edit changes (else show the last build's)."""


@dataclass(frozen=True)
class Handed:
    """What the full build gives the plugin: its project, the rubric it loaded, its PDFs."""

    project: Project
    toolkit: model.Toolkit
    pdf_dir: Path


def _project(config: MkDocsConfig) -> Project:
    """The project whose mkdocs.yml MkDocs reads (paths and settings: macros.project)."""
    return Project.at(Path(config.config_file_path).parent)


def _literal(nav: list[Any]) -> list[Any]:
    """Navigation titles with `{` as a character reference (themes insert titles as HTML).

    mkdocs-macros renders a page title holding `{{`, `{%` or `{#` as a template; a title from
    the YAML must read as written.
    """
    result = []
    for entry in nav:
        ((title, target),) = entry.items()
        title = title.replace("{", "&#123;")
        result.append({title: _literal(target) if isinstance(target, list) else target})
    return result


def _code_signature(package: Path) -> dict[str, tuple[int, int]]:
    return {
        path.relative_to(package.parent).as_posix(): (path.stat().st_mtime_ns, path.stat().st_size)
        for path in sorted(package.rglob("*.py"))
    }


class ToolkitPlugin(BasePlugin[ToolkitConfig]):
    def __init__(self) -> None:
        self.handed: Handed | None = None  #: set by build_site for the full build
        self.serving = False
        self.code: dict[str, tuple[int, int]] = {}  #: the .py files this process runs
        self.last_good: model.Toolkit | None = None  #: under serve, shown while the YAML is broken
        self.live_pdfs: LivePdfs | None = None  #: under serve, PDFs that follow the edits
        self.pdf_dir: Path | None = None  #: the PDFs this build copies into the site
        self.kept_pdfs: Path | None = None  #: a copy of site/pdf, which MkDocs empties
        self.pages: SitePages | None = None
        self.hashes: list[str] = []  #: under serve, the policy's hashes of the theme's scripts

    # --- what the macros ask for (page_macros.py) -----------------------------------------------

    @property
    def site_pages(self) -> SitePages:
        if self.pages is None:
            raise PluginError("the toolkit plugin has not loaded the rubric (on_config)")
        return self.pages

    def page(self, name: str) -> str:
        """The Markdown of a hand-written page (content/*.md calls `toolkit_page(name)`)."""
        return self.site_pages.page(name)

    def driver_page(self, driver_id: str) -> str:
        """The Markdown of a driver's page (the generated pages call `driver_page(id)`)."""
        return self.site_pages.driver_page(driver_id)

    # --- MkDocs events --------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.code = _code_signature(Project.package)
        if self.serving and self.config.serve_pdfs:
            self.live_pdfs = LivePdfs()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project = self.handed.project if self.handed else _project(config)
        notices: dict[str, object] = {}
        toolkit = self._toolkit(project, notices)
        self.pdf_dir = self._pdfs(project, config, toolkit, notices)
        changed = sorted(
            name
            for name, stamp in _code_signature(Project.package).items()
            if self.code.get(name) != stamp
        )
        if self.serving and changed:
            log.info("Python code changed (%s): restart `mkdocs serve` to run it", changed[0])
            notices["code_changed"] = changed
        manifest = self.pdf_dir / "manifest.json" if self.pdf_dir else None
        shown = toolkit or self.last_good  # the last good one while serve shows a broken rubric
        if shown is None:
            raise PluginError("the rubric could not be loaded")
        self.pages = SitePages(shown, MarkdownRenderer(), manifest)
        config.nav = _literal(self.pages.nav())
        # The theme inserts the copyright line unescaped: give it rendered, escaped HTML.
        credit = self.pages.environment.filters["mdi"](self.pages.toolkit.footer_credit)
        config.copyright = str(credit)
        config.extra["toolkit_notices"] = notices or None
        # Live reload injects a script that changes on every request: under serve the server
        # sends the policy as a header with its hash (serving.guard), not in the page.
        config.extra["content_security_policy"] = None if self.serving else csp.UNSEALED
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """One page per driver file; its text comes from a macro, whose output is not a template."""
        for driver in self.site_pages.toolkit.drivers:
            content = f'{{{{ driver_page("{driver.id}") }}}}\n'  # ids are slugs (the schema)
            files.append(File.generated(config, driver_page_path(driver), content=content))
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
        """Seal the pages' Content-Security-Policy (site.csp); put the PDFs beside the pages
        (the Downloads page links to pdf/)."""
        if config.extra.get("content_security_policy"):
            csp.seal(Path(config.site_dir), config.theme.dirs)
        elif self.serving:
            self.hashes = csp.site_hashes(Path(config.site_dir), config.theme.dirs)
        target = Path(config.site_dir) / "pdf"
        if self.pdf_dir and self.pdf_dir.is_dir() and not target.exists():
            shutil.copytree(self.pdf_dir, target)
        if self.kept_pdfs:
            shutil.rmtree(self.kept_pdfs.parent, ignore_errors=True)
            self.kept_pdfs = None

    def on_shutdown(self) -> None:
        if self.live_pdfs is not None:
            self.live_pdfs.close()

    # --- the steps of on_config -----------------------------------------------------------------

    def _toolkit(self, project: Project, notices: dict[str, Any]) -> model.Toolkit | None:
        """The rubric, checked as `--check` checks it; None while serve shows the last good one."""
        if self.handed:
            return self.handed.toolkit
        from ..pdf.fonts import printable_characters
        from ..source.load import load_rubric

        try:
            toolkit = load_rubric(
                project.rubric,
                shown_from=Path.cwd(),
                can_print=printable_characters(),
                markup_problems=MarkdownRenderer().problems,
            )
        except RubricError as error:
            if not (self.serving and self.last_good):
                raise PluginError(error.report()) from None
            log.info("%s\nStill serving the last good version until this is fixed.", error)
            notices["rubric_problems"] = [str(problem) for problem in error.problems]
            return None
        self.last_good = toolkit
        return toolkit

    def _pdfs(
        self,
        project: Project,
        config: MkDocsConfig,
        toolkit: model.Toolkit | None,
        notices: dict[str, Any],
    ) -> Path | None:
        """The folder of PDFs for this build: the full build's, serve's own, or the last build's."""
        if self.handed:
            return self.handed.pdf_dir
        if self.live_pdfs is not None:
            if toolkit is not None:  # else keep the PDFs of the last good rubric
                status = self.live_pdfs.update(project, toolkit)
                if status.pending:
                    notices["pdfs_pending"] = status.pending
                if status.error:
                    log.info("The PDFs could not be rendered: %s", status.error)
                    notices["pdf_problem"] = status.error
            return self.live_pdfs.folder
        # A plain `mkdocs build` shows the PDFs of the last full build; MkDocs is about to
        # empty site_dir, which may hold them, so keep a copy until on_post_build.
        source, site_dir = project.pdf_dir, Path(config.site_dir).resolve()
        if source.is_dir() and source.resolve().is_relative_to(site_dir):
            temp = Path(tempfile.gettempdir())
            remove_dead(temp, "toolkit-pdf-")  # left by a killed build
            self.kept_pdfs = made_folder("toolkit-pdf-", temp) / "pdf"
            shutil.copytree(source, self.kept_pdfs)
            return self.kept_pdfs
        return source


# --- the full build ---------------------------------------------------------------------------


class _Messages(logging.Handler):
    """What MkDocs and its plugins report while the full build runs (shown only if it fails)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def build_site(project: Project, toolkit: model.Toolkit, site_dir: Path, pdf_dir: Path) -> None:
    """Build the site into `site_dir` with MkDocs, in this process, around the PDFs in `pdf_dir`.

    `toolkit` is the rubric the caller loaded and checked, so it is not loaded again.
    """
    messages = _Messages()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(messages)
    try:
        config = load_config(str(project.config_file), site_dir=str(site_dir), strict=True)
        plugin = config.plugins.get("toolkit")
        if not isinstance(plugin, ToolkitPlugin):
            raise SiteBuildError(f"{project.config_file}: plugins must list `toolkit`")
        plugin.handed = Handed(project, toolkit, pdf_dir)
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


def _without_traceback(message: str, debug: bool) -> str:
    """mkdocs-macros appends a traceback to its error message: kept for --debug only."""
    if debug:
        return message
    return message.split("```")[0].split("Traceback (most recent call last)")[0].strip()
