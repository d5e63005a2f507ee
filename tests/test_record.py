"""The record on the Assess page is never lost, never silently changed, and never one the
toolkit would refuse. Each test starts from a file written in Python, or from what a browser
holds, and checks one path a team meets: Open after a restore, Save with and without a save
dialog, two tabs, a stored copy of another build, recent versions, typing limits and pasted
control characters, older files, and files the toolkit refuses. The same contract, case by
case and without the page, is tests/test_cases.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_assess import EXAMPLE, Tab, assert_clean, low_rated, make_files, opened
from test_cases import case_bytes

from macros.assessment import read_assessment, to_json

pytestmark = pytest.mark.browser

CASES = Path(__file__).resolve().parent / "cases"
STORAGE_KEY = "implementation-toolkit-assessment:" + (
    "Best Practices and Tools to Assess Implementation Infrastructure"
)


@pytest.fixture(scope="module")
def files(tmp_path_factory, data) -> dict[str, Path]:
    return make_files(tmp_path_factory.mktemp("assessments"), data)


def stored_keys(tab: Tab) -> list[str]:
    return tab.page.evaluate("() => Object.keys(localStorage).filter(k => k.includes('assess'))")


def stored(tab: Tab, suffix: str = ""):
    return tab.page.evaluate("k => JSON.parse(localStorage.getItem(k))", STORAGE_KEY + suffix)


def wait_for_autosave(tab: Tab) -> None:
    """The page writes its copy 300 ms after the last change, or at once when it is hidden:
    hiding it is not left to the timer of a busy machine."""
    tab.page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")


def type_note(tab: Tab, practice: str, text: str) -> None:
    tab.page.focus(f"#{practice}-notes")
    tab.page.keyboard.insert_text(text)


def versions_text(tab: Tab) -> str:
    return tab.page.locator("#tk-versions").text_content()


def test_open_after_a_restore_asks_and_keeps_the_work(browser, roots, files):
    """Work restored from the automatic copy was never saved to a file: Open asks first, and
    whatever it replaces can be brought back from Recent versions."""
    tab = Tab(browser)
    page = tab.page
    dialogs: list[str] = []
    try:
        page.goto(roots["file"] + "assess.html")
        type_note(tab, "coaching-provided", "Typed, never saved to a file")
        wait_for_autosave(tab)
        page.reload()
        assert "Restored" in tab.status()
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        tab.open_file(files["filled"])  # the Tab answers yes
        assert dialogs
        assert "not saved to a file" in dialogs[0]
        assert tab.status().startswith("Opened saved.json")
        assert "before opening saved.json" in versions_text(tab)
        page.locator("#tk-versions summary").click()
        page.locator("#tk-versions li", has_text="before opening saved.json").locator(
            "button"
        ).click()
        assert "Brought back" in tab.status()
        assert page.input_value("#coaching-provided-notes") == "Typed, never saved to a file"
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_open_after_a_restore_can_be_refused(browser, roots, files):
    tab = Tab(browser)
    page = tab.page
    try:
        page.goto(roots["file"] + "assess.html")
        type_note(tab, "coaching-provided", "Keep me")
        wait_for_autosave(tab)
        page.reload()
        page.evaluate("() => { window.confirm = () => false; }")
        tab.open_file(files["filled"])
        assert tab.status() == "Nothing opened: the assessment on this page is unchanged."
        assert page.input_value("#coaching-provided-notes") == "Keep me"
    finally:
        tab.close()


def test_save_with_a_save_dialog_says_saved_only_when_written(browser, roots, files):
    """Where the browser has a save dialog the page uses it and says Saved once the file is
    written; a closed dialog says Not saved."""
    tab = opened(browser, roots["file"] + "assess.html", files["filled"])
    page = tab.page
    try:
        page.evaluate(
            """() => { window.tkWritten = null; window.tkCancel = false;
            window.showSaveFilePicker = async (options) => {
              if (window.tkCancel) throw new DOMException('closed', 'AbortError');
              return {name: options.suggestedName, createWritable: async () => ({
                write: async (text) => { window.tkWritten = text; }, close: async () => {} })};
            }; }"""
        )
        tab.press_button("save", download=False)
        page.wait_for_function("() => window.tkWritten !== null")
        page.wait_for_function(
            "() => document.getElementById('tk-assess-status').innerText.startsWith('Saved')"
        )
        assert page.evaluate("() => window.tkWritten") == files["filled"].read_text("utf-8")
        assert tab.status().startswith("Saved assessment-home-visiting-pilot-2026-11-02.json.")
        page.evaluate("() => { window.tkCancel = true; }")
        tab.press_button("save", download=False)
        page.wait_for_function(
            "() => document.getElementById('tk-assess-status').innerText.startsWith('Not saved')"
        )
        assert "save dialog was closed" in tab.status()
    finally:
        tab.close()


def test_save_without_a_save_dialog_never_claims_the_file_was_written(browser, roots, files):
    tab = opened(browser, roots["file"] + "assess.html", files["filled"])
    try:
        name, saved = tab.press_button("save")
        assert saved == files["filled"].read_bytes()
        assert tab.status().startswith(f"The browser was asked to download {name}.")
        assert "Saved" not in tab.status()
    finally:
        tab.close()


def test_two_tabs_notice_each_other_and_neither_overwrites(browser, roots, files):
    """Two tabs of one browser: when one writes the automatic copy, the other stops writing
    it, says so, and keeps its own work in Recent versions until the team chooses."""
    first = Tab(browser)
    try:
        first.page.goto(roots["file"] + "assess.html")
        second = Tab.__new__(Tab)
        second.page = first.context.new_page()
        second.page.goto(roots["file"] + "assess.html")
        type_note(second, "training-accountable", "Second tab's note")
        wait_for_autosave(second)
        first.page.wait_for_selector("#tk-other-tab:not([hidden])")
        assert "Another tab changed this assessment" in first.status()
        type_note(first, "coaching-provided", "First tab's note")
        wait_for_autosave(first)
        copy = json.loads(stored(first)["text"])
        assert copy["practices"]["training-accountable"]["notes"] == "Second tab's note"
        assert copy["practices"]["coaching-provided"]["notes"] == ""  # not overwritten
        assert "kept apart from another tab's" in versions_text(first)
        assert any("First tab's note" in item["text"] for item in stored(first, ":versions"))
        first.page.click("button[data-action=use-other-tab]")
        assert first.page.input_value("#training-accountable-notes") == "Second tab's note"
        assert "This tab's is in Recent versions" in first.status()
        assert second.page.locator("#tk-other-tab").is_hidden()  # the same work: no conflict
    finally:
        first.close()


def test_a_stored_copy_this_page_cannot_read_is_kept_and_offered(browser, roots):
    """A copy another build saved (here: a format this page does not read) is never shown as
    an empty form and never overwritten: it is explained, kept aside and offered as a file."""
    tab = Tab(browser)
    page = tab.page
    newer = json.dumps(
        {
            "saved": "2027-01-01T00:00:00Z",
            "text": '{"format": "implementation-toolkit-assessment", "format_version": 3}',
        }
    )
    try:
        page.goto(roots["file"] + "assess.html")
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORAGE_KEY, newer])
        page.reload()
        assert "cannot read" in tab.status()
        box = page.locator("#tk-unreadable")
        assert box.is_visible()
        assert "format version" in box.inner_text()
        type_note(tab, "coaching-provided", "New work")
        wait_for_autosave(tab)
        assert stored(tab, ":unreadable")[0]["raw"] == newer
        with page.expect_download() as info:
            box.locator("button").click()
        assert Path(info.value.path()).read_text("utf-8") == newer
    finally:
        tab.close()


def test_the_copy_an_older_page_kept_is_restored_and_upgraded(browser, roots, project_root):
    """Today's main kept {saved, file} with criteria by number: it restores, ticks in place."""
    tab = Tab(browser)
    page = tab.page
    old = json.loads((CASES / "format-1-example.json").read_text("utf-8"))
    try:
        page.goto(roots["file"] + "assess.html")
        copy = json.dumps({"saved": "2026-11-02T10:00:00Z", "file": old})
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORAGE_KEY, copy])
        page.reload()
        assert "Restored" in tab.status()
        assert "format 1" in tab.status()
        assert page.is_checked("#selection-review-criterion-interview-results")
        assert page.is_checked("#selection-review-criterion-training")
        _, saved = tab.press_button("save")
        assert saved == EXAMPLE.read_bytes()
    finally:
        tab.close()


