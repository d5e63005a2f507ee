"""Every kind of mistake in the rubric is reported with its file, line, column, field and a clear
message, all problems of a run together, and never as a traceback.

Each test breaks a copy of the small fixture rubric (tests/fixtures/rubric/, invented text) by
replacing exact text of its files, and works out the expected line from where that text is, so a
content edit of the real rubric cannot break them. A rule the corpus of bad inputs already shows
word for word (tests/bad_inputs/, run by test_bad_inputs.py) has its one home there; this module
holds the others, and what needs a second look (columns, speed, several problems at once).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import FIXTURE_RUBRIC, PROJECT_ROOT
from helpers import line_of, only_problem, problems_of, replace_once

from macros import cli
from macros.errors import RubricError
from macros.source.load import load_rubric
from macros.source.yamldoc import MAX_DEPTH

MENTORING_REFERENCES = "references: [fixsen-2005, metz-bartley-2012]"
PROVIDED_STATEMENT = "    statement: Fixture statement 283.\n"


def mentoring(rubric_dir):
    return rubric_dir / "drivers" / "mentoring.yaml"


def funding(rubric_dir):
    return rubric_dir / "drivers" / "funding.yaml"


def practice_index(toolkit, driver_id: str, practice_id: str) -> int:
    return [practice.id for practice in toolkit.driver(driver_id).best_practices].index(practice_id)


@pytest.fixture
def provided(fixture_toolkit) -> str:
    """Field path of mentoring's best practice "mentoring-provided", e.g. best_practices[1]."""
    return f"best_practices[{practice_index(fixture_toolkit, 'mentoring', 'mentoring-provided')}]"


# --- reading YAML ---------------------------------------------------------------------------------


