"""Each page and printable credits exactly whose text it shows, and the toolkit's own text never
passes for a quotation.

The pages' Markdown and the printables' HTML are rendered in-process (no MkDocs, no WeasyPrint),
so these checks are fast. What a document shows is found by looking for each text of the rubric
in it, longest first; what it credits is read from its credit block and its footer.
"""

from __future__ import annotations

import html
import re
from functools import cache

import pytest
from helpers import PROJECT_ROOT

from macros.catalogue import KINDS, Paper, catalogue
from macros.cli import assessment_printables
from macros.model import OWN, texts
from macros.render.environment import make_environment
from macros.render.markdown import MarkdownRenderer, plain
from macros.site.pages import PAGES, SitePages

COPYRIGHT = "Copyright 2015"
EXAMPLES = PROJECT_ROOT / "examples"
# Saved assessments printed filled in: between them, every kind a file can give (the
# qualitative record, the composition, the consensus record and the results report included).
FILLED = ("assessment-example", "assessment-qualitative-example", "consensus-example")
# A source text this long is never a shared name ("Implementation Infrastructure", "Qualitative
# Drivers Assessment") that another document mentions: finding it means showing it. The toolkit's
# own texts are checked down to short labels ("Partially in place").
QUOTED_LENGTH = {"source": 40, OWN: 12}
BLOCKS = "p|li|ul|ol|dl|dt|dd|div|section|aside|main|footer|h[1-6]|table|tr|td|th|br|label"


@pytest.fixture(scope="module")
def documents(toolkit) -> dict[str, str]:
    """Every site page and one of each printable (tip sheets: all), rendered to Markdown/HTML."""
    markdown = MarkdownRenderer()
    pages = SitePages(toolkit, markdown)
    rendered = {f"page {name}": pages.page(name) for name in PAGES}
    rendered |= {f"page {d.id}": pages.driver_page(d) for d in toolkit.drivers}
    environment = make_environment(toolkit, markdown)
    for printable in catalogue(toolkit, papers=(Paper.A4,)):
        if printable.driver is None or printable.kind == "tip-sheet":
            template = environment.get_template(printable.template)
            rendered[printable.filename] = template.render(doc=printable)
    for name in FILLED:
        for printable in assessment_printables(toolkit, [EXAMPLES / f"{name}.json"], ("a4",)):
            template = environment.get_template(printable.template)
            rendered[f"filled {printable.filename}"] = template.render(doc=printable)
    return rendered


def test_the_documents_include_every_printable_kind_and_participant_editions(documents):
    assert [kind for kind in KINDS if not any(f"{kind}-" in name for name in documents)] == []
    assert "discussion-guide-participant-print-a4.pdf" in documents


def credited(document: str) -> set[str]:
    """The origin ids a document credits; its credit block and its footer must agree."""
    marked = {marks for marks in re.findall(r'data-origins="([^"]*)"', document)}
    assert len(marked) == 1, marked
    return set(marked.pop().split())


def shown_text(document: str) -> str:
    """The document's own text: without its credits, metadata and markup."""
    document = re.sub(r'<aside class="tk-credit".*?</aside>', " ", document, flags=re.S)
    document = re.sub(r'<div class="tk-running-foot".*?</div>', " ", document, flags=re.S)
    document = re.sub(r"<head>.*?</head>", " ", document, flags=re.S)
    return as_text(document).replace("\\", "")


