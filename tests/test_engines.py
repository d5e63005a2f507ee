"""The same site from MkDocs and from Zensical: the staged docs folder (macros/site/stage.py) is
all an engine needs, and the macros module works on its own (Zensical runs no MkDocs plugin).

On the fixture rubric: every page of the site exists, each driver's page holds its best
practices, and no page shows template text.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_RUBRIC, PROJECT_ROOT, run_cli
from helpers import SMALL, small_site
from site_tools import page
from test_security import policy_of

from macros.project import Project
from macros.render.markdown import MarkdownRenderer
from macros.site import csp
from macros.site.pages import PAGES, SitePages
from macros.site.stage import SITE, site_pages, stage_docs


def expected_pages(toolkit) -> list[str]:
    pages = [path.replace(".md", ".html") for path, _ in PAGES.values()]
    return pages + [f"drivers/{driver.id}.html" for driver in toolkit.drivers]


def assert_whole_site(site: Path, toolkit) -> None:
    """Every page is there, without template text, and each driver page has its statements."""
    for name in expected_pages(toolkit):
        text = (site / name).read_text(encoding="utf-8")
        assert "{{" not in text, name
        assert "{%" not in text, name
    for driver in toolkit.drivers:
        shown = page(site / "drivers" / f"{driver.id}.html").one("article").text()
        assert driver.name in shown
        for practice in driver.best_practices:
            assert practice.statement in shown, (driver.id, practice.statement)


@pytest.fixture(scope="module")
def staged(fixture_toolkit, tmp_path_factory) -> Path:
    """The fixture rubric's site staged as the full build stages it (no PDFs built)."""
    folder = tmp_path_factory.mktemp("staged")
    project = Project.at(PROJECT_ROOT)
    stage_docs(project, FIXTURE_RUBRIC, site_pages(fixture_toolkit, None), folder)
    return folder


def test_zensical_builds_the_staged_folder_on_its_own(staged, fixture_toolkit):
    """`zensical build` in a child process: no plugin, nothing handed over; page_macros.py
    loads the rubric the staged config names."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TOOLKIT_")}
    result = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", str(staged / "mkdocs.yml")],
        cwd=staged,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert_whole_site(staged / SITE, fixture_toolkit)


def test_staged_driver_pages_are_markdown_not_template_text(staged, fixture_toolkit):
    pages = SitePages(fixture_toolkit, MarkdownRenderer())
    for driver in fixture_toolkit.drivers:
        text = (staged / "docs" / "drivers" / f"{driver.id}.md").read_text(encoding="utf-8")
        assert text == pages.driver_page(driver)
        assert "driver_page" not in text


def test_full_build_with_zensical_seals_the_policy_and_adds_the_pdfs(
    tmp_path_factory, fixture_toolkit
):
    """`build_pdf.py --site --engine zensical`: the engine in this process, then the policy, the
    PDFs and the zip, as with MkDocs (the PDFs come from the cache the small build filled)."""
    small = small_site(tmp_path_factory)
    out = tmp_path_factory.mktemp("zensical") / "site"
    result = run_cli("--site", "--engine", "zensical", *SMALL, "--jobs", "1", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert_whole_site(out, fixture_toolkit)
    assert sorted(p.name for p in (out / "pdf").iterdir()) == sorted(
        p.name for p in (small / "pdf").iterdir()
    )
    for name in expected_pages(fixture_toolkit):
        text = (out / name).read_text(encoding="utf-8")
        assert csp.UNSEALED not in text, name
        assert csp.inline_hashes(text) <= set(policy_of(text)["script-src"]), name
    assert (out / "implementation-toolkit-site.zip").is_file()
