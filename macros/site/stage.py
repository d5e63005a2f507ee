"""The step before the site engine: the pages and settings of the site, for MkDocs or Zensical.

Every engine gets the same: the hand-written pages of content/ (their macros ask page_macros.py),
one page per driver (its Markdown, made here from the driver: text from the YAML is never read
as a template), the navigation and the footer. `stage_docs` writes them as a docs folder with its
own config (the project's mkdocs.yml with these settings), which an engine builds as it is; under
`mkdocs serve` the toolkit plugin hands MkDocs the same pieces. CSP, PDFs and the zip come after
the engine (macros/build.py).

The pages of a build in this process are handed over (`handed`) with the PDFs it built, so the
macros list exactly those; an engine run on its own (`zensical build -f <stage>/mkdocs.yml`)
loads the rubric itself and lists every printable.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .. import model
from ..project import Project
from ..render.markdown import MarkdownRenderer
from . import csp
from .pages import Download, SitePages, driver_page_path

if TYPE_CHECKING:
    from ..pdf.build import Built  # WeasyPrint loads only where PDFs are made

CONFIG = "mkdocs.yml"  #: the staged config, beside DOCS and SITE in the staging folder
DOCS, SITE = "docs", "site"
ENGINE_PLUGIN = "toolkit"  #: MkDocs-only (serve's live PDFs, banner, policy header)

_loaded: dict[tuple[Any, ...], model.Toolkit] = {}
_handed: dict[Path, SitePages] = {}


def checked_toolkit(rubric: Path) -> model.Toolkit:
    """The rubric, checked as `--check` checks it (font coverage included), loaded again only
    when one of its files changed: the build, the plugin and the macros share one load."""
    from ..pdf.fonts import printable_characters
    from ..source.load import load_rubric

    rubric = Path(rubric).resolve()
    shown_from = Path.cwd()
    key = (rubric, shown_from, files_signature(rubric))
    if key not in _loaded:
        toolkit = load_rubric(
            rubric,
            shown_from=shown_from,
            can_print=printable_characters(),
            markup_problems=MarkdownRenderer().problems,
        )
        _loaded.clear()  # only the latest version is asked for again
        _loaded[key] = toolkit
    return _loaded[key]


def files_signature(*folders: Path) -> tuple[Any, ...]:
    """Every file's path, time and size: changes with any edit."""
    return tuple(
        (str(path), path.stat().st_mtime_ns, path.stat().st_size)
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    )


def site_pages(toolkit: model.Toolkit, built: Sequence[Built] | None) -> SitePages:
    """The pages around the PDFs that were built (`None`: no build, every printable listed)."""
    downloads = None if built is None else [Download(b.printable, b.pages, b.size) for b in built]
    return SitePages(toolkit, MarkdownRenderer(), downloads)


def footer(pages: SitePages) -> str:
    """The footer's credit as rendered, escaped HTML (the theme inserts it as it is)."""
    return str(pages.environment.filters["mdi"](pages.toolkit.footer_credit))


def driver_files(pages: SitePages) -> dict[str, str]:
    """One page per driver: its path in the docs folder and its finished Markdown, which the
    macros leave as it is (mkdocs.yml: `force_render_paths` leaves drivers/<id>.md out)."""
    return {driver_page_path(d): pages.driver_page(d) for d in pages.toolkit.drivers}


@contextmanager
def handed(docs_dir: Path, pages: SitePages) -> Iterator[None]:
    """Give the macros of the pages in `docs_dir` these pages while an engine builds them."""
    key = Path(docs_dir).resolve()
    _handed[key] = pages
    try:
        yield
    finally:
        _handed.pop(key, None)


def hand_over(docs_dir: Path, pages: SitePages) -> None:
    """The same for `mkdocs serve`, whose every rebuild hands over its own pages."""
    _handed[Path(docs_dir).resolve()] = pages


def pages_for(docs_dir: Path, rubric: Path) -> SitePages:
    """The pages handed over for `docs_dir`, else those of `rubric` with every printable."""
    found = _handed.get(Path(docs_dir).resolve())
    return found if found is not None else site_pages(checked_toolkit(rubric), None)


def stage_docs(project: Project, rubric: Path, pages: SitePages, folder: Path) -> Path:
    """Write the site's sources into `folder` (DOCS: content/ and the driver pages; CONFIG: the
    project's mkdocs.yml with the navigation, the footer and absolute paths); return CONFIG."""
    docs = folder / DOCS
    for source in sorted(project.content.rglob("*")):
        target = docs / source.relative_to(project.content)
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    for path, text in driver_files(pages).items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    config = staged_config(project, rubric, pages)
    (folder / CONFIG).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return folder / CONFIG


def staged_config(project: Project, rubric: Path, pages: SitePages) -> dict[str, Any]:
    """The project's mkdocs.yml as an engine builds it from a staging folder."""
    config = yaml.safe_load(project.config_file.read_text(encoding="utf-8"))
    theme = config.get("theme") or {}
    if isinstance(theme, str):
        theme = {"name": theme}
    if theme.get("custom_dir"):
        theme["custom_dir"] = str(project.root / theme["custom_dir"])
    extra = config.get("extra") or {}
    extra["content_security_policy"] = csp.UNSEALED  # sealed after the build (csp.seal)
    extra["toolkit"] = {"root": str(project.root), "rubric": str(Path(rubric).resolve())}
    config.update(
        docs_dir=DOCS,
        site_dir=SITE,
        theme=theme,
        extra=extra,
        nav=pages.nav(),
        copyright=footer(pages),
        plugins=[p for p in config.get("plugins") or [] if _plugin_name(p) != ENGINE_PLUGIN],
    )
    config.pop("watch", None)  # nothing to watch: the folder is built once
    return config


def _plugin_name(entry: str | dict[str, Any]) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))
