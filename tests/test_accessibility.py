"""What a keyboard user and an HTML checker find on the built site: every control shows where
the focus is, nothing focused or jumped to lands under the sticky header or the Assess page's
toolbar, and the Nu HTML Checker finds no error in the project's own templates."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from site_tools import PROJECT_ROOT

pytestmark = pytest.mark.browser

PAGES = ["index.html", "drivers/coaching.html", "assess.html", "downloads.html"]

# For every control of the page: focus it (after one key press, so the browser shows focus as
# for a keyboard user) and measure its outline against the background behind it.
FOCUS_REPORT = """() => {
  const controls = Array.from(document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex="0"]'))
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility === 'visible');
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const behind = e => {
    for (let n = e.parentElement; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return controls.map(e => {
    e.focus();
    if (document.activeElement !== e) return null;  // not focusable (the theme's tabindex=-1)
    const s = getComputedStyle(e);
    const [a, b] = [luminance(rgb(s.outlineColor)), luminance(behind(e))];
    return {
      control: e.id || e.tagName.toLowerCase() + '.' + e.className + ' ' +
        (e.textContent || '').trim().slice(0, 30),
      width: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth),
      contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
    };
  });
}"""


@pytest.fixture(scope="module")
def tab(browser, built_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page, built_site.resolve().as_uri() + "/"
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_control_shows_a_focus_indicator(tab, path):
    """At least 2 px, with 3:1 contrast against what is behind it (WCAG 2.4.7, 1.4.11)."""
    page, root = tab
    page.goto(root + path)
    page.keyboard.press("Tab")  # a keyboard user: the browser shows focus from now on
    report = page.evaluate(FOCUS_REPORT)
    assert len(report) > 10
    faint = [c for c in report if c["width"] < 2 or c["contrast"] < 3]
    assert faint == [], faint[:5]


def test_a_jump_lands_below_the_sticky_toolbar(tab):
    """The table of contents' links and Shift+Tab never put their target under the header and
    the Assess page's toolbar (WCAG 2.4.11)."""
    page, root = tab
    page.goto(root + "assess.html")
    page.locator("nav.md-nav--secondary a[href='#results'] >> visible=true").click()
    top, toolbar_bottom = page.evaluate(
        "() => [document.getElementById('results').getBoundingClientRect().top,"
        " document.querySelector('.tk-assess-tools').getBoundingClientRect().bottom]"
    )
    assert top >= toolbar_bottom, (top, toolbar_bottom)

    # From the foot of the page, Shift+Tab back through the notes: each one shows whole.
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    notes = page.locator("textarea[id$=-notes]")
    page.focus(f"#{notes.nth(notes.count() - 1).get_attribute('id')}")
    hidden = []
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        box = page.evaluate(
            "() => { const r = document.activeElement.getBoundingClientRect();"
            " const bar = document.querySelector('.tk-assess-tools').getBoundingClientRect();"
            " return [r.top, bar.bottom, document.activeElement.id]; }"
        )
        if box[0] < box[1]:
            hidden.append(box)
    assert hidden == []


# The Nu HTML Checker's errors that come from mkdocs-material's own templates, by message: the
# project cannot change them. Anything else is the project's and fails the test.
THEME_ERRORS = {
    "Attribute “autocomplete” is only allowed when the input type is",
    "Bad value “” for attribute “tabindex” on element “label”",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden",
}


def nu_checker() -> list[str]:
    """`java -jar vnu.jar` from npm's vnu-jar (make test installs it into .cache/tools)."""
    jar = PROJECT_ROOT / ".cache" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist"
    if shutil.which("java") is None or not (jar / "vnu.jar").is_file():
        pytest.fail(
            "the Nu HTML Checker is missing: `make test` installs it (Java, npm's vnu-jar)",
            pytrace=False,
        )
    return ["java", "-jar", str(jar / "vnu.jar")]


