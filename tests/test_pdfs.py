"""The printables as users get them: the right PDFs, the right text on every page, working form
fields, the right paper, tagged metadata, small files, the same bytes every time, and content
that can neither reach the network nor run as a template.

Most tests read the PDFs of `built_site` (the whole toolkit, built once per session); the workshop
edition, the hostile rubric and the failing build are built once per module.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import page
import pytest
from conftest import FIXTURE_RUBRIC, HOSTILE_STATEMENT, run_cli
from helpers import line_of, replace_once
from pdf_tools import (
    acroform_of,
    catalog_of,
    fields_of,
    link_uris,
    md_text,
    missing,
    page_count,
    page_sizes,
    pages_of,
    pdfua_part,
    reader_of,
    render_first_page,
    text_of,
)
from PIL import Image

from macros.catalogue import KINDS, PAPERS, VARIANTS, catalogue, pdf_filename
from macros.pdf.renderer import ProjectFetcher
from macros.project import Project
from macros.store.output import STAMP

NEVER_RANK = "never be used to rank or grade organizations"
PAPER_POINTS = {"letter": (612, 792), "a4": (595.28, 841.89)}
MANIFEST_KEYS = {"file", "title", "kind", "variant", "driver", "audience", "paper", "pages"}
MANIFEST_KEYS |= {"bytes"}
KB = 1000


# --- what the tests read -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_dir(built_site: Path) -> Path:
    return built_site / "pdf"


@pytest.fixture(scope="module")
def manifest(pdf_dir: Path) -> list[dict]:
    return json.loads((pdf_dir / "manifest.json").read_text(encoding="utf-8"))["printables"]


@pytest.fixture(scope="module")
def entries(manifest: list[dict], pdf_dir: Path) -> list[tuple[dict, Path]]:
    """Each manifest entry with the path of its PDF."""
    return [(entry, pdf_dir / entry["file"]) for entry in manifest]


def statements(drivers) -> list[str]:
    return [md_text(practice.statement) for driver in drivers for practice in driver.best_practices]


def first_sentence(markdown: str) -> str:
    return re.split(r"(?<=[.!?])\s", md_text(markdown), maxsplit=1)[0]


# --- the manifest --------------------------------------------------------------------------------


def test_manifest_lists_every_pdf_in_the_folder_and_no_other(manifest, pdf_dir, toolkit):
    listed = [entry["file"] for entry in manifest]
    assert len(listed) == len(set(listed)), "a PDF is listed twice"
    assert len(listed) == 94  # as the README says: 47 printables on two papers
    on_disk = {path.name for path in pdf_dir.iterdir() if path.name not in ("manifest.json", STAMP)}
    assert set(listed) == on_disk
    assert on_disk == {printable.filename for printable in catalogue(toolkit)}


def test_manifest_entries_describe_the_real_files(entries):
    for entry, pdf in entries:
        assert entry.keys() >= MANIFEST_KEYS, entry
        assert entry["title"].strip(), entry
        assert entry["kind"] in KINDS, entry
        assert entry["variant"] in VARIANTS, entry
        assert entry["paper"] in PAPERS, entry
        # the file is what its kind, variant, driver and paper say
        assert (
            pdf_filename(
                entry["kind"],
                entry["variant"],
                entry["paper"],
                entry["driver"],
                audience=entry["audience"],
            )
            == entry["file"]
        )
        assert entry["bytes"] == pdf.stat().st_size, entry["file"]
        assert entry["pages"] == page_count(pdf), entry["file"]


# --- what the text says --------------------------------------------------------------------------


def test_all_drivers_checklist_holds_every_best_practice(pdf_dir, toolkit):
    expected = statements(toolkit.drivers)
    assert len(expected) == 33
    assert missing(expected, pdf_dir / "checklist-print-letter.pdf") == []


def test_per_driver_checklist_holds_only_its_drivers_statements(pdf_dir, toolkit):
    for driver in toolkit.drivers:
        pdf = pdf_dir / f"checklist-{driver.id}-print-a4.pdf"
        others = statements(d for d in toolkit.drivers if d is not driver)
        text = text_of(pdf)
        assert missing(statements([driver]), pdf) == [], driver.id
        assert [statement for statement in others if statement in text] == [], driver.id


def test_tip_sheet_holds_definition_practices_references_and_credit(pdf_dir, toolkit):
    for driver in toolkit.drivers:
        pdf = pdf_dir / f"tip-sheet-{driver.id}-print-letter.pdf"
        citations = [md_text(reference.citation) for reference in toolkit.cited(driver.references)]
        authors = [
            reference.short.split(" et al.")[0].split(",")[0].split(" & ")[0]
            for reference in toolkit.cited(driver.references)
        ]
        expected = [
            first_sentence(driver.definition[0]),
            *statements([driver]),
            *citations,
            *authors,
            md_text(toolkit.source("tip-sheets").credit),
            "Copyright 2015",
        ]
        assert missing(expected, pdf) == [], driver.id


def test_discussion_guide_holds_every_question_and_prompt(pdf_dir, toolkit):
    expected = [
        md_text(text)
        for driver in toolkit.drivers
        for question in driver.questions
        for text in (question.text, *question.prompts)
    ]
    assert expected
    for variant in VARIANTS:
        assert missing(expected, pdf_dir / f"discussion-guide-{variant}-letter.pdf") == [], variant


def test_scoring_form_has_a_subtotal_for_each_driver(pdf_dir, toolkit):
    for variant in VARIANTS:
        pdf = pdf_dir / f"scoring-form-{variant}-a4.pdf"
        expected = [md_text(driver.name) for driver in toolkit.drivers]
        expected += [f"Subtotal for {md_text(driver.name)}" for driver in toolkit.drivers]
        assert missing(expected, pdf) == [], variant


def test_scoring_form_shows_each_subtotal_row_once(pdf_dir, toolkit):
    repeated = {}
    for paper in PAPERS:
        for variant in VARIANTS:
            text = text_of(pdf_dir / f"scoring-form-{variant}-{paper}.pdf")
            for driver in toolkit.drivers:
                count = text.count(f"Subtotal for {md_text(driver.name)} (")
                if count != 1:
                    repeated[f"{variant}-{paper}: {driver.id}"] = count
    assert repeated == {}


def test_blank_tables_hold_every_column_heading(pdf_dir, toolkit):
    for kind, table in (
        ("action-plan", toolkit.forms.action_plan),
        ("composition", toolkit.forms.composition),
    ):
        headings = [md_text(column.heading) for column in table.columns]
        for variant in VARIANTS:
            assert missing(headings, pdf_dir / f"{kind}-{variant}-letter.pdf") == [], kind


def test_stage_guide_names_the_three_stages(pdf_dir, toolkit):
    stages = [md_text(stage.name) for stage in toolkit.implementation_support.stages.items]
    assert len(stages) == 3
    for variant in VARIANTS:
        assert missing(stages, pdf_dir / f"stage-guide-{variant}-a4.pdf") == [], variant


def test_stage_guide_prints_each_stages_questions_before_its_activities(pdf_dir, toolkit):
    """As the source's table and the site do: a stage's questions, then its activities."""
    for variant in VARIANTS:
        for paper in PAPERS:
            text = text_of(pdf_dir / f"stage-guide-{variant}-{paper}.pdf")
            order = []
            for number, stage in enumerate(toolkit.implementation_support.stages.items, start=1):
                order.append(text.index(f"Stage {number}. {md_text(stage.name)}"))
                order += [text.index(md_text(question)) for question in stage.questions]
                order += [text.index(md_text(activity)) for activity in stage.activities]
            assert order == sorted(order), f"stage-guide-{variant}-{paper}.pdf"


def test_stage_guide_marks_its_edited_introduction_as_the_toolkits_edit(pdf_dir, toolkit):
    stages = toolkit.implementation_support.stages
    for variant in VARIANTS:
        text = text_of(pdf_dir / f"stage-guide-{variant}-letter.pdf")
        passage = md_text(stages.introduction[-1]) + " " + md_text(stages.edited or "")
        assert passage in text, variant
        assert md_text(stages.edited or "").startswith("This toolkit’s edit:")


def test_checklists_and_scoring_forms_say_their_items_are_the_tip_sheets_best_practices(
    pdf_dir, toolkit
):
    """They carry the names of the guide's tools, whose items no source lists: each says, as
    the toolkit's own wording, where its items come from."""
    note = "This toolkit’s wording: " + md_text(toolkit.forms.scoring.items_from or "")
    assert "Drivers Best Practices Tip Sheets" in note
    for kind in ("checklist", "checklist-coaching", "scoring-form"):
        for variant in VARIANTS:
            assert note in text_of(pdf_dir / f"{kind}-{variant}-letter.pdf"), f"{kind}-{variant}"


