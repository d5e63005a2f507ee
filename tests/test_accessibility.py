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
