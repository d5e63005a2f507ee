"""The errors a user can cause and fix: one base type, so the command line reports them alike.

A ToolkitError's `report()` is the whole message for the user (no traceback); anything else
that escapes is a bug and keeps its traceback under --debug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class ToolkitError(Exception):
    """Something in the input, the options or the output folder that the user can fix."""

    exit_status = 1  #: what the command line returns for it

    def report(self) -> str:
        return f"error: {self}"


class UsageError(ToolkitError):
    """An option's value that only the loaded rubric can refuse (an unknown driver id)."""

    exit_status = 2  # as argparse's own usage errors


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file; paths are relative to the project."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"


class ProblemsError(ToolkitError):
    """Every problem found in one pass over some files, so a user fixes them in one go.

    Rubric and assessment problems are siblings below it: `except RubricError` never catches
    a team's bad file, nor the other way round."""

    what = "the input"  #: the summary line's "N problems in ..."
    outcome = "nothing was built"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def report(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return f"{self}\n{count} {noun} in {self.what}; {self.outcome}."


class RubricError(ProblemsError):
    """The rubric's problems."""

    what = "the rubric"


class AssessmentError(ProblemsError):
    """Everything wrong with one or more assessment (or ballot) files.

    Messages quote file names and file content: control characters in them are shown as
    escapes, so a file can never drive the terminal or fake a line of the report."""

    what = "the assessment"
    outcome = "nothing was written"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            [
                Problem(visible(p.path), p.line, p.column, visible(p.field), visible(p.message))
                for p in problems
            ]
        )


class RenderError(ToolkitError):
    """A printable could not be rendered cleanly (WeasyPrint warned about it)."""


class SiteBuildError(ToolkitError):
    """MkDocs failed; the message holds what it reported."""


class OutputError(ToolkitError):
    """The output folder cannot be replaced (it holds something a build did not make)."""


class CacheError(ToolkitError):
    """A cache entry changed between its check and its use (another process wrote to it)."""


class NameClashError(ToolkitError):
    """Two printables would be written to one file (an edition label that names another's)."""


#: Characters that change what a terminal shows: C0 and C1 controls (escape sequences, a
#: carriage return that overwrites the line), the marks that reorder text (bidi controls) and
#: the lone surrogates that stand for bytes of a file name that are not UTF-8.
_HIDDEN = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def visible(text: str, *, keep_lines: bool = False) -> str:
    """`text` safe to print: each control character as an escape (`\\x1b`, `\\u202e`), so a
    file name or a file's content can neither drive the terminal nor fake a line of output."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if keep_lines and char == "\n":
            return char
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _HIDDEN.sub(escape, text)
