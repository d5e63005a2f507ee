"""The toolkit as typed, immutable objects: what the site and every PDF are rendered from.

Field names match the YAML keys (see macros/source/schemas/); text fields hold Markdown.
Numbers of best practices are not stored: they follow from order when rendering.
Every object that holds text knows where that text comes from (`origin`): a source document
of `Toolkit.origins`, or the toolkit itself (`OWN`). Pages and PDFs credit exactly the origins
of the text they show (`Toolkit.credits`); fields typed `Key` are identifiers, not text.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated

Key = Annotated[str, "an id, a reference to one, a URL or a language tag: not text to credit"]
OWN = "toolkit"  #: the origin id of text written for this toolkit rather than transcribed
#: The criterion id a saved assessment ticks for "another one like these" (criteria that are
#: examples); no criterion of the rubric may take it.
ANOTHER_CRITERION = "another"


@dataclass(frozen=True)
class Origin:
    """Where the text of one object comes from, as the YAML's `origin:` keys resolve."""

    default: Key  #: origin id of every text field not named in `fields`
    fields: tuple[tuple[Key, Key], ...] = ()  #: (field name, origin id) for fields from elsewhere

    def of(self, name: str) -> str:
        """The origin id of one field's text."""
        return dict(self.fields).get(name, self.default)

    @property
    def own(self) -> bool:
        """All of this object's text was written for the toolkit."""
        return {self.default, *dict(self.fields).values()} == {OWN}


@dataclass(frozen=True)
class Sourced:
    """A model object that holds text."""

    origin: Origin = field(kw_only=True)  #: where its text comes from


@dataclass(frozen=True)
class Source(Sourced):
    """One origin of text: a source document, or (id `toolkit`) the toolkit itself."""

    id: Key
    title: str  #: the document's title as it gives it; for the toolkit, how credits name it
    covers: str  #: what of the toolkit's text comes from it
    author: str  #: for PDF metadata: who made it, as far as the document says
    credit: str  #: the full credit: the source's own copyright line where it has one
    footer: str  #: the short credit in page footers
    files: tuple[Key, ...] = ()  #: its transcriptions in sources/ (none for the toolkit)

    @property
    def own(self) -> bool:
        """This is the toolkit itself, not a source document."""
        return self.id == OWN


@dataclass(frozen=True)
class Reference(Sourced):
    key: Key  #: how other files cite it, e.g. fixsen-2005
    short: str  #: in-text form, e.g. "Fixsen et al., 2005"
    citation: str  #: full citation as the source gives it
    url: Key | None = None


@dataclass(frozen=True)
class Criterion(Sourced):
    id: Key  #: stable slug, unique within its best practice; saved assessments tick by it
    text: str


@dataclass(frozen=True)
class Criteria(Sourced):
    rule: Key  #: "all" or "at_least"
    items: tuple[Criterion, ...]
    count: int | None = None  #: how many must hold, for at_least
    examples: bool = False  #: the items are examples ("such as"): others like them count too

    @property
    def required(self) -> int:
        """How many items must hold for the best practice to be in place."""
        return len(self.items) if self.rule == "all" else self.count or 0


@dataclass(frozen=True)
class BestPractice(Sourced):
    id: Key  #: stable slug; also the form field and anchor name
    statement: str  #: the bold statement
    explanation: str
    criteria: Criteria | None = None
    closing: str | None = None  #: text the source places after the criteria
    #: what the explanation (or closing) requires that no criterion ticks ("at least monthly"),
    #: each quoted word for word from it; forms and the Assess page say "Also check" for them
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyPoint(Sourced):
    name: str
    text: str


@dataclass(frozen=True)
class KeyPoints(Sourced):
    items: tuple[KeyPoint, ...]
    lead: str | None = None


@dataclass(frozen=True)
class Question(Sourced):
    id: Key
    text: str
    prompts: tuple[str, ...]
    source: Key  #: best practice id, "key-points" or "definition"


