"""Consensus scoring: ballot files, and the one merge of votes into counts and flags.

A ballot is one member's simultaneous vote (README, "Ballot files"). The Assess page merges
ballots (or counts typed from the paper tally sheet) with consensus-core.js, which keeps this
module's contract word for word: tests/cases/ holds ballot and merge cases run through both.
Counts are shown as counts ("2: 3, 1: 4, 0: 1"), never as a mean.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import AssessmentError, Problem
from .checking import LINE_LIMIT, SLUG, Checker, kind, shorten
from .fileformat import NOT_RATED, criterion_ids, practices
from .reading import parse_document

BALLOT_FORMAT = "implementation-toolkit-ballot"
BALLOT_VERSION = 1
BALLOT_KEYS = ("format", "format_version", "toolkit", "alias", "round", "votes")
VOTE_KEYS = ("rating", "criteria", "note")
NOTE_LIMIT = 500  #: characters of a ballot's note on one best practice: a short note
MAX_ROUND = 9  #: as many rounds as a consensus record keeps
NO_BALLOT = f'not a ballot file: it has no "format": "{BALLOT_FORMAT}"'
EXTREMES = "extremes"  #: flag: the lowest and the highest rating were both voted
SPLIT = "split"  #: flag: the most common rating has less than the agreement share


@dataclass(frozen=True)
class Vote:
    rating: str | None = None  #: a rating id, or None for Not rated
    criteria: tuple[str, ...] = ()  #: ids of the criteria the member ticked
    note: str = ""


@dataclass(frozen=True)
class Ballot:
    """One member's read ballot; `unplaced` lists what this toolkit cannot place (kept, shown)."""

    content_version: str
    alias: str = ""
    round: int = 1
    votes: dict[str, Vote] = field(default_factory=dict)  #: by best practice id, placed only
    unplaced: tuple[str, ...] = ()  #: "practice" or "practice: criterion" ids not placed


class BallotChecker(Checker):
    """The ballot's rules, with the assessment's words for what the two share."""

    def check(self, value: Any) -> list[tuple[tuple[Any, ...], str, bool]]:
        head = self.head(
            value,
            BALLOT_FORMAT,
            NO_BALLOT,
            BALLOT_KEYS,
            ("format_version", "toolkit", "votes"),
            (BALLOT_VERSION,),
        )
        if head is None:
            return self.found
        _, same = head
        if "alias" in value:
            self.text(value["alias"], ("alias",), LINE_LIMIT)
        number = value.get("round", 1)
        if type(number) is not int or not 1 <= number <= MAX_ROUND:
            shown = number if type(number) is int else kind(number)
            self.add(("round",), f"expected a whole number from 1 to {MAX_ROUND}, found {shown}")
        votes = value.get("votes")
        if not isinstance(votes, dict):
            self.add(("votes",), f"expected a mapping of fields, found {kind(votes)}")
            return self.found
        for id_, vote in votes.items():
            where = ("votes", id_)
            if not SLUG.fullmatch(id_):
                self.add(where, f"{shorten(id_)} is not a best practice id", key=True)
                continue
            practice = self.known.get(id_)
            if practice is None and same:
                self.add(where, f"this toolkit has no best practice {shorten(id_)}", key=True)
            if not self.mapping(vote, where, VOTE_KEYS, ("rating",)):
                continue
            self.rating(vote, where, practice)
            if "criteria" in vote:
                self.ticks(vote["criteria"], (*where, "criteria"), practice, 2, same)
            if "note" in vote:
                self.text(vote["note"], (*where, "note"), NOTE_LIMIT)
        return self.found


def read_ballot_bytes(raw: bytes, data: dict[str, Any], shown: str) -> Ballot:
    """Check a ballot's bytes as the page does (consensus-core.js `readBallot`)."""
    document, problems = parse_document(raw, shown, "a ballot")
    if document is None:
        raise AssessmentError(problems)
    found = BallotChecker(data).check(document.data)
    if found:
        raise AssessmentError(
            [
                document.problem(location, message, key=key)
                if location
                else Problem(shown, 1, 1, "(file)", message)
                for location, message, key in found
            ]
        )
    return ballot_from_json(document.data, data)


