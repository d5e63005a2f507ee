"""The Assess page in Debian's Chromium, as a team uses it. One test fills in a whole
assessment with the keyboard alone, reloads and finds it restored, and saves it; the others each
start from a file written in Python (`files`) and check one thing a team does: save and export,
clear and open (and refuse a file that is not an assessment), keep the items of another toolkit
version, compare rounds, build and export an action plan, print. Every request the page makes is
recorded: none may leave the site. The totals the page shows must equal the Python ones
(macros/assessment) for the same file.

No test opens a print dialog: the page's `window.print` is a recorder, and the print layout is
checked with `page.pdf()` on its own. Most tests run from the file system (the toolkit's zip,
opened on a laptop); over HTTP, one test repeats what depends on where the page comes from: its
storage, saving and opening files, and the requests it makes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_tools import driver_data, plain

from macros.assessment import read_assessment, to_json, totals
from macros.assessment.fileformat import next_round

pytestmark = pytest.mark.browser

RATINGS = ["in-place", "partially-in-place", "not-in-place", None]
LABELS = {"in-place": "In place (2)", "partially-in-place": "Partially in place (1)"}
LABELS["not-in-place"] = "Not in place (0)"
HOSTILE = '<img src=x onerror="document.title=\'pwned\'"> & "quoted"'
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "assessment-example.json"


def practices_in_order() -> list[dict]:
    """(driver id, practice) in the site's order, read from the YAML, not from the code."""
    drivers = driver_data()
    order = {"competency": 0, "organization": 1}
    ordered = sorted(drivers.values(), key=lambda d: (order[d["category"]], d.get("order", 99)))
    return [
        {**practice, "driver": driver["id"]}
        for driver in ordered
        for practice in driver["best_practices"]
    ]


def criterion_ids(practice: dict) -> list[str]:
    """The boxes of a best practice, in order: its criteria's ids, then "another" when the
    criteria are examples (read from the YAML)."""
    criteria = practice.get("criteria", {})
    ids = [item["id"] for item in criteria.get("items", [])]
    return [*ids, "another"] if criteria.get("examples") else ids


def plan_for(index: int, practice: dict) -> dict:
    """What the team records for the index-th best practice in the keyboard flow."""
    rating = RATINGS[index % 4]
    ids = [item["id"] for item in practice.get("criteria", {}).get("items", [])]
    ticked = {"in-place": ids, "partially-in-place": ids[:1]}
    if practice.get("criteria", {}).get("examples") and rating in ticked:
        ticked[rating] = [*ticked[rating], "another"]  # and another one like these
    notes = ""
    if index % 5 == 0:
        notes = f"Note {index}: agreed by the team"
    if index == 2:
        notes = HOSTILE
    if index == 6:
        notes = "=SUM(A1:A9)"
    entry = {"rating": rating, "criteria": ticked.get(rating, []), "notes": notes}
    if index == 3:  # Not rated on purpose; the other unrated ones are not yet discussed
        entry["not_rated"] = True
    return entry