# --- consensus scoring on paper: ballot, vote-tally sheet, run sheet ------------------------------


def positions(texts: list[str], text: str) -> list[int]:
    return [text.find(item) for item in texts]


def test_ballot_lists_every_best_practice_with_its_criteria_in_rubric_order(pdf_dir, toolkit):
    criteria = [
        md_text(item.text)
        for driver in toolkit.drivers
        for practice in driver.best_practices
        for item in (practice.criteria.items if practice.criteria else ())
    ]
    for variant in VARIANTS:
        for paper in PAPERS:
            pdf = pdf_dir / f"ballot-{variant}-{paper}.pdf"
            assert missing(statements(toolkit.drivers) + criteria, pdf) == [], pdf.name
            found = positions(statements(toolkit.drivers), text_of(pdf))
            assert found == sorted(found), f"{pdf.name}: best practices out of rubric order"


def test_print_ballot_has_an_optional_alias_the_round_and_a_vote_line_per_item(pdf_dir, toolkit):
    scoring = toolkit.forms.scoring
    votes = " ".join(f"{r.score} {md_text(r.label)}" for r in toolkit.forms.rating_scale)
    pdf = pdf_dir / "ballot-print-letter.pdf"
    first, text = pages_of(pdf)[0], text_of(pdf)
    assert "Alias (optional)" in first
    assert "Round" in first
    assert "Team members" not in text  # a ballot is one member's
    line = f"Vote {votes} {md_text(scoring.not_rated)} Note"
    assert text.count(line) == 33, line