def ballot_from_json(value: dict[str, Any], data: dict[str, Any]) -> Ballot:
    """A checked ballot, placed: what this toolkit does not have is listed in `unplaced`."""
    known = practices(data)
    votes: dict[str, Vote] = {}
    unplaced: list[str] = []
    for id_, item in value["votes"].items():
        practice = known.get(id_)
        if practice is None:
            unplaced.append(id_)
            continue
        ids = criterion_ids(practice)
        ticks = [tick for tick in item.get("criteria", ()) if tick in ids]
        unplaced += [f"{id_}: {tick}" for tick in item.get("criteria", ()) if tick not in ids]
        votes[id_] = Vote(item["rating"], tuple(ticks), item.get("note", ""))
    return Ballot(
        content_version=value["toolkit"]["content_version"],
        alias=value.get("alias", ""),
        round=value.get("round", 1),
        votes=votes,
        unplaced=tuple(unplaced),
    )


# --- the merge ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One best practice's votes in one round."""

    counts: dict[str, int]  #: rating id (in the scale's order) -> voters who gave it
    not_rated: int = 0
    flags: tuple[str, ...] = ()  #: EXTREMES, SPLIT
    unanimous: bool = False  #: every voter gave one and the same rating


def merge(ballots: list[Ballot], data: dict[str, Any], round_: int = 1) -> dict[str, Item]:
    """Counts and flags per best practice (in the toolkit's order) of one round's ballots.

    A ballot that gives no vote on a best practice counts as Not rated for it."""
    chosen = [ballot for ballot in ballots if ballot.round == round_]
    result = {}
    for id_ in practices(data):
        ratings = [ballot.votes.get(id_, Vote()).rating for ballot in chosen]
        counts = {rating["id"]: ratings.count(rating["id"]) for rating in data["scale"]}
        result[id_] = item(counts, ratings.count(None), data)
    return result


def item(counts: dict[str, int], not_rated: int, data: dict[str, Any]) -> Item:
    """Flags of one item's counts, by rubric/forms.yaml `consensus.agreement`: the lowest and
    highest both voted, or the most common rating under the agreement share of the ratings given
    (Not rated left out of the share). Whole numbers only, so both languages agree exactly."""
    scale = [rating["id"] for rating in data["scale"]]
    counts = {id_: counts.get(id_, 0) for id_ in scale}
    given = sum(counts.values())
    flags = []
    if counts[scale[0]] and counts[scale[-1]]:
        flags.append(EXTREMES)
    if given and 100 * max(counts.values()) < data["agreement"] * given:
        flags.append(SPLIT)
    unanimous = given > 0 and not_rated == 0 and max(counts.values()) == given
    return Item(counts, not_rated, tuple(flags), unanimous)


def counts_text(counts: dict[str, int], not_rated: int, data: dict[str, Any]) -> str:
    """'2: 3, 1: 4, 0: 1' (score: voters, the scale's order), then Not rated when any."""
    parts = [f"{rating['score']}: {counts.get(rating['id'], 0)}" for rating in data["scale"]]
    if not_rated:
        parts.append(f"{data['not_rated']}: {not_rated}")
    return ", ".join(parts)


def round_counts(item_: Item) -> dict[str, int]:
    """One round as the assessment file's consensus record keeps it."""
    return {**item_.counts, NOT_RATED: item_.not_rated}


def ballot_to_json(ballot: Ballot, data: dict[str, Any]) -> str:
    """The ballot as the Ballot page saves it: votes in the toolkit's order, ticks in the
    criteria's order, UTF-8, two-space indent, a final newline. Same data, same bytes."""
    known = practices(data)
    votes = {}
    for id_, practice in known.items():
        vote = ballot.votes.get(id_, Vote())
        order = criterion_ids(practice)
        ticks = [tick for tick in order if tick in vote.criteria]
        votes[id_] = {"rating": vote.rating, "criteria": ticks, "note": vote.note}
    document = {
        "format": BALLOT_FORMAT,
        "format_version": BALLOT_VERSION,
        "toolkit": dict(data["toolkit"]),
        "alias": ballot.alias,
        "round": ballot.round,
        "votes": votes,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
