"""The site's only contact with MkDocs: mkdocs-macros-plugin calls define_env, MkDocs the hooks.

Everything else (loading, validation, rendering) lives in plain modules, so moving the site to
another generator that reads mkdocs.yml touches this file and mkdocs.yml alone.
This module is loaded by file path (module_name: macros/site/plugin, hooks:) and reloaded on
each `mkdocs serve` rebuild; it reloads the rest of the package too, so edits to the loader or
the templates show up without restarting the server. The package itself is imported as installed
(`pip install -e .`), or from the project folder when the full build runs MkDocs.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
import types
from pathlib import Path

# Survives the reloads of this module during `mkdocs serve`: the last rubric that loaded.
_serve = sys.modules.setdefault("_toolkit_serve_state", types.ModuleType("_toolkit_serve_state"))
if not hasattr(_serve, "titles"):
    _serve.titles = {}


def _fresh_package():
    """Import the toolkit's modules anew: `mkdocs serve` keeps old ones in sys.modules."""
    for name in [name for name in sys.modules if name == "macros" or name.startswith("macros.")]:
        del sys.modules[name]
    return (
        importlib.import_module("macros.errors"),
        importlib.import_module("macros.project"),
        importlib.import_module("macros.source.load"),
        importlib.import_module("macros.site.pages"),
        importlib.import_module("macros.render.markdown"),
    )


def _project(config):
    """The project whose mkdocs.yml MkDocs reads (paths and settings: macros.project)."""
    from macros.project import Project

    return Project.at(Path(config["config_file_path"]).parent)


def _signature(*folders: Path) -> tuple:
    return tuple(
        (str(path), path.stat().st_mtime_ns, path.stat().st_size)
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    )


def _load(config):
    """The rubric, or under `mkdocs serve` the last good one while the YAML is broken.

    Loaded once per change of the rubric or the code, though several hooks ask for it.
    """
    from mkdocs.exceptions import PluginError

    errors, project_module, loader, site, text = _fresh_package()
    project = project_module.Project.at(Path(config["config_file_path"]).parent)
    rubric = project.rubric
    signature = _signature(rubric, project.package)
    if getattr(_serve, "signature", None) != signature:
        _serve.signature = signature
        try:
            _serve.toolkit = loader.load_rubric(rubric, shown_from=Path.cwd())
            _serve.last_good, _serve.error = _serve.toolkit, None
        except errors.RubricError as error:
            _serve.toolkit, _serve.error = None, error
            if getattr(_serve, "serving", False) and getattr(_serve, "last_good", None):
                print(
                    f"{error}\nStill serving the last good version until this is fixed.",
                    file=sys.stderr,
                )
    if _serve.error is not None and not (
        getattr(_serve, "serving", False) and getattr(_serve, "last_good", None)
    ):
        raise PluginError(_serve.error.report())
    toolkit = _serve.toolkit or _serve.last_good
    pages = site.SitePages(toolkit, text.MarkdownRenderer(), project.pdf_dir / "manifest.json")
    return site, pages


def _problems() -> list[str] | None:
    error = getattr(_serve, "error", None)
    return [str(problem) for problem in error.problems] if error else None


def define_env(env) -> None:
    """mkdocs-macros-plugin: one macro per page; each returns Markdown with escaped HTML."""
    site, pages = _load(env.conf)
    env.macro(pages.page, "toolkit_page")
    env.macro(pages.driver_page, "driver_page")
    # mkdocs-macros-plugin renders page titles as templates; titles from the YAML that look
    # like one are handed over as data instead (see _literal_titles).
    env.variables["toolkit_titles"] = _serve.titles


# MkDocs hooks (mkdocs.yml `hooks:`): navigation, one generated page per driver file, serving.


def on_startup(command, dirty):
    _serve.serving = command == "serve"


def on_config(config):
    """Before MkDocs empties site_dir: keep aside the PDFs a plain `mkdocs build` would lose."""
    source, site_dir = _project(config).pdf_dir, Path(config["site_dir"]).resolve()
    _serve.pdf_copy = None
    if source.is_dir() and source.resolve().is_relative_to(site_dir):
        _serve.pdf_copy = Path(tempfile.mkdtemp(prefix="toolkit-pdf-")) / "pdf"
        shutil.copytree(source, _serve.pdf_copy)
    site, pages = _load(config)
    _serve.titles.clear()
    config["nav"] = _literal_titles(pages.nav())
    # The theme inserts the copyright line unescaped: give it rendered, escaped HTML.
    config["copyright"] = str(pages.environment.filters["mdi"](pages.toolkit.footer_credit))
    config["extra"]["rubric_problems"] = _problems()
    return config


def _literal_titles(nav: list) -> list:
    """Titles holding template syntax become a lookup, so the macros plugin shows them as is."""
    result = []
    for entry in nav:
        ((title, target),) = entry.items()
        if isinstance(target, list):
            result.append({title: _literal_titles(target)})
        elif "{" in title or "%" in title:
            key = str(len(_serve.titles))
            _serve.titles[key] = title
            result.append({f"{{{{ toolkit_titles['{key}'] }}}}": target})
        else:
            result.append(entry)
    return result


def on_files(files, config):
    from mkdocs.structure.files import File

    site, pages = _load(config)
    for driver in pages.toolkit.drivers:
        path = site.driver_page_path(driver)
        files.append(
            File.generated(config, path, content=f'{{{{ driver_page("{driver.id}") }}}}\n')
        )
    return files


def on_serve(server, config, builder):
    """Also watch a rubric given through TOOLKIT_RUBRIC (mkdocs.yml watches rubric/)."""
    project = _project(config)
    if project.rubric != project.root / "rubric":
        server.watch(str(project.rubric))
    return server


def on_post_build(config):
    """Under `mkdocs serve`, show the last built PDFs too (the full build copies its own).

    mkdocs-macros-plugin calls a function of this name as well, with its env: ignored.
    """
    if hasattr(config, "conf"):
        return
    source, target = (
        getattr(_serve, "pdf_copy", None) or _project(config).pdf_dir,
        Path(config["site_dir"]) / "pdf",
    )
    if source.is_dir() and not target.exists():
        shutil.copytree(source, target)
    if getattr(_serve, "pdf_copy", None):
        shutil.rmtree(_serve.pdf_copy.parent, ignore_errors=True)
        _serve.pdf_copy = None