@dataclass(frozen=True)
class Driver(Sourced):
    id: Key  #: equals the file name
    name: str
    category: Key  #: a Category id
    definition: tuple[str, ...]
    best_practices: tuple[BestPractice, ...]
    questions: tuple[Question, ...]
    references: tuple[Key, ...]  #: Reference keys
    title: str | None = None  #: heading when it differs from the name
    practices_heading: str | None = None  #: when the source's differs from "Best Practices for"
    order: int | None = None
    key_points: KeyPoints | None = None

    @property
    def heading(self) -> str:
        return self.title or self.name

    @property
    def best_practices_heading(self) -> str:
        """The heading over the best practices, as the tip sheet gives it."""
        return self.practices_heading or f"Best Practices for {self.name}"

    def source_of(self, question: Question) -> str:
        """Plain words for the passage a discussion question comes from."""
        for number, practice in enumerate(self.best_practices, start=1):
            if practice.id == question.source:
                return f"Best practice {number}: {practice.statement}"
        return {"key-points": "Key points", "definition": "Definition"}[question.source]


@dataclass(frozen=True)
class Category(Sourced):
    id: Key
    name: str
    description: str
    purpose: str


@dataclass(frozen=True)
class NamedText(Sourced):
    name: str
    text: str


@dataclass(frozen=True)
class NamedList(Sourced):
    introduction: str
    items: tuple[NamedText, ...]
    references: tuple[Key, ...] = ()


@dataclass(frozen=True)
class DriversIntroduction(Sourced):
    heading: str
    text: str
    items: tuple[str, ...]  #: the categories with their drivers, as the tip sheets list them
    references: tuple[Key, ...]


@dataclass(frozen=True)
class Practitioners(Sourced):
    introduction: tuple[str, ...]
    references: tuple[Key, ...]


@dataclass(frozen=True)
class Section(Sourced):
    """Paragraphs under the heading the source gives them."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class PreparationPractice(Sourced):
    id: Key
    statement: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class Preparation(Sourced):
    introduction: tuple[str, ...]
    practices: tuple[PreparationPractice, ...]


@dataclass(frozen=True)
class Equity(Sourced):
    introduction: str
    considerations: tuple[str, ...]


@dataclass(frozen=True)
class AssessmentOption(Sourced):
    id: Key
    name: str
    summary: str
    description: tuple[str, ...]
    choose_when: tuple[str, ...]
    printables: tuple[Key, ...]  #: kinds of printable, e.g. checklist


@dataclass(frozen=True)
class AssessmentOptions(Sourced):
    introduction: str
    tools_lead: str  #: the sentence that introduces the three tools and their summaries
    items: tuple[AssessmentOption, ...]


@dataclass(frozen=True)
class Assessment(Sourced):
    when: tuple[str, ...]
    example: Section
    preparation: Preparation
    equity: Equity
    options: AssessmentOptions


@dataclass(frozen=True)
class Resources(Sourced):
    introduction: str
    items: tuple[NamedText, ...]


@dataclass(frozen=True)
class Rating(Sourced):
    id: Key
    label: str
    score: int


@dataclass(frozen=True)
class Suggestion(Sourced):
    """The rating id that ticked criteria suggest; the team decides the rating itself."""

    rule_met: Key  #: the criteria's rule holds
    some_ticked: Key  #: some criteria ticked, the rule not met
    none_ticked: Key  #: no criterion ticked


@dataclass(frozen=True)
class Scoring(Sourced):
    """How ratings are totalled: the toolkit's own convention, read by every form and the site."""

    not_rated: str  #: label of the choice left out of the totals
    suggestion: Suggestion
    formula: str  #: the totals in words, printed once per form
    criteria_rule: str  #: how ticked criteria suggest a rating, in words
    convention: str  #: that the scale and the mapping are the toolkit's own
    items_from: str | None = None  #: where the forms named after the guide's tools get their items