class Tab:
    """A browser tab that records every request, refuses none, and answers dialogs with yes."""

    def __init__(self, browser, **options) -> None:
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-US", **options
        )
        # No test drives a print dialog (Chromium 156 refuses page.pdf() once one was opened):
        # the page's Print buttons call this recorder, and the print layout is checked alone.
        # Save downloads, as in browsers without a save dialog (the dialog: test_record.py).
        self.context.add_init_script(
            "window.print = () => { window.tkPrints = (window.tkPrints || 0) + 1; };"
            "delete window.showSaveFilePicker;"
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        self.page.on("dialog", lambda dialog: dialog.accept())
        # Listening all along: a listener added just before the key press can miss the dialog.
        self.choosers: list = []
        self.page.on("filechooser", lambda chooser: self.choosers.append(chooser))

    def focused(self) -> str:
        """The focused control: its id, or the tag and the id of the nearest element with one."""
        return self.page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.id || e.tagName.toLowerCase() + '@' + (e.closest('[id]') || {}).id; }"
        )

    def tab(self, expected: str) -> None:
        """Press Tab once; the focus must land on `expected` (see focused())."""
        self.page.keyboard.press("Tab")
        assert self.focused() == expected

    def tab_until(self, css: str, limit: int = 120, key: str = "Tab") -> None:
        """Press Tab (or `key`, say Shift+Tab) until the focus is on an element matching `css`."""
        for _ in range(limit):
            self.page.keyboard.press(key)
            if self.page.evaluate("s => document.activeElement.matches(s)", css):
                return
        pytest.fail(f"{css} not reached with {limit} presses of {key}")

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        """Key presses, one a character (dates: each segment of a date field takes digits)."""
        self.page.keyboard.type(text)

    def write(self, text: str) -> None:
        """Text entered into the focused field at once, as an input method does."""
        self.page.keyboard.insert_text(text)

    def snapshot(self) -> list[str]:
        """Every value and tick of the form and the plan, to compare two moments."""
        return self.page.evaluate(
            "() => Array.from(document.querySelectorAll('.tk-assess-head input,"
            " .tk-assess-head textarea, .tk-assess-item input, .tk-assess-item textarea,"
            " #plan-next-assessment, .tk-plan-list input, .tk-plan-list textarea,"
            " .tk-plan-list select')).map(e => e.id + '=' + ("
            "e.type === 'radio' || e.type === 'checkbox' ? e.checked : e.value))"
        )

    def status(self) -> str:
        return self.page.locator("#tk-assess-status").inner_text()

    def download(self, *keys: str) -> tuple[str, bytes]:
        with self.page.expect_download() as info:
            self.press(*keys)
        download = info.value
        return download.suggested_filename, Path(download.path()).read_bytes()

    def prints(self) -> int:
        """How often the page asked the browser to print."""
        return self.page.evaluate("() => window.tkPrints || 0")

    def press_button(self, action: str, download: bool = True) -> tuple[str, bytes]:
        """Focus the button `data-action=action` and press Enter; its download, if it makes one."""
        self.page.focus(f"button[data-action={action}]")
        if download:
            return self.download("Enter")
        self.press("Enter")
        return "", b""

    def open_file(self, file: Path) -> None:
        """Open `file` as the Open button's dialog would, and wait for the page's answer."""
        before = self.status()
        self.page.set_input_files("#tk-open-file", str(file))
        self.wait_for_status_other_than(before)

    def choose_files(self, files: list[Path], *keys: str) -> None:
        """Press `keys` (which open the file dialog), pick `files`, wait for the page's answer."""
        before = self.status()
        self.press(*keys)
        if not self.choosers:
            self.page.wait_for_event("filechooser", timeout=5000)  # the listener keeps it too
        assert self.choosers, f"pressing {keys} opened no file dialog"
        self.choosers.pop().set_files([str(file) for file in files])
        self.wait_for_status_other_than(before)

    def wait_for_status_other_than(self, before: str) -> None:
        """Wait until the status line says something new (files are read asynchronously)."""
        self.page.wait_for_function(
            "before => document.getElementById('tk-assess-status').innerText !== before",
            arg=before,
            timeout=5000,
        )

    def skip_to_toolbar(self) -> None:
        """On a page just (re)loaded: the skip link, then Tab to Save."""
        self.page.keyboard.press("Tab")
        assert self.page.evaluate("() => document.activeElement.matches('a.md-skip')")
        self.press("Enter")
        self.tab_until("button[data-action=save]", limit=3)

    def close(self) -> None:
        self.context.close()


