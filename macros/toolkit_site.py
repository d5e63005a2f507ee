"""The site's only contact with MkDocs: mkdocs-macros-plugin calls define_env, MkDocs the hooks.

Everything else (loading, validation, rendering) lives in plain modules, so moving the site to
another generator that reads mkdocs.yml touches this file and mkdocs.yml alone.
This module is loaded by file path (module_name: macros/toolkit_site, hooks:) and reloaded on
each `mkdocs serve` rebuild; it reloads the rest of the package too, so edits to the loader or
the templates show up without restarting the server.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))


def _fresh_package():
    """Import the toolkit's modules anew: `mkdocs serve` keeps old ones in sys.modules."""
    for name in [name for name in sys.modules if name == "macros" or name.startswith("macros.")]:
        del sys.modules[name]
    errors = importlib.import_module("macros.errors")
    loader = importlib.import_module("macros.loader")
    site = importlib.import_module("macros.site")
    text = importlib.import_module("macros.text")
    return errors, loader, site, text


def _pdf_dir(config) -> Path:
    """Where the PDFs and their manifest are: the full build says so, else the last build's."""
    return Path(os.environ.get("TOOLKIT_PDF_DIR") or PROJECT / "site" / "pdf")


def _site_pages(config):
    from mkdocs.exceptions import PluginError

    errors, loader, site, text = _fresh_package()
    try:
        rubric = Path(os.environ.get("TOOLKIT_RUBRIC") or PROJECT / "rubric")
        toolkit = loader.load_rubric(rubric, shown_from=Path.cwd())
    except errors.RubricError as error:
        raise PluginError(error.report()) from None
    markdown = text.MarkdownRenderer(list(config["markdown_extensions"]),
                                     dict(config["mdx_configs"]))
    return site, site.SitePages(toolkit, markdown, _pdf_dir(config) / "manifest.json")


def define_env(env) -> None:
    """mkdocs-macros-plugin: one macro per page; each returns Markdown with escaped HTML."""
    site, pages = _site_pages(env.conf)
    env.macro(pages.page, "toolkit_page")
    env.macro(pages.driver_page, "driver_page")


# MkDocs hooks (mkdocs.yml `hooks:`): navigation and one generated page per driver file.

def on_config(config):
    site, pages = _site_pages(config)
    config["nav"] = pages.nav()
    config["copyright"] = pages.toolkit.footer_credit
    return config


def on_files(files, config):
    from mkdocs.structure.files import File

    site, pages = _site_pages(config)
    for file in [file for file in files if file.src_uri.startswith("printables/")]:
        files.remove(file)  # the PDFs' style sheets, not part of the site
    for driver in pages.toolkit.drivers:
        path = site.driver_page_path(driver)
        files.append(File.generated(config, path, content=f'{{{{ driver_page("{driver.id}") }}}}\n'))
    return files


def on_post_build(config):
    """Under `mkdocs serve`, show the last built PDFs too (the full build copies its own).

    mkdocs-macros-plugin calls a function of this name as well, with its env: ignored.
    """
    if hasattr(config, "conf"):
        return
    source, target = _pdf_dir(config), Path(config["site_dir"]) / "pdf"
    if source.is_dir() and source.resolve() != target.resolve() and not target.exists():
        shutil.copytree(source, target)
