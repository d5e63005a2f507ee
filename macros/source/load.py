"""Load rubric/ into a Toolkit, or raise one RubricError listing every problem with its place."""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from confusable_homoglyphs import categories, confusables
from referencing import Registry, Resource

from .. import model
from ..errors import Problem, RubricError
from ..project import SCHEMAS
from .yamldoc import Document, read_document, shorten

TOOLKIT_FILES = {  # file -> (schema, key it fills in the Toolkit, or None for the top level)
    "toolkit.yaml": ("toolkit.schema.json", None),
    "references.yaml": ("references.schema.json", "references"),
    "forms.yaml": ("forms.schema.json", "forms"),
    "implementation-support.yaml": ("implementation-support.schema.json", "implementation_support"),
}
DRIVER_SCHEMA = "driver.schema.json"
QUESTION_SOURCES = ("key-points", "definition")
RESERVED_DRIVER_IDS = {"index": "the drivers overview page"}


def load_rubric(
    rubric_dir: Path,
    *,
    shown_from: Path | None = None,
    can_print: Callable[[str], bool] | None = None,
    markup_problems: Callable[[str], list[str]] | None = None,
) -> model.Toolkit:
    """Read, validate and build the whole rubric. Paths in messages are relative to `shown_from`.

    `can_print(character)` says whether the PDFs' font has a glyph for it; text it cannot show
    is reported where it is, rather than failing later inside WeasyPrint.
    `markup_problems(text)` lists what the sanitizer would strip from a text once rendered
    (MarkdownRenderer.problems), so the site and the PDFs never silently differ from the YAML.
    """
    rubric_dir = Path(rubric_dir).resolve()
    base = (shown_from or rubric_dir.parent).resolve()
    problems: list[Problem] = []
    documents: dict[str, Document] = {}
    for name, (schema, _) in TOOLKIT_FILES.items():
        document = _read_valid(rubric_dir / name, base, schema, problems)
        if document is not None:
            documents[name] = document
    drivers: list[Document] = []
    driver_dir = rubric_dir / "drivers"
    read_as: dict[Path, str] = {}  # the real file behind each driver file, for links
    files = (
        sorted(driver_dir.iterdir(), key=lambda f: (f.is_symlink(), f.name))
        if driver_dir.is_dir()
        else []
    )
    for file in files:  # real files first: a link to one of them is the one reported
        if file.name.startswith(".") or (file.is_dir() and file.suffix != ".yaml"):
            continue
        shown = _shown(file, base)
        if file.suffix != ".yaml":
            problems.append(Problem(shown, 1, 1, "(file)", "driver files must be named <id>.yaml"))
            continue
        real = file.resolve() if file.exists() else file
        if real in read_as:
            problems.append(
                Problem(
                    shown, 1, 1, "(file)", f"is a link to {read_as[real]}; a driver is one file"
                )
            )
            continue
        read_as[real] = shown
        document = _read_valid(file, base, DRIVER_SCHEMA, problems)
        if document is not None:
            drivers.append(document)
    if not drivers and not problems:
        problems.append(
            Problem(_shown(driver_dir, base), 1, 1, "(folder)", "no driver files found")
        )
    for document in [*documents.values(), *drivers]:
        problems.extend(_invisible(document))
        problems.extend(_deceptive(document))
        if can_print is not None:
            problems.extend(unprintable(document, document.data, (), can_print))
        if markup_problems is not None:
            problems.extend(_unsafe_markup(document, markup_problems))
    if "toolkit.yaml" in documents and "references.yaml" in documents:
        # Check what can be checked across the files that read cleanly, so one run shows all.
        problems.extend(_cross_checks(documents, drivers))
    if problems:
        raise RubricError(problems)
    return _assemble(documents, drivers)


def _shown(file: Path, base: Path) -> str:
    """The path as given (links not followed, so a link and its target are told apart)."""
    try:
        return Path(os.path.abspath(file)).relative_to(base).as_posix()
    except ValueError:
        return file.as_posix()