def fill_by_keyboard(tab: Tab, practices: list[dict]) -> None:
    tab.tab_until("#header-kind-checklist")
    tab.press("ArrowDown")  # the second kind: facilitated consensus scoring
    assert tab.focused() == "header-kind-consensus-scoring"
    tab.tab("header-program")
    tab.write("Home Visiting <Pilot>")
    tab.tab("header-organization")
    tab.write("North Clinic & Partners")
    tab.tab("header-date")
    tab.type("11022026")
    tab.tab_until("#header-team", limit=3)  # past the date's segments and its picker
    tab.write("Ana, director")
    tab.press("Enter")
    tab.write("Ben, coach")
    # The rest is pressed without a look, then the order in which the focus moved is checked
    # at once: every control is reached with Tab, in reading order (fast: one round trip).
    tab.page.evaluate(
        "() => { window.tkFocus = []; document.addEventListener('focusin', e => {"
        " const t = e.target; window.tkFocus.push(t.id || t.tagName.toLowerCase() + '@' +"
        " (t.closest('[id]') || {}).id); }); }"
    )
    expected, driver, categories = [], None, set()
    category_of = {id_: d["category"] for id_, d in driver_data().items()}
    for index, practice in enumerate(practices):
        plan = plan_for(index, practice)
        if practice["driver"] != driver:  # the headings' permalinks come first
            driver = practice["driver"]
            if category_of[driver] not in categories:
                categories.add(category_of[driver])
                expected.append(f"a@category-{category_of[driver]}")
                tab.press("Tab")
            expected.append(f"a@driver-{driver}")
            tab.press("Tab")
        expected.append(f"summary@assess-{practice['id']}")
        tab.press("Tab")
        if index == 0:
            tab.press("Enter")  # the explanation unfolds
            assert tab.page.locator(f"#assess-{practice['id']} details").get_attribute("open") == ""
        for criterion in criterion_ids(practice):
            expected.append(f"{practice['id']}-criterion-{criterion}")
            tab.press("Tab", *(["Space"] if criterion in plan["criteria"] else []))
        # Nothing is chosen yet (not yet discussed): Tab lands on the group's first choice.
        expected.append(f"{practice['id']}-rating-in-place")
        tab.press("Tab")
        choices = ["partially-in-place", "not-in-place"]
        steps = {"partially-in-place": 1, "not-in-place": 2}.get(plan["rating"], 0)
        expected += [f"{practice['id']}-rating-{choice}" for choice in choices[:steps]]
        tab.press(*["ArrowDown"] * steps)
        if plan["rating"] == "in-place":
            tab.press("Space")
        if plan.get("not_rated"):  # up from the first choice: the last, Not rated
            expected.append(f"{practice['id']}-rating-none")
            tab.press("ArrowUp")
        expected.append(f"{practice['id']}-notes")
        tab.press("Tab")
        tab.page.keyboard.insert_text(plan["notes"])
    assert tab.page.evaluate("() => window.tkFocus") == expected


def totals_shown(tab: Tab) -> dict[str, tuple]:
    """The Totals table: row key -> (points, possible, percent, rated, not rated)."""
    return tab.page.evaluate(
        "() => Object.fromEntries(Array.from(document.querySelectorAll('tr[data-row]'))"
        ".map(r => [r.dataset.row, ['points','possible','percent','rated','not_rated']"
        ".map(c => r.querySelector(`[data-cell=${c}]`).textContent)]))"
    )


def totals_expected(data: dict, assessment) -> dict[str, tuple]:
    result = totals(data, assessment)
    rows = {"overall": result.overall}
    rows.update({f"driver:{key}": tally for key, tally in result.drivers.items()})
    rows.update({f"category:{key}": tally for key, tally in result.categories.items()})
    return {
        key: [
            str(t.points),
            str(t.possible),
            "none rated" if t.percent is None else f"{t.percent}%",
            str(t.rated),
            str(t.not_rated),
        ]
        for key, t in rows.items()
    }


def result_words(data: dict, assessment) -> list[str]:
    """A results table column, from the Python totals: drivers, then their category; overall."""
    result = totals(data, assessment)

    def words(t) -> str:
        share = "no best practice rated"
        if t.percent is not None:
            rated = f"{t.rated} of {t.rated + t.not_rated} rated"
            share = f"{t.percent}% ({t.points} of {t.possible} points; {rated})"
        return f"{share}; {t.not_rated} not rated" if t.not_rated else share

    column = []
    for category in data["categories"]:
        column += [words(result.drivers[driver["id"]]) for driver in category["drivers"]]
        column.append(words(result.categories[category["id"]]))
    return [*column, words(result.overall)]


def pdf_text(pdf: bytes, folder: Path) -> str:
    file = folder / "printed.pdf"
    file.write_bytes(pdf)
    result = subprocess.run(["pdftotext", str(file), "-"], capture_output=True, text=True)
    return " ".join(result.stdout.split())


def outside(requests: list[str], root: str) -> list[str]:
    """Requests that leave the site: other hosts, or files outside the site's folder."""
    left = []
    for url in requests:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        if not url.startswith(root):
            left.append(url)
    return left


HEADER = {
    "kind": "consensus-scoring",
    "program": "Home Visiting <Pilot>",
    "organization": "North Clinic & Partners",
    "date": "2026-11-02",
    "team": "Ana, director\nBen, coach",
}


def low_rated() -> list[str]:
    """The best practices the keyboard flow rates 1 or 0: the action plan's candidates."""
    practices = practices_in_order()
    return [p["id"] for i, p in enumerate(practices) if RATINGS[i % 4] in RATINGS[1:3]]


def canonical_file(file: Path, document: dict, data: dict) -> Path:
    """`document` written as the toolkit writes it (read back and saved canonically)."""
    file.write_text(json.dumps(document), encoding="utf-8")
    file.write_text(to_json(read_assessment(file, data), data), encoding="utf-8")
    return file


