"""Read an assessment file, or report every problem in it as `file:line:column: field: message`.

The file must be JSON (checked with the json module, which is strict); the line and column of
each value come from the project's position-keeping YAML reader (JSON is YAML), which also
refuses duplicate keys. The values themselves are the json module's.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import Problem, RubricError, visible
from ..project import SCHEMAS
from ..source.load import explain_schema_error, schema_validator
from ..source.yamldoc import Document, read_text
from .fileformat import FORMAT, SCHEMA, Assessment, from_json_data, practices
from .inputs import Input, read_input

REPLACEMENT = "\ufffd"  #: printed for a character no installed font has


class AssessmentError(RubricError):
    """Everything wrong with one or more assessment files, found in one pass.

    Messages quote file names and file content: control characters in them are shown as
    escapes, so a file can never drive the terminal or fake a line of the report."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            [
                Problem(visible(p.path), p.line, p.column, visible(p.field), visible(p.message))
                for p in problems
            ]
        )

    def report(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return f"{self}\n{count} {noun} in the assessment; nothing was written."


def read_assessment(file: Path | Input, data: dict, shown_as: str | None = None) -> Assessment:
    """Read and check `file` (a path, or an Input already read) against the toolkit described
    by `data` (fileformat.rubric_data).

    A file saved by another version of the same toolkit is accepted: best practices this
    version does not have are kept (Assessment.unknown lists them) and left out of the totals.
    """
    return read_for_print(file, data, shown_as)[0]


def read_for_print(
    file: Path | Input, data: dict, shown_as: str | None = None, *, can_print=None
) -> tuple[Assessment, list[Problem]]:
    """read_assessment, and with `can_print(character)` (whether any installed font has it)
    every character of the team's text that cannot be printed replaced by U+FFFD: each field
    holding some is returned as a Problem naming them all (a warning, never a refusal)."""
    source = file if isinstance(file, Input) else read_input(file)
    document, problems = _parse(source, shown_as or source.shown)
    if document is None:
        raise AssessmentError(problems)
    problems = _check(document, data)
    if problems:
        raise AssessmentError(problems)
    replaced: list[Problem] = []
    value = document.data
    if can_print is not None:
        value = _printable(document, value, (), can_print, replaced)
    assessment = from_json_data(value)
    known = practices(data)
    for id_ in [id_ for id_ in assessment.carried if id_ in known]:  # back in this version
        assessment.practices.setdefault(id_, assessment.carried.pop(id_))
    return assessment, replaced


def _printable(document: Document, value, location: tuple, can_print, found: list[Problem]):
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


def _parse(source: Input, shown: str) -> tuple[Document | None, list[Problem]]:
    def fail(message: str, line: int = 1, column: int = 1):
        return None, [Problem(shown, line, column, "(file)", message)]

    raw = source.data
    if raw is None:
        return fail(source.problem)
    if not raw.strip():
        return fail("the file is empty; an assessment is a JSON file")
    if b"\0" in raw:
        return fail("this is a binary file, not an assessment (a JSON file)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return fail("this file is not UTF-8 text, so not an assessment (a JSON file)")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return fail(f"not JSON, so not an assessment: {error.msg}", error.lineno, error.colno)
    except RecursionError:
        return fail("not an assessment: nested far too deeply")
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return fail(f'not an assessment file: it has no "format": "{FORMAT}"')
    # Tabs between JSON tokens are one column each, as spaces are; YAML refuses them there.
    document, problems = read_text(text.replace("\t", " "), shown)
    if document is None:
        duplicates = [problem for problem in problems if "duplicate key" in problem.message]
        if duplicates:
            return None, duplicates
        document = Document(shown, value, {}, {})  # positions unknown; the data is still good
    return Document(shown, value, document.value_marks, document.key_marks), []


def _explain(document: Document, location: tuple, error, data: dict) -> list[Problem]:
    """Schema errors in the words of someone who saved the file, else the rubric's wording."""
    if "propertyNames" in error.schema_path:
        message = f"'{error.instance}' is not a best practice id"
        return [document.problem((*location, error.instance), message, key=True)]
    if error.validator == "oneOf" and location[-1:] == ("rating",):
        ratings = ", ".join(rating["id"] for rating in data["scale"])
        return [document.problem(location, f"expected one of {ratings}, or null")]
    if error.validator == "pattern" and error.schema.get("x-error") == "date":
        return [document.problem(location, f"'{error.instance}' is not a date as YYYY-MM-DD")]
    if error.validator == "enum":
        options = ", ".join(option for option in error.validator_value if option)
        return [
            document.problem(location, f"'{error.instance}' is not one of: {options} (or empty)")
        ]
    return list(explain_schema_error(document, location, error))


def _check(document: Document, data: dict) -> list[Problem]:
    validator = schema_validator(SCHEMAS, SCHEMA)
    problems = []
    for error in validator.iter_errors(document.data):
        problems.extend(_explain(document, tuple(error.absolute_path), error, data))
    if problems:
        return problems
    value = document.data
    title = data["toolkit"]["title"]
    if value["toolkit"]["title"] != title:
        return [
            document.problem(
                ("toolkit", "title"),
                f"this file was made with another toolkit ('{value['toolkit']['title']}'); "
                f"this is '{title}'",
            )
        ]
    same_version = value["toolkit"]["content_version"] == data["toolkit"]["content_version"]
    known = practices(data)
    scale = [rating["id"] for rating in data["scale"]]
    for id_, entry in value["practices"].items():
        where = ("practices", id_)
        practice = known.get(id_)
        if practice is None:
            if same_version:
                problems.append(
                    document.problem(where, f"this toolkit has no best practice '{id_}'", key=True)
                )
            continue
        if entry["rating"] is not None and entry["rating"] not in scale:
            problems.append(
                document.problem(
                    (*where, "rating"),
                    f"'{entry['rating']}' is not a rating; expected one of "
                    f"{', '.join(scale)}, or null",
                )
            )
        criteria = practice["criteria"]
        count = len(criteria["items"]) if criteria else 0
        other = count + 1 if criteria and criteria["examples"] else count  # another like these
        for index, number in enumerate(entry.get("criteria", [])):
            if number > other:
                has = f"has {count} criteria" if count else "has no criteria"
                if other > count:
                    has += f" (and {other} for another one like these)"
                problems.append(
                    document.problem(
                        (*where, "criteria", index),
                        f"criterion {number} does not exist: this best practice {has}",
                    )
                )
    return problems
