"""The blank page foot given to the answer areas in the laid-out pages (`fill`) draws what laying
the printable out again with the lines in its HTML (`grow`) draws, on the fixture rubric.

`fill` reproduces WeasyPrint's layout by hand, so this is what catches a WeasyPrint upgrade that
lays boxes out differently. Numbers are compared as the PDF shows them, to 4 decimals: moving a
box by the lines' height adds in another order than the layout does, which can change the last
bit of a coordinate (written `8.` instead of `8`), never what is drawn.
"""

from __future__ import annotations

import re

import pytest
from conftest import PROJECT_ROOT

from macros.catalogue import Paper, catalogue
from macros.pdf.fill import extra_lines, fill, grow
from macros.pdf.renderer import PdfRenderer
from macros.project import Project
from macros.render.markdown import MarkdownRenderer

# Printables whose answer areas sit in boxes `fill` does not grow (the ballot's vote line and
# note are a flex row): the renderer lays them out a second time, as before.
SECOND_LAYOUT = {"ballot"}
NUMBER = re.compile(rb"-?\d+\.\d*|-?\d+")


@pytest.fixture(scope="module")
def renderer(fixture_toolkit) -> PdfRenderer:
    return PdfRenderer(Project.at(PROJECT_ROOT), fixture_toolkit, MarkdownRenderer())


def drawn(document, fillable: bool) -> bytes:
    """The uncompressed PDF up to its cross-reference table, every number to 4 decimals."""
    data = document.write_pdf(
        uncompressed_pdf=True, pdf_identifier=b"fill", pdf_tags=True, pdf_forms=fillable
    )
    data = re.sub(rb"/Length \d+", b"", data[: data.rindex(b"\nxref\n")])
    return NUMBER.sub(lambda number: b"%.4f" % float(number[0]), data)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_fill_draws_what_a_second_layout_draws(renderer, fixture_toolkit, paper):
    filled = []
    for printable in catalogue(fixture_toolkit, papers=(Paper(paper),)):
        html = renderer.html(printable)
        document = renderer.layout(printable, html)
        extra = extra_lines(document)
        if not extra:
            continue
        again = renderer.layout(printable, grow(html, extra))
        if printable.kind in SECOND_LAYOUT:
            assert not fill(document), f"{printable.filename} fills in place now: list it no more"
            continue
        assert fill(document), f"{printable.filename}: an answer area fill cannot grow"
        fillable = printable.variant == "fillable"
        assert drawn(document, fillable) == drawn(again, fillable), printable.filename
        filled.append(printable.kind)
    assert {"checklist", "scoring-form", "discussion-guide", "stage-guide"} <= set(filled)


def test_an_area_fill_cannot_grow_is_left_to_a_second_layout(renderer, fixture_toolkit):
    printable = next(p for p in catalogue(fixture_toolkit) if p.kind == "stage-guide")
    flex = "<style>.tk-stage-question { display: flex; flex-direction: column; }</style>"
    html = renderer.html(printable).replace("</head>", flex + "</head>", 1)
    document = renderer.layout(printable, html)
    extra = extra_lines(document)
    assert extra
    assert not fill(document)
    assert extra_lines(document) == extra  # untouched: the renderer lays `grow`'s HTML out
