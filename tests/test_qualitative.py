"""The qualitative assessment and the team's composition on the Assess page, in Debian's
Chromium: a team answers, marks a gap and carries it into the action plan, saves, reopens and
prints; an interviewer records three respondents; the composition's privacy rule holds on screen
and in the file. Every file the page writes is read back by Python (macros/assessment), so the
page and --assessment keep one contract. No test opens a print dialog (Tab's recorder).
"""

from __future__ import annotations

import json

import pytest
from helpers import PROJECT_ROOT
from test_assess import Tab, assert_clean, opened

from macros.assessment import read_bytes

pytestmark = pytest.mark.browser

EXAMPLE = PROJECT_ROOT / "examples"
EXAMPLE = EXAMPLE / "assessment-qualitative-example.json"
HOSTILE = "<img src=x onerror=\"document.title='pwned'\"> & {{ 7 * 7 }}"
FIRST = "selection-q-accountable"  # the rubric's first question


def saved(tab: Tab, data: dict):
    """Press Save; the file it writes, as Python reads it (refused files fail the test)."""
    name, raw = tab.press_button("save")
    return read_bytes(raw, data, name), raw


def test_team_answers_a_gap_goes_into_the_plan_and_everything_is_saved(
    browser, roots, data, tmp_path
):
    tab = Tab(browser)
    page = tab.page
    try:
        page.goto(roots["file"] + "assess.html")
        page.focus(f"#qa-{FIRST}-team-text")
        tab.write(HOSTILE)
        tab.press("Tab")
        assert tab.focused() == f"qa-{FIRST}-team-noted"
        page.select_option(f"#qa-{FIRST}-team-noted", "gap")
        assert page.locator(f"#qa-{FIRST}-team-carry").is_visible()
        tab.press("Tab")
        assert tab.focused() == f"qa-{FIRST}-team-carry"
        tab.press("Space")
        tab.press("Tab")
        assert tab.focused() == f"qa-{FIRST}-team-action-strategy"
        tab.write("Name one person accountable for selection")
        # The plan lists the carried gap with the question it came from.
        row = page.locator(".tk-plan-table tbody tr").last.inner_text()
        question = data["questions"][0]["text"]
        assert "Gap noted: " + HOSTILE in row
        assert f"From question 1: {question}" in row
        assert "Name one person accountable for selection" in row

        assessment, raw = saved(tab, data)
        answer = assessment.qualitative.answers[FIRST][0]
        assert (answer.respondent, answer.text, answer.noted) == ("", HOSTILE, "gap")
        assert answer.action.strategy == "Name one person accountable for selection"
        assert assessment.qualitative.mode == "team"

        # A reload restores it from the automatic copy; a new tab opens the saved file.
        page.reload()
        assert page.locator(f"#qa-{FIRST}-team-text").input_value() == HOSTILE
        file = tmp_path / "qualitative.json"
        file.write_bytes(raw)
        other = opened(browser, roots["file"] + "assess.html", file)
        try:
            assert other.page.locator(f"#qa-{FIRST}-team-text").input_value() == HOSTILE
            assert other.page.locator(f"#qa-{FIRST}-team-carry").is_checked()
            assert other.page.locator(f"#qa-{FIRST}-team-action-strategy").is_visible()
            # Print: the page asks the browser to print, and the printed page holds the answer.
            other.press_button("print", download=False)
            assert other.prints() == 1
            pdf = tmp_path / "printed.pdf"
            other.page.pdf(path=str(pdf))
            import subprocess

            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            assert "Qualitative Drivers Assessment" in text
            assert "onerror" in text  # the team's text, printed as text
            assert_clean(other, roots["file"])
        finally:
            other.close()
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_interview_mode_with_three_respondents(browser, roots, data):
    tab = Tab(browser)
    page = tab.page
    try:
        page.goto(roots["file"] + "assess.html")
        page.focus("#qual-mode-team")
        tab.press("ArrowDown")  # the radio group: interview
        assert page.locator("#qual-mode-interview").is_checked()
        assert page.locator("#qual-respondents").is_visible()
        page.focus("#qual-respondents")
        tab.write("Ana Pérez\nRespondent 2\n李雷")
        blocks = page.locator(f"#question-{FIRST} .tk-qual-answer")
        assert blocks.count() == 3  # one per respondent, none for the team when it is empty
        labels = [
            page.locator(f"label[for=qa-{FIRST}-{index}-text]").inner_text() for index in range(3)
        ]
        assert labels == [
            f"Answer of {name} to question 1" for name in ("Ana Pérez", "Respondent 2", "李雷")
        ]
        for index, text in enumerate(("The manager", "Nobody", "HR and the manager")):
            page.focus(f"#qa-{FIRST}-{index}-text")
            tab.write(text)
        page.select_option(f"#qa-{FIRST}-1-noted", "gap")
        assessment, _ = saved(tab, data)
        qualitative = assessment.qualitative
        assert qualitative.mode == "interview"
        assert qualitative.respondents == ("Ana Pérez", "Respondent 2", "李雷")
        assert [(a.respondent, a.text, a.noted) for a in qualitative.answers[FIRST]] == [
            ("Ana Pérez", "The manager", ""),
            ("Respondent 2", "Nobody", "gap"),
            ("李雷", "HR and the manager", ""),
        ]
        assert assessment.qualitative.answers[FIRST][1].action is None  # not carried
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_the_composition_never_puts_a_name_beside_demographics(browser, roots, data):
    """Part 1 has no demographic column; a part 2 group that names a member, or counts fewer
    than three, is shown as a problem and Save refuses it; the summary gives roles only."""
    tab = Tab(browser)
    page = tab.page
    try:
        page.goto(roots["file"] + "assess.html")
        headings = page.locator(".tk-composition-members thead th").all_inner_texts()
        assert not any("emographic" in heading for heading in headings)
        page.focus("button[data-q-action=add-member]")
        tab.press("Enter")
        assert tab.focused() == "member-0-name"  # the new row, by keyboard
        tab.write("Ana Pérez")
        tab.press("Tab")
        tab.write("manager")
        page.focus("button[data-q-action=add-group]")
        tab.press("Enter")
        assert tab.focused() == "group-0-characteristic"
        tab.write("Demographics, including race/ethnicity")
        tab.press("Tab")
        tab.write("Ana Pérez and two others, women 40-50")
        problems = page.locator("#tk-composition-problems")
        assert problems.is_visible()
        assert "names a team member ('Ana Pérez'); part 2 holds no names" in problems.inner_text()
        tab.press_button("save", download=False)
        assert tab.status().startswith("Not saved:")
        assert "part 2 holds no names" in tab.status()

        page.fill("#group-0-group", "Women 40-50")
        page.fill("#group-0-count", "2")
        page.locator("#group-0-count").dispatch_event("change")
        assert "merge groups smaller than 3" in problems.inner_text()
        page.fill("#group-0-count", "3")
        page.locator("#group-0-count").dispatch_event("change")
        assert problems.is_hidden()
        assert page.locator("#tk-composition-summary").inner_text() == (
            "The team: 1 member: 1 manager."
        )
        assessment, raw = saved(tab, data)
        document = json.loads(raw)
        assert document["composition"] == {
            "members": [
                {
                    "name": "Ana Pérez",
                    "role": "manager",
                    "authority": "",
                    "experience": "",
                    "knowledge": "",
                }
            ],
            "groups": [
                {
                    "characteristic": "Demographics, including race/ethnicity",
                    "group": "Women 40-50",
                    "count": 3,
                }
            ],
        }
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_the_example_opens_with_its_summary_and_carried_gaps(browser, roots):
    tab = opened(browser, roots["file"] + "assess.html", EXAMPLE)
    page = tab.page
    try:
        assert page.locator("#tk-composition-summary").inner_text() == (
            "The team: 6 members: 1 senior leader, 1 manager, 3 direct-service staff, "
            "1 family representative."
        )
        rows = page.locator(".tk-plan-table tbody tr").all_inner_texts()
        gaps = [row for row in rows if "Gap noted" in row]
        assert len(gaps) == 2
        assert "From question 9" in gaps[0]
        assert "From question 13" in gaps[1]
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_the_which_assessment_aid_quotes_the_guide_and_leads_on(browser, roots, toolkit):
    tab = Tab(browser)
    page = tab.page
    try:
        page.goto(roots["file"] + "assess.html")
        aid = page.locator(".tk-which")
        quoted = aid.locator("q").all_inner_texts()
        expected = [
            reason.strip()
            for option in toolkit.assessment.options.items
            for reason in option.choose_when
        ]
        assert quoted == expected
        assert aid.locator("#fits-qualitative a").first.get_attribute("href") == "#qualitative"
        hrefs = aid.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert "downloads.html#discussion-guide" in hrefs
        assert "downloads.html#checklist" in hrefs
    finally:
        tab.close()


def test_axe_and_labels_on_the_new_sections(browser, roots):
    from axe_playwright_python.sync_playwright import Axe

    tab = opened(browser, roots["file"] + "assess.html", EXAMPLE)
    page = tab.page
    try:
        unlabelled = page.evaluate(
            "() => Array.from(document.querySelectorAll("
            "'#tk-qual input, #tk-qual textarea, #tk-qual select, #tk-composition input,"
            " #tk-composition button')).filter(e => !(e.labels && e.labels.length)"
            " && !e.getAttribute('aria-label') && !e.textContent.trim()).map(e => e.id)"
        )
        assert unlabelled == []
        results = Axe().run(page)
        serious = [
            f"{violation['id']}: {[node['target'] for node in violation['nodes']]}"
            for violation in results.response["violations"]
            if violation.get("impact") in ("serious", "critical")
        ]
        assert not serious, "\n".join(serious)
    finally:
        tab.close()
