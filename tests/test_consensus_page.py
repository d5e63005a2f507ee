"""Consensus scoring in Debian's Chromium, as a team runs it: two members fill ballots on the
Ballot page (a phone), the facilitator merges them with the invented example set on the Assess
page, reveals the votes in the projector view, records a second round and the agreed rating with
its rationale, saves, reopens and finds everything; the record prints. Each test sets up its own
state; no test opens a print dialog (window.print is a recorder, as in test_assess.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import PROJECT_ROOT

from macros.assessment import consensus, read_assessment

pytestmark = pytest.mark.browser

EXAMPLES = sorted((PROJECT_ROOT / "examples" / "ballots").glob("*.json"))
ITEM = "selection-job-descriptions"  # contested in the example set
RATIONALE = "Descriptions exist for two of three roles; <b>not</b> yet for coaches."


def new_tab(browser, **options):
    context = browser.new_context(accept_downloads=True, locale="en-US", **options)
    context.add_init_script(
        "window.print = () => { window.tkPrints = (window.tkPrints || 0) + 1; };"
        "delete window.showSaveFilePicker;"
    )
    page = context.new_page()
    page.tk_errors = []  # type: ignore[attr-defined]
    page.tk_requests = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.tk_errors.append(str(error)))
    page.on("request", lambda request: page.tk_requests.append(request.url))
    page.on("dialog", lambda dialog: dialog.accept())
    return context, page


def fill_ballot(page, alias: str, rating: str, round_: int = 1) -> bytes:
    """On the phone's one-item screen: alias, round, the first two items rated, saved."""
    page.fill("#ballot-alias", alias)
    page.fill("#ballot-round", str(round_))
    page.dispatch_event("#ballot-round", "change")
    assert page.is_checked("#ballot-one-per-screen")  # a phone gets one item per screen
    page.click(f"label[for=ballot-selection-accountable-rating-{rating}]")
    page.click("[data-action=next-item]")
    assert page.inner_text("#tk-ballot-position") == "Item 2 of 33"
    page.click(f"label[for=ballot-{ITEM}-rating-{rating}]")
    page.click(f"label[for=ballot-{ITEM}-criterion-clear-expectations]")
    page.fill(f"#ballot-{ITEM}-note", f"Note from {alias}")
    with page.expect_download() as info:
        page.click("[data-action=save-ballot]")
    return Path(info.value.path()).read_bytes()


@pytest.fixture(scope="module")
def ballots(browser, roots, tmp_path_factory) -> dict[str, Path]:
    """Two members' ballots of round 1 filled on the Ballot page, and their round 2 (by Python
    from the page's files: the second vote moves both to partially in place)."""
    folder = tmp_path_factory.mktemp("ballots")
    files = {}
    for alias, rating in (("Ana", "in-place"), ("Ben", "not-in-place")):
        context, page = new_tab(browser, viewport={"width": 390, "height": 844})
        page.goto(roots["file"] + "ballot.html")
        raw = fill_ballot(page, alias, rating)
        assert page.tk_errors == []
        context.close()
        files[alias] = folder / f"ballot-{alias}.json"
        files[alias].write_bytes(raw)
        second = json.loads(raw)
        second["round"] = 2
        second["votes"][ITEM]["rating"] = "partially-in-place"
        files[alias + "-2"] = folder / f"ballot-{alias}-2.json"
        files[alias + "-2"].write_text(json.dumps(second), encoding="utf-8")
    return files


def test_two_ballots_are_saved_as_the_toolkit_reads_them(ballots, data):
    ana = consensus.read_ballot_bytes(ballots["Ana"].read_bytes(), data, "ana")
    ben = consensus.read_ballot_bytes(ballots["Ben"].read_bytes(), data, "ben")
    assert (ana.alias, ana.round, ben.alias) == ("Ana", 1, "Ben")
    assert ana.votes[ITEM] == consensus.Vote("in-place", ("clear-expectations",), "Note from Ana")
    assert ben.votes["selection-accountable"].rating == "not-in-place"
    assert ben.votes["training-accountable"].rating is None  # not reached: Not rated
    assert ballots["Ana"].read_bytes().decode() == consensus.ballot_to_json(ana, data)


def merge_files(page, files: list[Path]) -> None:
    before = page.inner_text("#tk-merge-status")
    page.set_input_files("#tk-ballot-files", [str(file) for file in files])
    page.wait_for_function(
        "b => document.getElementById('tk-merge-status').innerText !== b", arg=before
    )