@pytest.fixture(scope="module")
def files(tmp_path_factory, data) -> dict[str, Path]:
    return make_files(tmp_path_factory.mktemp("assessments"), data)


def make_files(folder: Path, data: dict) -> dict[str, Path]:
    """The states the tests start from, written in Python, never by the page under test:
    `filled` is what the keyboard flow types; `older` the same from another toolkit version,
    with a best practice this one lacks; `planned` the filled one with two actions chosen."""
    practices = practices_in_order()
    document = {
        "format": "implementation-toolkit-assessment",
        "format_version": 2,
        "toolkit": data["toolkit"],
        "header": HEADER,
        "practices": {p["id"]: plan_for(i, p) for i, p in enumerate(practices)},
        "carried": {},
        "next_assessment": "",
    }
    filled = canonical_file(folder / "saved.json", document, data)
    older = json.loads(filled.read_text(encoding="utf-8"))
    older["toolkit"]["content_version"] = "0123456789abcdef"
    older["practices"]["coaching-retired-practice"] = {
        "rating": "in-place",
        "criteria": [],
        "notes": HOSTILE,
    }
    (folder / "older.json").write_text(json.dumps(older), encoding="utf-8")
    planned = json.loads(filled.read_text(encoding="utf-8"))
    first, second = low_rated()[:2]
    planned["practices"][first]["action"] = {
        "strategy": "Name a lead " + HOSTILE,
        "priority": "quick-win",
        "responsible": "Ana",
        "resources": "Two hours a month",
        "timeline": "2027-01-15",
        "status": "not-started",
    }
    planned["practices"][second]["action"] = {"strategy": "Write the protocol"}
    planned["next_assessment"] = "2027-05-03"
    return {
        "filled": filled,
        "older": folder / "older.json",
        "planned": canonical_file(folder / "planned.json", planned, data),
    }


def opened(browser, url: str, file: Path) -> Tab:
    """A new tab (nothing stored) on the Assess page with `file` opened."""
    tab = Tab(browser)
    tab.page.goto(url)
    assert tab.status() == ""  # nothing restored
    tab.open_file(file)
    assert tab.status().startswith(f"Opened {file.name}")
    return tab


def assert_clean(tab: Tab, root: str) -> None:
    """No script error, no request that leaves the site, no content run as markup."""
    assert not tab.errors, tab.errors
    assert not outside(tab.requests, root), outside(tab.requests, root)
    assert tab.page.title() != "pwned" and tab.page.locator("article img").count() == 0