def _not_a_file(file: Path) -> str | None:
    """Why `file` cannot be read as a rubric file, without opening it (a FIFO would block)."""
    if file.is_symlink() and not file.exists():
        return "is a symbolic link that leads nowhere (or in a loop)"
    if not file.exists():
        return "file is missing"
    if file.is_dir():
        return "is a folder; expected a YAML file"
    if not file.is_file():
        return "is not a regular file (a FIFO, device or socket); expected a YAML file"
    return None


def _read_valid(file: Path, base: Path, schema_name: str, problems: list) -> Document | None:
    """Parse and schema-check one file; a document comes back only when it is wholly valid."""
    shown = _shown(file, base)
    reason = _not_a_file(file)
    if reason:
        problems.append(Problem(shown, 1, 1, "(file)", reason))
        return None
    document, found = read_document(file, shown)
    problems.extend(found)
    if document is None:
        return None
    try:
        schema_problems = list(_schema_problems(document, schema_name))
    except _BrokenSchema as broken:
        problems.append(broken.problem(base))
        return None
    problems.extend(schema_problems)
    return None if schema_problems else document


class _BrokenSchema(Exception):
    """A schema file that is not valid JSON or not a valid schema: a developer's to fix."""

    def __init__(self, path: Path, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: (schema): {message}")
        self.path, self.line, self.column, self.message = path, line, column, message

    def problem(self, base: Path) -> Problem:
        return Problem(_shown(self.path, base), self.line, self.column, "(schema)", self.message)


def _whole_number(checker, value) -> bool:
    """JSON Schema counts 3.0 as an integer; a rubric count or order must be written 3."""
    return isinstance(value, int) and not isinstance(value, bool)


_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _whole_number),
)


def _read_schema(path: Path) -> dict:
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
    validator = schema_validator(SCHEMAS, schema_name)
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


def explain_schema_error(document: Document, location: tuple, error: jsonschema.ValidationError):
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


def _cross_checks(documents: dict[str, Document], drivers: list[Document]) -> Iterable[Problem]:
    """Rules that one file's schema cannot express: ids, references, counts, file names."""
    toolkit, references = documents["toolkit.yaml"], documents["references.yaml"]
    keys = _unique(references, ("references",), "key", "reference key")
    yield from keys.problems
    origins = _unique(toolkit, ("origins",), "id", "origin id")
    yield from origins.problems
    for document in [*documents.values(), *drivers]:
        yield from _origin_problems(document, document.data, (), origins.seen)
    categories = _unique(toolkit, ("categories",), "id", "category id")
    yield from categories.problems
    yield from _cited(toolkit, ("drivers_introduction", "references"), keys.seen)
    for section in ("practitioners", "principles", "competencies"):
        yield from _cited(toolkit, (section, "references"), keys.seen)
    yield from _unique(
        toolkit, ("assessment", "options", "items"), "id", "assessment option"
    ).problems
    yield from _unique(
        toolkit, ("assessment", "preparation", "practices"), "id", "practice id"
    ).problems
    forms = documents.get("forms.yaml")
    if forms is not None:
        ratings = _unique(forms, ("rating_scale",), "id", "rating id")
        yield from ratings.problems
        for case, rating in forms.data["scoring"]["suggestion"].items():
            if rating not in ratings.seen and not ratings.problems:  # one mistake, one message
                yield forms.problem(
                    ("scoring", "suggestion", case),
                    f"{shorten(rating)} is not a rating id of rating_scale",
                )
        for table in ("action_plan", "composition"):
            yield from _unique(forms, (table, "columns"), "id", "column id").problems
        if "counts" in forms.data["composition"]:
            counts = ("composition", "counts", "columns")
            yield from _unique(forms, counts, "id", "column id").problems
    support = documents.get("implementation-support.yaml")
    if support is not None:
        yield from _unique(support, ("stages", "items"), "id", "stage id").problems
        for section in ("best_practices", "knowledge_and_skills"):
            yield from _unique(support, (section, "items"), "id", "item id").problems
    practice_ids: dict[str, str] = {}
    question_ids: dict[str, str] = {}
    for document in drivers:
        data = document.data
        stem = Path(document.path).stem
        if data["id"] in RESERVED_DRIVER_IDS:
            yield document.problem(
                ("id",),
                f"'{data['id']}' is reserved for "
                f"{RESERVED_DRIVER_IDS[data['id']]}; choose another id",
            )
        if data["id"] != stem:
            yield document.problem(
                ("id",),
                f"id '{data['id']}' differs from the file name "
                f"'{stem}.yaml'; rename one so they match",
            )
        if data["category"] not in categories.seen:
            known = ", ".join(categories.seen)
            yield document.problem(
                ("category",),
                f"unknown category {shorten(data['category'])}; toolkit.yaml defines: {known}",
            )
        yield from _cited(document, ("references",), keys.seen)
        own_ids = []
        for index, practice in enumerate(data["best_practices"]):
            where = ("best_practices", index)
            own_ids.append(practice["id"])
            yield from _first_use(
                document, where + ("id",), practice["id"], practice_ids, "best practice id"
            )
            criteria = practice.get("criteria")
            if criteria is not None:
                yield from _criteria_problems(document, where + ("criteria",), criteria)
            yield from _condition_problems(document, where, practice)
        for index, question in enumerate(data["questions"]):
            where = ("questions", index)
            yield from _first_use(
                document, where + ("id",), question["id"], question_ids, "question id"
            )
            source = question["source"]
            if source == "key-points" and "key_points" not in data:
                yield document.problem(
                    where + ("source",), "names key-points, but this driver has no key_points"
                )
            elif source not in own_ids and source not in QUESTION_SOURCES:
                yield document.problem(
                    where + ("source",),
                    f"{shorten(source)} is not a best practice "
                    "of this driver, nor key-points or definition",
                )