def row(page, id_: str):
    return page.locator(f"tr[data-practice={id_}]")


def test_merge_reveal_record_save_and_reopen(browser, roots, ballots, data, tmp_path):
    context, page = new_tab(browser, viewport={"width": 1280, "height": 900})
    try:
        page.goto(roots["http"] + "assess.html")
        merge_files(page, [*EXAMPLES, ballots["Ana"], ballots["Ben"]])
        assert page.inner_text("#tk-merge-status").startswith("Merged 8 ballots")
        read = [consensus.read_ballot_bytes(f.read_bytes(), data, f.name) for f in EXAMPLES]
        read += [
            consensus.read_ballot_bytes(ballots[a].read_bytes(), data, a) for a in ["Ana", "Ben"]
        ]
        item = consensus.merge(read, data)[ITEM]
        want = consensus.counts_text(item.counts, item.not_rated, data)
        assert row(page, ITEM).locator(".tk-merge-counts").inner_text() == want
        assert "lowest and highest" in row(page, ITEM).locator(".tk-merge-flags").inner_text()
        assert "Ana" not in page.inner_text("#tk-merge")  # aliases hidden...
        page.check("#tk-merge-aliases")
        assert "Ana" in page.inner_text("#tk-merge-aliases-list")  # ...unless shown
        page.check("#tk-merge-flagged")
        assert row(page, "selection-accountable").is_visible() is bool(
            consensus.merge(read, data)["selection-accountable"].flags
        )
        page.uncheck("#tk-merge-flagged")
        page.click("[data-merge=keep-round]")

        # Round 2: a re-vote of the two, a new round; round 1 is kept.
        merge_files(page, [ballots["Ana-2"], ballots["Ben-2"]])
        assert page.input_value("#tk-merge-round") == "2"
        assert row(page, ITEM).locator(".tk-merge-counts").inner_text() == "2: 0, 1: 2, 0: 0"
        page.click("[data-merge=keep-round]")
        rounds = row(page, ITEM).locator(".tk-merge-rounds").inner_text()
        assert rounds == f"Round 1: {want}; Round 2: 2: 0, 1: 2, 0: 0"
        row(page, ITEM).locator("button[data-merge-toggle]").click()
        page.select_option(f"#merge-{ITEM}-agreed", "partially-in-place")
        page.fill(f"#merge-{ITEM}-rationale", RATIONALE)
        page.fill(f"#merge-{ITEM}-dissent", "Ana: in place")
        page.check(f"#merge-{ITEM}-needs_evidence")
        assert page.is_checked(f"#{ITEM}-rating-partially-in-place")  # the entry's rating
        assert page.locator("#tk-needs-evidence li").all_inner_texts() == [
            "Selection 2. Job descriptions are in place for relevant staff that will implement "
            "the program or practice."
        ]
        page.wait_for_timeout(400)  # the autosave
        page.focus("button[data-action=save]")
        with page.expect_download() as info:
            page.keyboard.press("Enter")
        saved = tmp_path / "saved.json"
        saved.write_bytes(Path(info.value.path()).read_bytes())
        assert page.tk_errors == []
        assert all(url.startswith(roots["http"]) for url in page.tk_requests)
    finally:
        context.close()

    assessment = read_assessment(saved, data)  # the toolkit reads what the page saved
    entry = assessment.practices[ITEM]
    assert entry.rating == "partially-in-place"
    assert entry.consensus is not None
    assert len(entry.consensus.rounds) == 2
    assert entry.consensus.rationale == RATIONALE
    assert entry.consensus.needs_evidence
    unanimous = [id_ for id_, i in consensus.merge(read, data).items() if i.unanimous]
    for id_ in unanimous:  # all alike: prefilled and marked
        assert assessment.practices[id_].consensus.prefilled

    # Reopen in a new tab: everything is there.
    context, page = new_tab(browser, viewport={"width": 1280, "height": 900})
    try:
        page.goto(roots["file"] + "assess.html")
        page.set_input_files("#tk-open-file", str(saved))
        page.wait_for_function("document.getElementById('tk-assess-status').innerText !== ''")
        assert row(page, ITEM).locator(".tk-merge-rounds").inner_text() == rounds
        summary = row(page, ITEM).locator(".tk-merge-summary").inner_text()
        assert RATIONALE in summary
        assert "Dissent: Ana: in place" in summary
        assert page.is_checked(f"#{ITEM}-rating-partially-in-place")
        assert page.locator("#tk-needs-evidence li").count() == 1
        # The record prints: its rounds and rationale are on paper.
        page.click("button[data-action=print]")
        assert page.evaluate("() => window.tkPrints") == 1
        pdf = tmp_path / "printed.pdf"
        pdf.write_bytes(page.pdf())
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        words = " ".join(text.split())
        assert "Round 2: 2: 0, 1: 2, 0: 0" in words
        assert "two of three roles" in words
        assert page.tk_errors == []
    finally:
        context.close()


