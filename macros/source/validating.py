"""Check each rubric file on its own: its schema, worded for someone editing YAML, and its texts
(invisible, deceptive, unprintable, or markup the sanitizer would strip)."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from confusable_homoglyphs import categories, confusables
from referencing import Registry, Resource

from ..errors import Problem
from ..project import Project
from .reading import shown
from .yamldoc import Document, Location, shorten


def schema_valid(document: Document, schema_name: str, base: Path, problems: list[Problem]) -> bool:
    """Whether `document` meets its schema; what it breaks (or a broken schema) goes to
    `problems`."""
    try:
        found = list(_schema_problems(document, schema_name))
    except _BrokenSchema as broken:
        problems.append(broken.problem(base))
        return False
    problems.extend(found)
    return not found


def text_problems(
    document: Document,
    can_print: Callable[[str], bool] | None,
    markup_problems: Callable[[str], list[str]] | None,
) -> Iterator[Problem]:
    """What is wrong with the texts of one file, whatever their field."""
    yield from _invisible(document)
    yield from _deceptive(document)
    if can_print is not None:
        yield from unprintable(document, document.data, (), can_print)
    if markup_problems is not None:
        yield from _unsafe_markup(document, markup_problems)


class _BrokenSchema(Exception):
    """A schema file that is not valid JSON or not a valid schema: a developer's to fix."""

    def __init__(self, path: Path, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: (schema): {message}")
        self.path, self.line, self.column, self.message = path, line, column, message

    def problem(self, base: Path) -> Problem:
        return Problem(shown(self.path, base), self.line, self.column, "(schema)", self.message)


def _whole_number(checker: object, value: Any) -> bool:
    """JSON Schema counts 3.0 as an integer; a rubric count or order must be written 3."""
    return isinstance(value, int) and not isinstance(value, bool)


_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _whole_number),
)


def _read_schema(path: Path) -> dict[str, Any]:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise _BrokenSchema(
            path, error.lineno, error.colno, f"not valid JSON: {error.msg}"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise _BrokenSchema(path, 1, 1, f"cannot read the schema: {error}") from None
    try:
        _Validator.check_schema(schema)
    except jsonschema.SchemaError as error:
        raise _BrokenSchema(path, 1, 1, f"not a valid JSON Schema: {error.message}") from None
    return schema


@cache
def _registry(schema_dir: Path) -> Registry:
    """Every schema in the folder, read and checked once per process (they refer to each other)."""
    return Registry().with_resources(
        (path.name, Resource.from_contents(_read_schema(path)))
        for path in sorted(schema_dir.glob("*.json"))
    )


@cache
def schema_validator(schema_dir: Path, schema_name: str) -> jsonschema.protocols.Validator:
    registry = _registry(schema_dir)
    return _Validator(registry.contents(schema_name), registry=registry)


def _schema_problems(document: Document, schema_name: str) -> Iterable[Problem]:
    validator = schema_validator(Project.schemas, schema_name)
    for error in validator.iter_errors(document.data):
        location = tuple(error.absolute_path)
        yield from explain_schema_error(document, location, error)


_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of fields",
    "integer": "a whole number",
    "boolean": "true or false",
}


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, float):
        return str(value)
    return {
        str: "text",
        bool: "true/false",
        int: "a number",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


def _control_character(value: str) -> str:
    bad = next(char for char in value if ord(char) < 32 and char not in "\t\n\r" or char == "\x7f")
    return f"contains the control character U+{ord(bad):04X}; remove it"


# A pattern's message, chosen by the code the schema gives it (`"x-error"` beside `"pattern"`),
# so a pattern can be edited without losing its message.
PATTERN_MESSAGES: dict[str, Callable[[str], str]] = {
    "empty": lambda value: "must not be empty",
    "control-character": _control_character,
    "id": lambda value: (
        f"{shorten(value)} is not a valid id; use lower-case letters, digits and hyphens"
    ),
}


def explain_schema_error(
    document: Document, location: Location, error: jsonschema.ValidationError
) -> Iterator[Problem]:
    """Turn a jsonschema error into problems worded for someone editing YAML."""
    kind = error.validator
    value: Any = error.instance  # the value found in the YAML
    expected: Any = error.validator_value  # the keyword's value in the schema
    schema: Any = error.schema  # the (sub)schema holding the keyword
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            hint = difflib.get_close_matches(key, allowed, n=1)
            advice = f"did you mean '{hint[0]}'?" if hint else "allowed: " + ", ".join(allowed)
            yield document.problem(
                location + (key,), f"unknown key {shorten(key)}; {advice}", key=True
            )
    elif kind == "required":
        for key in expected:
            if key not in value:
                yield document.problem(location + (key,), "is required but missing")
    elif kind == "type":
        names = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
        yield document.problem(location, f"expected {wanted}, found {_kind(value)}")
    elif kind == "pattern" and schema.get("x-error") in PATTERN_MESSAGES:
        yield document.problem(location, PATTERN_MESSAGES[schema["x-error"]](value))
    elif kind == "minItems":
        yield document.problem(location, f"must list at least {expected} item(s)")
    elif kind == "uniqueItems":
        yield document.problem(location, "lists the same entry twice")
    elif kind == "enum":
        options = ", ".join(str(option) for option in expected)
        yield document.problem(location, f"{shorten(value)} is not one of: {options}")
    elif kind in ("minimum", "maximum"):
        word = "at least" if kind == "minimum" else "at most"
        yield document.problem(location, f"must be {word} {expected}")
    else:
        yield document.problem(location, error.message)


def _texts(value: Any, location: tuple[Any, ...] = ()) -> Iterable[tuple[tuple[Any, ...], str]]:
    """Every text in a document, with its location."""
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*location, index))