def as_text(markup: str) -> str:
    """Markup as one line of text: inline tags vanish, block tags separate words."""
    markup = re.sub(rf"</?(?:{BLOCKS})\b[^>]*>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup)))


def shown_origins(toolkit, document: str, shortest: dict[str, int]) -> set[str]:
    """Origins of the rubric texts found in the document, longest first, each found text
    blanked out so the shorter texts inside it are not counted again."""
    body = shown_text(document)
    found = set()
    for text, origin in candidates(toolkit):
        if len(text) < shortest.get(origin, shortest["source"]) or text not in body:
            continue
        pattern = r"(?<!\w)" + re.escape(text) + r"(?!\w)"
        if re.search(pattern, body):
            found.add(origin)
            body = re.sub(pattern, " ", body)
    return found


@cache
def candidates(toolkit) -> tuple[tuple[str, str], ...]:
    """(plain text, origin id) of every text in the rubric, longest first."""
    found = {(plain(text), origin) for _, origin, text in texts(toolkit)}
    return tuple(sorted(found, key=lambda candidate: -len(candidate[0])))


def test_every_document_credits_each_origin_whose_text_it_shows(toolkit, documents):
    missing = {
        name: sorted(shown_origins(toolkit, document, QUOTED_LENGTH) - credited(document))
        for name, document in documents.items()
    }
    assert {name: origins for name, origins in missing.items() if origins} == {}


def test_no_document_credits_an_origin_whose_text_it_does_not_show(toolkit, documents):
    extra = {
        name: sorted(credited(document) - shown_origins(toolkit, document, {"source": 4}))
        for name, document in documents.items()
    }
    assert {name: origins for name, origins in extra.items() if origins} == {}


def test_the_tip_sheets_copyright_line_is_only_where_their_text_is(documents):
    wrong = [
        name
        for name, document in documents.items()
        if (COPYRIGHT in document) != ("tip-sheets" in credited(document))
    ]
    assert wrong == []
    assert COPYRIGHT not in documents["stage-guide-print-a4.pdf"]
    assert COPYRIGHT in documents["tip-sheet-coaching-print-a4.pdf"]


def test_each_page_ends_with_its_credit(documents):
    for name, document in documents.items():
        if name.startswith("page "):
            assert document.rstrip().endswith("</aside>"), name


def test_printable_metadata_names_the_authors_of_what_it_credits(toolkit, documents):
    for name, document in documents.items():
        if name.endswith(".pdf"):
            authors = [plain(toolkit.source(id).author) for id in sorted(credited(document))]
            meta = html.unescape(re.search(r'name="author" content="([^"]*)"', document)[1])
            assert sorted(meta.split("; ")) == sorted(authors), name


def test_footer_and_metadata_name_the_document_and_show_only_what_it_credits(toolkit, documents):
    """The footer opens with the document's own title; that title, the PDF's Subject and its
    Title show no text of an origin the document does not credit (the assessment guide's title
    on the stage guide, its sentence about the tip sheets as a tip sheet's Subject)."""
    wrong = {}
    for name, document in documents.items():
        if not name.endswith(".pdf"):
            continue
        title = re.search(r"<title>(.*?)</title>", document, re.S)[1]
        subject = re.search(r'name="description" content="([^"]*)"', document)[1]
        foot = re.search(r'<div class="tk-running-foot"[^>]*><strong>(.*?)</strong>', document)
        assert foot is not None, name
        assert as_text(foot[1]) == as_text(title), name
        named = f"<main><p>{title}</p><p>{subject}</p><p>{foot[1]}</p></main>"
        extra = shown_origins(toolkit, named, QUOTED_LENGTH) - credited(document)
        if extra:
            wrong[name] = sorted(extra)
    assert wrong == {}


def test_the_toolkit_credit_names_the_project_not_the_sources(toolkit):
    own = toolkit.source(OWN)
    assert "contributors" in own.credit
    assert COPYRIGHT not in own.credit + own.footer
    for source in toolkit.origins:
        if source.id != "tip-sheets":
            assert COPYRIGHT not in source.credit + source.footer + source.author, source.id


# --- the toolkit's own text is never presented as a quotation -------------------------------


def provenance_lines(document: str) -> list[str]:
    return [
        plain(html.unescape(line))
        for line in re.findall(r'<p class="tk-source">(.*?)</p>', document, flags=re.S)
    ]


def test_each_discussion_question_says_whether_it_is_quoted_or_the_toolkits(toolkit, documents):
    for driver in toolkit.drivers:
        expected = [
            "This toolkit’s wording, based on " if q.origin.own else "Quoted from the "
            for q in driver.questions
        ]
        shown = provenance_lines(documents[f"page {driver.id}"])
        assert [line[: len(start)] for line, start in zip(shown, expected)] == expected
    guide = provenance_lines(documents["discussion-guide-print-a4.pdf"])
    questions = [q for driver in toolkit.drivers for q in driver.questions]
    assert len(guide) == len(questions)
    for line, question in zip(guide, questions):
        assert line.startswith("Quoted from") != question.origin.own, question.id


def test_only_questions_quoting_a_source_say_quoted(toolkit):
    quoted = [q.id for d in toolkit.drivers for q in d.questions if not q.origin.own]
    assert quoted == [
        "fidelity-q-selection-feedback",
        "fidelity-q-training-feedback",
        "fidelity-q-coaching-feedback",
        "fidelity-q-outcome-data",
    ]


def test_reflection_questions_say_they_are_the_toolkits(toolkit, documents):
    lines = provenance_lines(documents["composition-print-a4.pdf"])
    assert len(lines) == len(toolkit.forms.composition.reflection)
    assert all(line.startswith("This toolkit’s question, based on ") for line in lines)


def test_no_own_text_is_set_in_quotation_marks_or_as_a_quotation(toolkit, documents):
    own = [plain(text) for _, origin, text in texts(toolkit) if origin == OWN]
    for document in documents.values():
        quotations = re.findall(r"<(?:blockquote|q)\b.*?</(?:blockquote|q)>", document, re.S)
        quoted = [plain(q) for q in quotations] + re.findall(r"“([^”]+)”", shown_text(document))
        assert [text for text in own if any(text in q for q in quoted if len(text) > 20)] == []


# --- what the home page claims ---------------------------------------------------------------


def test_the_home_page_links_to_where_every_origin_and_what_comes_from_it_is_named(
    toolkit, documents
):
    """The home page keeps provenance to a line; Source materials names each origin."""
    materials = shown_text(documents["page references"].split("{ #source-materials }")[1])
    for source in toolkit.origins:
        assert plain(source.title) in materials, source.id
        assert plain(source.covers) in materials, source.id
    home = documents["page home"]
    assert 'href="references.html#source-materials"' in home
    assert "all from the source" not in shown_text(home)
    assert "written for this toolkit" in shown_text(home)


# --- the places the transcription slipped before ---------------------------------------------


def headings(page: str) -> list[str]:
    lines = [line[3:] for line in page.splitlines() if line.startswith("## ")]
    lines = [re.sub(r" \{ #[a-z0-9-]+ \}$", "", line) for line in lines]  # the template's id
    return [html.unescape(line.replace("\\", "")) for line in lines]


def test_implementation_support_sections_sit_under_the_sources_headings(toolkit, documents):
    support = toolkit.implementation_support
    page = documents["page support"]
    shown = headings(page)
    for section in (support.working_well, support.importance):
        assert section.heading in shown
        after = page.split("\n## ")[shown.index(section.heading) + 1]
        assert plain(section.paragraphs[0])[:60] in shown_text(after)
    assert support.knowledge_and_skills.heading in shown
    assert shown_text(page).count("Important Knowledge & Skills") == 1


def test_the_assessment_options_follow_the_sources_lead_in(toolkit, documents):
    options = toolkit.assessment.options
    text = shown_text(documents["page assessing"])
    lead = text.index(plain(options.tools_lead))
    assert lead < text.index(plain(options.items[0].summary))


def test_tip_sheets_open_with_the_sources_introduction_in_its_order(toolkit, documents):
    for driver in toolkit.drivers:
        text = shown_text(documents[f"tip-sheet-{driver.id}-print-a4.pdf"])
        organization = text.index("Organization drivers (facilitative administration")
        assert organization < text.index("Competency drivers (selection, training, coaching and")
        assert plain(driver.best_practices_heading) in text


def test_criteria_given_as_examples_read_so_and_leave_room_for_another(documents):
    page = shown_text(documents["page coaching"])
    assert "At least 1 of these or others like them:" in page
    for variant in ("print", "fillable"):
        checklist = documents[f"checklist-{variant}-a4.pdf"]
        assert shown_text(checklist).count("Another one like these:") == 1, variant
    fillable = documents["checklist-fillable-a4.pdf"]
    assert 'name="coaching-provided-criterion-other-name"' in fillable


def test_tip_sheets_end_with_their_sources_copyright_line_in_full(toolkit, documents):
    line = plain(toolkit.source("tip-sheets").credit)
    for driver in toolkit.drivers:
        document = documents[f"tip-sheet-{driver.id}-print-a4.pdf"]
        (credit,) = re.findall(r'<aside class="tk-credit".*?</aside>', document, flags=re.S)
        assert line in as_text(credit)
