"""The assessment file: what it holds, the rubric data the site and the PDFs score it with, and
its one canonical JSON form (the bytes the site's Save button writes).

The file format is documented in README.md and by macros/source/schemas/assessment.schema.json.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import model
from ..render.markdown import plain

if TYPE_CHECKING:
    from collections.abc import Callable

FORMAT = "implementation-toolkit-assessment"
FORMAT_VERSION = 2  #: 2: criteria ticked by id; 1 (still read, upgraded): by position
ANOTHER = model.ANOTHER_CRITERION  #: the criterion id of "another one like these"
SCHEMA = "assessment.schema.json"
KINDS = ("checklist", "consensus-scoring")  #: the two kinds of assessment the page records
HEADER_FIELDS = ("kind", "program", "organization", "date", "team")
PRIORITIES = {"quick-win": "Quick win", "longer-term": "Longer-term"}
#: Keys of a plan action, in file order: the action plan's column ids in rubric/forms.yaml
#: (its other two columns, driver and best practice, follow from the entry).
ACTION_FIELDS = ("strategy", "priority", "responsible", "resources", "timeline", "status")
#: An action's status as the page offers it. The field stays free text, so files that wrote
#: their own words ("Not started", "waiting for the budget") keep them and stay valid; these
#: ids are what the page writes, what a new round starts from, and what the report names.
STATUSES = {
    "not-started": "Not started",
    "in-progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}
PLAN_COLUMNS_FROM_ENTRY = ("driver", "best-practice-or-gap")
#: The criteria texts of each best practice, in order, for every content version that format 1
#: files were saved with before this one (read from the releases that wrote them): a format 1
#: file names its version, so its numbers are texts, and a text still in the rubric is an id.
FORMAT_1_HISTORY = Path(__file__).with_name("format-1-history.json")


@dataclass(frozen=True)
class Action:
    """One row of the Drivers Action Plan that the team chose to fill in."""

    strategy: str = ""
    priority: str = ""  #: "", or a key of PRIORITIES
    responsible: str = ""
    resources: str = ""
    timeline: str = ""  #: due date, YYYY-MM-DD or empty
    status: str = ""  #: a key of STATUSES, or the team's own words (older files)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


#: Keys of a consensus record, in file order (after "rounds"): the agreed rating is the entry's.
CONSENSUS_TEXTS = ("rationale", "evidence", "dissent")
NOT_RATED = "not_rated"  #: the key of a round's Not rated count (no rating id has "_")


@dataclass(frozen=True)
class Consensus:
    """How a team reached an entry's rating: every round's counts and the reasons given.

    The page decides nothing but the prefill of an item where every voter gave one rating
    (`prefilled` marks it); the agreed rating itself is the entry's rating."""

    #: each round's counts, first round first: rating id (or NOT_RATED) -> number of voters
    rounds: tuple[tuple[tuple[str, int], ...], ...] = ()
    rationale: str = ""
    evidence: str = ""
    dissent: str = ""
    needs_evidence: bool = False
    prefilled: bool = False  #: the rating was filled in because all voted alike


@dataclass(frozen=True)
class Entry:
    """What the team recorded for one best practice."""

    rating: str | None = None  #: a rating id of the scale; None is Not rated
    #: ids of the criteria ticked as holding; ANOTHER for "another one like these"
    criteria: tuple[str, ...] = ()
    notes: str = ""
    action: Action | None = None  #: set when the team chose to act on it
    #: ticks this toolkit cannot place: ids of criteria it no longer has, or "N@version", the
    #: number N of a version 1 file of another content version. Kept, listed, never counted.
    carried_criteria: tuple[str, ...] = ()
    consensus: Consensus | None = None  #: set when the rating was reached by consensus scoring
    #: Not rated on purpose: the team discussed it and chose Not rated (rating stays None). An
    #: entry with neither a rating nor this is not yet discussed; both count as Not rated.
    not_rated: bool = False


@dataclass(frozen=True)
class Header:
    kind: str = ""  #: "", or one of KINDS
    program: str = ""
    organization: str = ""
    date: str = ""
    team: str = ""  #: team members, one per line


#: The qualitative assessment: a team's answers, or an interviewer's per respondent.
MODES = ("team", "interview")
NOTED = {"gap": "Gap", "strength": "Strength"}  #: what an answer may be marked as
MEMBER_FIELDS = ("name", "role", "authority", "experience", "knowledge")  #: part 1, names
GROUP_FIELDS = ("characteristic", "group", "count")  #: part 2, counts and no names
SMALLEST_GROUP = 3  #: part 2 merges smaller groups: one or two people could be recognised


