"""Load rubric/ into a Toolkit, or raise one RubricError listing every problem with its place.

Reading (reading.py), each file's own checks (validating.py) and the rules across files
(crosscheck.py) all run before anything is built, so one run reports every problem.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import model
from ..errors import Problem, RubricError
from .crosscheck import cross_checks
from .reading import DRIVER_SCHEMA, TOOLKIT_FILES, driver_files, read, shown
from .validating import schema_valid, text_problems
from .yamldoc import Document


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

    def valid(file: Path, schema: str) -> Document | None:
        """A document only when it reads and meets its schema wholly."""
        document = read(file, base, problems)
        if document is None or not schema_valid(document, schema, base, problems):
            return None
        return document

    documents = {
        name: document
        for name, (schema, _) in TOOLKIT_FILES.items()
        if (document := valid(rubric_dir / name, schema)) is not None
    }
    driver_dir = rubric_dir / "drivers"
    drivers = [
        document
        for file in driver_files(driver_dir, base, problems)
        if (document := valid(file, DRIVER_SCHEMA)) is not None
    ]
    if not drivers and not problems:
        problems.append(Problem(shown(driver_dir, base), 1, 1, "(folder)", "no driver files found"))
    for document in [*documents.values(), *drivers]:
        problems.extend(text_problems(document, can_print, markup_problems))
    if "toolkit.yaml" in documents and "references.yaml" in documents:
        problems.extend(cross_checks(documents, drivers))
    if problems:
        raise RubricError(problems)
    return _assemble(documents, drivers)


def _assemble(documents: dict[str, Document], drivers: list[Document]) -> model.Toolkit:
    fields = _resolved(documents["toolkit.yaml"].data, None)
    for name, (_, key) in TOOLKIT_FILES.items():
        if key is not None:
            data = _resolved(documents[name].data, None)
            fields[key] = data[key] if set(data) == {key, "origin"} else data
    category_order = {category["id"]: index for index, category in enumerate(fields["categories"])}

    def position(driver: dict[str, Any]) -> tuple[Any, ...]:
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
