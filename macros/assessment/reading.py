"""Read an assessment file, or report every problem in it as `file:line:column: field: message`.

The file must be strict JSON, read by jsontext (which keeps the line and column of every value
and refuses duplicate keys), then checked by checking.Checker: the same steps, in the same
order and words, as the Assess page's script.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem, RubricError
from ..source.load import unprintable
from ..source.yamldoc import MAX_BYTES, Document, field_name
from . import jsontext
from .checking import Checker
from .fileformat import Assessment, from_json_data, practices


class AssessmentError(RubricError):
    """Everything wrong with one or more assessment files, found in one pass."""

    def report(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return f"{self}\n{count} {noun} in the assessment; nothing was written."


def read_assessment(
    file: Path, data: dict, shown_as: str | None = None, *, can_print=None
) -> Assessment:
    """Read and check `file` against the toolkit described by `data` (fileformat.rubric_data).

    `can_print(character)`, when given, says whether the PDFs' font can show a character: text
    the team typed that a PDF cannot show is reported where it is in the file.

    A file saved by another version of the same toolkit is accepted: best practices this
    version does not have are kept (Assessment.unknown lists them) and left out of the totals.
    """
    shown = shown_as or str(file)
    try:
        size = Path(file).stat().st_size
        if size > MAX_BYTES:
            raise AssessmentError([Problem(shown, 1, 1, "(file)", too_big(size))])
        raw = Path(file).read_bytes()
    except OSError as error:
        message = f"cannot read the file: {error.strerror}"
        raise AssessmentError([Problem(shown, 1, 1, "(file)", message)]) from None
    return read_bytes(raw, data, shown, can_print=can_print)


def read_bytes(raw: bytes, data: dict, shown: str, *, can_print=None) -> Assessment:
    """Check the bytes of a file as the Assess page checks them (toolkit-core.js `readFile`)."""
    document, problems = parse_document(raw, shown)
    if document is None:
        raise AssessmentError(problems)
    problems = _check(document, data)
    if not problems and can_print is not None:
        problems = list(unprintable(document, document.data, (), can_print))
    if problems:
        raise AssessmentError(problems)
    assessment = from_json_data(document.data, data)
    known = practices(data)
    for id_ in [id_ for id_ in assessment.carried if id_ in known]:  # back in this version
        assessment.practices.setdefault(id_, assessment.carried.pop(id_))
    return assessment


def parse_document(
    raw: bytes, shown: str, noun: str = "an assessment"
) -> tuple[Document | None, list[Problem]]:
    """The strict JSON of a file (an assessment, or `noun`: a ballot), with positions."""

    def fail(message: str, line: int = 1, column: int = 1, field: str = "(file)"):
        return None, [Problem(shown, line, column, field, message)]

    if len(raw) > MAX_BYTES:
        return fail(too_big(len(raw), noun))
    if b"\0" in raw:
        return fail(f"this is a binary file, not {noun} (a JSON file)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return fail(f"this file is not UTF-8 text, so not {noun} (a JSON file)")
    try:
        value, value_marks, key_marks = jsontext.parse(text)
    except jsontext.JsonError as error:
        if error.location is not None:
            return fail(error.message, error.line, error.column, field_name(error.location))
        return fail(f"not JSON, so not {noun}: {error.message}", error.line, error.column)
    return Document(shown, value, value_marks, key_marks), []


def too_big(size: int, noun: str = "an assessment") -> str:
    """Tenths of a megabyte rounded half up in whole numbers: the page's script says the same."""
    tenths = (size + 50_000) // 100_000
    return f"file is {tenths // 10}.{tenths % 10} MB; {noun} file may be at most 1 MB"


def _check(document: Document, data: dict) -> list[Problem]:
    found = Checker(data).check(document.data)
    return [
        document.problem(location, message, key=key)
        if location
        else Problem(document.path, 1, 1, "(file)", message)
        for location, message, key in found
    ]