@dataclass(frozen=True)
class PrintableText(Sourced):
    title: str
    purpose: str  #: one line for the Downloads page
    introduction: tuple[str, ...] = ()
    notice: str | None = None


@dataclass(frozen=True)
class ResultsText(Sourced):
    """The results report's text: a printable's, and its own words around the numbers."""

    title: str
    purpose: str  #: one line for the Downloads page
    strengths: str  #: what the summary's strengths and gaps are, by the rating scale
    compared: str  #: how the change between rounds is computed
    followed: str  #: what pairing an action with a later rating does and does not say
    introduction: tuple[str, ...] = ()
    notice: str | None = None


@dataclass(frozen=True)
class Tick(Sourced):
    id: Key
    label: str


@dataclass(frozen=True)
class Column(Sourced):
    id: Key
    heading: str
    records: str  #: what the column records
    width: int = 1
    ticks: tuple[Tick, ...] = ()  #: choices, one ticked per row, instead of room to write


@dataclass(frozen=True)
class Counts(Sourced):
    """A table of numbers with no names, on a page of its own (the composition's Part 2)."""

    heading: str
    introduction: tuple[str, ...]
    characteristics: tuple[str, ...]  #: shown in the first column, each over `rows_each` rows
    rows_each: int
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Reflection(Sourced):
    text: str
    source: str  #: the passage the question is based on, in words


@dataclass(frozen=True)
class TableTemplate(Sourced):
    title: str
    purpose: str
    introduction: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: int
    reflection: tuple[Reflection, ...] = ()
    heading: str | None = None  #: over the table, when the template has more than one part
    counts: Counts | None = None


@dataclass(frozen=True)
class Consensus(Sourced):
    """When a team's votes on a best practice call for discussion: read by the tally sheet, the
    run sheet and the site's merge of ballots, so paper and screen flag the same items."""

    agreement: int  #: percent of the ratings given the most common rating needs, or it is flagged


@dataclass(frozen=True)
class TallySheet(Sourced):
    """The vote-tally sheet: per best practice and round, a count for each rating."""

    title: str
    purpose: str
    introduction: tuple[str, ...]
    rounds: int  #: rounds of count boxes per best practice


@dataclass(frozen=True)
class Role(Sourced):
    id: Key
    name: str
    votes: str  #: whether the role votes, in words
    duties: tuple[str, ...]


@dataclass(frozen=True)
class Step(Sourced):
    id: Key
    name: str
    minutes: int
    who: str  #: the roles that act in this step
    does: tuple[str, ...]


@dataclass(frozen=True)
class Quote(Sourced):
    text: str  #: word for word from a source
    where: str  #: the passage quoted, in words


@dataclass(frozen=True)
class RunSheet(Sourced):
    """The facilitation run sheet: the toolkit's own protocol, which says that it is."""

    title: str
    purpose: str
    provenance: str  #: that no source gives this protocol
    introduction: tuple[str, ...]
    roles: tuple[Role, ...]
    steps: tuple[Step, ...]  #: in order; their minutes add up to the session's length
    sources_say: tuple[Quote, ...]  #: what the sources do say about facilitation

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


@dataclass(frozen=True)
class Forms(Sourced):
    rating_scale: tuple[Rating, ...]
    scoring: Scoring
    checklist: PrintableText
    scoring_form: PrintableText
    discussion_guide: PrintableText
    tip_sheet: PrintableText
    action_plan: TableTemplate
    composition: TableTemplate
    stage_guide: PrintableText
    results_report: ResultsText  #: printed from saved assessment files
    consensus: Consensus
    ballot: PrintableText
    vote_tally: TallySheet
    run_sheet: RunSheet


@dataclass(frozen=True)
class SupportArea(Sourced):
    abbreviation: str
    name: str
    text: str


@dataclass(frozen=True)
class Domains(Sourced):
    introduction: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class ListItem(Sourced):
    id: Key
    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class NestedList(Sourced):
    heading: str  #: the source's heading over the list
    items: tuple[ListItem, ...]
    introduction: str | None = None  #: the line that opens the list, if the source has one