def _origin_problems(document: Document, value, location: tuple, known: dict):
    """Every `origin` names an origin of toolkit.yaml; a per-field one names fields it has."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _origin_problems(document, item, (*location, index), known)
        return
    if not isinstance(value, dict):
        return
    origin = value.get("origin")
    named = origin.items() if isinstance(origin, dict) else [(None, origin)] if origin else []
    for name, origin_id in named:
        where = (*location, "origin") if name is None else (*location, "origin", name)
        if name not in (None, "default") and name not in value:
            yield document.problem(
                where, f"names the field '{name}', which this entry does not have", key=True
            )
        if origin_id not in known:
            choices = ", ".join(known)
            yield document.problem(
                where, f"'{origin_id}' is not an origin id of toolkit.yaml; known: {choices}"
            )
    for key, item in value.items():
        if key != "origin":
            yield from _origin_problems(document, item, (*location, key), known)


def _texts(value, location: tuple = ()) -> Iterable[tuple[tuple, str]]:
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


def unprintable(document: Document, value, location: tuple, can_print) -> Iterable[Problem]:
    """Texts in `value` (at `location` of `document`) that the PDFs' font cannot show."""
    for where, text in _texts(value, location):
        missing = next((char for char in text if not can_print(char)), None)
        if missing is not None:
            yield document.problem(
                where,
                f"the character {missing!r} (U+{ord(missing):04X}) is not in the PDFs' font; "
                "the printables cannot show it",
            )


def _unsafe_markup(document: Document, markup_problems) -> Iterable[Problem]:
    for location, text in _texts(document.data):
        for message in markup_problems(text):
            yield document.problem(location, message)


def _criteria_problems(document: Document, where: tuple, criteria: dict) -> Iterable[Problem]:
    items = len(criteria["items"])
    seen: dict[str, str] = {}
    for index, item in enumerate(criteria["items"]):
        location = (*where, "items", index, "id")
        if item["id"] == model.ANOTHER_CRITERION:
            yield document.problem(
                location,
                f"'{item['id']}' is reserved for \"another one like these\"; choose another id",
            )
        yield from _first_use(document, location, item["id"], seen, "criterion id")
    if criteria["rule"] == "at_least" and "count" not in criteria:
        yield document.problem(where + ("count",), "is required with rule at_least")
    if criteria["rule"] == "all" and "count" in criteria:
        yield document.problem(
            where + ("count",),
            "is only used with rule at_least; with rule all every item must hold",
        )
    if criteria.get("examples") and criteria["rule"] == "all":
        yield document.problem(
            where + ("examples",),
            "is only used with rule at_least: at least `count` of the items or others like them",
        )
    if criteria.get("count", 0) > items:
        yield document.problem(
            where + ("count",), f"asks for {criteria['count']} items but only {items} are listed"
        )