def test_fillable_ballot_has_a_named_vote_note_and_criteria_per_best_practice(pdf_dir, toolkit):
    scores = tuple(str(rating.score) for rating in toolkit.forms.rating_scale)
    for paper in PAPERS:
        fields = fields_of(pdf_dir / f"ballot-fillable-{paper}.pdf")
        expected = {"program": "text", "alias": "text", "round": "text"}
        for name, kind in checklist_field_names(toolkit.drivers).items():
            if "-criterion-" in name:
                expected[name] = kind
        for driver in toolkit.drivers:
            for practice in driver.best_practices:
                expected[f"{practice.id}-vote"] = "radio"
                expected[f"{practice.id}-note"] = "text"
        assert {name: field.kind for name, field in fields.items()} == expected, paper
        votes = [field for field in fields.values() if field.kind == "radio"]
        assert len(votes) == 33
        assert {field.options for field in votes} == {(*scores, "not-rated")}  # as scoring form
        coaching = fields["coaching-provided-vote"].tooltip
        assert coaching == "Vote on Coaching best practice 2", coaching  # the group, named


def tally_field_names(toolkit) -> dict[str, str]:
    expected = {"program": "text", "organization": "text", "date": "text", "team": "text"}
    counted = [str(rating.score) for rating in toolkit.forms.rating_scale] + ["not-rated"]
    for driver in toolkit.drivers:
        for practice in driver.best_practices:
            for round in range(1, toolkit.forms.vote_tally.rounds + 1):
                for value in counted:
                    expected[f"{practice.id}-round{round}-{value}"] = "text"
                expected[f"{practice.id}-round{round}-flag"] = "checkbox"
            expected[f"{practice.id}-agreed"] = "text"
    for round in range(1, toolkit.forms.vote_tally.rounds + 1):  # what each row adds up to
        expected[f"voters-round{round}"] = "text"
    return expected


def test_vote_tally_has_a_count_for_each_rating_and_round_and_the_agreed_rating(pdf_dir, toolkit):
    assert toolkit.forms.vote_tally.rounds == 2
    heads = [f"Round {round} {score}" for round in (1, 2) for score in (2, 1, 0)]
    heads += [f"Round 2 {md_text(toolkit.forms.scoring.not_rated)}", "Round 2 Flag"]
    heads += ["Agreed rating"]
    for variant in VARIANTS:
        for paper in PAPERS:
            pdf = pdf_dir / f"vote-tally-{variant}-{paper}.pdf"
            assert missing(statements(toolkit.drivers) + heads, pdf) == [], pdf.name
            found = positions(statements(toolkit.drivers), text_of(pdf))
            assert found == sorted(found), pdf.name
    for paper in PAPERS:
        fields = fields_of(pdf_dir / f"vote-tally-fillable-{paper}.pdf")
        assert {name: field.kind for name, field in fields.items()} == tally_field_names(toolkit)