@dataclass(frozen=True)
class Stage(Sourced):
    id: Key
    name: str
    questions: tuple[str, ...]
    activities: tuple[str, ...]


@dataclass(frozen=True)
class Stages(Sourced):
    introduction: tuple[str, ...]
    items: tuple[Stage, ...]
    note: str
    edited: str | None = None  #: what the toolkit changed in the introduction, shown beside it


@dataclass(frozen=True)
class ImplementationSupport(Sourced):
    title: str
    introduction: tuple[str, ...]
    support_areas: tuple[SupportArea, ...]
    working_well: Section
    importance: Section
    capacity_domains: Domains
    best_practices: NestedList
    knowledge_and_skills: NestedList
    stages: Stages


@dataclass(frozen=True)
class Toolkit(Sourced):
    """Everything the toolkit says, validated."""

    title: str
    short_title: str
    language: Key
    footer_credit: str  #: the site's footer: true of every page, whatever it shows
    origins: tuple[Source, ...]  #: where text comes from; every `origin` names one of these
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

    def cited_in(self, *parts) -> tuple[Reference, ...]:
        """The references whose in-text form ("Metz et al., 2015") a text of `parts` holds, so a
        page that cites a work also lists it (parts as for `credits`)."""
        shown = " ".join(text for part in parts for _, _, text in _part_texts(part))
        return tuple(reference for reference in self.references if reference.short in shown)

    def source(self, origin_id: str) -> Source:
        """The entry of `origins` with this id."""
        return next(source for source in self.origins if source.id == origin_id)

    def credits(self, *parts) -> tuple[Source, ...]:
        """What a page or PDF showing `parts` must credit, in the order of `origins`.

        A part is a model object, a tuple or list of them, or (objects, "field field") when only
        those fields are shown.
        """
        used = {origin for part in parts for _, origin, _ in _part_texts(part)}
        return tuple(source for source in self.origins if source.id in used)


def _part_texts(part) -> Iterator[tuple[str, str, str]]:
    if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], str):
        values, names = part
        for value in values if isinstance(values, (tuple, list)) else (values,):
            for name in names.split():
                yield from _field_texts(value, name, name)
    else:
        yield from texts(part)


def texts(value, path: str = "") -> Iterator[tuple[str, str, str]]:
    """(path, origin id, text) for every text in a model object or a tuple of them.

    Paths name list entries by id where they have one: drivers[coaching].questions[0].text.
    """
    if isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            name = getattr(item, "id", None) or getattr(item, "key", None) or index
            yield from texts(item, f"{path}[{name}]")
        return
    for name, _ in _kinds(value.__class__):
        yield from _field_texts(value, name, f"{path}.{name}" if path else name)


def _field_texts(value, name: str, path: str) -> Iterator[tuple[str, str, str]]:
    kind = dict(_kinds(value.__class__))[name]
    item = getattr(value, name)
    if item is None or kind == "other":
        return
    if kind == "text":
        yield path, value.origin.of(name), item
    elif kind == "texts":
        for index, text in enumerate(item):
            yield f"{path}[{index}]", value.origin.of(name), text
    else:
        yield from texts(item, path)


@cache
def _kinds(kind: type) -> tuple[tuple[str, str], ...]:
    """Each field of a model class: "text", "texts" (a tuple of text), "object" or "other"."""
    hints = typing.get_type_hints(kind, include_extras=True)
    return tuple((item.name, _kind(hints[item.name])) for item in dataclasses.fields(kind))


def _kind(hint) -> str:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        (hint,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if hint is str:
        return "text"
    if typing.get_origin(hint) is tuple:
        inner = _kind(typing.get_args(hint)[0])
        return {"text": "texts", "object": "object"}.get(inner, "other")
    if dataclasses.is_dataclass(hint) and hint is not Origin:
        return "object"
    return "other"
