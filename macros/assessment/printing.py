"""Saved assessments as the printables read them: one round or several, with their totals.

The templates get a `Filled` through the printable (`doc.filled`) and only ask it questions
(what was recorded for this best practice, this driver's tally, the plan's rows); every number
comes from totals.py, the arithmetic the site's script shares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import AssessmentError, Problem
from .consensus import counts_text
from .consensus import item as vote_item
from .fileformat import (
    NOT_RATED,
    NOTED,
    Action,
    Answer,
    Assessment,
    Composition,
    Consensus,
    Entry,
    Group,
    drivers,
    practices,
)
from .inputs import STDIN, Input, read_input
from .reading import read_for_print
from .totals import Tally, Totals, suggestion, totals


@dataclass(frozen=True)
class Round:
    """One saved assessment file."""

    name: str  #: made from the file's name (inputs.safe_name): names its PDFs
    assessment: Assessment
    totals: Totals
    file: str  #: the file's own name, for the manifest

    @property
    def date(self) -> str:
        return self.assessment.header.date

    @property
    def label(self) -> str:
        return self.date or f"{self.name} (no date)"


@dataclass(frozen=True)
class PlanRow:
    driver: str  #: the driver's name
    number: int  #: the best practice's number within its driver
    statement: str
    rating: str  #: the rating's label, or the Not rated label
    unmet: tuple[str, ...]  #: criteria not ticked
    action: dict[str, str]  #: by action plan column id; empty strings where nothing was chosen
    #: a gap carried from the qualitative assessment: its answer, who gave it, its question
    gap: str = ""
    respondent: str = ""
    question: str = ""


@dataclass(frozen=True)
class Change:
    driver: str
    number: int
    statement: str
    ratings: tuple[str, ...]  #: the rating label in each round, oldest first


@dataclass(frozen=True)
class Agreed:
    """One best practice's consensus record, as the consensus record PDF prints it."""

    driver: str
    number: int
    statement: str
    rounds: tuple[str, ...]  #: each round's counts as text ("2: 3, 1: 4, 0: 1"), first first
    flagged: bool  #: the first round's votes flagged the item for discussion
    rating: str  #: the agreed rating's label (the entry's rating)
    record: Consensus


@dataclass(frozen=True)
class Item:
    """One best practice in a comparison of two rounds, with the team's notes of each."""

    driver: str
    number: int
    statement: str
    before: str  #: rating label in the earlier round
    after: str  #: rating label in the later round
    notes: tuple[str, str]  #: the earlier round's notes, the later round's


@dataclass(frozen=True)
class Compared:
    """Two rounds compared over the best practices rated in both (so a best practice rated
    for the first time cannot move a percent); what was rated in one round only is listed."""

    before: Round
    after: Round
    totals: tuple[Totals, Totals]  #: over the best practices rated in both rounds
    changed: tuple[Item, ...]  #: rated in both, differently
    added: tuple[Item, ...]  #: rated in the later round only
    dropped: tuple[Item, ...]  #: rated in the earlier round only

    def change(self, driver_id: str | None = None, category_id: str | None = None) -> str:
        """The change in percentage points over the common items, signed; a dash if none."""
        before, after = (_pick(item, driver_id, category_id) for item in self.totals)
        return Filled.change(before, after)

    def common(self, driver_id: str | None = None, category_id: str | None = None) -> Tally:
        """The later round's tally over the common items (its `rated` is how many)."""
        return _pick(self.totals[1], driver_id, category_id)

    def pair(self, driver_id: str | None = None, category_id: str | None = None) -> list[Tally]:
        """The earlier and the later tally over the common items."""
        return [_pick(item, driver_id, category_id) for item in self.totals]


@dataclass(frozen=True)
class Followed:
    """An action chosen in one round, and what the next round says of its best practice."""

    driver: str
    number: int
    statement: str
    action: Action
    chosen: Round  #: the round that chose it
    later: Round
    rating_then: str
    rating_later: str
    status_later: str  #: the action's status in the later file, when it carried the action


def _pick(result: Totals, driver_id: str | None, category_id: str | None) -> Tally:
    if driver_id:
        return result.drivers[driver_id]
    if category_id:
        return result.categories[category_id]
    return result.overall