def test_vote_tally_and_run_sheet_print_the_flag_rule_from_the_rubric(pdf_dir, toolkit):
    agreement = toolkit.forms.consensus.agreement
    for name in ("vote-tally-print-letter.pdf", "run-sheet-print-a4.pdf"):
        text = text_of(pdf_dir / name)
        assert f"less than {agreement}% of the ratings given" in text, name
        assert "both 0 (Not in place) and 2 (In place) were voted" in text, name
        # the counts that rule means: 7 of 10 is 70%, enough; 4 of 6 is 67%, not enough
        assert "Ratings given 3 4 5 6 7 8 9 10 11 12" in text, name
        assert "Most common needs 3 3 4 5 5 6 7 7 8 9" in text, name


def test_run_sheet_says_no_source_gives_its_protocol(pdf_dir, toolkit):
    sheet = toolkit.forms.run_sheet
    assert sheet.origin.own is False  # it quotes the sources, and says which text is whose
    for paper in PAPERS:
        pdf = pdf_dir / f"run-sheet-print-{paper}.pdf"
        first = pages_of(pdf)[0]
        assert "No source document gives this protocol." in first, paper
        assert md_text(sheet.provenance) in first, paper


def test_run_sheet_has_the_roles_and_timed_steps_of_a_three_hour_session(pdf_dir, toolkit):
    sheet = toolkit.forms.run_sheet
    assert [role.id for role in sheet.roles] == [
        "administrator",
        "facilitator",
        "note-taker",
        "voters",
    ]
    assert sheet.minutes == 180
    expected = [md_text(role.name) for role in sheet.roles]
    expected += [md_text(item) for role in sheet.roles for item in role.duties]
    expected += [f"{number}. {md_text(step.name)}" for number, step in enumerate(sheet.steps, 1)]
    expected += [f"{step.minutes} min" for step in sheet.steps]
    expected += ["Steps: 3 hours", "0:00–0:10", "2:50–3:00", "Total 180 minutes"]
    for paper in PAPERS:
        text = text_of(pdf_dir / f"run-sheet-print-{paper}.pdf")
        assert missing(expected, pdf_dir / f"run-sheet-print-{paper}.pdf") == [], paper
        steps = positions([md_text(step.name) for step in sheet.steps], text)
        assert steps == sorted(steps), paper


def test_run_sheet_quotes_what_the_sources_say_and_names_where(pdf_dir, toolkit):
    quotes = toolkit.forms.run_sheet.sources_say
    assert [quote.origin.of("text") for quote in quotes] == ["assessment-guide"] * len(quotes)
    title = md_text(toolkit.source("assessment-guide").title)
    expected = [md_text(quote.text) for quote in quotes]
    expected += [f"Quoted from the {title}: {md_text(quote.where)}" for quote in quotes]
    assert missing(expected, pdf_dir / "run-sheet-print-letter.pdf") == []


def test_checklists_and_scoring_forms_say_never_to_rank_or_grade(entries):
    checked = [pdf for entry, pdf in entries if entry["kind"] in ("checklist", "scoring-form")]
    assert len(checked) > 4
    assert [pdf.name for pdf in checked if NEVER_RANK not in text_of(pdf)] == []


# What each kind of printable shows, by origin (rubric/toolkit.yaml `origins`): its footer
# credits exactly these on every page, and its metadata names their authors.
SHOWS = {
    "checklist": ("assessment-guide", "tip-sheets", "toolkit"),
    "scoring-form": ("assessment-guide", "tip-sheets", "toolkit"),
    "discussion-guide": ("assessment-guide", "tip-sheets", "toolkit"),
    "tip-sheet": ("tip-sheets", "toolkit"),
    "action-plan": ("assessment-guide", "toolkit"),
    "composition": ("assessment-guide", "toolkit"),
    "stage-guide": ("implementation-support", "toolkit"),
    "ballot": ("tip-sheets", "toolkit"),
    "vote-tally": ("tip-sheets", "toolkit"),
    "run-sheet": ("assessment-guide", "toolkit"),
}