@dataclass(frozen=True)
class Answer:
    """One answer to a discussion question: the team's, or one respondent's."""

    respondent: str = ""  #: "" for the team; in interview mode, one of the respondents
    text: str = ""
    noted: str = ""  #: "", or a key of NOTED
    action: Action | None = None  #: a gap the team carried into the action plan


@dataclass(frozen=True)
class Qualitative:
    """The Qualitative Drivers Assessment: answers by question id, in the toolkit's order."""

    mode: str = "team"
    respondents: tuple[str, ...] = ()  #: names or anonymous labels, as the interviewer chose
    answers: dict[str, tuple[Answer, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Member:
    """Part 1 of the Composition Analysis Template: who, with no demographics."""

    name: str = ""
    role: str = ""
    authority: str = ""
    experience: str = ""
    knowledge: str = ""


@dataclass(frozen=True)
class Group:
    """Part 2: how many people share a characteristic's group (a role, an age band, a
    race/ethnicity), never a name; at least SMALLEST_GROUP people."""

    characteristic: str = ""  #: what the groups divide the team by (forms.yaml characteristics)
    group: str = ""
    count: int = SMALLEST_GROUP


@dataclass(frozen=True)
class Composition:
    members: tuple[Member, ...] = ()
    groups: tuple[Group, ...] = ()

    def summary(self) -> str:
        """One line for the results: "5 members: 2 senior leader, 3 manager"."""
        roles: dict[str, int] = {}
        for member in self.members:
            role = member.role.strip() or "role not given"
            roles[role] = roles.get(role, 0) + 1
        listed = ", ".join(f"{count} {role}" for role, count in roles.items())
        size = len(self.members)
        return f"{size} member{'' if size == 1 else 's'}" + (f": {listed}" if listed else "")


@dataclass(frozen=True)
class Assessment:
    """A read assessment file. Entries keep the file's order; ids are best practice ids."""

    toolkit_title: str
    content_version: str  #: of the toolkit version that saved the file
    header: Header = field(default_factory=Header)
    practices: dict[str, Entry] = field(default_factory=dict)
    carried: dict[str, Entry] = field(default_factory=dict)  #: ids no version here has
    next_assessment: str = ""
    format_version: int = FORMAT_VERSION  #: of the file as read (1 is upgraded on reading)
    qualitative: Qualitative | None = None  #: optional: saved only once something is in it
    composition: Composition | None = None  #: optional, likewise

    def unknown(self, data: dict) -> tuple[str, ...]:
        """Ids of entries that `data`'s toolkit does not have (kept, never scored)."""
        known = set(practice_ids(data))
        return tuple(id_ for id_ in [*self.practices, *self.carried] if id_ not in known)


def notices(assessment: Assessment, data: dict) -> list[str]:
    """What to say when a file opens (toolkit-core.js `notices` says the same): another content
    version, an upgrade from format 1, entries kept and ticks that could not be placed."""
    result = []
    named = data["content_version_1"] if assessment.format_version == 1 else None
    current = data["toolkit"]["content_version"]
    if assessment.content_version != (named or current):
        result.append(
            "It was saved with another version of this toolkit's best practices "
            f"({assessment.content_version}; this is {current})."
        )
    if assessment.format_version == 1:
        result.append(
            "It is in format 1 (criteria by number); it will be saved in format 2 (criteria by id)."
        )
    lost = assessment.unknown(data)
    if lost:
        result.append(f"Kept, not scored (not in this version): {', '.join(lost)}.")
    unplaced = [
        f"{id_}: {', '.join(entry.carried_criteria)}"
        for id_, entry in assessment.practices.items()
        if entry.carried_criteria and id_ not in lost
    ]
    if unplaced:
        result.append(
            "Ticks that could not be placed (kept in the file, not counted): "
            f"{'; '.join(unplaced)}."
        )
    return result


def next_round(assessment: Assessment, data: dict) -> Assessment:
    """The start of the team's next round from its last file (toolkit-core.js `nextRound`):
    the header without its date, no ratings, ticks or notes, and every action kept with its
    due date and status (an empty status becomes not-started), so the plan follows the team.
    Entries this toolkit does not have are kept as they were (they are a record)."""
    known = set(practice_ids(data))

    def carry(id_: str, entry: Entry) -> Entry:
        if id_ not in known:
            return entry
        if entry.action is None:
            return Entry()
        status = entry.action.status or "not-started"
        return Entry(action=Action(**{**asdict(entry.action), "status": status}))

    return Assessment(
        toolkit_title=assessment.toolkit_title,
        content_version=assessment.content_version,
        header=Header(**{**asdict(assessment.header), "date": ""}),
        practices={id_: carry(id_, entry) for id_, entry in assessment.practices.items()},
        carried=dict(assessment.carried),
        format_version=assessment.format_version,
    )


# --- the rubric as the site's script and the Python see it ---------------------------------


def content_version(toolkit: model.Toolkit) -> str:
    """A hash of what an assessment file refers to: the scale and every best practice."""
    return _content_hash(toolkit, lambda item: [item.id, item.text])


def content_version_1(toolkit: model.Toolkit) -> str:
    """The content version a format 1 file of this very content names (criteria by text only).

    A version 1 file that names it ticked criteria by their position in today's lists, so its
    numbers map to today's ids; any other version 1 file cannot be placed safely."""
    return _content_hash(toolkit, lambda item: item.text)


def _content_hash(toolkit: model.Toolkit, criterion: Callable[[model.Criterion], object]) -> str:
    """The scale and every best practice, each criterion as `criterion` writes it, hashed."""
    content = {
        "scale": [[rating.id, rating.score] for rating in toolkit.forms.rating_scale],
        "drivers": [
            [
                driver.id,
                driver.category,
                [
                    [
                        practice.id,
                        practice.statement,
                        None
                        if practice.criteria is None
                        else [
                            practice.criteria.rule,
                            practice.criteria.count,
                            [criterion(item) for item in practice.criteria.items],
                            practice.criteria.examples,
                        ],
                    ]
                    for practice in driver.best_practices
                ],
            ]
            for driver in toolkit.drivers
        ],
    }
    return _hash(content)


def format_1_ids(toolkit: model.Toolkit) -> dict[str, dict[str, list[str | None]]]:
    """For each content version a format 1 file may name: each best practice's criterion ids
    by number (from 1), None where that number's criterion is not in the rubric any more.

    This very content's numbers are today's positions (and the number after the last is
    another one like these); an older version's go through their texts."""
    current = {
        practice.id: practice.criteria
        for driver in toolkit.drivers
        for practice in driver.best_practices
        if practice.criteria is not None
    }
    result: dict[str, dict[str, list[str | None]]] = {
        content_version_1(toolkit): {id_: _ids_now(criteria) for id_, criteria in current.items()}
    }
    history = json.loads(FORMAT_1_HISTORY.read_text(encoding="utf-8"))
    for version, texts in history.items():
        then = {
            id_: [
                next((item.id for item in current[id_].items if item.text == text), None)
                for text in old
            ]
            for id_, old in texts.items()
            if id_ in current
        }
        if then and version not in result:  # a version of this toolkit
            result[version] = then
    return result


def _ids_now(criteria: model.Criteria) -> list[str | None]:
    ids: list[str | None] = [item.id for item in criteria.items]
    return [*ids, ANOTHER] if criteria.examples else ids


def _hash(content: dict) -> str:
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def rubric_data(toolkit: model.Toolkit) -> dict:
    """Everything the Assess page's script needs, as JSON-ready data.

    The page embeds exactly this; totals() in Python reads the same, so the site and the
    PDFs cannot score a file differently.
    """
    forms = toolkit.forms
    columns = {column.id: column.heading for column in forms.action_plan.columns}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "toolkit": {"title": toolkit.title, "content_version": content_version(toolkit)},
        "content_version_1": content_version_1(toolkit),
        "format_1": format_1_ids(toolkit),
        "scale": [
            {"id": rating.id, "label": plain(rating.label), "score": rating.score}
            for rating in forms.rating_scale
        ],
        "not_rated": plain(forms.scoring.not_rated),
        "agreement": forms.consensus.agreement,
        "suggestion": {
            "rule_met": forms.scoring.suggestion.rule_met,
            "some_ticked": forms.scoring.suggestion.some_ticked,
            "none_ticked": forms.scoring.suggestion.none_ticked,
        },
        "kinds": {
            "checklist": forms.checklist.title,
            "consensus-scoring": forms.scoring_form.title,
        },
        "priorities": PRIORITIES,
        "statuses": STATUSES,
        "plan_columns": {
            key: columns.get(key, key) for key in (*PLAN_COLUMNS_FROM_ENTRY, *ACTION_FIELDS)
        },
        "questions": [
            {
                "id": question.id,
                "driver": driver.id,
                "text": plain(question.text),
                "prompts": [plain(prompt) for prompt in question.prompts],
            }
            for driver in toolkit.drivers
            for question in driver.questions
        ],
        "categories": [
            {
                "id": category.id,
                "name": plain(category.name),
                "drivers": [_driver_data(driver) for driver in toolkit.drivers_in(category)],
            }
            for category in toolkit.categories
            if toolkit.drivers_in(category)
        ],
    }


def _driver_data(driver: model.Driver) -> dict:
    return {
        "id": driver.id,
        "name": plain(driver.name),
        "practices": [
            {
                "id": practice.id,
                "number": number,
                "statement": plain(practice.statement),
                # what the explanation requires and no criterion ticks: named, never ticked
                "conditions": [plain(condition) for condition in practice.conditions],
                "criteria": None
                if practice.criteria is None
                else {
                    "required": practice.criteria.required,
                    "items": [
                        {"id": item.id, "text": plain(item.text)}
                        for item in practice.criteria.items
                    ],
                    # examples ("such as"): the id ANOTHER ticks another one like them
                    "examples": practice.criteria.examples,
                },
            }
            for number, practice in enumerate(driver.best_practices, start=1)
        ],
    }


def drivers(data: dict) -> list[dict]:
    return [driver for category in data["categories"] for driver in category["drivers"]]


def practices(data: dict) -> dict[str, dict]:
    """Every best practice of `data`, by id, in the toolkit's order, with its driver's id."""
    scale = [rating["id"] for rating in data["scale"]]
    return {
        practice["id"]: {**practice, "driver": driver["id"], "scale": scale}
        for driver in drivers(data)
        for practice in driver["practices"]
    }


def practice_ids(data: dict) -> list[str]:
    return [practice["id"] for driver in drivers(data) for practice in driver["practices"]]


# --- the canonical file ---------------------------------------------------------------------


def to_json(assessment: Assessment, data: dict) -> str:
    """The file as the site saves it for `data`'s toolkit: every best practice in the toolkit's
    order, entries the toolkit does not have moved to `carried`, keys in a fixed order, UTF-8,
    two-space indent, a final newline. Same data, same bytes."""
    known = practices(data)
    practices_out = {
        id_: _entry_json(assessment.practices.get(id_, Entry()), practice)
        for id_, practice in known.items()
    }
    carried = {
        id_: _entry_json(entry, None)
        for id_, entry in [*assessment.practices.items(), *assessment.carried.items()]
        if id_ not in practices_out
    }
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "toolkit": dict(data["toolkit"]),
        "header": {name: getattr(assessment.header, name) for name in HEADER_FIELDS},
        "practices": practices_out,
        "carried": carried,
        "next_assessment": assessment.next_assessment,
    }
    if assessment.qualitative is not None:
        document["qualitative"] = _qualitative_json(assessment.qualitative, data)
    if assessment.composition is not None:
        document["composition"] = {
            "members": [
                {name: getattr(member, name) for name in MEMBER_FIELDS}
                for member in assessment.composition.members
            ],
            "groups": [
                {name: getattr(group, name) for name in GROUP_FIELDS}
                for group in assessment.composition.groups
            ],
        }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _qualitative_json(qualitative: Qualitative, data: dict) -> dict:
    """Questions in the toolkit's order, then ones it does not have (kept); none left empty."""
    order = [question["id"] for question in data["questions"]]
    ids = [id_ for id_ in order if id_ in qualitative.answers]
    ids += [id_ for id_ in qualitative.answers if id_ not in order]
    answers: dict[str, list[dict[str, object]]] = {}
    for id_ in ids:
        if not qualitative.answers[id_]:
            continue
        answers[id_] = []
        for answer in qualitative.answers[id_]:
            item: dict[str, object] = {
                "respondent": answer.respondent,
                "text": answer.text,
                "noted": answer.noted,
            }
            if answer.action is not None:
                item["action"] = {name: getattr(answer.action, name) for name in ACTION_FIELDS}
            answers[id_].append(item)
    return {
        "mode": qualitative.mode,
        "respondents": list(qualitative.respondents),
        "answers": answers,
    }


