"""Text never disappears from a PDF: every word of a printable's HTML is in the PDF's text.

A word too long for its line or column, or a header value too long for its box, used to run off
the page or vanish with exit status 0. Each printable's HTML (rendered as the build renders it)
is compared with what `pdftotext` reads from its PDF; a word broken across lines still counts.
A fillable PDF's pre-filled header values live in its form fields: those are read from the fields
(a single-line field shows what fits its box and scrolls for the rest).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURE_RUBRIC, PROJECT_ROOT, run_cli
from helpers import replace_once
from pypdf import PdfReader

from macros.catalogue import WORKSHOP_MAX, Paper, Printable, Workshop, catalogue
from macros.model import Toolkit
from macros.pdf.renderer import PdfRenderer
from macros.project import Project
from macros.render.markdown import MarkdownRenderer
from macros.source.load import load_rubric

HIDDEN = {"head", "style", "title", "script"}


class Visible(HTMLParser):
    """The text a reader sees: page text (a fillable PDF's field values are checked apart)."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in HIDDEN

    def handle_endtag(self, tag):
        self.hidden -= tag in HIDDEN
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def lost_words(html: str, text: str) -> dict[str, int]:
    """Words of `html` the PDF's `text` shows fewer times than the HTML has them, with the
    shortfall."""
    shown, joined = words(text), re.sub(r"\s+", "", text.lower())  # a wrapped word rejoined
    return {
        word: count - shown[word]
        for word, count in words(" ".join(Visible(html).parts)).items()
        if shown[word] < count and joined.count(word) < count
    }


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def each_lost(renderer: PdfRenderer, printables: list[Printable], folder: Path):
    """Each printable with the words its PDF in `folder` lost (pdftotext reads the PDFs on two
    threads while this one renders the HTML)."""
    with ThreadPoolExecutor(2) as pool:
        texts = pool.map(pdf_text, [folder / printable.filename for printable in printables])
        for printable, text in zip(printables, texts):
            yield printable, lost_words(renderer.html(printable), text)


def renderer_for(toolkit: Toolkit) -> PdfRenderer:
    return PdfRenderer(Project.at(PROJECT_ROOT), toolkit, MarkdownRenderer())


def test_every_word_of_every_printable_is_in_its_pdf(built_site, toolkit):
    printables = catalogue(toolkit)
    lost = {}
    for printable, missing in each_lost(renderer_for(toolkit), printables, built_site / "pdf"):
        if missing:
            lost[printable.filename] = missing
    assert len(printables) > 60
    assert lost == {}, "\n".join(f"{name}: {missing}" for name, missing in lost.items())


LONG_WORD = "Supercalifragilistic" * 100  # 2000 characters, no break anywhere


@pytest.fixture(scope="module")
def long_text_build(tmp_path_factory):
    """The fixture rubric's Mentoring with a 2000-character word in a criterion, an action-plan
    column heading of one long word, and workshop values of the longest allowed length, built
    in this process (A4, Mentoring only)."""
    base = tmp_path_factory.mktemp("long")
    rubric = base / "rubric"
    shutil.copytree(FIXTURE_RUBRIC, rubric)
    replace_once(
        rubric / "drivers" / "mentoring.yaml",
        "          text: Fixture item one.\n",
        f"          text: Fixture item one {LONG_WORD}.\n",
    )
    replace_once(
        rubric / "forms.yaml",
        "      heading: Fixture heading 147.\n",
        f"      heading: Fixture heading 147 {LONG_WORD[:300]}\n",
    )
    fill = "Northern Regional Health and Family Services Clinic "
    workshop = Workshop(
        program=(fill * 3)[: WORKSHOP_MAX["program"]],
        organization=("Organization " + fill * 3)[: WORKSHOP_MAX["organization"]],
        date=("December 1 to December 3 2026 " * 5)[: WORKSHOP_MAX["date"]],
    )
    out = base / "pdfs"
    result = run_cli(
        *("--paper", "a4", "--drivers", "mentoring", "--jobs", "1"),
        *("--rubric", str(rubric), "--out", str(out)),
        *("--program", workshop.program, "--organization", workshop.organization),
        *("--date", workshop.date),
    )
    assert result.returncode == 0, result.stderr
    return rubric, workshop, out


def test_long_words_and_the_longest_workshop_values_lose_nothing(long_text_build):
    rubric, workshop, out = long_text_build
    toolkit = load_rubric(rubric)
    renderer = renderer_for(toolkit)
    lost = {}
    printables = catalogue(toolkit, papers=(Paper.A4,), drivers=("mentoring",), workshop=workshop)
    for printable, missing in each_lost(renderer, printables, out):
        if printable.variant == "fillable":
            fields = PdfReader(out / printable.filename).get_fields()
            shown = {name for name, _, _ in printable.header_fields}  # a ballot: program only
            for name in shown & {"program", "organization", "date"}:
                if fields[name].get("/V") != getattr(workshop, name):
                    missing[f"field {name}"] = fields[name].get("/V")
        if missing:
            lost[printable.filename] = missing
    assert len(printables) > 10
    assert lost == {}, "\n".join(f"{name}: {missing}" for name, missing in lost.items())


def test_only_long_words_get_break_opportunities_and_only_in_text():
    from macros.pdf.wrap import soft_wraps

    long = "x" * 30
    html = f'<title>{long}</title><p class="{long}">{long} short &amp;{"y" * 23}</p>'
    wrapped = soft_wraps(html)
    assert wrapped.startswith(f'<title>{long}</title><p class="{long}">')
    assert "xxxxxxxxxxxx<wbr>xxxxxxxxxxxx<wbr>xxxxxx short" in wrapped
    assert "&amp;yyyyyyyyyyy<wbr>" in wrapped  # an entity counts as one character, kept whole
    assert soft_wraps("<p>Implementation 2026-11-02 fidelity</p>") == (
        "<p>Implementation 2026-11-02 fidelity</p>"
    )