def test_every_page_has_its_page_number_and_credits_what_the_pdf_shows(entries, toolkit):
    """A participant edition's footer points to the last page, whose footer credits in full."""
    footers = {source.id: md_text(source.footer) for source in toolkit.origins}
    assert "Copyright 2015" in footers["tip-sheets"]
    wrong = []
    for entry, pdf in entries:
        pages = pages_of(pdf)
        assert len(pages) == entry["pages"], pdf.name
        pointing = entry["audience"] == "participant"
        for number, text in enumerate(pages, start=1):
            numbers = re.findall(r"Page (\d+) of (\d+)", text)
            credited = [origin for origin, footer in footers.items() if footer in text]
            shows = SHOWS[entry["kind"]]
            if pointing and number < len(pages):
                shows = () if "Credit: last page." in text else ("a pointer to the last page",)
            copyright = "Copyright 2015" in text
            if numbers != [(str(number), str(len(pages)))] or credited != list(shows):
                wrong.append(f"{pdf.name} page {number}: {numbers} {credited}")
            elif copyright != ("tip-sheets" in shows):
                wrong.append(f"{pdf.name} page {number}: copyright line {copyright}")
    assert wrong == []


# --- form fields ---------------------------------------------------------------------------------


def checklist_field_names(drivers) -> dict[str, str]:
    """Every field the fillable checklist for `drivers` should have, with its kind."""
    expected = {"program": "text", "organization": "text", "date": "text", "team": "text"}
    for driver in drivers:
        for practice in driver.best_practices:
            expected[f"{practice.id}-rating"] = "radio"
            expected[f"{practice.id}-notes"] = "text"
            items = practice.criteria.items if practice.criteria else ()
            for number in range(1, len(items) + 1):
                expected[f"{practice.id}-criterion-{number}"] = "checkbox"
            if practice.criteria and practice.criteria.examples:  # room to name another one
                expected[f"{practice.id}-criterion-other"] = "checkbox"
                expected[f"{practice.id}-criterion-other-name"] = "text"
    return expected


def test_fillable_checklist_has_exactly_the_expected_fields(pdf_dir, toolkit):
    fields = fields_of(pdf_dir / "checklist-fillable-letter.pdf")
    assert {name: field.kind for name, field in fields.items()} == checklist_field_names(
        toolkit.drivers
    )
    ratings = [field for field in fields.values() if field.kind == "radio"]
    assert len(ratings) == 33
    scale = tuple(str(rating.score) for rating in toolkit.forms.rating_scale)  # the rating itself
    assert scale == ("2", "1", "0")
    for field in ratings:
        assert field.options == scale, field.name
        assert field.widgets == len(scale), field.name


def test_print_variants_have_no_form_fields(entries):
    for entry, pdf in entries:
        if entry["variant"] == "print":
            assert acroform_of(pdf) is None, pdf.name
            assert fields_of(pdf) == {}, pdf.name


def test_fillable_scoring_form_has_scores_and_subtotals(pdf_dir, toolkit):
    fields = fields_of(pdf_dir / "scoring-form-fillable-a4.pdf")
    scores = tuple(str(rating.score) for rating in toolkit.forms.rating_scale)
    assert scores == ("2", "1", "0")
    for driver in toolkit.drivers:
        for practice in driver.best_practices:
            field = fields.get(f"{practice.id}-score")
            assert field is not None, practice.id
            assert field.kind == "radio", practice.id
            assert field.options == (*scores, "not-rated"), practice.id
        subtotal = fields.get(f"summary-{driver.id}-points")
        assert subtotal is not None, driver.id
        assert subtotal.kind == "text", driver.id
    radios = [field for field in fields.values() if field.kind == "radio"]
    assert len(radios) == 33


def test_fillable_scoring_form_asks_for_each_subtotal_once(pdf_dir, toolkit):
    """The totals table up front holds each driver's points, possible points and percent; the
    driver's own subtotal row refers to it (with its page) and asks for nothing."""
    asked_twice = {}
    for paper in PAPERS:
        pdf = pdf_dir / f"scoring-form-fillable-{paper}.pdf"
        fields = fields_of(pdf)
        text = text_of(pdf)
        totals_page = next(
            number
            for number, page in enumerate(pages_of(pdf), start=1)
            if "Totals for all drivers" in page
        )
        for driver in toolkit.drivers:
            name = md_text(driver.name)
            mine = [n for n in fields if n.startswith(driver.id + "-") and "-score" not in n]
            mine = [n for n in mine if not n.endswith("-notes") and "-criterion-" not in n]
            if mine or fields[f"summary-{driver.id}-points"].widgets != 1:
                asked_twice[f"{paper}: {driver.id}"] = mine
            assert f"in the Totals table, row {name} (page {totals_page})" in text, driver.id
    assert asked_twice == {}