def test_projector_view_by_keyboard_alone(browser, roots):
    context, page = new_tab(browser, viewport={"width": 1920, "height": 1080})
    try:
        page.goto(roots["file"] + "assess.html")
        merge_files(page, EXAMPLES)
        page.focus("button[data-merge=projector]")
        page.keyboard.press("Enter")
        assert page.is_visible("#tk-projector")
        votes = page.locator(".tk-projector-votes")
        assert "hidden" in votes.inner_text()
        assert "2:" not in votes.inner_text()
        page.keyboard.press("ArrowRight")
        assert "item 2 of 33" in page.inner_text(".tk-projector-where")
        page.keyboard.press("r")
        assert votes.inner_text() == "Votes (score: voters): 2: 2, 1: 2, 0: 2"
        page.keyboard.press("ArrowLeft")
        assert "item 1 of 33" in page.inner_text(".tk-projector-where")
        assert "hidden" in votes.inner_text()  # a new item starts hidden
        sizes = page.evaluate(
            """() => ['.tk-projector-statement', '.tk-projector-criteria', '.tk-projector-votes',
              '.tk-projector-where'].map((s) => parseFloat(getComputedStyle(
              document.querySelector(s)).fontSize))"""
        )
        assert min(sizes) >= 28
        page.keyboard.press("Tab")  # the focus stays in the view
        assert page.evaluate("() => document.activeElement.closest('#tk-projector') !== null")
        page.keyboard.press("Escape")
        assert page.is_hidden("#tk-projector")
        assert page.evaluate("() => document.activeElement.dataset.merge") == "projector"
        assert page.tk_errors == []
    finally:
        context.close()


def test_counts_typed_from_the_tally_sheet(browser, roots):
    context, page = new_tab(browser, viewport={"width": 1280, "height": 900})
    try:
        page.goto(roots["file"] + "assess.html")
        page.check("#tk-merge-typed")
        for key, count in (("in-place", "3"), ("partially-in-place", "4"), ("not-in-place", "1")):
            page.fill(f"#merge-{ITEM}-typed-{key}", count)
            page.dispatch_event(f"#merge-{ITEM}-typed-{key}", "change")
        assert row(page, ITEM).locator(".tk-merge-counts").inner_text() == "2: 3, 1: 4, 0: 1"
        flags = row(page, ITEM).locator(".tk-merge-flags").inner_text()
        assert flags == "lowest and highest both voted; no clear majority"
    finally:
        context.close()


def test_a_ballot_of_another_toolkit_is_refused_and_listed(browser, roots, tmp_path):
    bad = tmp_path / "other.json"
    bad.write_text(
        '{"format": "implementation-toolkit-ballot", "format_version": 1, "toolkit":'
        ' {"title": "Other", "content_version": "0123456789abcdef"}, "votes": {}}'
    )
    context, page = new_tab(browser, viewport={"width": 1280, "height": 900})
    try:
        page.goto(roots["file"] + "assess.html")
        merge_files(page, [bad, EXAMPLES[0]])
        assert "Merged 1 ballot" in page.inner_text("#tk-merge-status")
        problems = page.locator("#tk-merge-problems li").all_inner_texts()
        assert problems == [
            "other.json:1:87: toolkit.title: this file was made with another toolkit ('Other'); "
            "this is 'Best Practices and Tools to Assess Implementation Infrastructure'"
        ]
    finally:
        context.close()


def test_axe_finds_no_serious_problem_with_ballots_merged(browser, roots):
    from axe_playwright_python.sync_playwright import Axe

    context, page = new_tab(browser, viewport={"width": 1280, "height": 900})
    try:
        page.goto(roots["http"] + "assess.html")
        merge_files(page, EXAMPLES)
        page.check("#tk-merge-typed")
        results = Axe().run(page)
        page.click("[data-merge=projector]")
        projector = Axe().run(page)
        serious = [
            f"{violation['id']}: {[node['target'] for node in violation['nodes']]}"
            for result in (results, projector)
            for violation in result.response["violations"]
            if violation.get("impact") in ("serious", "critical")
        ]
        assert not serious, "\n".join(serious)
    finally:
        context.close()