@dataclass(frozen=True)
class Filled:
    """What the team recorded, for one printable: `rounds` by date, `current` the one shown."""

    data: dict[str, Any]  #: fileformat.rubric_data of this toolkit
    rounds: tuple[Round, ...]
    current: int = -1  #: index into rounds

    @property
    def round(self) -> Round:
        return self.rounds[self.current]

    @property
    def assessment(self) -> Assessment:
        return self.round.assessment

    @property
    def drivers(self) -> list[dict[str, Any]]:
        return drivers(self.data)

    def entry(self, practice_id: str) -> Entry:
        return self.assessment.practices.get(practice_id) or Entry()

    def suggestion(self, practice_id: str) -> str:
        """What the ticks recorded for this best practice suggest, in the Assess page's words."""
        ticked = list(self.entry(practice_id).criteria)
        return suggestion(self.data, practices(self.data)[practice_id], ticked)["text"]

    def rating_label(self, rating: str | None) -> str:
        labels = {rating["id"]: rating["label"] for rating in self.data["scale"]}
        return labels.get(rating, self.data["not_rated"]) if rating else self.data["not_rated"]

    def score(self, practice_id: str) -> int | None:
        rating = self.entry(practice_id).rating
        return None if rating is None else self._scores[rating]

    @property
    def _scores(self) -> dict[str, int]:
        return {rating["id"]: rating["score"] for rating in self.data["scale"]}

    def driver(self, driver_id: str) -> Tally:
        return self.round.totals.drivers[driver_id]

    def category(self, category_id: str) -> Tally:
        return self.round.totals.categories[category_id]

    @property
    def overall(self) -> Tally:
        return self.round.totals.overall

    def not_rated(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """(driver name, its best practices not rated), for drivers that have any."""
        result = []
        for driver in drivers(self.data):
            missing = [p for p in driver["practices"] if self.entry(p["id"]).rating is None]
            if missing:
                result.append((driver["name"], missing))
        return result

    def kept(self) -> list[tuple[str, Entry]]:
        """Entries of another toolkit version, and ticks this version cannot place (criteria it
        no longer has, numbers of an old file): kept in the file, shown, never scored."""
        entries = {**self.assessment.carried, **self.assessment.practices}
        unknown = self.assessment.unknown(self.data)
        unplaced = [id_ for id_, entry in entries.items() if entry.carried_criteria]
        return [(id_, entries[id_]) for id_ in dict.fromkeys([*unknown, *unplaced])]

    def plan(self) -> list[PlanRow]:
        """The action plan's rows: the best practices the team chose to act on, or, when it
        chose none, every one rated below the top score, in the toolkit's order."""
        known = practices(self.data)
        top = max(self._scores.values())
        chosen = [id_ for id_ in known if self.entry(id_).action is not None]
        if not chosen:
            scores = {id_: self.score(id_) for id_ in known}
            chosen = [id_ for id_, score in scores.items() if score is not None and score < top]
        names = {driver["id"]: driver["name"] for driver in drivers(self.data)}
        rows = []
        for id_ in chosen:
            practice, entry = known[id_], self.entry(id_)
            items = practice["criteria"]["items"] if practice["criteria"] else []
            action = entry.action
            rows.append(
                PlanRow(
                    driver=names[practice["driver"]],
                    number=practice["number"],
                    statement=practice["statement"],
                    rating=self.rating_label(entry.rating),
                    unmet=tuple(item["text"] for item in items if item["id"] not in entry.criteria),
                    action={} if action is None else asdict(action),
                )
            )
        return rows + self.carried_gaps()

    def carried_gaps(self) -> list[PlanRow]:
        """Gaps the team carried from the qualitative assessment, in the rubric's order, each
        with the question it came from (numbered as on the page and in the record)."""
        names = {driver["id"]: driver["name"] for driver in drivers(self.data)}
        rows = []
        for number, question in enumerate(self.data["questions"], start=1):
            for answer in self.answers(question["id"]):
                if answer.action is None:
                    continue
                rows.append(
                    PlanRow(
                        driver=names[question["driver"]],
                        number=number,
                        statement="",
                        rating="",
                        unmet=(),
                        action=asdict(answer.action),
                        gap=answer.text,
                        respondent=answer.respondent,
                        question=question["text"],
                    )
                )
        return rows

    # --- the qualitative assessment and the composition --------------------------------------

    def answers(self, question_id: str) -> tuple[Answer, ...]:
        qualitative = self.assessment.qualitative
        return qualitative.answers.get(question_id, ()) if qualitative else ()

    @staticmethod
    def noted_label(answer: Answer) -> str:
        return NOTED.get(answer.noted, "")

    def kept_answers(self) -> list[tuple[str, tuple[Answer, ...]]]:
        """Answers to questions this toolkit does not have: printed, never dropped."""
        known = {question["id"] for question in self.data["questions"]}
        qualitative = self.assessment.qualitative
        items = qualitative.answers.items() if qualitative else ()
        return [(id_, answers) for id_, answers in items if id_ not in known and answers]

    @property
    def composition(self) -> Composition:
        return self.assessment.composition or Composition()

    def groups(self, characteristics: tuple[str, ...]) -> list[tuple[str, list[Group]]]:
        """Part 2 by characteristic: the template's own first, then any the team added."""
        named = list(characteristics) + [
            group.characteristic
            for group in self.composition.groups
            if group.characteristic not in characteristics
        ]
        return [
            (name, [group for group in self.composition.groups if group.characteristic == name])
            for name in dict.fromkeys(named)
        ]

    def agreed(self) -> list[Agreed]:
        """Every best practice with a consensus record, in the toolkit's order."""
        names = {driver["id"]: driver["name"] for driver in drivers(self.data)}
        result = []
        for id_, practice in practices(self.data).items():
            entry = self.entry(id_)
            if entry.consensus is None:
                continue
            rounds = [dict(counts) for counts in entry.consensus.rounds]
            texts = [counts_text(counts, counts.get(NOT_RATED, 0), self.data) for counts in rounds]
            first = rounds[0] if rounds else {}
            flagged = bool(rounds) and bool(
                vote_item(first, first.get(NOT_RATED, 0), self.data).flags
            )
            result.append(
                Agreed(
                    names[practice["driver"]],
                    practice["number"],
                    practice["statement"],
                    tuple(texts),
                    flagged,
                    self.rating_label(entry.rating),
                    entry.consensus,
                )
            )
        return result

    def typed(self) -> str:
        """Everything a team typed, in every round, and the files' names: the text that may
        be set in a fallback font (see pdf.fonts.TeamFonts)."""
        parts = []
        for item in self.rounds:
            parts += [item.name, item.file, *_strings(asdict(item.assessment))]
        return "\n".join(parts)

    # --- several rounds ---------------------------------------------------------------------

    def series(self, driver_id: str | None = None, category_id: str | None = None) -> list[Tally]:
        """The tally of a driver, a category or (with neither) the whole, in every round."""
        if driver_id:
            return [item.totals.drivers[driver_id] for item in self.rounds]
        if category_id:
            return [item.totals.categories[category_id] for item in self.rounds]
        return [item.totals.overall for item in self.rounds]

    def at(self, index: int) -> Filled:
        """The same rounds, showing round `index`."""
        return Filled(self.data, self.rounds, index)

    @staticmethod
    def change(before: Tally, after: Tally) -> str:
        """The change in percentage points between two rounds, signed; a dash if either has none."""
        if before.percent is None or after.percent is None:
            return "–"
        difference = after.percent - before.percent
        return f"{difference:+d}" if difference else "0"

    # --- the summary -------------------------------------------------------------------------

    def rated_as(self, score: int) -> list[tuple[str, list[dict[str, Any]]]]:
        """(driver name, its best practices rated `score`), for drivers that have any: the
        strengths are those at the top of the scale, the gaps those at its foot."""
        result = []
        for driver in drivers(self.data):
            found = [p for p in driver["practices"] if self.score(p["id"]) == score]
            if found:
                result.append((driver["name"], found))
        return result

    @property
    def top(self) -> int:
        return max(self._scores.values())

    @property
    def bottom(self) -> int:
        return min(self._scores.values())

    def scale_label(self, score: int) -> str:
        return next(r["label"] for r in self.data["scale"] if r["score"] == score)

    def chosen(self) -> list[PlanRow]:
        """The actions the team chose in the round shown (not the plan's suggestions)."""
        return self.plan() if self._has_actions else []

    @property
    def _has_actions(self) -> bool:
        return any(entry.action is not None for entry in self.assessment.practices.values())

    # --- comparisons --------------------------------------------------------------------------

    #: the most rounds the report shows side by side; with more it shows the first and the last
    SIDE_BY_SIDE = 3

    @property
    def shown(self) -> tuple[Round, ...]:
        """The rounds the chart and the change table show: all that fit side by side, else the
        first and the last (every round stays listed, with its overall result)."""
        if len(self.rounds) <= self.SIDE_BY_SIDE:
            return self.rounds
        return (self.rounds[0], self.rounds[-1])

    def compared(self) -> list[Compared]:
        """Each shown round against the next shown one."""
        shown = self.shown
        return [self.compare(a, b) for a, b in zip(shown, shown[1:])]

    def compare(self, before: Round, after: Round) -> Compared:
        def rated(item: Round) -> dict[str, Entry]:
            return {
                id_: entry
                for id_, entry in item.assessment.practices.items()
                if entry.rating is not None
            }

        old, new = rated(before), rated(after)
        both = [id_ for id_ in practices(self.data) if id_ in old and id_ in new]

        def over(item: Round) -> Totals:
            kept = {id_: item.assessment.practices[id_] for id_ in both}
            return totals(self.data, replace(item.assessment, practices=kept))

        def items(ids: Iterable[str]) -> tuple[Item, ...]:
            known, names = practices(self.data), {d["id"]: d["name"] for d in drivers(self.data)}
            result = []
            for id_ in ids:
                practice = known[id_]
                a, b = old.get(id_, Entry()), new.get(id_, Entry())
                result.append(
                    Item(
                        names[practice["driver"]],
                        practice["number"],
                        practice["statement"],
                        self.rating_label(a.rating),
                        self.rating_label(b.rating),
                        (a.notes, b.notes),
                    )
                )
            return tuple(result)

        order = list(practices(self.data))
        return Compared(
            before,
            after,
            (over(before), over(after)),
            changed=items(id_ for id_ in both if old[id_].rating != new[id_].rating),
            added=items(id_ for id_ in order if id_ in new and id_ not in old),
            dropped=items(id_ for id_ in order if id_ in old and id_ not in new),
        )

    def followed(self) -> list[Followed]:
        """Every action chosen in a round, paired with its best practice's rating in the next
        round (and the action's status there, when the next file carried it)."""
        known, names = practices(self.data), {d["id"]: d["name"] for d in drivers(self.data)}
        result = []
        for chosen, later in zip(self.rounds, self.rounds[1:]):
            for id_, entry in chosen.assessment.practices.items():
                if entry.action is None or id_ not in known:
                    continue
                after = later.assessment.practices.get(id_) or Entry()
                practice = known[id_]
                result.append(
                    Followed(
                        names[practice["driver"]],
                        practice["number"],
                        practice["statement"],
                        entry.action,
                        chosen,
                        later,
                        self.rating_label(entry.rating),
                        self.rating_label(after.rating),
                        after.action.status_label if after.action else "",
                    )
                )
        return result

    def changes(self) -> list[Change]:
        """Best practices whose rating differs between any two consecutive rounds."""
        result = []
        for driver in drivers(self.data):
            for practice in driver["practices"]:
                entries = [item.assessment.practices.get(practice["id"]) for item in self.rounds]
                ratings = tuple(
                    self.rating_label(entry.rating if entry else None) for entry in entries
                )
                if any(a != b for a, b in zip(ratings, ratings[1:])):
                    result.append(
                        Change(driver["name"], practice["number"], practice["statement"], ratings)
                    )
        return result


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (str(key), *_strings(item))]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def read_rounds(
    files: Sequence[Path | Input],
    data: dict[str, Any],
    *,
    can_print: Callable[[str], bool] | None = None,
) -> tuple[tuple[Round, ...], list[Problem]]:
    """Read every file (all problems at once) and order the rounds by date, then as given.

    Also returns, field by field, the characters no installed font has (`can_print`), which
    print as U+FFFD: reported, never refused."""
    rounds, problems, replaced = [], [], []
    inputs = [file if isinstance(file, Input) else read_input(file) for file in files]
    names = [source.name for source in inputs]
    for source in inputs:
        if names.count(source.name) > 1:
            message = (
                f"two files given would name their PDFs '{source.name}-...'; rename one of them"
            )
            if source.given == STDIN:
                message = "standard input can be read only once"
            problems.append(Problem(source.shown, 1, 1, "(file)", message))
            continue
        try:
            assessment, unprintable = read_for_print(source, data, can_print=can_print)
        except AssessmentError as error:
            problems.extend(error.problems)
            continue
        replaced.extend(unprintable)
        result = totals(data, assessment)
        rounds.append(Round(source.name, assessment, result, source.file))
    if problems:
        raise AssessmentError(problems)
    return tuple(sorted(rounds, key=lambda item: item.date)), AssessmentError(replaced).problems
