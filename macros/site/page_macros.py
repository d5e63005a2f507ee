"""mkdocs-macros' module (mkdocs.yml `plugins.macros.modules`), for MkDocs and Zensical alike.

The hand-written pages of content/ call `toolkit_page(name)`. It works on its own: the pages are
those a build in this process handed over for this docs folder (stage.py), else made from the
rubric, loaded through the same checked, cached loader. Zensical calls `define_env` once per
page and gives `env.conf` as a plain dict, so it only reads settings and stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..project import Project
from .stage import pages_for


def define_env(env: Any) -> None:
    conf = env.conf
    # MkDocs gives an absolute docs_dir; Zensical one relative to root_dir, the config's folder.
    docs_dir = Path(conf.get("root_dir") or "", conf["docs_dir"])
    staged = (conf.get("extra") or {}).get("toolkit") or {}
    if staged:
        rubric = Path(staged["rubric"])
    else:  # the project's own mkdocs.yml
        rubric = Project.at(Path(conf["config_file_path"]).parent).rubric

    def toolkit_page(name: str) -> str:
        """The Markdown of a hand-written page: a template in render/templates/site/."""
        return pages_for(docs_dir, rubric).page(name)

    env.macro(toolkit_page)
