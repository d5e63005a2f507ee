"""What `build_pdf.py --assessment` does with whatever a path names: a regular file is read once
and at most 1 MB of it; a pipe, a device, a folder or a socket is refused at once with its
reason; `-` reads standard input, bounded; messages never pass a control character from a file
name or a file to the terminal; and the PDFs' names are safe whatever the file is called.

Paths that could hang or exhaust memory run build_pdf.py in a process of its own, with a time
limit and a cap on its memory, so a regression fails the test instead of the machine.
"""

from __future__ import annotations

import io
import json
import os
import resource
import socket
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import FIXTURE_RUBRIC, PROJECT_ROOT, run_cli
from test_assessment_pdfs import fixture_file

from macros.assessment import rubric_data
from macros.assessment.inputs import read_input, safe_name

FIXTURE = ("--paper", "letter", "--rubric", str(FIXTURE_RUBRIC), "--jobs", "1")
MEMORY = 2 * 1024**3  # address space of the build in these tests: far below what it was sent
SECONDS = 60


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def build_process(*args: str, cwd: Path, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    """build_pdf.py ARGS in a fresh process limited to SECONDS and MEMORY."""
    try:
        return subprocess.run(
            [sys.executable, str(PROJECT_ROOT / "build_pdf.py"), *args, *FIXTURE],
            cwd=cwd,
            env={**os.environ, "TOOLKIT_CACHE": str(cwd / "cache")},
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=SECONDS,
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"build_pdf.py {' '.join(args)} still ran after {SECONDS} s", pytrace=False)


def refused(result: subprocess.CompletedProcess, shown: str, message: str) -> None:
    assert result.returncode == 1, result
    assert result.stderr == (
        f"{shown}:1:1: (file): {message}\n1 problem in the assessment; nothing was written.\n"
    )
    assert result.stdout == ""


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One PDF cache for this module's builds in this process: each has its own output folder
    (whose stamp says "Up to date"), and the same PDFs are rendered once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def team_json(fixture_toolkit) -> str:
    data = rubric_data(fixture_toolkit)
    entries = {"mentoring-provided": ("partially-in-place", [1], "Peer mentoring only.")}
    return json.dumps(fixture_file(data, "consensus-scoring", "2026-11-02", entries))


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "team.json")
    result = build_process("--assessment", "team.json", cwd=tmp_path)
    refused(
        result,
        "team.json",
        "this is a pipe (FIFO), not a file; to print piped input, give `--assessment -`",
    )


def test_a_device_is_refused_without_reading_it(tmp_path):
    result = build_process("--assessment", "/dev/zero", cwd=tmp_path)
    refused(result, "/dev/zero", "this is a device, not an assessment file")


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "team.json").mkdir()
    result = build_process("--assessment", "team.json", cwd=tmp_path)
    refused(result, "team.json", "this is a folder, not an assessment file")


def test_a_socket_is_refused(tmp_path):
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(tmp_path / "team.json"))
        result = build_process("--assessment", "team.json", cwd=tmp_path)
    refused(result, "team.json", "this is a socket, not an assessment file")


def test_a_huge_file_is_refused_by_its_size_before_it_is_read(tmp_path):
    """3 GB (sparse: no disk used) against 2 GB of memory: reading it first would fail."""
    with (tmp_path / "team.json").open("wb") as file:
        file.truncate(3 * 1024**3)
    result = build_process("--assessment", "team.json", cwd=tmp_path)
    refused(result, "team.json", "file is 3221.2 MB; an assessment file may be at most 1 MB")


def test_endless_standard_input_is_read_no_further_than_the_limit(tmp_path):
    with open("/dev/zero", "rb") as endless:
        result = build_process("--assessment", "-", cwd=tmp_path, stdin=endless)
    refused(
        result,
        "(standard input)",
        "standard input holds more than 1 MB; an assessment file may be at most 1 MB",
    )


def test_a_pipe_named_by_path_is_refused_and_points_to_dash(tmp_path, team_json):
    """`--assessment /dev/stdin` under a pipe used to read as empty: "Up to date"."""
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "build_pdf.py"), "--assessment", "/dev/stdin"],
        cwd=tmp_path,
        input=team_json,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )
    refused(
        result,
        "/dev/stdin",
        "this is a pipe (FIFO), not a file; to print piped input, give `--assessment -`",
    )


