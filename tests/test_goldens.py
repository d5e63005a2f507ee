"""Golden files: the site pages' Markdown and the printables' HTML of the fixture rubric, compared
with tests/goldens/ byte for byte. After a deliberate change, rewrite them with
`pytest tests/test_goldens.py --update-goldens` and review the diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import PROJECT_ROOT

from macros.catalogue import Paper, catalogue
from macros.pdf.renderer import PdfRenderer
from macros.project import Project
from macros.render.markdown import MarkdownRenderer
from macros.site.pages import PAGES, SitePages

GOLDENS = Path(__file__).resolve().parent / "goldens"


def compare(request: pytest.FixtureRequest, name: str, rendered: str) -> None:
    golden = GOLDENS / name
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
        return
    assert golden.is_file(), f"no golden file {name}; run pytest --update-goldens"
    # A plain == so pytest shows the differing lines.
    assert rendered == golden.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture(scope="module")
def site_pages(fixture_toolkit) -> SitePages:
    return SitePages(fixture_toolkit, MarkdownRenderer())


@pytest.fixture(scope="module")
def renderer(fixture_toolkit) -> PdfRenderer:
    return PdfRenderer(Project.at(PROJECT_ROOT), fixture_toolkit, MarkdownRenderer())


@pytest.mark.parametrize("name", sorted(PAGES))
def test_site_page_markdown(request, site_pages, name):
    compare(request, f"pages/{name}.md", site_pages.page(name))


@pytest.mark.parametrize("driver_id", ["mentoring", "funding"])
def test_driver_page_markdown(request, site_pages, fixture_toolkit, driver_id):
    page = site_pages.driver_page(fixture_toolkit.driver(driver_id))
    compare(request, f"pages/drivers/{driver_id}.md", page)


def test_printable_html(request, fixture_toolkit, renderer):
    printables = catalogue(fixture_toolkit, papers=(Paper.LETTER,))
    assert len(printables) >= 10
    for printable in printables:
        name = Path(printable.filename).stem
        compare(request, f"printables/{name}.html", renderer.html(printable))