def test_the_nu_html_checker_finds_no_error_of_ours(built_site):
    result = subprocess.run(
        [*nu_checker(), "--skip-non-html", "--errors-only", "--format", "json", str(built_site)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    ours = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if not any(m["message"].startswith(known) for known in THEME_ERRORS)
    ]
    assert ours == []
    assert len(messages) > 0  # the theme's known errors: the checker did read the pages


# --- The Assess page by keyboard, screen reader and phone: one page load per width -----------
#
# The page is loaded once per width; everything is observed from it, first empty (as it loads),
# then with a filled, compared and planned assessment opened into it, and the tests below each
# assert one part of what was observed, so a failure names what a user would miss.

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

LIVE = "[aria-live]:not([aria-live=off]), [role=status], [role=alert], output:not([aria-live=off])"

# Every visible tick box or choice smaller than 24 x 24 px (WCAG 2.5.8), and every box that
# scrolls but the keyboard cannot reach (it takes the focus itself, with a role and a name, or
# holds controls that do: axe's scrollable-region-focusable).
TARGETS_AND_BOXES = """() => {
  const small = Array.from(document.querySelectorAll(
      'article input[type=radio], article input[type=checkbox]'))
    .filter((e) => e.getClientRects().length)
    .map((e) => [e.id, e.getBoundingClientRect()])
    .filter(([, r]) => r.width < 24 || r.height < 24).map(([id]) => id);
  const boxes = Array.from(document.querySelectorAll('article *')).filter((e) => {
    const s = getComputedStyle(e);
    return /auto|scroll/.test(s.overflowX + s.overflowY) && e.scrollWidth > e.clientWidth + 1;
  });
  const control = 'a[href], button, input, select, textarea, [tabindex="0"]';
  return {small: small, scrolling: boxes.length, unreachable: boxes.filter((e) => e.tabIndex < 0
    ? !e.querySelector(control) : !e.getAttribute('role') || !e.getAttribute('aria-label'))
    .map((e) => e.className)};
}"""


def serious_axe_findings(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']][:3]}"
        for violation in Axe().run(page).response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]


def live_texts(page) -> list[str]:
    """The text of every live region a screen reader would read (hidden ones are not)."""
    return page.locator(LIVE).evaluate_all(
        "nodes => nodes.filter(n => !n.closest('[hidden]')).map(n => n.textContent.trim())"
    )


def toolbar_height(page) -> float:
    return page.evaluate(
        "() => document.querySelector('.tk-assess-tools').getBoundingClientRect().height"
    )


def keyboard_walk(tab, first: str) -> dict:
    """From the skip link to the toolbar and along it, then into the first rating group, whose
    second choice is taken with an arrow key; then Not rated, on purpose, with another."""
    tab.skip_to_toolbar()
    trail = ["save"]
    for _ in range(4):
        tab.press("Tab")
        trail.append(tab.page.evaluate("() => document.activeElement.dataset.action"))
    tab.tab_until(f"#{first}-rating-in-place", limit=60)  # past the guide and the header
    tab.press("ArrowDown")
    summary = tab.page.wait_for_function(
        "() => document.getElementById('tk-assess-summary').textContent"
    ).json_value()
    heard = live_texts(tab.page)
    progress = tab.page.locator("#tk-progress").inner_text()
    tab.press("ArrowUp", "ArrowUp")  # back over In place to the last choice: Not rated
    on_purpose = tab.page.locator("#tk-progress").inner_text()
    # The totals table's box takes the focus; on a phone its arrow keys scroll it sideways.
    tab.page.focus("#tk-assess-totals-box")
    tab.press("ArrowRight", "ArrowRight")
    scrolled = tab.page.wait_for_function(  # it scrolls smoothly, when there is room to
        "() => { const e = document.activeElement;"
        " return e.scrollWidth <= e.clientWidth ? -1 : e.scrollLeft; }"
    ).json_value()
    return {
        "trail": trail,
        "summary": summary,
        "heard": heard,
        "progress": progress,
        "on_purpose": on_purpose,
        "checked": tab.page.locator(f"#{first}-rating-none").is_checked(),
        "scrolled": scrolled,
        "focused": tab.focused(),
    }


@pytest.fixture(scope="module", params=list(WIDTHS))
def assess_seen(request, browser, roots, data, tmp_path_factory) -> dict:
    """What a user meets on the Assess page at one width: empty as it loads, then with a
    filled, compared, planned assessment open (the files of test_assess)."""
    from test_assess import EXAMPLE, Tab, make_files

    from macros.assessment import read_assessment

    files = make_files(tmp_path_factory.mktemp("a11y-files"), data)
    width, height = WIDTHS[request.param]
    tab = Tab(browser)
    page = tab.page
    page.set_viewport_size({"width": width, "height": height})
    first = data["categories"][0]["drivers"][0]["practices"][0]["id"]
    seen: dict = {"width": width, "height": height}
    try:
        page.goto(roots["http"] + "assess.html")
        seen["live at load"] = live_texts(page)
        seen["tree empty"] = page.locator("article").aria_snapshot()
        seen["axe empty"] = serious_axe_findings(page)
        seen["bar empty"] = toolbar_height(page)
        seen["targets empty"] = page.evaluate(TARGETS_AND_BOXES)
        seen["keys"] = keyboard_walk(tab, first)

        tab.open_file(files["planned"])
        seen["bar opened"] = toolbar_height(page)
        tab.page.set_input_files("#tk-compare-file", str(EXAMPLE))
        tab.page.wait_for_function(
            "() => document.getElementById('tk-assess-status').textContent.includes('Comparing')"
        )
        seen["tree filled"] = page.locator("article").aria_snapshot()
        seen["axe filled"] = serious_axe_findings(page)
        seen["targets filled"] = page.evaluate(TARGETS_AND_BOXES)
        seen["progress filled"] = page.locator("#tk-progress").inner_text()
        planned = read_assessment(files["planned"], data).practices.values()
        discussed = sum(1 for entry in planned if entry.rating or entry.not_rated)
        seen["progress expected"] = f"{discussed} of {len(planned)} discussed"

        # A file of another version with 400 best practices this one lacks: summarised in
        # the status line, listed in full in the page.
        older = json.loads(files["filled"].read_text(encoding="utf-8"))
        older["toolkit"]["content_version"] = "0123456789abcdef"
        for number in range(400):
            older["practices"][f"retired-{number}"] = {"rating": None}
        (files["filled"].parent / "many.json").write_text(json.dumps(older), encoding="utf-8")
        tab.open_file(files["filled"].parent / "many.json")
        seen["status many"] = tab.status()
        seen["kept many"] = page.locator("#tk-assess-kept li").count()
        seen["errors"] = list(tab.errors)
        yield seen
    finally:
        tab.close()


def test_axe_finds_nothing_serious_empty_or_filled(assess_seen):
    assert assess_seen["axe empty"] == []
    assert assess_seen["axe filled"] == []
    assert assess_seen["errors"] == []


def test_the_keyboard_alone_works_the_assess_page(assess_seen, data):
    """Skip link, the toolbar in order, a rating by arrow keys (its summary heard), Not rated
    chosen on purpose, and the totals table's scroll box, which the keyboard can scroll."""
    keys = assess_seen["keys"]
    assert keys["trail"] == ["save", "open", "export-ratings", "print", "clear"]
    assert keys["progress"] == "1 of 33 discussed"
    assert keys["checked"] and keys["on_purpose"] == "1 of 33 discussed"  # still discussed
    assert keys["focused"] == "tk-assess-totals-box"
    if assess_seen["width"] < 600:
        assert keys["scrolled"] > 0  # the six columns scroll, by keyboard too
    else:
        assert keys["scrolled"] == -1  # nothing to scroll: the table fits


def test_a_screen_reader_hears_one_summary_after_a_rating_and_nothing_at_load(assess_seen, data):
    assert all(text == "" for text in assess_seen["live at load"]), assess_seen["live at load"]
    keys = assess_seen["keys"]
    driver = data["categories"][0]["drivers"][0]
    count = len(driver["practices"])
    total = sum(len(d["practices"]) for c in data["categories"] for d in c["drivers"])
    assert keys["summary"] == (
        f"{driver['name']} subtotal: 50% (1 of 2 points; 1 of {count} rated); {count - 1} not "
        f"rated. Overall: 50% (1 of 2 points; 1 of {total} rated); {total - 1} not rated. "
        f"1 of {total} discussed."
    )
    assert [text for text in keys["heard"] if text] == [keys["summary"]]  # one message


def reading_order(tree: str) -> list[str]:
    """The accessibility tree read in order, kept to what structures it: headings, groups,
    choices, fields, and the toolbar's progress."""
    kept = []
    for line in tree.splitlines():
        text = line.strip().removeprefix("- ")
        if text.startswith(("heading ", "group", "radio ", "checkbox ", "textbox ")):
            item = text.split(" [")[0].replace(" ¶", "").rstrip(":")
            kept.append(item.split('": ')[0] + '"' if '": ' in item else item)  # not its value
        elif "of 33 discussed" in text:
            kept.append(text.removeprefix("text: "))
    return kept


def test_the_accessibility_tree_reads_in_the_rubrics_order(assess_seen, data):
    """Toolbar and progress before the form; each driver's heading, then each best practice:
    its statement, Explanation, criteria, the rating's choices in the scale's order (none
    chosen when empty), and its notes; the drivers in the rubric's order."""
    empty = reading_order(assess_seen["tree empty"])
    drivers = [d["name"] for c in data["categories"] for d in c["drivers"]]
    headings = [item.removeprefix('heading "').rstrip('"') for item in empty]
    assert [h for h in headings if h in drivers][: len(drivers)] == drivers
    assert empty.index('group "Assessment file"') < empty.index("0 of 33 discussed")
    assert empty.index("0 of 33 discussed") < headings.index(drivers[0])
    first = data["categories"][0]["drivers"][0]
    at = headings.index(drivers[0])
    who = f"{first['name']} best practice 1"
    scale = [f'radio "{r["label"]} ({r["score"]})"' for r in data["scale"]]
    assert empty[at + 1 : at + 1 + 3 + len(scale) + 2] == [
        f'heading "1. {first["practices"][0]["statement"]}"',
        "group: Explanation",
        f'group "Rating of {who}"',
        *scale,
        f'radio "{data["not_rated"]}"',
        f'textbox "Notes on {who}"',
    ]
    ratings = {choice.removeprefix("radio ") for choice in [*scale, f'radio "{data["not_rated"]}"']}
    chosen = [line for line in assess_seen["tree empty"].splitlines() if "[checked]" in line]
    assert not [line for line in chosen if any(r in line for r in ratings)]  # none discussed
    filled = reading_order(assess_seen["tree filled"])
    start = f'heading "{drivers[0]}"'
    assert filled[filled.index(start) :][:40] == empty[empty.index(start) :][:40]  # same order
    chosen = [line for line in assess_seen["tree filled"].splitlines() if "[checked]" in line]
    assert [line for line in chosen if any(r in line for r in ratings)]
    assert assess_seen["progress filled"] == assess_seen["progress expected"]


def test_a_long_list_is_summarised_in_the_status_and_listed_in_the_page(assess_seen):
    assert len(assess_seen["status many"]) < 300, assess_seen["status many"]
    assert "listed under the toolbar" in assess_seen["status many"]
    assert assess_seen["kept many"] == 400


def test_on_a_phone_the_toolbar_is_small_and_every_target_and_box_is_reachable(assess_seen):
    for state in ("empty", "filled"):
        report = assess_seen[f"targets {state}"]
        assert report["small"] == [], report["small"][:5]
        assert report["unreachable"] == [], report["unreachable"]
    if assess_seen["width"] < 600:
        assert assess_seen["targets empty"]["scrolling"] > 0  # the totals table scrolls
        tenth = assess_seen["height"] / 10
        assert assess_seen["bar empty"] <= tenth and assess_seen["bar opened"] <= tenth, (
            assess_seen["bar empty"],
            assess_seen["bar opened"],
        )