def test_on_file_the_page_says_who_can_read_the_copy_and_can_keep_none(browser, roots):
    tab = Tab(browser)
    page = tab.page
    try:
        page.goto(roots["file"] + "assess.html")
        notice = page.locator("#tk-file-notice")
        assert notice.is_visible()
        assert "can read the automatic copy" in notice.inner_text()
        page.check("#tk-copy-off")
        type_note(tab, "coaching-provided", "Not kept")
        wait_for_autosave(tab)
        assert stored_keys(tab) == []
        page.reload()  # for the session: still off, nothing restored
        assert page.is_checked("#tk-copy-off")
        assert "Restored" not in tab.status()
    finally:
        tab.close()
    tab = Tab(browser)
    try:
        tab.page.goto(roots["http"] + "assess.html")
        assert tab.page.locator("#tk-file-notice").is_hidden()
    finally:
        tab.close()


def test_typing_is_normalised_and_counted(browser, roots, data, files, tmp_path):
    """A vertical tab pasted from Word becomes a line break; notes show their length and stop
    at the limit the toolkit reads, so Save never writes a file the toolkit refuses."""
    tab = opened(browser, roots["file"] + "assess.html", files["filled"])
    page = tab.page
    try:
        type_note(tab, "coaching-accountable", "one\u000btwo\u0007")
        assert page.input_value("#coaching-accountable-notes").endswith("one\ntwo")
        counter = page.locator("#coaching-accountable-notes-count")
        assert (
            counter.inner_text() == f"{len(page.input_value('#coaching-accountable-notes'))}"
            " of 4000 characters"
        )
        page.fill("#training-accountable-notes", "")
        page.focus("#training-accountable-notes")
        page.keyboard.insert_text("x" * 4100)
        assert len(page.input_value("#training-accountable-notes")) == 4000
        assert page.locator("#training-accountable-notes-count").inner_text() == (
            "4000 of 4000 characters"
        )
        _, saved = tab.press_button("save")
        file = tmp_path / "saved.json"
        file.write_bytes(saved)
        assessment = read_assessment(file, data)  # the toolkit reads what the page wrote
        assert assessment.practices["coaching-accountable"].notes.endswith("one\ntwo")
    finally:
        tab.close()


