"""Assessment files in Python: the example reads back to the same bytes, totals follow the
toolkit's formula, the content version follows the best practices, and each kind of bad file gets
its `file:line:column: field: message` (the browser side is in test_assess.py)."""

from __future__ import annotations

import json

import pytest
from helpers import replace_once
from site_tools import driver_data, load_yaml

from macros.assessment import (
    AssessmentError,
    Tally,
    content_version,
    read_assessment,
    rubric_data,
    to_json,
    totals,
)
from macros.assessment.fileformat import ACTION_FIELDS, HEADER_FIELDS, PLAN_COLUMNS_FROM_ENTRY
from macros.project import SCHEMAS
from macros.source.load import load_rubric


@pytest.fixture(scope="module")
def data(toolkit) -> dict:
    return rubric_data(toolkit)


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
    replace_once(coaching, "Coaching is provided at least monthly", "Coaching is given monthly")
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
        "criteria": [4],
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
    '{"format": "implementation-toolkit-assessment", "format_version": 1,\n'
    '"toolkit": {"title": "Best Practices and Tools to Assess Implementation Infrastructure",\n'
    ' "content_version": "VERSION"},\n'
)
BAD_FILES = {
    "not JSON": (
        "driver,id,rating\ncoaching,coaching-provided,2\n",
        "1:1: (file): not JSON, so not an assessment: Expecting value",
    ),
    "binary": (
        "%PDF-1.7\n\0\0",
        "1:1: (file): this is a binary file, not an assessment (a JSON file)",
    ),
    "JSON but not an assessment": (
        '{"name": "a package", "version": "1.0"}',
        '1:1: (file): not an assessment file: it has no "format": '
        '"implementation-toolkit-assessment"',
    ),
    "missing practices": (GOOD_START + '"header": {}}', "1:1: practices: is required but missing"),
    "unknown key": (
        GOOD_START + '"practices": {}, "scores": {}}',
        "4:18: scores: unknown key 'scores'; allowed: carried, format, format_version, header, "
        "next_assessment, practices, toolkit",
    ),
    "wrong type": (
        GOOD_START + '"practices": {"coaching-provided": {"rating": null, "notes": 3}}}',
        "4:62: practices.coaching-provided.notes: expected text, found a number",
    ),
    "bad rating": (
        GOOD_START + '"practices": {"coaching-provided": {"rating": "great"}}}',
        "4:47: practices.coaching-provided.rating: 'great' is not a rating; expected one of "
        "in-place, partially-in-place, not-in-place, or null",
    ),
    "bad date": (
        GOOD_START + '"practices": {}, "next_assessment": "next spring"}',
        "4:37: next_assessment: 'next spring' is not a date as YYYY-MM-DD",
    ),
    "unknown item": (
        GOOD_START + '"practices": {\n  "coaching-retired": {"rating": null}}}',
        "5:3: practices.coaching-retired: this toolkit has no best practice 'coaching-retired'",
    ),
    "criterion that does not exist": (
        GOOD_START + '"practices": {"coaching-provided": {"rating": null, "criteria": [4, 5]}}}',
        "4:69: practices.coaching-provided.criteria[1]: criterion 5 does not exist: this best "
        "practice has 3 criteria (and 4 for another one like these)",
    ),
    "duplicate key": (
        GOOD_START + '"practices": {"coaching-provided": {"rating": null, "rating": "in-place"}}}',
        "4:53: (syntax): duplicate key 'rating' (first on line 4)",
    ),
    "another toolkit": (
        GOOD_START.replace("Best Practices", "Other") + '"practices": {}}',
        "2:22: toolkit.title: this file was made with another toolkit ('Other and Tools to Assess "
        "Implementation Infrastructure'); this is 'Best Practices and Tools to Assess "
        "Implementation Infrastructure'",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_gets_its_message(tmp_path, data, case):
    text, expected = BAD_FILES[case]
    file = tmp_path / "assessment.json"
    file.write_text(text.replace("VERSION", data["toolkit"]["content_version"]), "utf-8")
    with pytest.raises(AssessmentError) as caught:
        read_assessment(file, data, "assessment.json")
    assert [str(problem) for problem in caught.value.problems] == [f"assessment.json:{expected}"]
    assert caught.value.report().endswith("1 problem in the assessment; nothing was written.")


def test_tabs_between_tokens_keep_their_columns(tmp_path, data):
    text = GOOD_START + '"practices": {\n\t"coaching-retired": {"rating": null}}}'
    file = tmp_path / "tabs.json"
    file.write_text(text.replace("VERSION", data["toolkit"]["content_version"]), "utf-8")
    with pytest.raises(AssessmentError, match=r"tabs.json:5:2: practices.coaching-retired: "):
        read_assessment(file, data, "tabs.json")