def test_empty_standard_input_is_an_empty_file_not_up_to_date(tmp_path):
    result = build_process("--assessment", "-", cwd=tmp_path)
    refused(result, "(standard input)", "not JSON, so not an assessment: the file ends too early")


def piped(text: str):
    """A standard input for run_cli, as a pipe gives it (no size to ask for)."""
    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")


def test_piped_input_is_printed_and_its_content_is_stamped(tmp_path, cache, team_json, monkeypatch):
    """Other data piped in builds again; the same data is up to date."""
    monkeypatch.setenv("TOOLKIT_CACHE", str(cache))
    monkeypatch.chdir(tmp_path)
    out = str(tmp_path / "pdfs")
    monkeypatch.setattr(sys, "stdin", piped(team_json))
    first = run_cli("--assessment", "-", *FIXTURE, "--out", out)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "pdfs" / "assessment-action-plan-fillable-letter.pdf").is_file()
    manifest = json.loads((tmp_path / "pdfs" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["printables"][0]["assessments"][0]["file"] == "(standard input)"
    other = team_json.replace("Peer mentoring only.", "Peer mentoring, and a coach.")
    monkeypatch.setattr(sys, "stdin", piped(other))
    second = run_cli("--assessment", "-", *FIXTURE, "--out", out)
    assert second.returncode == 0, second
    assert "rendered" in second.stdout, second
    assert not second.stdout.startswith("Up to date")
    monkeypatch.setattr(sys, "stdin", piped(other))
    third = run_cli("--assessment", "-", *FIXTURE, "--out", out)
    assert third.stdout.startswith("Up to date"), third


def test_an_edited_file_builds_again(tmp_path, cache, team_json, monkeypatch):
    """The stamp covers the bytes read, not the name: the same name, other content, rebuilt."""
    monkeypatch.setenv("TOOLKIT_CACHE", str(cache))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "team.json").write_text(team_json, encoding="utf-8")
    args = ("--assessment", "team.json", *FIXTURE, "--out", str(tmp_path / "pdfs"))
    assert run_cli(*args).returncode == 0
    assert run_cli(*args).stdout.startswith("Up to date")
    (tmp_path / "team.json").write_text(team_json.replace("Peer", "Paired"), encoding="utf-8")
    again = run_cli(*args)
    assert again.returncode == 0, again
    assert not again.stdout.startswith("Up to date"), again


def test_messages_show_control_characters_as_escapes(tmp_path, fixture_toolkit, monkeypatch):
    """A name or a key holding an escape sequence, a carriage return, a line break or a bidi
    override is quoted with escapes: the report is one line per problem, and plain text."""
    data = rubric_data(fixture_toolkit)
    content = fixture_file(data, "checklist", "2026-11-02", {})
    content["practices"] = {"\x1b[2J\rfake\u202e": {"rating": None}}
    name = "team\x1b[31m\nfake.json"
    (tmp_path / name).write_text(json.dumps(content), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("--assessment", name, "--assessment", "gone\x07.json", *FIXTURE)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "gone\\x07.json:1:1: (file): cannot read the file: No such file or directory",
        "team\\x1b[31m\\x0afake.json:1:338: practices.\\x1b[2J\\x0dfake\\u202e: "
        "'\\x1b[2J\\x0dfake\\u202e' is not a best practice id",
        "2 problems in the assessment; nothing was written.",
    ]
    assert all(char.isprintable() for line in lines for char in line), lines


@pytest.mark.parametrize(
    ("file", "name"),
    [
        ("team.json", "team"),
        (".team.json", "team"),  # not a hidden file
        ("-team.json", "team"),  # not an option to whatever lists the folder
        ("--.json", "assessment"),
        ("team\n2026\x1b[0m.json", "team-2026-0m"),
        ("équipe nord.json", "équipe-nord"),
        ("हिन्दी.json", "हिन्दी"),
        ("团队 2026.json", "团队-2026"),
        ("../../etc/passwd", "passwd"),
        ("x" * 200 + ".json", "x" * 80),
        ("é" * 100 + ".json", "é" * 40),  # 80 bytes of UTF-8
    ],
)
def test_output_names_are_safe(file, name):
    assert safe_name(Path(file).stem) == name
    assert read_input(file).name == name


def test_a_file_named_dangerously_gives_pdfs_with_safe_names(
    tmp_path, cache, team_json, monkeypatch
):
    monkeypatch.setenv("TOOLKIT_CACHE", str(cache))
    monkeypatch.chdir(tmp_path)
    name = "-.team\n2026.json"
    (tmp_path / name).write_text(team_json, encoding="utf-8")
    result = run_cli(f"--assessment={name}", *FIXTURE, "--out", "pdfs")
    assert result.returncode == 0, result.stderr
    made = sorted(
        path.name for path in (tmp_path / "pdfs").iterdir() if path.name != ".build-stamp"
    )
    assert made == [
        "manifest.json",
        "team-2026-action-plan-fillable-letter.pdf",
        "team-2026-action-plan-print-letter.pdf",
        "team-2026-results-report-print-letter.pdf",
        "team-2026-scoring-form-print-letter.pdf",
    ]
    assert unicodedata.normalize("NFC", made[1]) == made[1]


def test_two_files_that_would_share_pdf_names_are_refused(tmp_path, team_json, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("team.json", ".team.json"):
        (tmp_path / name).write_text(team_json, encoding="utf-8")
    result = run_cli("--assessment", "team.json", "--assessment", ".team.json", *FIXTURE)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        ".team.json:1:1: (file): two files given would name their PDFs 'team-...'; "
        "rename one of them",
        "team.json:1:1: (file): two files given would name their PDFs 'team-...'; "
        "rename one of them",
    ]


def test_the_checking_command_shows_names_with_escapes(tmp_path, team_json):
    """`--check --assessment FILE` echoes the file's name: never its control characters."""
    name = tmp_path / "team\x1b]0;owned\x07.json"
    name.write_text(team_json, encoding="utf-8")
    result = run_cli("--check", "--assessment", str(name), "--rubric", str(FIXTURE_RUBRIC))
    assert result.returncode == 0, result.stderr
    shown = str(tmp_path / "team\\x1b]0;owned\\x07.json")
    assert result.stdout.splitlines()[1].startswith(f"{shown}: overall 1 of 2 points")
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout


def test_the_checking_command_reports_a_bad_file_after_the_good_ones(tmp_path, team_json):
    """`--check --assessment` with a good and a bad file: the good one's totals, the bad one's
    problem as the build reports it, exit status 1, nothing written."""
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(team_json, encoding="utf-8")
    bad.write_text(team_json.replace('"partially-in-place"', '"half"'), encoding="utf-8")
    result = run_cli(
        *("--check", "--assessment", str(good), "--assessment", str(bad)),
        *("--rubric", str(FIXTURE_RUBRIC), "--out", str(tmp_path / "out")),
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[1].startswith(f"{good}: overall ")
    assert str(bad) not in result.stdout
    problems = result.stderr.splitlines()
    assert problems[0].startswith(f"{bad}:")
    assert "practices.mentoring-provided.rating: 'half' is not a rating;" in problems[0]
    assert problems[1:] == ["1 problem in the assessment; nothing was written."]
    assert not (tmp_path / "out").exists()


def test_a_bad_assessment_is_not_a_rubric_error(tmp_path, team_json, fixture_toolkit):
    """Rubric and assessment problems are siblings: code that handles a broken rubric (the
    plugin under `mkdocs serve`, say) never swallows a team's bad file, nor the reverse."""
    from macros.assessment import read_assessment
    from macros.errors import AssessmentError, ProblemsError, RubricError, ToolkitError

    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(AssessmentError) as raised:
        read_assessment(bad, rubric_data(fixture_toolkit))
    assert not isinstance(raised.value, RubricError)
    assert isinstance(raised.value, ProblemsError)
    assert isinstance(raised.value, ToolkitError)
    assert not issubclass(RubricError, AssessmentError)
