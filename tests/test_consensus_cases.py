"""One computation for consensus scoring: every ballot and merge case of tests/cases/ runs
through Python (macros/assessment/consensus.py) and through the page's own scripts
(toolkit-core.js and consensus-core.js in Chromium, no page around them); both must give the
case's expected outcome. See tests/cases/README.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import PROJECT_ROOT

from macros.assessment import consensus
from macros.errors import AssessmentError
from tests.test_cases import CASES, CORE, case_text

CONSENSUS_CORE = CORE.with_name("consensus-core.js")
BALLOT_CASES = sorted(CASES.glob("ballot-*.json"))
MERGE_CASES = sorted(CASES.glob("merge-*.json"))


def python_ballot(text: str, data: dict) -> dict:
    try:
        ballot = consensus.read_ballot_bytes(text.encode("utf-8"), data, "case.json")
    except AssessmentError as error:
        return {"problems": [str(p).removeprefix("case.json:") for p in error.problems]}
    votes = {
        id_: {"rating": vote.rating, "criteria": list(vote.criteria), "note": vote.note}
        for id_, vote in ballot.votes.items()
    }
    return {
        "ballot": {
            "alias": ballot.alias,
            "round": ballot.round,
            "votes": votes,
            "unplaced": list(ballot.unplaced),
        }
    }


def item_json(item: consensus.Item, data: dict) -> dict:
    return {
        "counts": item.counts,
        "not_rated": item.not_rated,
        "flags": list(item.flags),
        "unanimous": item.unanimous,
        "text": consensus.counts_text(item.counts, item.not_rated, data),
    }


def python_merge(case: dict, data: dict) -> dict:
    if "counts" in case:
        return {"item": item_json(consensus.item(case["counts"], case["not_rated"], data), data)}
    ballots = [
        consensus.read_ballot_bytes(case_text(text, data).encode(), data, "b.json")
        for text in case["ballots"]
    ]
    merged = consensus.merge(ballots, data, case["round"])
    return {"items": {id_: item_json(merged[id_], data) for id_ in case["expect"]["items"]}}


BROWSER = """([ballots, merges, data]) => {
  const enc = (text) => new TextEncoder().encode(text);
  const ballot = (text) => {
    const read = ConsensusCore.readBallot(enc(text), data, "case.json");
    if (read.problems) return {problems: read.problems.map((p) => p.slice("case.json:".length))};
    const b = read.ballot, votes = {};
    b.votes.forEach((vote, id) => { votes[id] = vote; });
    return {ballot: {alias: b.alias, round: b.round, votes: votes, unplaced: b.unplaced}};
  };
  const itemJson = (item) => ({counts: item.counts, not_rated: item.not_rated, flags: item.flags,
    unanimous: item.unanimous, text: ConsensusCore.countsText(item.counts, item.not_rated, data)});
  const merge = (c) => {
    if (c.counts) return {item: itemJson(ConsensusCore.item(c.counts, c.not_rated, data))};
    const read = c.ballots.map((text) => ConsensusCore.readBallot(enc(text), data, "b").ballot);
    const merged = ConsensusCore.merge(read, data, c.round), items = {};
    Object.keys(c.expect.items).forEach((id) => { items[id] = itemJson(merged.get(id)); });
    return {items: items};
  };
  return [ballots.map(ballot), merges.map(merge)];
}"""


@pytest.fixture(scope="module")
def browser_outcomes(browser, data) -> dict:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_content("<!doctype html><title>core</title>")
    page.add_script_tag(content=CORE.read_text(encoding="utf-8"))
    page.add_script_tag(content=CONSENSUS_CORE.read_text(encoding="utf-8"))
    ballots = [case_text(load(path)["input"], data) for path in BALLOT_CASES]
    merges = []
    for path in MERGE_CASES:
        case = load(path)
        if "ballots" in case:
            case["ballots"] = [case_text(text, data) for text in case["ballots"]]
        merges.append(case)
    ballot_results, merge_results = page.evaluate(BROWSER, [ballots, merges, data])
    page.close()
    assert errors == []
    names = [path.name for path in [*BALLOT_CASES, *MERGE_CASES]]
    return dict(zip(names, [*ballot_results, *merge_results], strict=True))


def load(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def test_the_corpus_covers_ballots_and_merges():
    names = [path.stem for path in BALLOT_CASES]
    assert sum(name.startswith("ballot-valid-") for name in names) >= 3
    assert sum(name.startswith("ballot-bad-") for name in names) >= 10
    assert len(MERGE_CASES) >= 5
    for path in [*BALLOT_CASES, *MERGE_CASES]:
        case = load(path)
        assert case["about"], path.name
        assert "expect" in case, path.name


@pytest.mark.parametrize("path", BALLOT_CASES, ids=lambda path: path.stem)
def test_python_reads_ballots_as_expected(path, data):
    case = load(path)
    assert python_ballot(case_text(case["input"], data), data) == case["expect"]


@pytest.mark.parametrize("path", MERGE_CASES, ids=lambda path: path.stem)
def test_python_merges_as_expected(path, data):
    case = load(path)
    assert python_merge(case, data) == case["expect"]


@pytest.mark.parametrize("path", [*BALLOT_CASES, *MERGE_CASES], ids=lambda path: path.stem)
def test_the_page_scripts_give_the_same_outcome(path, data, browser_outcomes):
    assert browser_outcomes[path.name] == load(path)["expect"]


def test_valid_ballots_follow_the_schema(data):
    from macros.project import Project
    from macros.source.validating import schema_validator

    validator = schema_validator(Project.schemas, "ballot.schema.json")
    for path in BALLOT_CASES:
        case = load(path)
        if "ballot" in case["expect"]:
            value = json.loads(case_text(case["input"], data))
            assert [error.message for error in validator.iter_errors(value)] == [], path.name


def test_the_example_ballots_read_and_disagree(data):
    """The invented example set: five members or more, marked invented, some items flagged."""
    folder = PROJECT_ROOT / "examples" / "ballots"
    files = sorted(folder.glob("*.json"))
    assert len(files) >= 5
    assert "invented" in (folder / "README.md").read_text("utf-8").lower()
    ballots = [consensus.read_ballot_bytes(file.read_bytes(), data, file.name) for file in files]
    merged = consensus.merge(ballots, data)
    flagged = [id_ for id_, item in merged.items() if item.flags]
    assert 0 < len(flagged) < len(merged)
    assert any(item.unanimous for item in merged.values())


def test_the_page_saves_a_ballot_as_python_does(browser, data):
    """Read and saved again by either language, an example ballot keeps its very bytes."""
    folder = PROJECT_ROOT / "examples" / "ballots"
    texts = [file.read_text("utf-8") for file in sorted(folder.glob("*.json"))]
    page = browser.new_page()
    page.set_content("<!doctype html><title>core</title>")
    page.add_script_tag(content=CORE.read_text(encoding="utf-8"))
    page.add_script_tag(content=CONSENSUS_CORE.read_text(encoding="utf-8"))
    saved = page.evaluate(
        """([texts, data]) => texts.map((text) => ConsensusCore.ballotJson(
             ConsensusCore.readBallot(new TextEncoder().encode(text), data, "b").ballot, data))""",
        [texts, data],
    )
    page.close()
    again = [
        consensus.ballot_to_json(consensus.read_ballot_bytes(t.encode(), data, "b"), data)
        for t in texts
    ]
    assert saved == texts == again
