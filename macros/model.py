"""The toolkit as typed, immutable objects: what the site and every PDF are rendered from.

Field names match the YAML keys (see macros/source/schemas/); text fields hold Markdown.
Numbers of best practices are not stored: they follow from order when rendering.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    key: str  #: how other files cite it, e.g. fixsen-2005
    short: str  #: in-text form, e.g. "Fixsen et al., 2005"
    citation: str  #: full citation as the source gives it
    url: str | None = None


@dataclass(frozen=True)
class Criteria:
    rule: str  #: "all" or "at_least"
    items: tuple[str, ...]
    count: int | None = None  #: how many must hold, for at_least

    @property
    def required(self) -> int:
        """How many items must hold for the best practice to be in place."""
        return len(self.items) if self.rule == "all" else self.count or 0


@dataclass(frozen=True)
class BestPractice:
    id: str  #: stable slug; also the form field and anchor name
    statement: str  #: the bold statement
    explanation: str
    criteria: Criteria | None = None
    closing: str | None = None  #: text the source places after the criteria


@dataclass(frozen=True)
class KeyPoint:
    name: str
    text: str


@dataclass(frozen=True)
class KeyPoints:
    items: tuple[KeyPoint, ...]
    lead: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    prompts: tuple[str, ...]
    source: str  #: best practice id, "key-points" or "definition"


@dataclass(frozen=True)
class Driver:
    id: str  #: equals the file name
    name: str
    category: str  #: a Category id
    definition: tuple[str, ...]
    best_practices: tuple[BestPractice, ...]
    questions: tuple[Question, ...]
    references: tuple[str, ...]  #: Reference keys
    title: str | None = None  #: heading when it differs from the name
    order: int | None = None
    key_points: KeyPoints | None = None

    @property
    def heading(self) -> str:
        return self.title or self.name

    def source_of(self, question: Question) -> str:
        """Plain words for where a discussion question comes from."""
        for number, practice in enumerate(self.best_practices, start=1):
            if practice.id == question.source:
                return f"Best practice {number}: {practice.statement}"
        return {"key-points": "Key points", "definition": "Definition"}[question.source]


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str
    purpose: str
    tip_sheet_summary: str


@dataclass(frozen=True)
class NamedText:
    name: str
    text: str


@dataclass(frozen=True)
class NamedList:
    introduction: str
    items: tuple[NamedText, ...]
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class DriversIntroduction:
    heading: str
    text: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Practitioners:
    introduction: tuple[str, ...]
    references: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class PreparationPractice:
    id: str
    statement: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class Preparation:
    introduction: tuple[str, ...]
    practices: tuple[PreparationPractice, ...]


@dataclass(frozen=True)
class Equity:
    introduction: str
    considerations: tuple[str, ...]


@dataclass(frozen=True)
class AssessmentOption:
    id: str
    name: str
    summary: str
    description: tuple[str, ...]
    choose_when: tuple[str, ...]
    printables: tuple[str, ...]  #: kinds of printable, e.g. checklist


@dataclass(frozen=True)
class AssessmentOptions:
    introduction: str
    items: tuple[AssessmentOption, ...]


@dataclass(frozen=True)
class Assessment:
    when: tuple[str, ...]
    example: Example
    preparation: Preparation
    equity: Equity
    options: AssessmentOptions


@dataclass(frozen=True)
class Resources:
    introduction: str
    items: tuple[NamedText, ...]


@dataclass(frozen=True)
class Rating:
    id: str
    label: str
    score: int


@dataclass(frozen=True)
class Suggestion:
    """The rating id that ticked criteria suggest; the team decides the rating itself."""

    rule_met: str  #: the criteria's rule holds
    some_ticked: str  #: some criteria ticked, the rule not met
    none_ticked: str  #: no criterion ticked


@dataclass(frozen=True)
class Scoring:
    """How ratings are totalled: the toolkit's own convention, read by every form and the site."""

    not_rated: str  #: label of the choice left out of the totals
    suggestion: Suggestion
    formula: str  #: the totals in words, printed once per form
    criteria_rule: str  #: how ticked criteria suggest a rating, in words
    convention: str  #: that the scale and the mapping are the toolkit's own


@dataclass(frozen=True)
class PrintableText:
    title: str
    purpose: str  #: one line for the Downloads page
    introduction: tuple[str, ...] = ()
    notice: str | None = None


@dataclass(frozen=True)
class Column:
    id: str
    heading: str
    records: str  #: what the column records
    width: int = 1


@dataclass(frozen=True)
class Reflection:
    text: str
    source: str


@dataclass(frozen=True)
class TableTemplate:
    title: str
    purpose: str
    introduction: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: int
    reflection: tuple[Reflection, ...] = ()


@dataclass(frozen=True)
class Forms:
    rating_scale: tuple[Rating, ...]
    scoring: Scoring
    checklist: PrintableText
    scoring_form: PrintableText
    discussion_guide: PrintableText
    tip_sheet: PrintableText
    action_plan: TableTemplate
    composition: TableTemplate
    stage_guide: PrintableText
    results_report: PrintableText  #: printed from saved assessment files


@dataclass(frozen=True)
class SupportArea:
    abbreviation: str
    name: str
    text: str


@dataclass(frozen=True)
class Domains:
    introduction: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class ListItem:
    id: str
    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class NestedList:
    introduction: str
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    questions: tuple[str, ...]
    activities: tuple[str, ...]


@dataclass(frozen=True)
class Stages:
    introduction: tuple[str, ...]
    items: tuple[Stage, ...]
    note: str


@dataclass(frozen=True)
class ImplementationSupport:
    title: str
    introduction: tuple[str, ...]
    support_areas: tuple[SupportArea, ...]
    working_well: tuple[str, ...]
    importance: tuple[str, ...]
    capacity_domains: Domains
    best_practices: NestedList
    knowledge_and_skills: NestedList
    stages: Stages


@dataclass(frozen=True)
class Toolkit:
    """Everything the toolkit says, validated."""

    title: str
    short_title: str
    language: str
    attribution: str
    author: str
    footer_credit: str
    sources: tuple[str, ...]
    introduction: tuple[str, ...]
    drivers_introduction: DriversIntroduction
    categories: tuple[Category, ...]
    assessment: Assessment
    practitioners: Practitioners
    principles: NamedList
    competencies: NamedList
    resources: Resources
    references: tuple[Reference, ...]
    forms: Forms
    implementation_support: ImplementationSupport
    drivers: tuple[Driver, ...]  #: by category, then order, then name

    def driver(self, driver_id: str) -> Driver:
        return next(driver for driver in self.drivers if driver.id == driver_id)

    def drivers_in(self, category: Category) -> tuple[Driver, ...]:
        return tuple(driver for driver in self.drivers if driver.category == category.id)

    def category_of(self, driver: Driver) -> Category:
        return next(category for category in self.categories if category.id == driver.category)

    def cited(self, keys: tuple[str, ...]) -> tuple[Reference, ...]:
        by_key = {reference.key: reference for reference in self.references}
        return tuple(by_key[key] for key in keys)