def test_fillable_fields_have_distinct_accessible_names(entries):
    shared = {}
    for entry, pdf in entries:
        if entry["variant"] == "fillable" and entry["paper"] == "letter":
            tooltips = [field.tooltip for field in fields_of(pdf).values()]
            assert all(tooltips), pdf.name
            repeated = sorted({tip for tip in tooltips if tooltips.count(tip) > 1})
            if repeated:
                shared[pdf.name] = repeated[:3]
    assert shared == {}


# --- paper, metadata, tagging --------------------------------------------------------------------


def test_page_sizes_match_the_paper(entries):
    for entry, pdf in entries:
        width, height = PAPER_POINTS[entry["paper"]]
        if entry["kind"] in ("action-plan", "vote-tally"):  # landscape
            width, height = height, width
        for number, (w, h) in enumerate(page_sizes(pdf), start=1):
            assert abs(w - width) <= 1, f"{pdf.name} page {number}: {w}x{h}"
            assert abs(h - height) <= 1, f"{pdf.name} page {number}: {w}x{h}"


def test_metadata_language_title_author_and_tags(entries, toolkit):
    for entry, pdf in entries:
        reader = reader_of(pdf)
        root = catalog_of(pdf)
        assert str(root.get("/Lang", "")).lower().startswith("en"), pdf.name
        assert reader.metadata.title == entry["title"], pdf.name
        authors = "; ".join(
            md_text(toolkit.source(origin).author) for origin in SHOWS[entry["kind"]]
        )
        assert reader.metadata.author, pdf.name
        assert reader.metadata.author.strip() == authors, pdf.name
        marked = root.get("/MarkInfo", {}).get("/Marked")
        assert getattr(marked, "value", marked) is True, pdf.name  # a pypdf BooleanObject
        assert "/StructTreeRoot" in root, pdf.name


def test_every_pdf_passes_the_pdf_ua_1_machine_checks(entries):
    """Print and fillable alike: the machine-checkable rules of PDF/UA-1 (page-validation runs
    the standard's validation profile without Java; veraPDF is not installable here)."""
    failed = {}
    for _entry, pdf in entries:
        assert pdfua_part(pdf) == "1", pdf.name
        report = page.validate_pdf(pdf, profile="ua1")
        if not report.is_compliant:
            failed[pdf.name] = sorted({failure.rule_id for failure in report.failures})
    assert failed == {}


# --- what users see and download -----------------------------------------------------------------


def test_first_pages_render_to_something_visible(entries, tmp_path):
    firsts = {}
    for entry, pdf in entries:
        firsts.setdefault((entry["kind"], entry["variant"], entry["driver"] is None), pdf)
    assert len(firsts) == 20  # checklists all-drivers and per driver; tip sheets, run sheet print
    for pdf in firsts.values():
        with Image.open(render_first_page(pdf, tmp_path / pdf.stem)) as image:
            gray = image.convert("L")
            low, high = gray.getextrema()
            assert low < 128, pdf.name
            assert low != high, pdf.name
            dark = sum(gray.histogram()[:128]) / (gray.width * gray.height)
            assert dark > 0.002, f"{pdf.name}: only {dark:.2%} dark pixels"


def test_files_are_small_enough_to_email(entries):
    too_big = []
    for entry, pdf in entries:
        size = pdf.stat().st_size
        limit = (
            250 * KB
            if entry["variant"] == "fillable"
            else (60 * KB if entry["driver"] else 150 * KB)
        )
        if size >= limit:
            too_big.append(f"{pdf.name}: {size // KB} KB (limit {limit // KB} KB)")
    assert too_big == []


# --- the workshop edition ------------------------------------------------------------------------

WORKSHOP = {"program": "Family Connects", "organization": "North Clinic", "date": "2026-12-01"}
WORKSHOP_DRIVERS = ("mentoring",)


