"""The site's pages as Markdown (with HTML from the shared partials), built from the Toolkit.

Nothing here knows about a site engine: stage.py gives the pages to MkDocs or Zensical, and the
tests can render pages directly.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .. import model
from ..assessment import PRIORITIES, rubric_data
from ..assessment.checking import LINE_LIMIT, TEXT_LIMIT
from ..assessment.consensus import NOTE_LIMIT
from ..assessment.fileformat import ACTION_FIELDS, STATUSES
from ..catalogue import PAPERS, Printable, catalogue, pdf_filename
from ..render.environment import make_environment
from ..render.markdown import MarkdownRenderer, plain

PAGES = {  # page name -> (Markdown file in content/, nav title)
    "home": ("index.md", "Home"),
    "drivers": ("drivers/index.md", "Implementation drivers"),
    "assessing": ("assessing.md", "Assessing infrastructure"),
    "assess": ("assess.md", "Assess"),
    "ballot": ("ballot.md", "Ballot"),
    "principles": ("principles.md", "Principles and competencies"),
    "support": ("implementation-support.md", "Implementation support"),
    "references": ("references.md", "References"),
    "downloads": ("downloads.md", "Downloads"),
}
SITE_ZIP = "implementation-toolkit-site.zip"


def nav_title(text: str) -> str:
    return html.escape(plain(text))


def script_json(value: Any) -> Markup:
    """JSON to embed in <script type="application/json">: no "<", ">" or "&" can end it early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for character, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(character, escape)
    return Markup(text)


def driver_page_path(driver: model.Driver) -> str:
    return f"drivers/{driver.id}.md"


@dataclass(frozen=True)
class Download:
    """A printable as the Downloads page lists it: built file details when a build exists."""

    printable: Printable
    pages: int | None = None
    size: int | None = None


class SitePages:
    def __init__(
        self,
        toolkit: model.Toolkit,
        markdown: MarkdownRenderer,
        downloads: Sequence[Download] | None = None,
    ) -> None:
        """`downloads`: the PDFs the build made, with their details; None lists every printable
        (no build has run)."""
        self.toolkit = toolkit
        self.environment = make_environment(toolkit, markdown)
        if downloads is None:
            downloads = [Download(printable) for printable in catalogue(toolkit)]
        files = {item.printable.filename for item in downloads}
        self.environment.globals.update(
            site_zip=SITE_ZIP,
            paper_names={paper: paper.label for paper in PAPERS},
            downloads=downloads,
            papers=[
                paper
                for paper in PAPERS
                if any(item.printable.paper == paper for item in downloads)
            ],
            pdf_name=pdf_filename,
            built=files.__contains__,
            assessment_data=script_json(rubric_data(toolkit)),
            assessment_priorities=PRIORITIES,
            assessment_statuses=STATUSES,
            assessment_action_fields=ACTION_FIELDS,
            assessment_limits={"line": LINE_LIMIT, "text": TEXT_LIMIT},
            ballot_note_limit=NOTE_LIMIT,
        )

    def nav(self) -> list[Any]:
        """The navigation: fixed pages, and one entry per driver file under its category.

        Titles are HTML-escaped here: MkDocs themes insert them into pages unescaped.
        """
        drivers: list[dict[str, Any]] = [{"Overview": PAGES["drivers"][0]}]
        for category in self.toolkit.categories:
            members = self.toolkit.drivers_in(category)
            if members:
                drivers.append(
                    {
                        nav_title(category.name): [
                            {nav_title(driver.name): driver_page_path(driver)} for driver in members
                        ]
                    }
                )
        nav = []
        for name, (path, title) in PAGES.items():
            nav.append({title: drivers} if name == "drivers" else {title: path})
        return nav

    def page(self, name: str, **context: Any) -> str:
        return self.environment.get_template(f"site/{name}.md.j2").render(**context)

    def driver_page(self, driver: model.Driver) -> str:
        return self.page("driver", driver=driver)