def test_yaml_syntax_error(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    line = replace_once(file, "name: Mentoring\n", "name: Mentoring: extra\n")

    problem = only_problem(fixture_rubric_copy)

    assert (problem.path, problem.line, problem.column, problem.field) == (
        "rubric/drivers/mentoring.yaml",
        line,
        len("name: Mentoring") + 1,
        "(syntax)",
    )
    assert problem.message == "YAML syntax error: mapping values are not allowed in this context"


def test_missing_required_text(fixture_rubric_copy, provided):
    file = mentoring(fixture_rubric_copy)
    practice_line = line_of(file, "  - id: mentoring-provided")
    replace_once(file, PROVIDED_STATEMENT, "")

    problem = only_problem(fixture_rubric_copy)

    # Reported where the best practice that lacks it starts.
    assert (problem.path, problem.line, problem.column, problem.field) == (
        "rubric/drivers/mentoring.yaml",
        practice_line,
        len("  - ") + 1,
        f"{provided}.statement",
    )
    assert problem.message == "is required but missing"


def test_number_where_text_is_expected(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    line = replace_once(file, "name: Mentoring\n", "name: 42\n")

    problem = only_problem(fixture_rubric_copy)

    assert (problem.path, problem.line, problem.column, problem.field) == (
        "rubric/drivers/mentoring.yaml",
        line,
        len("name: ") + 1,
        "name",
    )
    assert problem.message == "expected text, found a number"


def test_text_where_a_list_is_expected(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    line = replace_once(file, MENTORING_REFERENCES, "references: fixsen-2005")

    problem = only_problem(fixture_rubric_copy)

    assert (problem.path, problem.line, problem.column, problem.field) == (
        "rubric/drivers/mentoring.yaml",
        line,
        len("references: ") + 1,
        "references",
    )
    assert problem.message == "expected a list, found text"


# --- rules across files ---------------------------------------------------------------------------


def test_rule_at_least_without_count(fixture_rubric_copy, fixture_toolkit):
    file = funding(fixture_rubric_copy)
    index = practice_index(fixture_toolkit, "funding", "funding-shared-understanding")
    count_line = replace_once(file, "      count: 2\n", "")

    problem = only_problem(fixture_rubric_copy)

    # Reported where the criteria mapping starts: its `rule: at_least` line, just above.
    assert (problem.path, problem.line, problem.column, problem.field) == (
        "rubric/drivers/funding.yaml",
        count_line - 1,
        len("      ") + 1,
        f"best_practices[{index}].criteria.count",
    )
    assert problem.message == "is required with rule at_least"


def test_origin_of_a_field_the_entry_does_not_have(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    line = replace_once(file, "  questions: toolkit\n", "  question: toolkit\n")

    problem = only_problem(fixture_rubric_copy)

    assert (problem.path, problem.line, problem.column, problem.field) == (
        "rubric/drivers/mentoring.yaml",
        line,
        len("  ") + 1,
        "origin.question",
    )
    assert problem.message == "names the field 'question', which this entry does not have"


def test_a_file_must_say_where_its_text_comes_from(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    line = replace_once(file, "  default: tip-sheets\n", "")

    problem = only_problem(fixture_rubric_copy)

    # Reported where the origin mapping starts: its remaining `questions: toolkit` line.
    assert (problem.path, problem.line, problem.field) == (
        "rubric/drivers/mentoring.yaml",
        line,
        "origin.default",
    )
    assert problem.message == "is required but missing"


def test_examples_are_only_for_rule_at_least(fixture_rubric_copy, fixture_toolkit):
    file = mentoring(fixture_rubric_copy)
    index = practice_index(fixture_toolkit, "mentoring", "mentoring-provided")
    replace_once(
        file,
        "      rule: at_least\n      count: 1\n      examples: true\n",
        "      rule: all\n      examples: true\n",
    )

    problem = only_problem(fixture_rubric_copy)

    assert (problem.path, problem.line, problem.column, problem.field) == (
        "rubric/drivers/mentoring.yaml",
        line_of(file, "      examples: true"),
        len("      examples: ") + 1,
        f"best_practices[{index}].criteria.examples",
    )
    assert problem.message == (
        "is only used with rule at_least: at least `count` of the items or others like them"
    )


# --- files that are not YAML text, or are dangerous ----------------------------------------------


def test_file_that_is_not_utf8_after_a_byte_order_mark(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    line = line_of(file, "name: Mentoring")
    raw = file.read_bytes().replace(b"name: Mentoring", b"name: Mentor\xffing")
    file.write_bytes(b"\xef\xbb\xbf" + raw)

    problem = only_problem(fixture_rubric_copy)

    assert (problem.line, problem.column) == (line, len("name: Mentor") + 1)
    assert problem.message == "file is not UTF-8 (byte 0xff); save it as UTF-8"


def test_column_of_a_bad_byte_counts_characters(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    line = line_of(file, "name: Mentoring")
    bad = "name: Mentoré".encode() + b"\xff"
    file.write_bytes(file.read_bytes().replace(b"name: Mentoring", bad))

    problem = only_problem(fixture_rubric_copy)

    assert (problem.line, problem.column) == (line, len("name: Mentoré") + 1)
    assert problem.message == "file is not UTF-8 (byte 0xff); save it as UTF-8"


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: each level is a list of nine aliases of the level below."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        aliases = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def test_anchors_and_aliases_are_refused_fast(fixture_rubric_copy):
    mentoring(fixture_rubric_copy).write_text(billion_laughs(9), encoding="utf-8")

    started = time.monotonic()
    problem = only_problem(fixture_rubric_copy)
    elapsed = time.monotonic() - started

    assert elapsed < 2
    assert (problem.path, problem.line, problem.column, problem.field) == (
        "rubric/drivers/mentoring.yaml",
        1,
        len("lol0: ") + 1,
        "(syntax)",
    )
    assert problem.message == "anchors and aliases (&name, *name) are not allowed"


def test_nesting_up_to_the_limit_is_read(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    depth = MAX_DEPTH - 1  # plus the document's mapping: exactly MAX_DEPTH levels
    replace_once(file, "name: Mentoring\n", "name: " + "[" * depth + "]" * depth + "\n")

    problem = only_problem(fixture_rubric_copy)

    # Read fine; only the schema objects to a list where the name belongs.
    assert (problem.field, problem.message) == ("name", "expected text, found a list")


def test_explicit_bool_tag_on_a_non_boolean_is_a_problem(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    line = replace_once(file, "order: 3\n", "order: !!bool maybe\n")

    problem = only_problem(fixture_rubric_copy)

    assert (problem.line, problem.column) == (line, len("order: ") + 1)


def test_explicit_int_tag_on_empty_text_is_a_problem(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    line = replace_once(file, "order: 3\n", "order: !!int ''\n")

    problem = only_problem(fixture_rubric_copy)

    assert (problem.line, problem.column) == (line, len("order: ") + 1)


def test_problem_messages_are_one_line(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    replace_once(file, "name: Mentoring\n", 'name: "Mentoring\n')

    problem = only_problem(fixture_rubric_copy)

    assert problem.message == (  # one line, no "<unicode string>"
        "YAML syntax error: while scanning a quoted scalar, found unexpected end of stream"
    )


def test_equals_sign_reads_as_text(fixture_rubric_copy):
    replace_once(mentoring(fixture_rubric_copy), "name: Mentoring\n", "name: =\n")

    assert (
        load_rubric(fixture_rubric_copy, shown_from=fixture_rubric_copy.parent)
        .driver("mentoring")
        .name
        == "="
    )


# --- all problems at once -------------------------------------------------------------------------


def test_all_problems_of_one_run_are_reported_together(fixture_rubric_copy):
    name_line = replace_once(mentoring(fixture_rubric_copy), "name: Mentoring\n", "name: 42\n")
    references = fixture_rubric_copy / "references.yaml"
    short_line = replace_once(
        references, "    short: Fixture short 190.\n", "    shrt: Fixture short 190.\n"
    )

    reported = [str(problem) for problem in problems_of(fixture_rubric_copy)]

    assert (
        f"rubric/drivers/mentoring.yaml:{name_line}:7: name: expected text, found a number"
    ) in reported
    assert (
        f"rubric/references.yaml:{short_line}:5: references[2].shrt: unknown key 'shrt'; "
        "did you mean 'short'?"
    ) in reported


def test_cross_file_problems_of_one_run_are_reported_together(fixture_rubric_copy):
    category_line = replace_once(
        mentoring(fixture_rubric_copy), "category: competency\n", "category: leadership\n"
    )
    other = funding(fixture_rubric_copy)
    replace_once(
        other,
        "references: [fixsen-2005, metz-bartley-2012]",
        "references: [fixsen-2005, nobody-1999]",
    )

    problems = problems_of(fixture_rubric_copy)

    assert [(p.path, p.field) for p in problems] == [
        ("rubric/drivers/funding.yaml", "references[1]"),
        ("rubric/drivers/mentoring.yaml", "category"),
    ]
    assert problems[0].line == line_of(other, "nobody-1999")
    assert problems[1].line == category_line


def test_problems_are_sorted_by_file_and_line(fixture_rubric_copy):
    file = mentoring(fixture_rubric_copy)
    replace_once(file, MENTORING_REFERENCES, "references: fixsen-2005")
    replace_once(file, "name: Mentoring\n", "name: 42\n")
    replace_once(funding(fixture_rubric_copy), "name: Funding\n", "name: 7\n")

    problems = problems_of(fixture_rubric_copy)

    assert [(p.path, p.field) for p in problems] == [
        ("rubric/drivers/funding.yaml", "name"),
        ("rubric/drivers/mentoring.yaml", "name"),
        ("rubric/drivers/mentoring.yaml", "references"),
    ]


def test_the_error_lists_its_problems_and_counts_them(fixture_rubric_copy):
    replace_once(mentoring(fixture_rubric_copy), "name: Mentoring\n", "name: 42\n")
    replace_once(funding(fixture_rubric_copy), "name: Funding\n", "name: 7\n")

    with pytest.raises(RubricError) as caught:
        load_rubric(fixture_rubric_copy, shown_from=fixture_rubric_copy.parent)

    report = caught.value.report().splitlines()
    assert report[:2] == [str(problem) for problem in caught.value.problems]
    assert report[2] == "2 problems in the rubric; nothing was built."


# --- the command line -----------------------------------------------------------------------------


def check(cwd: Path, *arguments: str, monkeypatch, capsys) -> tuple[int, str, str]:
    """`build_pdf.py --check` run in this process from `cwd`: (status, stdout, stderr)."""
    monkeypatch.chdir(cwd)
    status = cli.main(["--check", *arguments], root=PROJECT_ROOT)
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_check_passes_on_the_fixture_rubric(monkeypatch, capsys):
    status, out, err = check(
        PROJECT_ROOT, "--rubric", str(FIXTURE_RUBRIC), monkeypatch=monkeypatch, capsys=capsys
    )

    assert (status, out, err) == (0, "Rubric OK: 2 drivers, 4 best practices.\n", "")


def test_cli_check_reports_problems_without_a_traceback(fixture_rubric_copy, monkeypatch, capsys):
    file = mentoring(fixture_rubric_copy)
    line = replace_once(file, "name: Mentoring\n", "name: 42\n")

    status, out, err = check(
        PROJECT_ROOT, "--rubric", str(fixture_rubric_copy), monkeypatch=monkeypatch, capsys=capsys
    )

    assert status == 1
    assert "Traceback" not in err
    # The copy lies outside the project, so its path is shown in full.
    expected = f"{file.resolve().as_posix()}:{line}:7: name: expected text, found a number"
    assert err.splitlines() == [expected, "1 problem in the rubric; nothing was built."]
    assert "Rubric OK" not in out


def test_cli_check_shows_paths_relative_to_the_working_folder(
    fixture_rubric_copy, monkeypatch, capsys
):
    line = replace_once(mentoring(fixture_rubric_copy), "name: Mentoring\n", "name: 42\n")

    status, _, err = check(
        fixture_rubric_copy.parent, "--rubric", "rubric", monkeypatch=monkeypatch, capsys=capsys
    )

    assert status == 1
    assert err.splitlines() == [
        f"rubric/drivers/mentoring.yaml:{line}:7: name: expected text, found a number",
        "1 problem in the rubric; nothing was built.",
    ]


def test_cli_check_never_shows_a_traceback(fixture_rubric_copy, monkeypatch, capsys):
    replace_once(mentoring(fixture_rubric_copy), "order: 3\n", "order: !!bool maybe\n")

    status, _, err = check(
        PROJECT_ROOT, "--rubric", str(fixture_rubric_copy), monkeypatch=monkeypatch, capsys=capsys
    )

    assert status == 1
    line = line_of(mentoring(fixture_rubric_copy), "order: !!bool maybe")
    assert err.splitlines() == [  # no traceback
        f"{mentoring(fixture_rubric_copy)}:{line}:8: (syntax): 'maybe' cannot be read as bool",
        "1 problem in the rubric; nothing was built.",
    ]


def test_text_the_pdf_font_cannot_show_is_reported_where_it_is(
    fixture_rubric_copy, monkeypatch, capsys
):
    from macros.pdf.fonts import printable_characters

    line = replace_once(
        mentoring(fixture_rubric_copy), "name: Mentoring\n", "name: Mentoring 中文\n"
    )
    try:
        load_rubric(
            fixture_rubric_copy,
            shown_from=fixture_rubric_copy.parent,
            can_print=printable_characters(),
        )
    except RubricError as error:
        (problem,) = error.problems
    else:
        pytest.fail("a character the PDFs cannot show was accepted")
    assert (problem.path, problem.line, problem.column) == (
        "rubric/drivers/mentoring.yaml",
        line,
        7,
    )
    assert problem.field == "name"
    assert problem.message == (
        "the character '中' (U+4E2D) is not in the PDFs' font; the printables cannot show it"
    )
    status, _, err = check(
        PROJECT_ROOT, "--rubric", str(fixture_rubric_copy), monkeypatch=monkeypatch, capsys=capsys
    )
    assert status == 1
    assert err.splitlines() == [
        f"{mentoring(fixture_rubric_copy)}:{line}:7: name: {problem.message}",
        "1 problem in the rubric; nothing was built.",
    ]