def _visible(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) not in ("Cf", "Cc", "Zl", "Zp")


def _invisible(document: Document) -> Iterable[Problem]:
    """Text made only of zero-width or other invisible characters reads as empty."""
    for location, text in _texts(document.data):
        if text.strip() and not any(_visible(char) for char in text):
            codes = ", ".join(sorted({f"U+{ord(char):04X}" for char in text.strip()}))
            yield document.problem(
                location, f"must not be empty: it holds only invisible characters ({codes})"
            )


# Characters that reorder the text around them: a name can then read as another one.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
NAME_FIELDS = ("name", "title", "heading")


def _deceptive(document: Document) -> Iterable[Problem]:
    """Text that reads as something it is not: bidirectional controls anywhere, and in names a
    word that mixes look-alike letters of several scripts (a Cyrillic "о" in "Cоaching")."""
    for location, text in _texts(document.data):
        control = next((char for char in text if char in BIDI_CONTROLS), None)
        if control is not None:
            yield document.problem(
                location,
                f"contains the bidirectional control U+{ord(control):04X} "
                f"({unicodedata.name(control)}), which changes the order text is shown in; "
                "remove it",
            )
        if location and location[-1] in NAME_FIELDS:
            for word in re.findall(r"\w+", text):
                if confusables.is_dangerous(word):
                    scripts = sorted({categories.alias(char) for char in word} - {"COMMON"})
                    yield document.problem(
                        location,
                        f"the word {word!r} mixes look-alike letters of {' and '.join(scripts)}; "
                        "write it in one script",
                    )


def unprintable(
    document: Document,
    value: Any,
    location: Location,
    can_print: Callable[[str], bool],
) -> Iterable[Problem]:
    """Texts in `value` (at `location` of `document`) that the PDFs' font cannot show."""
    for where, text in _texts(value, location):
        missing = next((char for char in text if not can_print(char)), None)
        if missing is not None:
            yield document.problem(
                where,
                f"the character {missing!r} (U+{ord(missing):04X}) is not in the PDFs' font; "
                "the printables cannot show it",
            )


def _unsafe_markup(
    document: Document, markup_problems: Callable[[str], list[str]]
) -> Iterable[Problem]:
    for location, text in _texts(document.data):
        for message in markup_problems(text):
            yield document.problem(location, message)