def test_a_whole_assessment_by_keyboard(browser, roots, data, files):
    """Every control reached with Tab in reading order, filled with keys alone; a reload
    restores it; Save (by keyboard) writes exactly what Python writes for the same answers."""
    practices = practices_in_order()
    tab = Tab(browser)  # a new browser context: nothing stored yet
    page = tab.page
    try:
        page.goto(roots["file"] + "assess.html")
        assert not page.locator("#tk-assess-tools").is_hidden()
        assert tab.status() == ""  # nothing restored

        fill_by_keyboard(tab, practices)
        filled = tab.snapshot()
        shown = totals_shown(tab)

        # Reload: the autosave brings everything back.
        page.reload()
        assert "Restored" in tab.status()
        assert tab.snapshot() == filled
        assert totals_shown(tab) == shown

        # Save: every best practice of the rubric, with what was typed.
        tab.skip_to_toolbar()
        name, saved = tab.download("Enter")
        assert name == "assessment-home-visiting-pilot-2026-11-02.json"
        file = json.loads(saved.decode("utf-8"))
        assert list(file["practices"]) == [practice["id"] for practice in practices]
        for index, practice in enumerate(practices):
            assert file["practices"][practice["id"]] == plan_for(index, practice)
        assert file["header"] == HEADER
        assert file["toolkit"] == data["toolkit"]
        assert saved == files["filled"].read_bytes()  # the same bytes both ways
        assert shown == totals_expected(data, read_assessment(files["filled"], data))
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_save_and_export_ratings(browser, roots, data, files):
    """Save gives the bytes Python writes; the ratings' CSV has one safe row per practice."""
    practices = practices_in_order()
    tab = opened(browser, roots["file"] + "assess.html", files["filled"])
    try:
        name, saved = tab.press_button("save")
        assert name == "assessment-home-visiting-pilot-2026-11-02.json"
        assert saved == files["filled"].read_bytes()

        name, exported = tab.press_button("export-ratings")
        rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
        assert rows[0] == [
            "driver",
            "id",
            "statement",
            "criteria ticked",
            "rating",
            "points",
            "notes",
        ]
        assert [row[1] for row in rows[1:]] == [practice["id"] for practice in practices]
        assert rows[1 + 2][6] == HOSTILE and rows[1 + 6][6] == "'=SUM(A1:A9)"
        assert rows[1 + 3][4] == "Not rated" and rows[1][4] == "In place"
        assert rows[1 + 1][2] == plain(practices[1]["statement"])
        assert rows[1 + 9][1] == "coaching-provided"
        assert rows[1 + 9][3] == "reflections, another like these"
        first = ", ".join(criterion_ids(practices[0]))
        assert rows[1][3] == first or not practices[0].get("criteria")
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_clear_then_open_and_refuse_bad_files(browser, roots, files, tmp_path):
    """Clear empties the form and the device; Open brings the file back; a file that is not an
    assessment is refused and changes nothing."""
    tab = opened(browser, roots["file"] + "assess.html", files["filled"])
    page = tab.page
    try:
        filled = tab.snapshot()
        page.focus("button[data-action=clear]")
        tab.press("Enter")
        assert "Cleared" in tab.status()
        assert all(
            entry.endswith(("=false", "="))  # nothing chosen: not yet discussed
            for entry in tab.snapshot()
        )
        page.reload()
        assert tab.status() == ""  # nothing left to restore
        # What Clear replaced is in Recent versions until the team removes everything.
        assert "before Clear" in page.locator("#tk-versions").text_content()
        page.locator("#tk-versions summary").click()
        tab.press_button("forget-all", download=False)
        assert "nothing of this assessment is stored" in tab.status()
        assert (
            page.evaluate("() => Object.keys(localStorage).filter(k => k.includes('assessment'))")
            == []
        )

        page.focus("button[data-action=open]")
        tab.choose_files([files["filled"]], "Enter")
        assert "Opened saved.json" in tab.status()
        assert tab.snapshot() == filled

        for bad, content in (("notes.csv", "driver,id\n"), ("other.json", '{"name": "x"}')):
            (tmp_path / bad).write_text(content, encoding="utf-8")
            tab.choose_files([tmp_path / bad], "Enter")
            assert f"Could not open {bad}" in tab.status()
            assert "unchanged" in tab.status()
            assert tab.snapshot() == filled
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_a_file_of_another_version_keeps_what_this_one_lacks(browser, roots, data, files):
    """Its unknown best practice is listed (as text), not scored, and saved again in `carried`."""
    tab = opened(browser, roots["file"] + "assess.html", files["filled"])
    page = tab.page
    try:
        shown = totals_shown(tab)
        page.focus("button[data-action=open]")
        tab.choose_files([files["older"]], "Enter")
        assert "coaching-retired-practice" in tab.status()
        kept = page.locator("#tk-assess-kept")
        assert kept.is_visible() and "coaching-retired-practice" in kept.inner_text()
        assert HOSTILE in kept.inner_text() and kept.locator("img").count() == 0
        assert totals_shown(tab) == shown  # not scored
        _, resaved = tab.press_button("save")
        assert resaved == to_json(read_assessment(files["older"], data), data).encode("utf-8")
        resaved_file = json.loads(resaved)
        assert "coaching-retired-practice" not in resaved_file["practices"]
        assert resaved_file["carried"]["coaching-retired-practice"]["notes"] == HOSTILE
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_compare_with_earlier_rounds(browser, roots, data, files):
    """Each round's column holds the Python totals of its file, oldest first as in the report
    (of one date, in the order given, this assessment last); what a round's toolkit version
    lacks is listed, not compared; the chart has one bar per driver and round."""
    tab = opened(browser, roots["file"] + "assess.html", files["filled"])
    page = tab.page
    try:
        page.focus("button[data-action=compare]")
        tab.choose_files([EXAMPLE, files["older"]], "Enter")
        header = page.locator(".tk-results-table thead th").all_inner_texts()
        assert header == [
            "Driver or category",
            "assessment-example.json, 2026-11-02",
            "older.json, 2026-11-02",
            "This assessment, 2026-11-02",
        ]
        for column, source in ((2, EXAMPLE), (3, files["older"]), (4, files["filled"])):
            cells = page.locator(f".tk-results-table tbody tr td:nth-child({column})")
            assert cells.all_inner_texts() == result_words(data, read_assessment(source, data))
        not_compared = page.locator(".tk-not-compared")
        assert "older.json: coaching-retired-practice" in not_compared.inner_text()
        categories = page.locator(".tk-results-table tr.tk-total-category th").all_inner_texts()
        assert categories == [category["name"] for category in data["categories"]]  # as the PDFs
        chart = page.locator(".tk-chart svg[role=img]")
        assert chart.count() == 1
        assert "This assessment, 2026-11-02" in chart.locator("title").text_content()
        assert chart.locator("rect.tk-series-1").count() == 7  # one bar per driver
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_an_action_plan_by_keyboard_and_its_csv(browser, roots, files):
    """The plan lists every best practice rated 0 or 1; the team chooses and fills two with the
    keyboard; the CSV holds them, the hostile text as text."""
    low = low_rated()
    tab = opened(browser, roots["file"] + "assess.html", files["filled"])
    page = tab.page
    try:
        listed = page.locator(".tk-plan-item:not([hidden])").evaluate_all(
            "nodes => nodes.map(n => n.id)"
        )
        assert listed == [f"plan-{id_}" for id_ in low]
        page.focus("button[data-action=compare]")  # the control before the plan
        tab.tab_until("input[data-plan=choose]", limit=10)
        assert tab.focused() == f"plan-{low[0]}-choose"
        tab.press("Space")
        tab.tab(f"plan-{low[0]}-strategy")
        tab.write("Name a lead " + HOSTILE)
        tab.tab(f"plan-{low[0]}-priority")
        tab.press("ArrowDown")
        tab.tab(f"plan-{low[0]}-responsible")
        tab.write("Ana")
        tab.tab(f"plan-{low[0]}-resources")
        tab.write("Two hours a month")
        tab.tab(f"plan-{low[0]}-timeline")
        tab.type("01152027")
        tab.tab_until(f"#plan-{low[0]}-status", limit=3)
        tab.press("ArrowDown")  # Not started
        tab.tab(f"plan-{low[1]}-choose")
        tab.press("Space")
        tab.tab(f"plan-{low[1]}-strategy")
        tab.write("Write the protocol")
        tab.tab_until("#plan-next-assessment", limit=60)
        tab.type("05032027")
        tab.tab_until("button[data-action=export-plan]", limit=3)
        name, exported = tab.download("Enter")
        assert name == "assessment-home-visiting-pilot-2026-11-02-action-plan.csv"
        rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
        assert rows[0][:3] == ["Driver", "Best practice or gap", "Strategy"]
        assert [row[-2] for row in rows[1:]] == low[:2]
        first = dict(zip(rows[0], rows[1]))
        assert first["Strategy"] == "Name a lead " + HOSTILE
        assert first["Quick win or longer-term"] == "Quick win"
        assert first["Timeline"] == "2027-01-15" and first["next assessment"] == "2027-05-03"

        # The same plan, saved, is the file Python writes for it.
        _, saved = tab.press_button("save")
        assert saved == files["planned"].read_bytes()
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_the_chart_reads_on_a_phone_and_in_greyscale(browser, roots, data, files, tmp_path):
    """At 390 px wide every label of the chart is at least 11 px; the rounds run oldest first
    as in the report; each bar says its percent and rated count; the rounds' bars differ in
    greyscale (shade or pattern), not only in hue."""
    later = json.loads(files["filled"].read_text(encoding="utf-8"))
    later["header"]["date"] = "2027-05-03"
    (tmp_path / "later.json").write_text(json.dumps(later), encoding="utf-8")
    tab = Tab(browser)
    tab.page.set_viewport_size({"width": 390, "height": 800})
    page = tab.page
    try:
        page.goto(roots["file"] + "assess.html")
        tab.open_file(tmp_path / "later.json")
        page.set_input_files("#tk-compare-file", [str(EXAMPLE)])
        page.locator(".tk-chart-legend li").nth(1).wait_for()  # no eval: the page's CSP
        legend = page.locator(".tk-chart-legend li").all_inner_texts()
        assert legend == ["assessment-example.json, 2026-11-02", "This assessment, 2027-05-03"]
        sizes = page.evaluate(
            """() => Array.from(document.querySelectorAll('.tk-chart-svg svg text')).map((t) => {
              const svg = t.ownerSVGElement;
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              return parseFloat(getComputedStyle(t).fontSize) * scale;
            })"""
        )
        assert sizes and min(sizes) >= 11, min(sizes)
        right = "() => document.querySelector('.tk-chart-svg svg').getBoundingClientRect().right"
        assert page.evaluate(right) <= 390
        fills = page.evaluate(
            """() => [0, 1].map((i) => getComputedStyle(
              document.querySelector('.tk-chart-svg rect.tk-series-' + i)).fill)"""
        )
        grey = [fill for fill in fills if fill.startswith("rgb")]
        assert len(set(fills)) == 2 and len(grey) <= 1  # a shade and a pattern
        result = totals(data, read_assessment(EXAMPLE, data)).drivers["coaching"]
        labels = page.locator(".tk-chart-svg svg text").all_text_contents()
        words = f"{result.percent}% ({result.rated} of {result.rated + result.not_rated} rated)"
        assert words in labels
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_the_next_round_keeps_the_plan(browser, roots, data, files):
    """Starting the next round from a planned file keeps its actions with their status and due
    date, and empties the rest: the page saves what Python's next_round writes."""
    tab = opened(browser, roots["file"] + "assess.html", files["planned"])
    try:
        tab.page.click("button[data-action=next-round]")
        assert tab.status().startswith("Started the next round")
        _, saved = tab.press_button("save")
        expected = next_round(read_assessment(files["planned"], data), data)
        assert saved.decode("utf-8") == to_json(expected, data)
        kept = [e for e in json.loads(saved)["practices"].values() if e.get("action")]
        assert [e["action"]["status"] for e in kept] == ["not-started", "not-started"]
        assert {e["rating"] for e in json.loads(saved)["practices"].values()} == {None}
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_print_the_whole_assessment(browser, roots, files, tmp_path):
    """Print asks the browser to print the page; the print layout shows a chosen rating alone
    (Not rated on purpose too) and every choice of a best practice not yet discussed."""
    practices = practices_in_order()
    tab = opened(browser, roots["file"] + "assess.html", files["filled"])
    page = tab.page
    try:
        tab.press_button("print", download=False)
        assert tab.prints() == 1
        assert not page.evaluate(
            "() => document.documentElement.classList.contains('tk-printing-plan')"
        )
        page.emulate_media(media="print")
        text = pdf_text(page.pdf(prefer_css_page_size=True), tmp_path)
        planned = [plan_for(i, p) for i, p in enumerate(practices)]
        rated = [entry["rating"] for entry in planned]
        undiscussed = sum(1 for e in planned if e["rating"] is None and not e.get("not_rated"))
        for rating, label in LABELS.items():
            # a chosen rating prints alone; one not yet discussed shows every choice
            assert text.count(label) == rated.count(rating) + undiscussed, label
        assert text.count("Note 0: agreed by the team") == 1
        assert "Home Visiting <Pilot>" in text
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_print_the_action_plan_alone(browser, roots, files, tmp_path):
    """Print action plan prints the plan alone: its actions and the next date, no statements."""
    tab = opened(browser, roots["file"] + "assess.html", files["planned"])
    page = tab.page
    try:
        tab.press_button("print-plan", download=False)
        assert tab.prints() == 1
        page.emulate_media(media="print")
        plan_text = pdf_text(page.pdf(prefer_css_page_size=True), tmp_path)
        assert "Drivers Action Plan" in plan_text and "Name a lead" in plan_text
        assert "Write the protocol" in plan_text and "Next assessment: 2027-05-03" in plan_text
        assert plain(practices_in_order()[0]["statement"]) not in plan_text
        assert_clean(tab, roots["file"])
    finally:
        tab.close()


