"""The progress display: on a terminal it says which printable and how many are left; in CI and
when output goes to a file or a pipe it says nothing."""

from __future__ import annotations

import io

from macros.pdf.build import terminal_progress

NAME = "checklist-coaching-print-a4.pdf"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_shows_which_printable_and_how_many_are_left(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    screen = Terminal()
    terminal_progress(3, 12, NAME, stream=screen)
    assert "3/12" in screen.getvalue()
    assert NAME in screen.getvalue()


def test_ci_is_quiet(monkeypatch):
    monkeypatch.setenv("CI", "true")
    screen = Terminal()
    terminal_progress(3, 12, NAME, stream=screen)
    assert screen.getvalue() == ""


def test_a_pipe_is_quiet(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    pipe = io.StringIO()
    terminal_progress(3, 12, NAME, stream=pipe)
    assert pipe.getvalue() == ""