def _condition_problems(document: Document, where: tuple, practice: dict) -> Iterable[Problem]:
    """A condition is a quote: it must be found, word for word, in what the source says."""
    said = " ".join(f"{practice['explanation']} {practice.get('closing', '')}".split())
    for index, condition in enumerate(practice.get("conditions", ())):
        if " ".join(condition.split()) not in said:
            yield document.problem(
                (*where, "conditions", index),
                f"{shorten(condition)} is not in this best practice's explanation or closing; "
                "quote it word for word",
            )


class _Seen:
    def __init__(self) -> None:
        self.seen: dict[str, str] = {}
        self.problems: list[Problem] = []


def _unique(document: Document, where: tuple, field: str, what: str) -> _Seen:
    result = _Seen()
    entries = document.data
    for part in where:
        entries = entries[part]
    for index, entry in enumerate(entries):
        result.problems.extend(
            _first_use(document, where + (index, field), entry[field], result.seen, what)
        )
    return result


def _first_use(document: Document, location: tuple, value: str, seen: dict, what: str):
    line = document.mark(location)[0]
    if value in seen:
        yield document.problem(
            location, f"duplicate {what} '{value}' (first used at {seen[value]})"
        )
    else:
        seen[value] = f"{document.path}:{line}"


def _cited(document: Document, location: tuple, known: dict) -> Iterable[Problem]:
    keys = document.data
    for part in location:
        if not isinstance(keys, dict) or part not in keys:
            return
        keys = keys[part]
    for index, key in enumerate(keys):
        if key not in known:
            yield document.problem(
                location + (index,), f"reference {shorten(key)} is not in references.yaml"
            )


def _assemble(documents: dict[str, Document], drivers: list[Document]) -> model.Toolkit:
    fields = _resolved(documents["toolkit.yaml"].data, None)
    for name, (_, key) in TOOLKIT_FILES.items():
        if key is not None:
            data = _resolved(documents[name].data, None)
            fields[key] = data[key] if set(data) == {key, "origin"} else data
    category_order = {category["id"]: index for index, category in enumerate(fields["categories"])}

    def position(driver: dict) -> tuple:
        order = driver.get("order")
        return (category_order[driver["category"]], order is None, order or 0, driver["name"])

    fields["drivers"] = sorted(
        (_resolved(document.data, None) for document in drivers), key=position
    )
    return _build(model.Toolkit, fields)


def _resolved(value: Any, inherited: str | None) -> Any:
    """The data with every mapping's `origin` resolved for model.Origin.

    A mapping's text comes from its own `origin` (an id, or per-field ids with an optional
    `default`), else from the origin its enclosing mapping gives the field that holds it.
    """
    if isinstance(value, list):
        return [_resolved(item, inherited) for item in value]
    if not isinstance(value, dict):
        return value
    origin = value.get("origin")
    fields = dict(origin) if isinstance(origin, dict) else {}
    default = origin if isinstance(origin, str) else fields.pop("default", inherited)
    result = {
        key: _resolved(item, fields.get(key, default))
        for key, item in value.items()
        if key != "origin"
    }
    result["origin"] = {"default": default, "fields": sorted(fields.items())}
    return result


def _build(kind: Any, value: Any) -> Any:
    """Build a frozen dataclass (or a tuple of them) from validated plain data."""
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
        origin = typing.get_origin(kind)
    if value is None:
        return None
    if origin is tuple:
        item_kind = typing.get_args(kind)[0]
        return tuple(_build(item_kind, item) for item in value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(
            **{
                field.name: _build(hints[field.name], value[field.name])
                for field in dataclasses.fields(kind)
                if field.name in value
            }
        )
    return value