def test_over_http_the_page_keeps_saves_and_opens_files(browser, roots, data):
    """What depends on the page's origin, from a server: the browser keeps the autosave for this
    origin, files are opened and saved, clearing leaves nothing stored, and no request leaves."""
    example = read_assessment(EXAMPLE, data)
    tab = Tab(browser)
    page = tab.page
    try:
        page.goto(roots["http"] + "assess.html")
        assert not page.locator("#tk-assess-tools").is_hidden()
        assert tab.status() == ""  # nothing restored

        # Open a saved file from the toolbar: the totals are the Python ones.
        page.focus("button[data-action=open]")
        tab.choose_files([EXAMPLE], "Enter")
        assert tab.status() == "Opened assessment-example.json."
        opened = tab.snapshot()
        assert totals_shown(tab) == totals_expected(data, example)

        # Reload: the autosave kept for this origin brings it back.
        page.reload()
        assert "Restored" in tab.status()
        assert tab.snapshot() == opened

        # Save: the same bytes as the file opened.
        page.focus("button[data-action=save]")
        name, saved = tab.download("Enter")
        assert name == "assessment-example-program-invented-data-not-a-real-program-2026-11-02.json"
        assert saved == to_json(example, data).encode("utf-8") == EXAMPLE.read_bytes()

        # Clear this device: nothing is kept for this origin, a reload restores nothing.
        page.focus("button[data-action=clear]")
        tab.press("Enter")
        assert "Cleared" in tab.status()
        page.reload()
        assert tab.status() == ""
        assert all(
            entry.endswith(("=false", "="))  # nothing chosen: not yet discussed
            for entry in tab.snapshot()
        )
        page.locator("#tk-versions summary").click()
        tab.press_button("forget-all", download=False)
        assert (
            page.evaluate("() => Object.keys(localStorage).filter(k => k.includes('assessment'))")
            == []
        )

        assert not tab.errors, tab.errors
        assert not outside(tab.requests, roots["http"]), outside(tab.requests, roots["http"])
    finally:
        tab.close()