def test_valid_files_lose_nothing_on_the_page(browser, roots, data, tmp_path):
    """A line break in the program, a leap day, criteria and practices carried from another
    version: opened and saved, the file is what Python writes."""
    tab = Tab(browser)
    try:
        tab.page.goto(roots["file"] + "assess.html")
        for name in (
            "valid-newlines-in-program",
            "valid-leap-day",
            "valid-criterion-removed",
            "valid-unknown-practice-other-version",
            "valid-any-script",
        ):
            case = json.loads((CASES / f"record-{name}.json").read_text("utf-8"))
            file = tmp_path / f"{name}.json"
            file.write_bytes(case_bytes(case, data))
            tab.page.evaluate("() => { window.confirm = () => true; }")
            tab.open_file(file)
            assert tab.status().startswith(f"Opened {name}.json"), tab.status()
            _, saved = tab.press_button("save")
            assert saved.decode("utf-8") == to_json(read_assessment(file, data), data), name
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_ticks_the_toolkit_cannot_place_are_listed_and_saved_again(browser, roots, data, tmp_path):
    case = json.loads((CASES / "record-valid-format-1-other-content.json").read_text("utf-8"))
    file = tmp_path / "last-year.json"
    file.write_bytes(case_bytes(case, data))
    tab = opened(browser, roots["file"] + "assess.html", file)
    try:
        assert "another version of this toolkit" in tab.status()
        assert "coaching-service-plan: 1@0123456789abcdef, 7@0123456789abcdef" in tab.status()
        kept = tab.page.locator("#tk-assess-kept")
        assert "coaching-service-plan: ticks not placed" in kept.inner_text()
        _, saved = tab.press_button("save")
        entry = json.loads(saved)["practices"]["coaching-service-plan"]
        assert entry["carried_criteria"] == ["1@0123456789abcdef", "7@0123456789abcdef"]
        assert entry["notes"] == "kept"
    finally:
        tab.close()


