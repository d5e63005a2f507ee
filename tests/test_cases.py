"""One contract for the record: every case of tests/cases/ runs through Python
(macros/assessment: read_bytes, totals, to_json) and through the Assess page's own script
(toolkit-core.js in Chromium, no page around it); both must give the case's expected outcome,
and for valid files the same canonical bytes. See tests/cases/README.md."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from macros.assessment import to_json, totals
from macros.assessment.fileformat import STATUSES, next_round, notices
from macros.assessment.reading import AssessmentError, read_bytes

CASES = Path(__file__).resolve().parent / "cases"
CORE = Path(__file__).resolve().parent.parent / "overrides/assets/javascripts/toolkit-core.js"
RECORD_CASES = sorted(CASES.glob("record-*.json"))


def case_bytes(case: dict, data: dict) -> bytes:
    """The input of a case: its text (with the toolkit's title and versions put in), its
    base64 bytes, or a file made to a size."""
    if "input_base64" in case:
        return base64.b64decode(case["input_base64"])
    if "make" in case:
        head = case_text('{"format": "implementation-toolkit-assessment"}', data)
        return (head + " " * case["make"]["big"]).encode()[: case["make"]["big"]]
    return case_text(case["input"], data).encode("utf-8")


def case_text(text: str, data: dict) -> str:
    return (
        text.replace("{title}", data["toolkit"]["title"])
        .replace("{content_version}", data["toolkit"]["content_version"])
        .replace("{content_version_1}", data["content_version_1"])
    )


def python_outcome(raw: bytes, data: dict) -> dict:
    try:
        assessment = read_bytes(raw, data, "case.json")
    except AssessmentError as error:
        return {"problems": [str(p).removeprefix("case.json:") for p in error.problems]}
    overall = totals(data, assessment).overall
    return {
        "totals": {
            "points": overall.points,
            "possible": overall.possible,
            "rated": overall.rated,
            "not_rated": overall.not_rated,
        },
        "notices": notices(assessment, data),
        "criteria": {
            id_: {"ticked": list(entry.criteria), "carried": list(entry.carried_criteria)}
            for id_, entry in assessment.practices.items()
            if entry.criteria or entry.carried_criteria
        },
        "chosen_not_rated": [id_ for id_, entry in assessment.practices.items() if entry.not_rated],
        "saved": to_json(assessment, data),
    }


BROWSER_OUTCOMES = """([cases, data]) => cases.map((b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const read = ToolkitCore.readBytes(bytes, data, "case.json");
  if (read.problems) return {problems: read.problems.map((p) => p.slice("case.json:".length))};
  const a = read.assessment;
  const overall = ToolkitCore.totals(data, a).overall;
  const criteria = {};
  a.practices.forEach((entry, id) => {
    if (entry.criteria.length || entry.carried_criteria.length)
      criteria[id] = {ticked: entry.criteria, carried: entry.carried_criteria};
  });
  const chosen = Array.from(a.practices).filter(([id, entry]) => entry.not_rated).map(([id]) => id);
  return {totals: overall, notices: ToolkitCore.notices(a, data), criteria: criteria,
          chosen_not_rated: chosen, saved: ToolkitCore.toJson(a, data)};
})"""


@pytest.fixture(scope="module")
def browser_outcomes(browser, data) -> dict:
    """Every case read by toolkit-core.js in one blank Chromium page."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_content("<!doctype html><title>core</title>")
    page.add_script_tag(content=CORE.read_text(encoding="utf-8"))
    inputs = [
        base64.b64encode(case_bytes(json.loads(path.read_text("utf-8")), data)).decode()
        for path in RECORD_CASES
    ]
    results = page.evaluate(BROWSER_OUTCOMES, [inputs, data])
    context.close()
    assert errors == []
    return dict(zip([path.name for path in RECORD_CASES], results, strict=True))


def expected(case: dict) -> dict:
    want = dict(case["expect"])
    if "totals" in want:
        want.setdefault("notices", [])
        want.setdefault("criteria", {})
        want.setdefault("chosen_not_rated", [])
    return want


def test_the_corpus_covers_valid_bad_older_and_hostile_files():
    names = [path.stem for path in RECORD_CASES]
    assert sum(name.startswith("record-valid-") for name in names) >= 10
    assert sum(name.startswith("record-bad-") for name in names) >= 30
    for path in RECORD_CASES:
        case = json.loads(path.read_text("utf-8"))
        assert case["about"] and "expect" in case, path.name


@pytest.mark.parametrize("path", RECORD_CASES, ids=lambda path: path.stem)
def test_python_gives_the_expected_outcome(path, data):
    case = json.loads(path.read_text("utf-8"))
    outcome = python_outcome(case_bytes(case, data), data)
    saved = outcome.pop("saved", None)
    assert outcome == expected(case)
    if saved is not None:  # what the toolkit writes, it reads back to the same
        again = python_outcome(saved.encode("utf-8"), data)
        assert again["saved"] == saved
        assert again["totals"] == outcome["totals"]


@pytest.mark.parametrize("path", RECORD_CASES, ids=lambda path: path.stem)
def test_the_page_script_gives_the_same_outcome(path, data, browser_outcomes):
    case = json.loads(path.read_text("utf-8"))
    outcome = dict(browser_outcomes[path.name])
    saved = outcome.pop("saved", None)
    assert outcome == expected(case)
    if saved is not None:
        assert saved == python_outcome(case_bytes(case, data), data)["saved"]


def test_valid_cases_follow_the_schema(data):
    """The published schema accepts every file the toolkit accepts (and documents it)."""
    from macros.project import SCHEMAS
    from macros.source.load import schema_validator

    validator = schema_validator(SCHEMAS, "assessment.schema.json")
    for path in RECORD_CASES:
        case = json.loads(path.read_text("utf-8"))
        if "totals" in case["expect"]:
            value = json.loads(case_bytes(case, data).decode("utf-8-sig"))
            assert [error.message for error in validator.iter_errors(value)] == [], path.name


def test_the_page_script_and_python_share_their_constants(browser):
    """Limits and reserved names live in both languages: they must be the same."""
    from macros.assessment import checking, fileformat, jsontext
    from macros.source.yamldoc import MAX_BYTES

    page = browser.new_page()
    page.set_content("<!doctype html><title>core</title>")
    page.add_script_tag(content=CORE.read_text(encoding="utf-8"))
    shown = page.evaluate(
        "() => [ToolkitCore.FORMAT, ToolkitCore.FORMAT_VERSION, ToolkitCore.MAX_BYTES,"
        " ToolkitCore.LINE_LIMIT, ToolkitCore.TEXT_LIMIT, ToolkitCore.ANOTHER,"
        " ToolkitCore.HEADER_FIELDS, ToolkitCore.ACTION_FIELDS, ToolkitCore.LINE_FIELDS,"
        " ToolkitCore.MAX_DEPTH]"
    )
    page.close()
    assert shown == [
        fileformat.FORMAT,
        fileformat.FORMAT_VERSION,
        MAX_BYTES,
        checking.LINE_LIMIT,
        checking.TEXT_LIMIT,
        fileformat.ANOTHER,
        list(fileformat.HEADER_FIELDS),
        list(fileformat.ACTION_FIELDS),
        list(checking.LINE_FIELDS),
        jsontext.MAX_DEPTH,
    ]


TYPED = {  # what the team types or pastes -> what a field holds
    "one\u000btwo": "one\ntwo",  # Word's vertical tab
    "a\u000cb": "a\nb",
    "a\r\nb\rc": "a\nb\nc",
    "bell\u0007 and nul\u0000 gone": "bell and nul gone",
    "tab\tkept": "tab\tkept",
    "line\u2028separator": "line\nseparator",
}
CSV_CELLS = {  # a value -> its cell in the exports
    "ok;=cmd|' /C calc'!A0": "\"ok;'=cmd|' /C calc'!A0\"",
    "=SUM(A1)": "'=SUM(A1)",
    "a,+1": '"a,\'+1"',
    "x|@y": '"x|\'@y"',
    "first\n-2": '"first\n\'-2"',
    "a - b": "a - b",
    'say "hi"': '"say ""hi"""',
}


def test_typing_is_normalised_to_what_a_file_may_hold(browser):
    from macros.assessment.checking import control_character

    page = browser.new_page()
    page.set_content("<!doctype html><title>core</title>")
    page.add_script_tag(content=CORE.read_text(encoding="utf-8"))
    typed = page.evaluate("t => t.map((x) => ToolkitCore.normaliseText(x))", list(TYPED))
    cells = page.evaluate("v => v.map((x) => ToolkitCore.csvCell(x))", list(CSV_CELLS))
    page.close()
    assert typed == list(TYPED.values())
    assert all(control_character(text) is None for text in typed)
    assert cells == list(CSV_CELLS.values())


# --- the next round: a plan carried from one round to the next --------------------------------

ROUND_CASES = sorted(CASES.glob("round-*.json"))
EMPTY_ENTRY = {"rating": None, "criteria": [], "notes": ""}


def next_round_summary(saved: str) -> dict:
    """What a next-round file holds beyond blank entries: header, kept entries, the rest."""
    value = json.loads(saved)
    kept = {id_: e for id_, e in value["practices"].items() if e != EMPTY_ENTRY}
    names = ("header", "carried", "next_assessment")
    return {"practices": kept, **{name: value[name] for name in names}}


def python_next_round(case: dict, data: dict) -> str:
    assessment = read_bytes(case_bytes(case, data), data, "case.json")
    return to_json(next_round(assessment, data), data)


@pytest.mark.parametrize("path", ROUND_CASES, ids=lambda path: path.stem)
def test_python_carries_the_plan_to_the_next_round(path, data):
    case = json.loads(path.read_text("utf-8"))
    assert next_round_summary(python_next_round(case, data)) == case["expect"]["next"]


def test_the_page_script_carries_the_plan_as_python_does(browser, data):
    cases = [json.loads(path.read_text("utf-8")) for path in ROUND_CASES]
    assert len(cases) >= 2
    page = browser.new_page()
    page.set_content("<!doctype html><title>core</title>")
    page.add_script_tag(content=CORE.read_text(encoding="utf-8"))
    inputs = [base64.b64encode(case_bytes(case, data)).decode() for case in cases]
    saved = page.evaluate(
        """([cases, data]) => cases.map((b64) => {
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const read = ToolkitCore.readBytes(bytes, data, "case.json");
          return ToolkitCore.toJson(ToolkitCore.nextRound(read.assessment, data), data);
        })""",
        [inputs, data],
    )
    statuses = page.evaluate("() => ToolkitCore.STATUSES")
    page.close()
    assert statuses == list(STATUSES)
    for case, text in zip(cases, saved, strict=True):
        assert text == python_next_round(case, data)  # the same bytes
        assert next_round_summary(text) == case["expect"]["next"]


# --- suggestion cases: what ticked criteria suggest, with the conditions no criterion ticks -----

SUGGEST_CASES = sorted(CASES.glob("suggest-*.json"))


def suggest_case(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


@pytest.fixture(scope="module")
def browser_suggestions(browser, data) -> dict:
    """Every suggestion case through ToolkitCore.suggestion in one blank Chromium page."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><title>core</title>")
    page.add_script_tag(content=CORE.read_text(encoding="utf-8"))
    cases = [suggest_case(path) for path in SUGGEST_CASES]
    results = page.evaluate(
        """([cases, data]) => cases.map((c) => ToolkitCore.suggestion(
             data, data.categories.flatMap((g) => g.drivers).flatMap((d) => d.practices)
               .find((p) => p.id === c.practice), c.ticked))""",
        [cases, data],
    )
    context.close()
    return dict(zip([path.name for path in SUGGEST_CASES], results, strict=True))


def test_the_suggestion_cases_cover_conditions_left_and_none_left():
    expects = [suggest_case(path)["expect"] for path in SUGGEST_CASES]
    assert any(want["met"] and want["confirm"] for want in expects)
    assert any(want["met"] and not want["confirm"] for want in expects)
    assert any(want["met"] is None for want in expects)


@pytest.mark.parametrize("path", SUGGEST_CASES, ids=lambda path: path.stem)
def test_python_suggests_as_the_case_expects(path, data):
    from macros.assessment.fileformat import practices
    from macros.assessment.totals import suggestion

    case = suggest_case(path)
    assert suggestion(data, practices(data)[case["practice"]], case["ticked"]) == case["expect"]


@pytest.mark.parametrize("path", SUGGEST_CASES, ids=lambda path: path.stem)
def test_the_page_script_suggests_the_same(path, browser_suggestions):
    assert browser_suggestions[path.name] == suggest_case(path)["expect"]