def test_without_script_the_page_is_a_complete_form(browser, roots):
    tab = Tab(browser, java_script_enabled=False)
    try:
        tab.page.goto(roots["file"] + "assess.html")
        page = tab.page
        assert page.locator(".tk-needs-script").is_visible()
        for hidden in ("#tk-assess-tools", "#tk-results", "#tk-plan"):
            assert page.locator(hidden).is_hidden(), hidden
        groups = page.locator("fieldset.tk-rating-group")
        assert groups.count() == len(practices_in_order())
        assert page.locator("fieldset.tk-rating-group legend").count() == groups.count()
        unlabelled = page.evaluate(
            "() => Array.from(document.querySelectorAll('article input, article textarea'))"
            ".filter(e => e.type !== 'hidden' && e.type !== 'file' && !e.labels.length)"
            ".map(e => e.id)"
        )
        assert unlabelled == []
        assert not tab.requests or not outside(tab.requests, roots["file"])
    finally:
        tab.close()


def test_axe_finds_no_serious_problem_on_a_filled_in_page(browser, roots):
    from axe_playwright_python.sync_playwright import Axe

    tab = Tab(browser)
    try:
        tab.page.goto(roots["http"] + "assess.html")
        for field in ("#tk-open-file", "#tk-compare-file"):
            before = tab.status()
            tab.page.set_input_files(field, str(EXAMPLE))
            tab.wait_for_status_other_than(before)
        assert "Comparing assessment-example.json" in tab.status()
        assert tab.page.locator(".tk-plan-item:not([hidden])").count() > 0
        results = Axe().run(tab.page)
        serious = [
            f"{violation['id']}: {[node['target'] for node in violation['nodes']]}"
            for violation in results.response["violations"]
            if violation.get("impact") in ("serious", "critical")
        ]
        assert not serious, "\n".join(serious)
    finally:
        tab.close()


