"""What makes an assessment file valid, and the words for everything that does not.

This is the contract the Assess page keeps too: toolkit-core.js (`checkFile`) walks a file in
the same order with the same rules and messages, so the page refuses exactly what
`--assessment` refuses and never saves a file the toolkit would refuse. tests/cases/ holds one
case per rule, run through both. macros/source/schemas/assessment.schema.json documents the
format; these checks are stricter (real dates, limits, ids this toolkit knows).
"""

from __future__ import annotations

import re
from typing import Any

from ..source.yamldoc import shorten
from .fileformat import (
    ACTION_FIELDS,
    ANOTHER,
    CONSENSUS_TEXTS,
    FORMAT,
    GROUP_FIELDS,
    HEADER_FIELDS,
    KINDS,
    MEMBER_FIELDS,
    MODES,
    NOT_RATED,
    NOTED,
    PRIORITIES,
    SMALLEST_GROUP,
)

TOP_KEYS = (
    "format",
    "format_version",
    "toolkit",
    "header",
    "practices",
    "carried",
    "next_assessment",
    "qualitative",
    "composition",
)
QUALITATIVE_KEYS = ("mode", "respondents", "answers")
ANSWER_KEYS = ("respondent", "text", "noted", "action")
COMPOSITION_KEYS = ("members", "groups")
TOOLKIT_KEYS = ("title", "content_version")
#: format 2 adds the last three; not_rated: the team chose Not rated (not just "not yet rated")
ENTRY_KEYS = ("rating", "criteria", "notes", "action", "carried_criteria", "consensus", "not_rated")
CONSENSUS_KEYS = ("rounds", *CONSENSUS_TEXTS, "needs_evidence", "prefilled")
MAX_ROUNDS = 9  #: re-votes a record keeps for one best practice
MAX_VOTERS = 1000  #: highest count of one rating in one round
LINE_LIMIT = 300  #: characters of a one-line field (program, organization, toolkit title)
TEXT_LIMIT = 4000  #: characters of a field that can grow (notes, team, the plan's cells)
LINE_FIELDS = ("program", "organization")
MAX_CRITERION = 1000  #: highest criterion number a version 1 file may give
SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
CARRIED_TICK = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*|[1-9][0-9]{0,3}@[0-9a-f]{16}")
VERSION = re.compile(r"[0-9a-f]{16}")
DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
NO_FORMAT = f'not an assessment file: it has no "format": "{FORMAT}"'


def kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    names: dict[type, str] = {str: "text", list: "a list", dict: "a mapping"}
    return names[type(value)]


def is_date(text: str) -> bool:
    """YYYY-MM-DD naming a real day (years 1 to 9999, as a date input shows)."""
    match = DATE.fullmatch(text)
    if not match:
        return False
    year, month, day = (int(part) for part in match.groups())
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return year >= 1 and 1 <= month <= 12 and 1 <= day <= days[month - 1]


def control_character(text: str) -> str | None:
    bad = next((c for c in text if (ord(c) < 32 and c not in "\t\n\r") or c == "\x7f"), None)
    return None if bad is None else f"contains the control character U+{ord(bad):04X}; remove it"


