"""Assessment files in Python: the example reads back to the same bytes, totals follow the
toolkit's formula, the content version follows the best practices, and each kind of bad file gets
its `file:line:column: field: message` (the browser side is in test_assess.py)."""

from __future__ import annotations

import json

import pytest
from helpers import replace_once
from site_tools import driver_data, load_yaml

from macros.assessment import (
    Tally,
    content_version,
    read_assessment,
    rubric_data,
    to_json,
    totals,
)
from macros.assessment.fileformat import (
    ACTION_FIELDS,
    HEADER_FIELDS,
    PLAN_COLUMNS_FROM_ENTRY,
    notices,
    practices,
)
from macros.project import SCHEMAS
from macros.source.load import load_rubric


@pytest.fixture(scope="module")
def example(project_root):
    return project_root / "examples" / "assessment-example.json"


def rubric_ids() -> list[str]:
    """Every best practice id, read from the YAML itself."""
    return [p["id"] for driver in driver_data().values() for p in driver["best_practices"]]


def test_example_is_current_complete_and_marked_invented(example, data):
    saved = json.loads(example.read_text(encoding="utf-8"))
    assert saved["toolkit"] == data["toolkit"], (
        "the example was saved with another version of the best practices: open it on the "
        "Assess page and save it again, or rewrite it with fileformat.to_json"
    )
    assert sorted(saved["practices"]) == sorted(rubric_ids())
    assert "invented" in saved["header"]["program"]
    assert "invented" in (example.parent / "README.md").read_text(encoding="utf-8")


def test_the_example_reads_back_to_the_same_bytes(example, data):
    assessment = read_assessment(example, data)
    assert to_json(assessment, data) == example.read_text(encoding="utf-8")


def test_example_totals(example, data):
    result = totals(data, read_assessment(example, data))
    assert result.overall == Tally(points=34, possible=62, rated=31, not_rated=2)
    assert result.overall.percent == 55  # 3400 / 62 = 54.8
    assert result.drivers["coaching"] == Tally(points=4, possible=6, rated=3, not_rated=1)
    assert sum(result.categories.values(), Tally()) == result.overall


@pytest.mark.parametrize(
    ("points", "possible", "percent"),
    [(1, 8, 13), (5, 8, 63), (3, 8, 38), (2, 6, 33), (0, 4, 0), (4, 4, 100), (0, 0, None)],
)
def test_percent_is_rounded_half_up(points, possible, percent):
    assert Tally(points, possible).percent == percent


def test_not_rated_is_left_out_not_scored_zero(data, example):
    assessment = read_assessment(example, data)
    fidelity = [p["id"] for p in driver_data()["fidelity"]["best_practices"]]
    unrated = {**assessment.practices}
    for id_ in fidelity:
        unrated[id_] = type(unrated[id_])()
    result = totals(data, type(assessment)(**{**assessment.__dict__, "practices": unrated}))
    assert result.drivers["fidelity"] == Tally(0, 0, 0, len(fidelity))
    assert result.drivers["fidelity"].percent is None


def test_content_version_follows_statements_not_explanations(tmp_path, rubric_copy, toolkit):
    before = content_version(toolkit)
    coaching = rubric_copy / "drivers" / "coaching.yaml"
    replace_once(
        coaching, "Coaching is provided at least monthly", "Coaching is given at least monthly"
    )
    assert content_version(load_rubric(rubric_copy)) == before
    replace_once(coaching, "Agency staff use a coaching", "Agency staff use a written coaching")
    assert content_version(load_rubric(rubric_copy)) != before


def test_schema_matches_the_plan_columns_and_the_code(project_root):
    schema = json.loads((SCHEMAS / "assessment.schema.json").read_text("utf-8"))
    columns = [
        c["id"] for c in load_yaml(project_root / "rubric" / "forms.yaml")["action_plan"]["columns"]
    ]
    action = schema["$defs"]["action"]["properties"]
    assert [c for c in columns if c not in PLAN_COLUMNS_FROM_ENTRY] == list(action)
    assert list(action) == list(ACTION_FIELDS)
    assert list(schema["properties"]["header"]["properties"]) == list(HEADER_FIELDS)


def test_another_version_keeps_unknown_items_out_of_the_totals(tmp_path, example, data):
    saved = json.loads(example.read_text(encoding="utf-8"))
    saved["toolkit"]["content_version"] = "0123456789abcdef"
    saved["practices"]["coaching-retired-practice"] = {
        "rating": "in-place",
        "criteria": ["peer-review"],
        "notes": "from an older version",
    }
    file = tmp_path / "older.json"
    file.write_text(json.dumps(saved), encoding="utf-8")
    assessment = read_assessment(file, data)
    assert assessment.unknown(data) == ("coaching-retired-practice",)
    assert totals(data, assessment) == totals(data, read_assessment(example, data))
    written = json.loads(to_json(assessment, data))
    assert "coaching-retired-practice" not in written["practices"]
    assert written["carried"]["coaching-retired-practice"]["notes"] == "from an older version"
    assert written["toolkit"] == data["toolkit"]
    # the file written now reads back, the carried item still listed
    file.write_text(to_json(assessment, data), encoding="utf-8")
    assert read_assessment(file, data).unknown(data) == ("coaching-retired-practice",)


GOOD_START = (
    '{"format": "implementation-toolkit-assessment", "format_version": 2,\n'
    '"toolkit": {"title": "Best Practices and Tools to Assess Implementation Infrastructure",\n'
    ' "content_version": "VERSION"},\n'
)