def criterion_ids(practice: dict | None) -> list[str]:
    """The ids a file may tick for one best practice of rubric_data, in the toolkit's order."""
    criteria = (practice or {}).get("criteria")
    if not criteria:
        return []
    ids = [item["id"] for item in criteria["items"]]
    return [*ids, ANOTHER] if criteria["examples"] else ids


def _entry_json(entry: Entry, practice: dict | None) -> dict:
    """Ticks in the toolkit's order (carried ones as the file had them): same data, same bytes."""
    order = criterion_ids(practice)
    ticked = [id_ for id_ in order if id_ in entry.criteria]
    ticked += [id_ for id_ in entry.criteria if id_ not in order]  # a carried best practice's
    result: dict[str, object] = {"rating": entry.rating, "criteria": ticked, "notes": entry.notes}
    if entry.action is not None:
        result["action"] = {name: getattr(entry.action, name) for name in ACTION_FIELDS}
    if entry.carried_criteria:
        result["carried_criteria"] = list(entry.carried_criteria)
    if entry.consensus is not None:
        result["consensus"] = _consensus_json(entry.consensus, practice)
    if entry.not_rated and entry.rating is None:
        result["not_rated"] = True
    return result


def _consensus_json(record: Consensus, practice: dict | None) -> dict:
    """Each round's counts in the scale's order then Not rated (a carried entry's as read)."""
    rounds = []
    for counts in record.rounds:
        given = dict(counts)
        if practice is not None:
            order = [*practice["scale"], NOT_RATED]
            given = {key: given.get(key, 0) for key in order}
        rounds.append(given)
    return {
        "rounds": rounds,
        **{name: getattr(record, name) for name in CONSENSUS_TEXTS},
        "needs_evidence": record.needs_evidence,
        "prefilled": record.prefilled,
    }


