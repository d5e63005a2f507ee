"""Read an assessment file, or report every problem in it as `file:line:column: field: message`.

The file must be strict JSON, read by jsontext (which keeps the line and column of every value
and refuses duplicate keys), then checked by checking.Checker: the same steps, in the same
order and words, as the Assess page's script.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import AssessmentError, Problem
from ..source.yamldoc import Document, Location, field_name
from . import jsontext
from .checking import Checker
from .fileformat import Assessment, from_json_data, practices
from .inputs import MAX_BYTES, Input, read_input, too_big

REPLACEMENT = "\ufffd"  #: printed for a character no installed font has


def read_assessment(
    file: Path | Input, data: dict[str, Any], shown_as: str | None = None
) -> Assessment:
    """Read and check `file` (a path, or an Input already read: inputs.read_input checks its
    kind and size first) against the toolkit described by `data` (fileformat.rubric_data).

    A file saved by another version of the same toolkit is accepted: best practices this
    version does not have are kept (Assessment.unknown lists them) and left out of the totals.
    """
    return read_for_print(file, data, shown_as)[0]


def read_bytes(raw: bytes, data: dict[str, Any], shown: str) -> Assessment:
    """Check the bytes of a file as the Assess page checks them (toolkit-core.js `readFile`)."""
    return _read(raw, data, shown)[0]


def read_for_print(
    file: Path | Input,
    data: dict[str, Any],
    shown_as: str | None = None,
    *,
    can_print: Callable[[str], bool] | None = None,
) -> tuple[Assessment, list[Problem]]:
    """read_assessment, and with `can_print(character)` (whether any installed font has it)
    every character of the team's text that cannot be printed replaced by U+FFFD: each field
    holding some is returned as a Problem naming them all (a warning, never a refusal)."""
    source = file if isinstance(file, Input) else read_input(file)
    shown = shown_as or source.shown
    if source.data is None:
        raise AssessmentError([Problem(shown, 1, 1, "(file)", source.problem)])
    return _read(source.data, data, shown, can_print)


def _read(
    raw: bytes, data: dict[str, Any], shown: str, can_print: Callable[[str], bool] | None = None
) -> tuple[Assessment, list[Problem]]:
    document, problems = parse_document(raw, shown)
    if document is None:
        raise AssessmentError(problems)
    problems = _check(document, data)
    if problems:
        raise AssessmentError(problems)
    replaced: list[Problem] = []
    value = document.data
    if can_print is not None:
        value = _printable(document, value, (), can_print, replaced)
    assessment = from_json_data(value, data)
    known = practices(data)
    for id_ in [id_ for id_ in assessment.carried if id_ in known]:  # back in this version
        assessment.practices.setdefault(id_, assessment.carried.pop(id_))
    return assessment, replaced


def _printable(
    document: Document,
    value: Any,
    location: Location,
    can_print: Callable[[str], bool],
    found: list[Problem],
) -> Any:
    """`value` with every character `can_print` refuses replaced by REPLACEMENT."""
    if isinstance(value, dict):
        return {
            key: _printable(document, item, (*location, key), can_print, found)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            _printable(document, item, (*location, index), can_print, found)
            for index, item in enumerate(value)
        ]
    if not isinstance(value, str):
        return value
    missing = list(dict.fromkeys(char for char in value if not can_print(char)))
    if not missing:
        return value
    named = ", ".join(f"'{char}' (U+{ord(char):04X})" for char in missing)
    message = f"no installed font has {named}; printed as {REPLACEMENT} (U+FFFD)"
    found.append(document.problem(location, message))
    return "".join(REPLACEMENT if char in missing else char for char in value)


def parse_document(
    raw: bytes, shown: str, noun: str = "an assessment"
) -> tuple[Document | None, list[Problem]]:
    """The strict JSON of a file (an assessment, or `noun`: a ballot), with positions."""

    def fail(
        message: str, line: int = 1, column: int = 1, field: str = "(file)"
    ) -> tuple[None, list[Problem]]:
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


def _check(document: Document, data: dict[str, Any]) -> list[Problem]:
    found = Checker(data).check(document.data)
    return [
        document.problem(location, message, key=key)
        if location
        else Problem(document.path, 1, 1, "(file)", message)
        for location, message, key in found
    ]