@pytest.fixture(scope="module")
def workshop(tmp_path_factory) -> Path:
    """A workshop edition of the fixture rubric: one of its two drivers, on A4, pre-filled."""
    out = tmp_path_factory.mktemp("workshop") / "pdfs"
    result = run_cli(
        "--rubric",
        str(FIXTURE_RUBRIC),
        "--paper",
        "a4",
        "--drivers",
        ",".join(WORKSHOP_DRIVERS),
        "--program",
        WORKSHOP["program"],
        "--organization",
        WORKSHOP["organization"],
        "--date",
        WORKSHOP["date"],
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    return out


def test_workshop_has_only_the_chosen_drivers_on_a4(workshop, fixture_toolkit):
    names = {path.name for path in workshop.glob("*.pdf")}
    assert not [name for name in names if "letter" in name]
    for driver in fixture_toolkit.drivers:
        own = {
            f"checklist-{driver.id}-print-a4.pdf",
            f"checklist-{driver.id}-fillable-a4.pdf",
            f"tip-sheet-{driver.id}-print-a4.pdf",
        }
        if driver.id in WORKSHOP_DRIVERS:
            assert own <= names, driver.id
        else:
            assert not [name for name in names if f"-{driver.id}-" in name], driver.id
    for pdf in workshop.glob("*.pdf"):
        for w, h in page_sizes(pdf):
            assert {round(w), round(h)} == {595, 842}, pdf.name


def test_workshop_checklist_holds_only_the_chosen_drivers(workshop, fixture_toolkit):
    chosen = [driver for driver in fixture_toolkit.drivers if driver.id in WORKSHOP_DRIVERS]
    others = [driver for driver in fixture_toolkit.drivers if driver.id not in WORKSHOP_DRIVERS]
    assert chosen
    assert others
    for variant in VARIANTS:
        pdf = workshop / f"checklist-mentoring-{variant}-a4.pdf"
        assert missing(statements(chosen), pdf) == [], variant
        text = text_of(pdf)
        assert [statement for statement in statements(others) if statement in text] == []


def test_workshop_print_checklist_shows_the_header_values(workshop):
    pdf = workshop / "checklist-mentoring-print-a4.pdf"
    assert missing(list(WORKSHOP.values()), pdf) == []


def test_workshop_fillable_checklist_has_the_header_values_filled_in(workshop, fixture_toolkit):
    fields = fields_of(workshop / "checklist-mentoring-fillable-a4.pdf")
    assert {name: fields[name].value for name in WORKSHOP} == WORKSHOP
    chosen = [driver for driver in fixture_toolkit.drivers if driver.id in WORKSHOP_DRIVERS]
    assert set(fields) == set(checklist_field_names(chosen))


def test_unknown_driver_exits_2_naming_the_known_drivers(tmp_path, fixture_toolkit):
    result = run_cli(
        *("--rubric", str(FIXTURE_RUBRIC), "--drivers", "nope", "--paper", "a4"),
        *("--out", str(tmp_path / "out")),
    )
    assert result.returncode == 2
    assert "nope" in result.stderr
    assert [d.id for d in fixture_toolkit.drivers if d.id not in result.stderr] == []
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- the same bytes every time -------------------------------------------------------------------

RENDER_ONE = """
import sys
from pathlib import Path
root, rubric, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
from macros.source.load import load_rubric
from macros.pdf.renderer import PdfRenderer
from macros.catalogue import Paper, catalogue
from macros.project import Project
from macros.render.markdown import MarkdownRenderer
toolkit = load_rubric(rubric, shown_from=rubric.parent)
renderer = PdfRenderer(Project.at(root), toolkit, MarkdownRenderer())
for printable in catalogue(toolkit, papers=(Paper.A4,), drivers=("mentoring",)):
    if printable.filename in sys.argv[4:]:
        (out / printable.filename).write_bytes(renderer.render(printable).data)
"""


def test_two_processes_render_identical_bytes_without_the_cache(project_root, tmp_path):
    """PdfRenderer never reads the PDF cache; two processes, different hash seeds and folders."""
    names = ["checklist-mentoring-fillable-a4.pdf", "tip-sheet-mentoring-print-a4.pdf"]
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        out.mkdir()
        env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
        env["PYTHONHASHSEED"] = seed
        runs.append(
            (
                out,
                subprocess.Popen(
                    [sys.executable, "-c", RENDER_ONE, str(project_root), str(FIXTURE_RUBRIC)]
                    + [str(out), *names],
                    cwd=out,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    for _out, process in runs:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    (first, _), (second, _) = runs
    for name in names:
        data = (first / name).read_bytes()
        assert data.startswith(b"%PDF-"), name
        assert data == (second / name).read_bytes(), name


def test_two_builds_give_identical_files(tmp_path):
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        result = run_cli(
            *("--rubric", str(FIXTURE_RUBRIC), "--paper", "a4", "--drivers", "mentoring"),
            *("--out", str(out)),
        )
        assert result.returncode == 0, result.stderr
    first, second = ({path.name: path.read_bytes() for path in out.iterdir()} for out in outs)
    assert sorted(first) == sorted(second)
    assert "manifest.json" in first
    assert len(first) > 10
    assert [name for name in first if first[name] != second[name]] == []


# --- content is data, never code or a fetch ------------------------------------------------------


def test_fetcher_refuses_network_and_files_outside_the_project(project_root):
    fetcher = ProjectFetcher(
        (Project.templates, Project.styles, Project.at(project_root).font_cache)
    )
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        port = server.getsockname()[1]
        for url in (
            f"http://127.0.0.1:{port}/x",
            "file:///etc/passwd",
            (Project.styles / ".." / ".." / ".." / "README.md").as_uri(),
        ):
            with pytest.raises(ValueError, match="^refused to "):
                fetcher.fetch(url)
    assert (
        fetcher.fetch((Project.styles / "print.css").as_uri()) is not None
    )  # its own files still work


def test_hostile_content_builds_without_any_connection(hostile_site):
    result, out = hostile_site["result"], hostile_site["site"] / "pdf"
    connections = hostile_site["connections"]
    assert result.returncode == 0, result.stderr
    assert connections == []
    assert (out / "tip-sheet-mentoring-print-a4.pdf").is_file()


def test_raw_html_shows_as_text_and_pictures_as_their_alt_text(hostile_site):
    out = hostile_site["site"] / "pdf"
    pdf = out / "tip-sheet-mentoring-print-a4.pdf"
    text = text_of(pdf)
    assert "<img" in text
    assert "Look x and <img" in text  # the image's alt text, then the raw HTML as typed
    # No picture becomes a link; the only outside link is the one the content writes as a link.
    port = hostile_site["port"]
    outside = {uri for uri in link_uris(pdf) if uri.startswith("file:") or "127.0.0.1" in uri}
    assert outside <= {f"http://127.0.0.1:{port}/x"}


def test_template_syntax_in_content_prints_literally(hostile_site):
    out = hostile_site["site"] / "pdf"
    for name in (
        "checklist-mentoring-print-a4.pdf",
        "tip-sheet-mentoring-print-a4.pdf",
        "scoring-form-mentoring-print-a4.pdf",  # a one-driver edition names its driver
    ):
        text = text_of(out / name)
        assert HOSTILE_STATEMENT in text, name
        assert "Fixture staff use 49" not in text, name


# --- a broken rubric -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "at"),
    [
        ("\nname: Mentoring\n", "\nnmae: Mentoring\n", "nmae: Mentoring"),
        ("category: competency\n", "category: [competency\n", "category: [competency"),
    ],
    ids=["unknown-key", "yaml-syntax"],
)
def test_broken_rubric_reports_where_and_leaves_the_output_alone(
    fixture_rubric_copy, tmp_path, old, new, at
):
    out = tmp_path / "pdfs"
    options = ("--rubric", str(fixture_rubric_copy), "--paper", "a4", "--drivers", "mentoring")
    good = run_cli(*options, "--out", str(out))
    assert good.returncode == 0, good.stderr
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    mentoring = fixture_rubric_copy / "drivers" / "mentoring.yaml"
    replace_once(mentoring, old, new)

    result = run_cli(*options, "--out", str(out))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    places = re.findall(r"mentoring\.yaml:(\d+):(\d+):", result.stderr)
    assert places, result.stderr
    lines = {int(line) for line, _ in places}
    assert lines & {line_of(mentoring, at), line_of(mentoring, at) + 1}, result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(["pdfs", "rubric"]), (
        "a staging folder was left behind"
    )