def consensus_from_json(item: dict) -> Consensus:
    return Consensus(
        rounds=tuple(tuple(counts.items()) for counts in item.get("rounds", ())),
        **{name: item.get(name, "") for name in CONSENSUS_TEXTS},
        needs_evidence=item.get("needs_evidence", False),
        prefilled=item.get("prefilled", False),
    )


def from_json_data(value: dict, data: dict) -> Assessment:
    """Build an Assessment from already checked file data (checking.problems found nothing).

    Ticks the toolkit cannot place go to the entry's carried_criteria: ids it no longer has (a
    file of another content version), and the numbers of a format 1 file, unless the file
    names a content version whose criteria this toolkit knows (format_1_ids): then each
    number is the criterion it was then, by its id today."""
    header = value.get("header", {})
    known = practices(data)
    version = value["format_version"]
    from_version = value["toolkit"]["content_version"]
    then = data["format_1"].get(from_version, {}) if version == 1 else {}

    def entry(id_: str, item: dict) -> Entry:
        ids = criterion_ids(known.get(id_))
        ticks, carried = [], list(item.get("carried_criteria", ()))
        for tick in item.get("criteria", ()):
            if version == 2 and (tick in ids or id_ not in known):
                ticks.append(tick)
            elif version == 1 and 0 < tick <= len(then.get(id_, [])) and then[id_][tick - 1]:
                ticks.append(then[id_][tick - 1])
            else:
                carried.append(tick if version == 2 else f"{tick}@{from_version}")
        action = item.get("action")
        return Entry(
            rating=item["rating"],
            criteria=tuple(ticks),
            notes=item.get("notes", ""),
            action=_action(action),
            carried_criteria=tuple(dict.fromkeys(carried)),
            consensus=consensus_from_json(item["consensus"]) if "consensus" in item else None,
            not_rated=item.get("not_rated", False) and item["rating"] is None,
        )

    return Assessment(
        toolkit_title=value["toolkit"]["title"],
        content_version=from_version,
        header=Header(**{name: header.get(name, "") for name in HEADER_FIELDS}),
        practices={id_: entry(id_, item) for id_, item in value["practices"].items()},
        carried={id_: entry(id_, item) for id_, item in value.get("carried", {}).items()},
        next_assessment=value.get("next_assessment", ""),
        format_version=version,
        qualitative=_qualitative(value["qualitative"]) if "qualitative" in value else None,
        composition=_composition(value["composition"]) if "composition" in value else None,
    )


def _action(value: dict | None) -> Action | None:
    if value is None:
        return None
    return Action(**{name: value.get(name, "") for name in ACTION_FIELDS})


def _qualitative(value: dict) -> Qualitative:
    return Qualitative(
        mode=value.get("mode") or "team",
        respondents=tuple(value.get("respondents", ())),
        answers={
            id_: tuple(
                Answer(
                    respondent=item.get("respondent", ""),
                    text=item.get("text", ""),
                    noted=item.get("noted", ""),
                    action=_action(item.get("action")),
                )
                for item in items
            )
            for id_, items in value.get("answers", {}).items()
        },
    )


def _composition(value: dict) -> Composition:
    return Composition(
        members=tuple(
            Member(**{name: item.get(name, "") for name in MEMBER_FIELDS})
            for item in value.get("members", ())
        ),
        groups=tuple(
            Group(
                characteristic=item.get("characteristic", ""),
                group=item.get("group", ""),
                count=item.get("count", SMALLEST_GROUP),
            )
            for item in value.get("groups", ())
        ),
    )
