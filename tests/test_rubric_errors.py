"""How the rubric's problems are reported: columns in characters, all problems of a run together
and sorted, counted, and never as a traceback.

Each rule (one mistake, its exact message) has its one home in the corpus of bad inputs
(tests/bad_inputs/, run by test_bad_inputs.py). These tests break a copy of the fixture rubric
(tests/fixtures/rubric/, invented text) by replacing exact text of its files, and work out the
expected line from where that text is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE_RUBRIC, PROJECT_ROOT
from helpers import line_of, only_problem, problems_of, replace_once

from macros import cli
from macros.errors import RubricError
from macros.source.load import load_rubric

MENTORING_REFERENCES = "references: [fixsen-2005, metz-bartley-2012]"
PROVIDED_STATEMENT = "    statement: Fixture statement 283.\n"


def mentoring(rubric_dir):
    return rubric_dir / "drivers" / "mentoring.yaml"


def funding(rubric_dir):
    return rubric_dir / "drivers" / "funding.yaml"


# --- columns counted in characters, and what is not a mistake ------------------------------------


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
