"""Rules that one file's schema cannot express: ids unique across files, references and
origins that exist, criteria counts, driver ids that match their file names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .. import model
from ..errors import Problem
from .yamldoc import Document, Location, shorten

QUESTION_SOURCES = ("key-points", "definition")
RESERVED_DRIVER_IDS = {"index": "the drivers overview page"}


def cross_checks(documents: dict[str, Document], drivers: list[Document]) -> Iterator[Problem]:
    """Every cross-file problem of the files that read cleanly (toolkit.yaml and
    references.yaml among them), so one run shows all."""
    toolkit, references = documents["toolkit.yaml"], documents["references.yaml"]
    keys = _unique(references, ("references",), "key", "reference key")
    yield from keys.problems
    origins = _unique(toolkit, ("origins",), "id", "origin id")
    yield from origins.problems
    for document in [*documents.values(), *drivers]:
        yield from _origin_problems(document, document.data, (), origins.seen)
    categories = _unique(toolkit, ("categories",), "id", "category id")
    yield from categories.problems
    yield from _toolkit_problems(toolkit, keys.seen)
    if "forms.yaml" in documents:
        yield from _forms_problems(documents["forms.yaml"])
    if "implementation-support.yaml" in documents:
        support = documents["implementation-support.yaml"]
        yield from _unique(support, ("stages", "items"), "id", "stage id").problems
        for section in ("best_practices", "knowledge_and_skills"):
            yield from _unique(support, (section, "items"), "id", "item id").problems
    practice_ids: dict[str, str] = {}
    question_ids: dict[str, str] = {}
    for document in drivers:
        yield from _driver_problems(document, categories.seen, keys.seen)
        yield from _practices_problems(document, practice_ids)
        yield from _questions_problems(document, question_ids)


def _toolkit_problems(toolkit: Document, keys: dict[str, str]) -> Iterator[Problem]:
    yield from _cited(toolkit, ("drivers_introduction", "references"), keys)
    for section in ("practitioners", "principles", "competencies"):
        yield from _cited(toolkit, (section, "references"), keys)
    options = ("assessment", "options", "items")
    yield from _unique(toolkit, options, "id", "assessment option").problems
    preparation = ("assessment", "preparation", "practices")
    yield from _unique(toolkit, preparation, "id", "practice id").problems


def _forms_problems(forms: Document) -> Iterator[Problem]:
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


def _driver_problems(
    document: Document, categories: dict[str, str], keys: dict[str, str]
) -> Iterator[Problem]:
    data = document.data
    stem = Path(document.path).stem
    if data["id"] in RESERVED_DRIVER_IDS:
        yield document.problem(
            ("id",),
            f"'{data['id']}' is reserved for {RESERVED_DRIVER_IDS[data['id']]}; choose another id",
        )
    if data["id"] != stem:
        yield document.problem(
            ("id",),
            f"id '{data['id']}' differs from the file name '{stem}.yaml'; rename one so they match",
        )
    if data["category"] not in categories:
        known = ", ".join(categories)
        yield document.problem(
            ("category",),
            f"unknown category {shorten(data['category'])}; toolkit.yaml defines: {known}",
        )
    yield from _cited(document, ("references",), keys)


def _practices_problems(document: Document, practice_ids: dict[str, str]) -> Iterator[Problem]:
    for index, practice in enumerate(document.data["best_practices"]):
        where = ("best_practices", index)
        yield from _first_use(
            document, (*where, "id"), practice["id"], practice_ids, "best practice id"
        )
        criteria = practice.get("criteria")
        if criteria is not None:
            yield from _criteria_problems(document, (*where, "criteria"), criteria)
        yield from _condition_problems(document, where, practice)


def _questions_problems(document: Document, question_ids: dict[str, str]) -> Iterator[Problem]:
    data = document.data
    own_ids = [practice["id"] for practice in data["best_practices"]]
    for index, question in enumerate(data["questions"]):
        where = ("questions", index)
        yield from _first_use(document, (*where, "id"), question["id"], question_ids, "question id")
        source = question["source"]
        if source == "key-points" and "key_points" not in data:
            yield document.problem(
                (*where, "source"), "names key-points, but this driver has no key_points"
            )
        elif source not in own_ids and source not in QUESTION_SOURCES:
            yield document.problem(
                (*where, "source"),
                f"{shorten(source)} is not a best practice "
                "of this driver, nor key-points or definition",
            )


def _origin_problems(
    document: Document, value: Any, location: Location, known: dict[str, Any]
) -> Iterator[Problem]:
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


def _criteria_problems(
    document: Document, where: tuple[Any, ...], criteria: dict[str, Any]
) -> Iterable[Problem]:
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


def _condition_problems(
    document: Document, where: Location, practice: dict[str, Any]
) -> Iterator[Problem]:
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


def _unique(document: Document, where: tuple[Any, ...], field: str, what: str) -> _Seen:
    result = _Seen()
    entries = document.data
    for part in where:
        entries = entries[part]
    for index, entry in enumerate(entries):
        result.problems.extend(
            _first_use(document, where + (index, field), entry[field], result.seen, what)
        )
    return result


def _first_use(
    document: Document, location: Location, value: str, seen: dict[str, Any], what: str
) -> Iterator[Problem]:
    line = document.mark(location)[0]
    if value in seen:
        yield document.problem(
            location, f"duplicate {what} '{value}' (first used at {seen[value]})"
        )
    else:
        seen[value] = f"{document.path}:{line}"


def _cited(
    document: Document, location: tuple[Any, ...], known: dict[str, Any]
) -> Iterable[Problem]:
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
