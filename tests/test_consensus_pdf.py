"""The consensus record on paper (build_pdf.py --assessment): a file whose entries hold
consensus records gets a consensus record PDF with every round's counts, the agreed rating, the
rationale, the evidence and the dissent, and its results report a disagreement summary. A file
without records gets neither. Built from the fixture rubric, in this process."""

from __future__ import annotations

import json

from conftest import FIXTURE_RUBRIC, run_cli
from pdf_tools import text_of

from macros.assessment import rubric_data
from macros.assessment.fileformat import practices

RATIONALE = "Two of three sites use it; {{ 7 * 7 }} <b>not bold</b> stays text."


def record_file(data: dict) -> dict:
    ids = list(practices(data))
    first, second = ids[0], ids[1]
    return {
        "format": "implementation-toolkit-assessment",
        "format_version": 2,
        "toolkit": dict(data["toolkit"]),
        "header": {"kind": "consensus-scoring", "program": "Fixture Program", "date": "2026-12-01"},
        "practices": {
            first: {
                "rating": "partially-in-place",
                "consensus": {
                    "rounds": [
                        {"in-place": 3, "partially-in-place": 1, "not-in-place": 2},
                        {"in-place": 1, "partially-in-place": 5, "not_rated": 1},
                    ],
                    "rationale": RATIONALE,
                    "evidence": "The site binder",
                    "dissent": "Ben: in place",
                    "needs_evidence": True,
                },
            },
            second: {
                "rating": "in-place",
                "consensus": {"rounds": [{"in-place": 6}], "prefilled": True},
            },
        },
    }


def test_the_consensus_record_and_the_disagreement_summary(tmp_path, fixture_toolkit):
    data = rubric_data(fixture_toolkit)
    (tmp_path / "team.json").write_text(json.dumps(record_file(data)), encoding="utf-8")
    out = tmp_path / "pdfs"
    result = run_cli(
        "--assessment", str(tmp_path / "team.json"), "--paper", "a4", "--jobs", "1",
        "--rubric", str(FIXTURE_RUBRIC), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    record = text_of(out / "team-consensus-record-print-a4.pdf")
    labels = {rating["id"]: rating["label"] for rating in data["scale"]}
    partly, fully, not_rated = labels["partially-in-place"], labels["in-place"], data["not_rated"]
    for words in (
        "Votes (score: voters)",
        "1 2: 3, 1: 1, 0: 2",  # round 1 of the first best practice
        f"2 2: 1, 1: 5, 0: 0, {not_rated}: 1",  # round 2, a re-vote, kept beside round 1
        f"Agreed rating: {partly} · flagged in round 1 · needs evidence",
        RATIONALE,
        "Evidence: The site binder",
        "Dissent: Ben: in place",
        f"Agreed rating: {fully} (all voted alike)",
    ):
        assert words in record, words
    report = text_of(out / "team-results-report-print-a4.pdf")
    assert "Where the team disagreed" in report
    assert f"1: 2: 3, 1: 1, 0: 2 2: 2: 1, 1: 5, 0: 0, {not_rated}: 1" in report
    assert "1 of 2 best practices scored by consensus were flagged" in report


def test_no_record_no_consensus_pdf(tmp_path, fixture_toolkit):
    from macros.assessment.printing import Filled, Round
    from macros.assessment.reading import read_bytes
    from macros.assessment.totals import totals
    from macros.catalogue import filled_catalogue

    data = rubric_data(fixture_toolkit)
    plain = record_file(data)
    for entry in plain["practices"].values():
        del entry["consensus"]
    assessment = read_bytes(json.dumps(plain).encode(), data, "plain.json")
    filled = Filled(data, (Round("plain", assessment, totals(data, assessment), "plain.json"),))
    kinds = {printable.kind for printable in filled_catalogue(fixture_toolkit, filled)}
    assert "consensus-record" not in kinds
    assert "results-report" in kinds