def test_the_page_embeds_the_data_python_scores_with(built_site, data):
    html = (built_site / "assess.html").read_text(encoding="utf-8")
    embedded = re.search(
        r'<script type="application/json" id="tk-assess-data">(.*?)</script>', html, re.S
    )
    assert json.loads(embedded.group(1)) == data


def test_the_suggestion_names_what_no_criterion_ticks(browser, roots, data):
    """Ticking criteria suggests a rating in the words Python gives (totals.suggestion): the
    rule met for Coaching 2 reads In place only once the team confirms "at least monthly" and
    "direct observation"; a best practice without criteria names its conditions all the same."""
    from macros.assessment.fileformat import practices
    from macros.assessment.totals import suggestion

    by_id = practices(data)
    tab = Tab(browser)
    try:
        tab.page.goto(roots["file"] + "assess.html")
        status = tab.page.locator("#assess-coaching-provided [data-rule-status]")
        tab.page.check("#coaching-provided-criterion-reflections")
        ticked = suggestion(data, by_id["coaching-provided"], ["reflections"])["text"]
        assert status.text_content() == ticked
        assert "only once the team confirms" in ticked and "“at least monthly”" in ticked
        tab.page.uncheck("#coaching-provided-criterion-reflections")
        assert status.text_content() == suggestion(data, by_id["coaching-provided"], [])["text"]
        static = tab.page.locator("#assess-fa-problem-solving .tk-also-check").text_content()
        assert static == suggestion(data, by_id["fa-problem-solving"], [])["text"]
        assert_clean(tab, roots["file"])
    finally:
        tab.close()