def test_last_years_format_1_example_opens_as_todays(example, data, project_root):
    """The example as format 1 saved it (criteria by number) names this very content: each
    number becomes today's criterion at that place, and the file saves as today's example."""
    old = project_root / "tests" / "cases" / "format-1-example.json"
    assert json.loads(old.read_text("utf-8"))["format_version"] == 1
    assessment = read_assessment(old, data)
    assert assessment.practices["selection-review"].criteria == ("interview-results", "training")
    assert to_json(assessment, data) == example.read_text(encoding="utf-8")
    assert notices(assessment, data) == [
        "It is in format 1 (criteria by number); it will be saved in format 2 (criteria by id)."
    ]


def test_reordered_criteria_keep_their_ticks(tmp_path, rubric_copy, example):
    """Ticks follow the criterion, not its place: after the list is reordered, the same
    criteria are ticked and the file saves the same ticks."""
    coaching = rubric_copy / "drivers" / "coaching.yaml"
    text = coaching.read_text("utf-8")
    first = "        - id: reflections\n          text: group or individual reflections;\n"
    second = "        - id: document-review\n          text: product or document review;\n"
    coaching.write_text(text.replace(first + second, second + first), "utf-8")
    data = rubric_data(load_rubric(rubric_copy))
    saved = json.loads(example.read_text("utf-8"))
    saved["toolkit"] = data["toolkit"]
    saved["practices"]["coaching-provided"]["criteria"] = ["reflections"]
    file = tmp_path / "team.json"
    file.write_text(json.dumps(saved), "utf-8")
    assessment = read_assessment(file, data)
    assert assessment.practices["coaching-provided"].criteria == ("reflections",)
    assert json.loads(to_json(assessment, data))["practices"]["coaching-provided"]["criteria"] == [
        "reflections"
    ]


def test_a_criterion_the_toolkit_lost_is_listed_kept_and_saved_again(tmp_path, data, example):
    """Last year's file ticks a criterion this version no longer has: the file opens, says so,
    and the tick is carried at every save, never counted and never dropped."""
    saved = json.loads(example.read_text("utf-8"))
    saved["toolkit"]["content_version"] = "0123456789abcdef"
    saved["practices"]["coaching-provided"]["criteria"] = ["reflections", "peer-review"]
    file = tmp_path / "last-year.json"
    file.write_text(json.dumps(saved), "utf-8")
    assessment = read_assessment(file, data)
    entry = assessment.practices["coaching-provided"]
    assert (entry.criteria, entry.carried_criteria) == (("reflections",), ("peer-review",))
    assert notices(assessment, data)[-1] == (
        "Ticks that could not be placed (kept in the file, not counted): "
        "coaching-provided: peer-review."
    )
    file.write_text(to_json(assessment, data), "utf-8")
    again = read_assessment(file, data).practices["coaching-provided"]
    assert again.carried_criteria == ("peer-review",)
    assert json.loads(file.read_text("utf-8"))["toolkit"] == data["toolkit"]


def test_format_1_of_other_content_keeps_its_numbers_unplaced(tmp_path, data, example):
    """A format 1 file of content this toolkit cannot name: a number may mean another
    criterion now, so none is placed; each is kept with the version it belongs to."""
    old = json.loads(example.read_text("utf-8"))
    old["format_version"] = 1
    old["toolkit"]["content_version"] = "0123456789abcdef"
    for entry in old["practices"].values():
        entry["criteria"] = []
    old["practices"]["coaching-service-plan"]["criteria"] = [1, 7]  # it had 7 criteria then
    file = tmp_path / "old.json"
    file.write_text(json.dumps(old), "utf-8")
    entry = read_assessment(file, data).practices["coaching-service-plan"]
    assert entry.criteria == ()
    assert entry.carried_criteria == ("1@0123456789abcdef", "7@0123456789abcdef")


def test_the_checker_says_what_the_page_says_when_a_file_opens(project_root, capsys):
    """`python -m macros.assessment` on last year's format 1 example: its totals and the
    notice the Assess page shows for the same file."""
    from macros.assessment.__main__ import main

    old = project_root / "tests" / "cases" / "format-1-example.json"
    assert main([str(old)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0] == f"{old}: overall 34 of 62 points, 55%, 2 not rated"
    assert said[-1] == (
        "  It is in format 1 (criteria by number); it will be saved in format 2 (criteria by id)."
    )


def test_the_first_releases_example_opens_with_its_ticks_in_place(project_root, data):
    """The example as the first release saved it (format 1, content 564be3621ac5db5d): its
    numbers go through that version's criteria (macros/assessment/format-1-history.json) to
    today's ids; nothing is left unplaced."""
    old = project_root / "tests" / "cases" / "format-1-first-example.json"
    saved = json.loads(old.read_text("utf-8"))
    assert (saved["format_version"], saved["toolkit"]["content_version"]) == (
        1,
        "564be3621ac5db5d",
    )
    assessment = read_assessment(old, data)
    for id_, entry in saved["practices"].items():
        ids = (
            [item["id"] for item in practices(data)[id_]["criteria"]["items"]]
            if entry["criteria"]
            else []
        )
        assert assessment.practices[id_].criteria == tuple(ids[n - 1] for n in entry["criteria"])
        assert assessment.practices[id_].carried_criteria == ()
    assert "another version" in notices(assessment, data)[0]
