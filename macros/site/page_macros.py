"""mkdocs-macros-plugin's module (mkdocs.yml `module_name`): the hand-written pages' macros.

It loads nothing and keeps nothing: the toolkit plugin (plugin.py) has loaded and checked the
rubric for this build, and the macros ask it for the pages. Loaded by file path, not imported.
"""

from typing import Any


def define_env(env: Any) -> None:
    toolkit = env.conf.plugins["toolkit"]
    env.macro(toolkit.page, "toolkit_page")
    env.macro(toolkit.driver_page, "driver_page")
