"""The progress display: on a terminal it says which printable and how many are left; in CI and
when output goes to a file or a pipe it says nothing."""

from __future__ import annotations

import io

import pytest

from macros.pdfbuild import terminal_progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    monkeypatch.delenv("CI", raising=False)
    return screen


def test_a_terminal_shows_which_printable_and_how_many_are_left(terminal):
    terminal_progress(3, 12, "checklist-coaching-print-a4.pdf")
    assert "3/12" in terminal.getvalue()
    assert "checklist-coaching-print-a4.pdf" in terminal.getvalue()


def test_ci_is_quiet(terminal, monkeypatch):
    monkeypatch.setenv("CI", "true")
    terminal_progress(3, 12, "checklist-coaching-print-a4.pdf")
    assert terminal.getvalue() == ""


def test_a_pipe_is_quiet(monkeypatch):
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stderr", pipe)
    monkeypatch.delenv("CI", raising=False)
    terminal_progress(3, 12, "checklist-coaching-print-a4.pdf")
    assert pipe.getvalue() == ""