@pytest.mark.parametrize(
    "name",
    [
        "rating-to-string",
        "proto-key",
        "priority",
        "date-not-a-day",
        "duplicate-key",
        "huge-number-format-1",
        "too-big",
        "utf16",
        "deep-unknown-key",
        "format-version",
    ],
)
def test_the_page_refuses_what_the_toolkit_refuses_in_its_words(
    browser, roots, data, name, tmp_path
):
    case = json.loads((CASES / f"record-bad-{name}.json").read_text("utf-8"))
    file = tmp_path / "team.json"
    file.write_bytes(case_bytes(case, data))
    tab = Tab(browser)
    try:
        tab.page.goto(roots["file"] + "assess.html")
        tab.open_file(file)
        assert tab.status().startswith("Could not open team.json: ")
        assert f"team.json:{case['expect']['problems'][0]}" in tab.status()
        assert "unchanged" in tab.status()
    finally:
        tab.close()


def test_csv_cells_are_safe_after_any_separator(browser, roots, files):
    tab = opened(browser, roots["file"] + "assess.html", files["filled"])
    try:
        tab.page.fill("#coaching-accountable-notes", "ok;=cmd|' /C calc'!A0")
        tab.page.fill("#training-accountable-notes", "a,+1\n@SUM(A1)\t-2")
        _, exported = tab.press_button("export-ratings")
        rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
        notes = {row[1]: row[6] for row in rows[1:]}
        assert notes["coaching-accountable"] == "ok;'=cmd|' /C calc'!A0"
        assert notes["training-accountable"] == "a,'+1\n'@SUM(A1)\t'-2"
    finally:
        tab.close()
    first = low_rated()[0]
    tab = opened(browser, roots["file"] + "assess.html", files["planned"])
    try:
        tab.page.fill(f"#plan-{first}-strategy", "ok;=cmd|' /C calc'!A0")
        _, exported = tab.press_button("export-plan")
        rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
        assert dict(zip(rows[0], rows[1]))["Strategy"] == "ok;'=cmd|' /C calc'!A0"
    finally:
        tab.close()


def test_save_refuses_a_file_the_toolkit_would_refuse(browser, roots, files):
    """Text set past the fields' limits (as an older page allowed): Save writes nothing and
    names the problem, in the toolkit's words, or the size when the whole would pass 1 MB."""
    tab = opened(browser, roots["file"] + "assess.html", files["filled"])
    page = tab.page
    downloads: list = []
    page.on("download", lambda download: downloads.append(download))
    try:
        page.evaluate(
            "() => { document.getElementById('coaching-provided-notes').value = 'x'.repeat(4001); }"
        )
        tab.press_button("save", download=False)
        lines = files["filled"].read_text("utf-8").splitlines()
        start = lines.index('    "coaching-provided": {')
        line = next(n for n in range(start, len(lines)) if '"notes"' in lines[n]) + 1
        assert tab.status() == (
            f"Not saved: this assessment:{line}:16: practices.coaching-provided.notes: is 4001 "
            "characters long; at most 4000 fit here (the file would be refused)."
        )
        page.evaluate(
            "() => document.querySelectorAll('.tk-assess-item textarea')"
            ".forEach((t) => { t.value = '\\u{1F600}'.repeat(9000); })"
        )
        tab.press_button("save", download=False)
        assert tab.status().startswith("Not saved: This assessment would be a file of ")
        assert "a file may be at most 1000000 bytes" in tab.status()
        page.wait_for_timeout(300)
        assert downloads == []
    finally:
        tab.close()


def test_recent_versions_are_bounded_and_newest_first(browser, roots, files):
    tab = Tab(browser)
    page = tab.page
    try:
        page.goto(roots["file"] + "assess.html")
        old = [
            {"saved": f"2026-01-{day:02d}T10:00:00Z", "reason": f"old {day}", "text": "{}"}
            for day in range(10, 0, -1)
        ]
        page.evaluate(
            "([k, v]) => localStorage.setItem(k, JSON.stringify(v))",
            [STORAGE_KEY + ":versions", old],
        )
        type_note(tab, "coaching-provided", "Typed")
        tab.open_file(files["filled"])
        kept = stored(tab, ":versions")
        assert len(kept) == 10
        assert kept[0]["reason"] == "before opening saved.json"
        assert "Typed" in kept[0]["text"]
        assert [item["reason"] for item in kept[1:]] == [f"old {day}" for day in range(10, 1, -1)]
    finally:
        tab.close()