class Checker:
    """Collects (location, message, is_key) for one file, in the order the page finds them."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.found: list[tuple[tuple, str, bool]] = []
        self.known = {
            practice["id"]: practice
            for category in data["categories"]
            for driver in category["drivers"]
            for practice in driver["practices"]
        }
        self.scale = [rating["id"] for rating in data["scale"]]

    def add(self, location: tuple, message: str, key: bool = False) -> None:
        self.found.append((location, message, key))

    def mapping(self, value, location: tuple, keys: tuple, required: tuple = ()) -> bool:
        if not isinstance(value, dict):
            self.add(location, f"expected a mapping of fields, found {kind(value)}")
            return False
        for name in value:
            if name not in keys:
                allowed = ", ".join(keys)
                self.add(
                    (*location, name), f"unknown key {shorten(name)}; allowed: {allowed}", key=True
                )
        for name in required:
            if name not in value:
                self.add((*location, name), "is required but missing")
        return True

    def text(self, value, location: tuple, limit: int = TEXT_LIMIT) -> None:
        if not isinstance(value, str):
            self.add(location, f"expected text, found {kind(value)}")
            return
        problem = control_character(value)
        if problem:
            self.add(location, problem)
        elif len(value) > limit:
            self.add(location, f"is {len(value)} characters long; at most {limit} fit here")

    def date(self, value, location: tuple) -> None:
        if not isinstance(value, str):
            self.add(location, f"expected text, found {kind(value)}")
        elif value and not is_date(value):
            self.add(location, f"{shorten(value)} is not a date as YYYY-MM-DD")

    def choice(self, value, location: tuple, options: tuple) -> None:
        if not isinstance(value, str):
            self.add(location, f"expected text, found {kind(value)}")
        elif value and value not in options:
            self.add(location, f"{shorten(value)} is not one of: {', '.join(options)} (or empty)")

    def head(
        self, value, format_: str, no_format: str, keys: tuple, required: tuple, versions: tuple
    ) -> tuple[int, bool] | None:
        """The format, version and toolkit of a file (assessment or ballot): the version and
        whether it names this very content, or None when nothing more can be checked."""
        if not isinstance(value, dict) or value.get("format") != format_:
            self.found = [((), no_format, False)]
            return None
        self.mapping(value, (), keys, required)
        version = value.get("format_version")
        if "format_version" in value and (type(version) is not int or version not in versions):
            self.add(
                ("format_version",),
                f"is not a format version this toolkit reads ({' or '.join(map(str, versions))}); "
                "a newer toolkit may have saved it",
            )
            return None
        toolkit: Any = value.get("toolkit")
        if "toolkit" in value and self.mapping(toolkit, ("toolkit",), TOOLKIT_KEYS, TOOLKIT_KEYS):
            self.text(toolkit.get("title", ""), ("toolkit", "title"), LINE_LIMIT)
            saved = toolkit.get("content_version", "")
            if not isinstance(saved, str):
                self.add(("toolkit", "content_version"), f"expected text, found {kind(saved)}")
            elif not VERSION.fullmatch(saved):
                self.add(
                    ("toolkit", "content_version"),
                    f"{shorten(saved)} is not a content version (16 hexadecimal digits)",
                )
            title = self.data["toolkit"]["title"]
            if not self.found and toolkit["title"] != title:
                self.found = [
                    (
                        ("toolkit", "title"),
                        "this file was made with another toolkit "
                        f"('{toolkit['title']}'); this is '{title}'",
                        False,
                    )
                ]
                return None
        if self.found or not isinstance(version, int):
            return None
        # this very content, as a file of this format names it: unknown ids are errors then
        ours = (
            self.data["content_version_1"]
            if version == 1 and format_ == FORMAT
            else self.data["toolkit"]["content_version"]
        )
        return version, toolkit["content_version"] == ours

    def check(self, value) -> list[tuple[tuple, str, bool]]:
        """Every problem of a parsed file, or a file-level one alone when it is no assessment."""
        head = self.head(
            value, FORMAT, NO_FORMAT, TOP_KEYS, ("format_version", "toolkit", "practices"), (1, 2)
        )
        if head is None:
            return self.found
        version, same = head
        header = value.get("header", {})
        if self.mapping(header, ("header",), HEADER_FIELDS):
            for name in HEADER_FIELDS:
                if name not in header:
                    continue
                where = ("header", name)
                if name == "kind":
                    self.choice(header[name], where, KINDS)
                elif name == "date":
                    self.date(header[name], where)
                else:
                    limit = LINE_LIMIT if name in LINE_FIELDS else TEXT_LIMIT
                    self.text(header[name], where, limit)
        for section in ("practices", "carried"):
            entries = value.get(section, {})
            if not isinstance(entries, dict):
                self.add((section,), f"expected a mapping of fields, found {kind(entries)}")
                continue
            for id_, entry in entries.items():
                where = (section, id_)
                if not SLUG.fullmatch(id_):
                    self.add(where, f"{shorten(id_)} is not a best practice id", key=True)
                    continue
                practice = self.known.get(id_)
                if practice is None and same and section == "practices":
                    self.add(where, f"this toolkit has no best practice {shorten(id_)}", key=True)
                self.entry(entry, where, practice, version, same)
        if "next_assessment" in value:
            self.date(value["next_assessment"], ("next_assessment",))
        if "qualitative" in value:
            self.qualitative(value["qualitative"], ("qualitative",))
        if "composition" in value:
            self.composition(value["composition"], ("composition",))
        return self.found

    def items(self, value, where: tuple) -> list:
        """A list's items, or none (and a problem) when it is not a list."""
        if isinstance(value, list):
            return value
        self.add(where, f"expected a list, found {kind(value)}")
        return []

    def action(self, action, where: tuple) -> None:
        if not self.mapping(action, where, ACTION_FIELDS):
            return
        for name in ACTION_FIELDS:
            if name not in action:
                continue
            spot = (*where, name)
            if name == "priority":
                self.choice(action[name], spot, tuple(PRIORITIES))
            elif name == "timeline":
                self.date(action[name], spot)
            else:
                self.text(action[name], spot)

    def qualitative(self, value, where: tuple) -> None:
        if not self.mapping(value, where, QUALITATIVE_KEYS, ("mode",)):
            return
        if "mode" in value:
            mode = value["mode"]
            if mode not in MODES or not isinstance(mode, str):
                shown = shorten(mode) if isinstance(mode, str) else kind(mode)
                self.add((*where, "mode"), f"{shown} is not one of: {', '.join(MODES)}")
        respondents = self.items(value.get("respondents", []), (*where, "respondents"))
        for index, name in enumerate(respondents):
            spot = (*where, "respondents", index)
            self.text(name, spot, LINE_LIMIT)
            if isinstance(name, str) and not name.strip():
                self.add(spot, "is empty; name the respondent or give a label")
            elif isinstance(name, str) and name in respondents[:index]:
                self.add(spot, "lists the same respondent twice")
        answers = value.get("answers", {})
        if not isinstance(answers, dict):
            self.add((*where, "answers"), f"expected a mapping of fields, found {kind(answers)}")
            return
        for id_, items in answers.items():
            spot = (*where, "answers", id_)
            if not SLUG.fullmatch(id_):
                self.add(spot, f"{shorten(id_)} is not a question id", key=True)
                continue
            for index, answer in enumerate(self.items(items, spot)):
                self.answer(answer, (*spot, index), respondents)

    def answer(self, answer, where: tuple, respondents: list) -> None:
        if not self.mapping(answer, where, ANSWER_KEYS):
            return
        if "respondent" in answer:
            who = answer["respondent"]
            self.text(who, (*where, "respondent"), LINE_LIMIT)
            if isinstance(who, str) and who and who not in respondents:
                self.add((*where, "respondent"), f"{shorten(who)} is not one of the respondents")
        if "text" in answer:
            self.text(answer["text"], (*where, "text"))
        if "noted" in answer:
            self.choice(answer["noted"], (*where, "noted"), tuple(NOTED))
        if "action" in answer:
            if answer.get("noted") != "gap":
                self.add((*where, "action"), "only an answer noted as a gap goes into the plan")
            else:
                self.action(answer["action"], (*where, "action"))

    def composition(self, value, where: tuple) -> None:
        """Part 1 names people and no demographics; part 2 gives demographics and no names."""
        if not self.mapping(value, where, COMPOSITION_KEYS):
            return
        names = []
        for index, member in enumerate(self.items(value.get("members", []), (*where, "members"))):
            spot = (*where, "members", index)
            if self.mapping(member, spot, MEMBER_FIELDS):
                for name in MEMBER_FIELDS:
                    if name in member:
                        self.text(member[name], (*spot, name), LINE_LIMIT)
                name = member.get("name")
                if isinstance(name, str) and name.strip():
                    names.append(name.strip())
        for index, group in enumerate(self.items(value.get("groups", []), (*where, "groups"))):
            spot = (*where, "groups", index)
            if not self.mapping(group, spot, GROUP_FIELDS, ("count",)):
                continue
            count = group.get("count", SMALLEST_GROUP)
            if type(count) is not int or len(str(abs(count))) > 15:  # as exact as the page
                self.add((*spot, "count"), f"expected a whole number, found {kind(count)}")
            elif count < SMALLEST_GROUP:
                self.add(
                    (*spot, "count"),
                    f"a group of {count} could name its members; "
                    f"merge groups smaller than {SMALLEST_GROUP}",
                )
            for name in ("characteristic", "group"):
                if name not in group:
                    continue
                self.text(group[name], (*spot, name), LINE_LIMIT)
                said = group[name].lower() if isinstance(group[name], str) else ""
                named = next((person for person in names if person.lower() in said), None)
                if named:
                    self.add(
                        (*spot, name),
                        f"names a team member ({shorten(named)}); part 2 holds no names",
                    )

    def entry(self, entry, where: tuple, practice, version: int, same: bool) -> None:
        keys = ENTRY_KEYS if version == 2 else ENTRY_KEYS[:4]
        if not self.mapping(entry, where, keys, ("rating",)):
            return
        self.rating(entry, where, practice)
        if "criteria" in entry:
            self.ticks(entry["criteria"], (*where, "criteria"), practice, version, same)
        if "carried_criteria" in entry:
            self.carried_ticks(entry["carried_criteria"], (*where, "carried_criteria"))
        if "notes" in entry:
            self.text(entry["notes"], (*where, "notes"))
        if "consensus" in entry:
            self.consensus(entry["consensus"], (*where, "consensus"), practice)
        if "action" in entry:
            self.action(entry["action"], (*where, "action"))
        if "not_rated" in entry and not isinstance(entry["not_rated"], bool):
            found = kind(entry["not_rated"])
            self.add((*where, "not_rated"), f"expected true or false, found {found}")

    def rating(self, entry: dict, where: tuple, practice) -> None:
        rating = entry.get("rating")
        if "rating" in entry and rating is not None:
            good = (
                rating in self.scale
                if practice
                else isinstance(rating, str) and bool(SLUG.fullmatch(rating))
            )
            if not good:
                shown = f"{shorten(rating)} is not a rating; e" if isinstance(rating, str) else "e"
                self.add(
                    (*where, "rating"), f"{shown}xpected one of {', '.join(self.scale)}, or null"
                )

    def consensus(self, record, where: tuple, practice) -> None:
        if not self.mapping(record, where, CONSENSUS_KEYS):
            return
        rounds = record.get("rounds", [])
        if not isinstance(rounds, list):
            self.add((*where, "rounds"), f"expected a list, found {kind(rounds)}")
        elif len(rounds) > MAX_ROUNDS:
            self.add((*where, "rounds"), f"has {len(rounds)} rounds; at most {MAX_ROUNDS} are kept")
        else:
            for index, counts in enumerate(rounds):
                self.counts(counts, (*where, "rounds", index), practice)
        for name in CONSENSUS_TEXTS:
            if name in record:
                self.text(record[name], (*where, name))
        for name in ("needs_evidence", "prefilled"):
            if name in record and not isinstance(record[name], bool):
                self.add((*where, name), f"expected true or false, found {kind(record[name])}")

    def counts(self, counts, where: tuple, practice) -> None:
        """One round: a count per rating id of the scale (any id for a carried entry)."""
        if not isinstance(counts, dict):
            self.add(where, f"expected a mapping of fields, found {kind(counts)}")
            return
        for key, count in counts.items():
            known = key in self.scale if practice else bool(SLUG.fullmatch(key))
            if key != NOT_RATED and not known:
                allowed = ", ".join([*self.scale, NOT_RATED])
                self.add((*where, key), f"{shorten(key)} is not a rating; allowed: {allowed}", True)
            elif type(count) is not int or not 0 <= count <= MAX_VOTERS:
                shown = count if type(count) is int else kind(count)
                self.add(
                    (*where, key), f"expected a whole number from 0 to {MAX_VOTERS}, found {shown}"
                )

    def ticks(self, ticks, where: tuple, practice, version: int, same: bool) -> None:
        if not isinstance(ticks, list):
            self.add(where, f"expected a list, found {kind(ticks)}")
            return
        ids = _criterion_ids(practice)
        seen: list = []
        for index, tick in enumerate(ticks):
            spot = (*where, index)
            if version == 1:
                if type(tick) is not int or not 1 <= tick <= MAX_CRITERION:
                    self.add(
                        spot,
                        f"expected a whole number from 1 to {MAX_CRITERION}, "
                        f"found {kind(tick) if type(tick) is not int else tick}",
                    )
                    continue
                if practice is not None and same and tick > len(ids):
                    self.add(spot, _no_number(tick, practice))
                    continue
            elif not isinstance(tick, str) or not SLUG.fullmatch(tick):
                shown = shorten(tick) if isinstance(tick, str) else kind(tick)
                self.add(spot, f"expected a criterion id, found {shown}")
                continue
            elif practice is not None and same and tick not in ids:
                self.add(spot, f"this best practice has no criterion {shorten(tick)}")
                continue
            if tick in seen:
                self.add(spot, "lists the same criterion twice")
            seen.append(tick)

    def carried_ticks(self, ticks, where: tuple) -> None:
        if not isinstance(ticks, list):
            self.add(where, f"expected a list, found {kind(ticks)}")
            return
        for index, tick in enumerate(ticks):
            if not isinstance(tick, str) or not CARRIED_TICK.fullmatch(tick):
                shown = shorten(tick) if isinstance(tick, str) else kind(tick)
                self.add((*where, index), f"expected a criterion id, found {shown}")
            elif tick in ticks[:index]:
                self.add((*where, index), "lists the same criterion twice")


def _criterion_ids(practice: dict | None) -> list[str]:
    criteria = (practice or {}).get("criteria")
    if not criteria:
        return []
    ids = [item["id"] for item in criteria["items"]]
    return [*ids, ANOTHER] if criteria["examples"] else ids


def _no_number(number: int, practice: dict) -> str:
    criteria = practice["criteria"]
    count = len(criteria["items"]) if criteria else 0
    has = f"has {count} criteria" if count else "has no criteria"
    if criteria and criteria["examples"]:
        has += f" (and {count + 1} for another one like these)"
    return f"criterion {number} does not exist: this best practice {has}"
