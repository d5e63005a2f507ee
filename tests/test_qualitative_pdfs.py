"""build_pdf.py --assessment with a qualitative assessment and a composition: the record of the
answers (questions, prompts, answers, gaps), the filled Composition Analysis Template whose
part 2 never holds a name, and the action plan with the carried gaps and their questions.

The file is an invented one of the fixture rubric (tests/fixtures/rubric): a few pages each.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pdf_tools import norm, pages_of, text_of
from test_assessment_pdfs import FIXTURE, build, fixture_file

from macros.assessment import rubric_data

NAMES = ("Ana Pérez", "Ben Okafor", "Chen Wei")
GROUP = "Women aged 30-50 (invented)"


@pytest.fixture(scope="module")
def fixture_data(fixture_toolkit) -> dict:
    return rubric_data(fixture_toolkit)


def session_file(data: dict) -> dict:
    document = fixture_file(
        data, "checklist", "2026-11-02", {"mentoring-accountable": ("in-place", [1, 2], "")}
    )
    first, second = (question["id"] for question in data["questions"][:2])
    document["qualitative"] = {
        "mode": "interview",
        "respondents": [NAMES[0], "Respondent 2", NAMES[2]],
        "answers": {
            first: [
                {"respondent": NAMES[0], "text": "The program manager.", "noted": "strength"},
                {
                    "respondent": "Respondent 2",
                    "text": "Nobody is named for it.",
                    "noted": "gap",
                    "action": {"strategy": "Name a mentoring lead", "priority": "quick-win"},
                },
                {"respondent": NAMES[2], "text": "Not sure.", "noted": ""},
            ],
            second: [{"respondent": "", "text": "Summary: weekly.", "noted": ""}],
        },
    }
    document["composition"] = {
        "members": [
            {"name": name, "role": role, "authority": "", "experience": "", "knowledge": ""}
            for name, role in zip(NAMES, ("senior leader", "manager", "family member"))
        ],
        "groups": [
            {"characteristic": "Role", "group": "Everyone (merged)", "count": 3},
            {
                "characteristic": "Demographics, including race/ethnicity",
                "group": GROUP,
                "count": 3,
            },
        ],
    }
    return document


@pytest.fixture(scope="module")
def printed(tmp_path_factory, fixture_data) -> Path:
    folder = tmp_path_factory.mktemp("qualitative")
    (folder / "session.json").write_text(json.dumps(session_file(fixture_data)), encoding="utf-8")
    out = folder / "pdfs"
    result = build(
        "--assessment", "session.json", *FIXTURE, "--jobs", "1", "--out", str(out),
        cwd=folder, cache=folder / "cache",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


def test_the_record_of_the_answers(printed, fixture_data):
    text = norm(text_of(printed / "session-discussion-guide-print-letter.pdf"))
    question = fixture_data["questions"][0]
    assert norm(question["text"]) in text
    for answer in (
        "The program manager.",
        "Nobody is named for it.",
        "Not sure.",
        "Summary: weekly.",
    ):
        assert answer in text
    assert "Respondent 2 · Gap noted · carried into the action plan" in text
    assert f"{NAMES[0]} · Strength noted" in text
    assert "answers of 3 respondents" in text
    assert "No answer recorded to question 3." in text  # every question, answered or not


def test_the_plan_lists_the_carried_gap_with_its_question(printed, fixture_data):
    text = norm(text_of(printed / "session-action-plan-print-letter.pdf"))
    question = norm(fixture_data["questions"][0]["text"])
    assert "Gap noted (Respondent 2): Nobody is named for it." in text
    assert f"From question 1: {question}" in text
    assert "Name a mentoring lead" in text


def test_the_composition_never_puts_a_name_beside_demographics(printed):
    pages = [norm(page) for page in pages_of(printed / "session-composition-print-letter.pdf")]
    with_names = [page for page in pages if any(name in page for name in NAMES)]
    with_counts = [page for page in pages if GROUP in page]
    assert with_names
    assert with_counts
    assert not set(with_names) & set(with_counts)  # never on one page
    assert all(f"{name}," in with_names[0] for name in NAMES)  # part 1: name, role
    assert "Everyone (merged)" in with_counts[0]


def test_the_results_report_gives_the_team_in_one_line(printed):
    text = norm(text_of(printed / "session-results-report-print-letter.pdf"))
    assert "The team: 3 members: 1 senior leader, 1 manager, 1 family member." in text


def test_a_part_2_that_names_a_member_stops_the_build(tmp_path, fixture_data):
    document = session_file(fixture_data)
    document["composition"]["groups"][1]["group"] = f"{NAMES[1]}, woman, 41"
    (tmp_path / "named.json").write_text(json.dumps(document), encoding="utf-8")
    result = build("--assessment", "named.json", *FIXTURE, cwd=tmp_path, cache=tmp_path / "c")
    assert result.returncode == 1
    assert (
        f"composition.groups[1].group: names a team member ('{NAMES[1]}'); part 2 holds no names"
        in result.stderr
    )
    assert not (tmp_path / "assessment-pdfs").exists()
