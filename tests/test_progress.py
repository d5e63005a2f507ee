"""The progress display: on a terminal it says which printable and how many are left; in CI and
when output goes to a file or a pipe it says nothing."""

from __future__ import annotations

import io

from macros.cli import progress_line
from macros.project import Project

NAME = "checklist-coaching-print-a4.pdf"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def show(environ: dict, stream: io.StringIO, tmp_path) -> str:
    """What the build's progress line writes to `stream` for printable 3 of 12."""
    progress = progress_line(Project.at(tmp_path, environ), stream)
    if progress:
        progress(3, 12, NAME)
    return stream.getvalue()


def test_a_terminal_shows_which_printable_and_how_many_are_left(tmp_path):
    screen = show({}, Terminal(), tmp_path)
    assert "3/12" in screen
    assert NAME in screen


def test_ci_is_quiet(tmp_path):
    assert show({"CI": "true"}, Terminal(), tmp_path) == ""


def test_a_pipe_is_quiet(tmp_path):
    assert show({}, io.StringIO(), tmp_path) == ""
