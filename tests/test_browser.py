"""The built site in a real browser (Debian's Chromium through Playwright): pages load without
errors from the file system and from a local server, nothing is fetched from other sites, search
finds driver pages, axe-core finds no serious accessibility problem, printing leaves only the
content, and screenshots of every page type land in test-artifacts/screenshots/.

The browser runs as on a workshop laptop with no network: every request to a host other than
127.0.0.1 (or a file) is recorded and refused, so the outcome never depends on the network.
The pages are opened once per scheme, each in a tab of its own, for the tests that only read
them (errors, requests, axe-core, the phone width, screenshots); a test that acts on a page
(search, print) opens its own.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import chromium
from site_tools import PROJECT_ROOT, driver_data, plain, serve_directory

pytestmark = pytest.mark.browser

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1280, "height": 1800}

# page type -> path in the site
PAGE_TYPES = {
    "home": "index.html",
    "drivers-overview": "drivers/index.html",
    "driver": "drivers/coaching.html",
    "assessing": "assessing.html",
    "assess": "assess.html",
    "ballot": "ballot.html",
    "principles": "principles.html",
    "implementation-support": "implementation-support.html",
    "references": "references.html",
    "downloads": "downloads.html",
}
# From the file system, the pages a reader meets first and the ones with their own script; over
# HTTP every page type (axe-core, the phone width and the screenshots use those tabs too).
FILE_VISITED = ["home", "drivers-overview", "driver", "assessing", "assess", "downloads"]
SCHEMES = ["file", "http"]
# The theme's search shows this until its index is loaded (over HTTP, at once after the page
# loads; from the file system, once the search box is first used).
SEARCH_LOADING = "Initializing search"


def test_chromium_is_installed():
    assert Path(chromium()).is_file()


@pytest.fixture(scope="module")
def http_root(built_site):
    with serve_directory(built_site) as base:
        yield base


@pytest.fixture(scope="module")
def roots(built_site, http_root) -> dict[str, str]:
    return {"file": built_site.resolve().as_uri() + "/", "http": http_root}


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("file", "data", "blob", "about") or parts.hostname == "127.0.0.1"


@dataclass
class Visit:
    """What one browser tab saw: console errors, uncaught exceptions, requests that left."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def site_errors(self) -> list[str]:
        """Errors of the site's own code: uncaught exceptions, console errors from local files."""
        return self.page_errors + [
            text for text in self.console_errors if not text.startswith("[remote] ")
        ]


def offline_context(browser, viewport: dict = VIEWPORT):
    """A fresh browser context that refuses every request to another host."""
    context = browser.new_context(viewport=viewport)

    def route(handle):
        if is_local(handle.request.url):
            handle.continue_()
        else:
            handle.abort()  # no network, as on a workshop laptop

    context.route("**/*", route)
    return context


def new_visit(context) -> Visit:
    """A new tab of `context` that records errors and outside requests."""
    page = context.new_page()
    visit = Visit(page)

    def console(message):
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            prefix = "" if not where or is_local(where) else "[remote] "
            visit.console_errors.append(f"{prefix}{message.text} ({where})")

    page.on("console", console)
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            None if is_local(request.url) else visit.outside_requests.append(request.url)
        ),
    )
    return visit


def rendered(page) -> None:
    """Wait until the browser has drawn the page as it stands (two animation frames)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def wait_for_search_index(page) -> None:
    """Wait until the theme's search has loaded its index (its message changes)."""
    page.wait_for_function(
        "text => !document.querySelector('.md-search-result__meta').textContent.includes(text)",
        arg=SEARCH_LOADING,
        timeout=10_000,
    )


@pytest.fixture
def open_tab(browser):
    contexts = []

    def _open(url: str | None = None, viewport: dict = VIEWPORT) -> Visit:
        context = offline_context(browser, viewport)
        contexts.append(context)
        visit = new_visit(context)
        if url is not None:
            visit.page.goto(url, wait_until="load")
            rendered(visit.page)
        return visit

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def site_tabs(browser, roots):
    """The pages, opened once per scheme (FILE_VISITED from the file system, every page type over
    HTTP), each in a tab of its own, one browser window per scheme; scheme -> page type -> what
    its tab saw. Tests only read these pages; one that changes a page puts it back as it was."""
    tabs: dict[str, dict[str, Visit]] = {scheme: {} for scheme in roots}
    contexts = []
    for scheme, base in roots.items():
        context = offline_context(browser)
        contexts.append(context)
        for page_type, path in PAGE_TYPES.items():
            if scheme == "http" or page_type in FILE_VISITED:
                visit = new_visit(context)
                visit.page.goto(base + path, wait_until="commit")  # they load side by side
                tabs[scheme][page_type] = visit
    for scheme, scheme_tabs in tabs.items():
        for visit in scheme_tabs.values():
            page = in_front(visit)
            page.wait_for_load_state("load")
            if scheme == "http":  # the search index loads after the page
                wait_for_search_index(page)
            rendered(page)
    yield tabs
    for context in contexts:
        context.close()


def in_front(visit: Visit):
    """The tab's page, brought to the front of its window: Chromium draws only the front tab."""
    visit.page.bring_to_front()
    return visit.page


# --- loading --------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_pages_request_nothing_from_other_hosts(site_tabs, scheme):
    requests = [url for visit in site_tabs[scheme].values() for url in visit.outside_requests]
    assert not requests, "requests to other hosts:\n" + "\n".join(sorted(set(requests)))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_pages_log_no_console_errors(site_tabs, scheme):
    errors = [
        f"{page_type}: {error}"
        for page_type, visit in site_tabs[scheme].items()
        for error in visit.console_errors + visit.page_errors
    ]
    assert not errors, "console errors:\n" + "\n".join(errors)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_pages_run_without_script_errors(site_tabs, scheme):
    """No uncaught exception and no console error from the site's own files."""
    errors = [
        f"{page_type}: {error}"
        for page_type, visit in site_tabs[scheme].items()
        for error in visit.site_errors()
    ]
    assert not errors, "\n".join(errors)
    # the pages did render: each page shows its one title
    headings = {
        page_type: " ".join(visit.page.locator("article h1").all_inner_texts())
        for page_type, visit in site_tabs[scheme].items()
    }
    assert all(heading.strip() for heading in headings.values()), headings


# --- search ---------------------------------------------------------------------------------


def search(visit: Visit, word: str) -> list[str]:
    """Type `word` into the theme's search box once its index is loaded; the results' hrefs."""
    page = visit.page
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        icon = page.locator("label.md-search__icon")
        if icon.is_visible():
            icon.click()
        else:
            page.keyboard.press("/")
    box.wait_for(state="visible", timeout=3000)
    box.focus()  # from the file system, the index loads when the box is first used
    wait_for_search_index(page)
    box.press_sequentially(word)
    page.wait_for_selector(".md-search-result__item", timeout=5000)
    items = page.locator(".md-search-result__item a")
    return [items.nth(index).get_attribute("href") or "" for index in range(items.count())]


def driver_results(hrefs: list[str]) -> set[str]:
    return {
        urlsplit(href).path.rsplit("/", 1)[-1]
        for href in hrefs
        if "/drivers/" in urlsplit(href).path or urlsplit(href).path.startswith("drivers/")
    }


def test_search_over_http_finds_driver_pages(open_tab, http_root):
    visit = open_tab(http_root + "index.html")
    hrefs = search(visit, "fidelity")
    assert hrefs, "the search for 'fidelity' showed no results"
    assert "fidelity.html" in driver_results(hrefs), hrefs
    assert not visit.site_errors()


def test_search_from_the_file_system_finds_driver_pages(open_tab, roots):
    visit = open_tab(roots["file"] + "drivers/coaching.html")
    hrefs = search(visit, "fidelity")
    assert "fidelity.html" in driver_results(hrefs), hrefs


def test_search_finds_a_best_practice_statement_word(open_tab, http_root):
    """A word from a Coaching best practice statement ("service delivery plan") finds Coaching."""
    statement = plain(driver_data()["coaching"]["best_practices"][2]["statement"])
    assert "delivery" in statement
    visit = open_tab(http_root + "drivers/index.html")
    hrefs = search(visit, "delivery")
    assert "coaching.html" in driver_results(hrefs), hrefs


# --- accessibility --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_axe_finds_no_serious_problems(site_tabs, axe, page_type):
    results = axe.run(in_front(site_tabs["http"][page_type]))
    serious = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]
    report = "\n".join(
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(
            " ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
            for node in violation["nodes"]
        )
        for violation in serious
    )
    assert not serious, f"{PAGE_TYPES[page_type]}:\n{report}"


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_fits_a_phone_screen(site_tabs, page_type):
    """The page, turned to a phone's width (the theme lays out again on resize), then back."""
    page = in_front(site_tabs["http"][page_type])
    try:
        page.set_viewport_size({"width": 375, "height": 800})
        rendered(page)
        width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.set_viewport_size(VIEWPORT)
        rendered(page)
    assert width <= 375, f"{PAGE_TYPES[page_type]} is {width}px wide on a 375px screen"


# --- print ----------------------------------------------------------------------------------


def test_printed_driver_page_shows_only_the_content(open_tab, roots):
    visit = open_tab(roots["file"] + "drivers/coaching.html")
    page = visit.page
    # on screen, the theme's furniture is there
    assert page.locator("header.md-header").is_visible()
    assert page.locator(".md-sidebar--primary").is_visible()
    page.emulate_media(media="print")
    for selector in (
        "header.md-header",
        ".md-sidebar--primary",
        ".md-sidebar--secondary",
        ".md-search",
        "input.md-search__input",
        "nav.md-nav--primary",
    ):
        shown = [
            index
            for index in range(page.locator(selector).count())
            if page.locator(selector).nth(index).is_visible()
        ]
        assert not shown, f"{selector} is visible when printed"
    practices = page.locator("section.tk-practice")
    expected = driver_data()["coaching"]["best_practices"]
    assert practices.count() == len(expected)
    for index, practice in enumerate(expected):
        statement = practices.nth(index).locator("h3.tk-statement")
        assert statement.is_visible()
        assert plain(practice["statement"]) in " ".join(statement.inner_text().split())
    assert page.locator("article h1").is_visible()


# --- screenshots ----------------------------------------------------------------------------


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_screenshot_of_each_page_type(site_tabs, page_type):
    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{page_type}.png"
    target.unlink(missing_ok=True)
    in_front(site_tabs["http"][page_type]).screenshot(path=str(target))
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10_000
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (VIEWPORT["width"], VIEWPORT["height"])
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None, f"{target} looks blank"
        assert len(colours) > 50, f"{target} looks blank"


# --- hostile content: no script runs, nothing leaves the site -------------------------------

# Markup the sanitizer and --check refuse, put into a built page as if a case had been missed:
# the page's Content-Security-Policy must still stop every part of it.
INJECTED = (
    '<p id="tk-injected" style="background-image: url(http://127.0.0.1:{port}/style.png)">x</p>'
    '<img src="http://127.0.0.1:{port}/img.png" onerror="window.tkRan = \'onerror\'">'
    "<script>window.tkRan = 'inline'</script>"
    '<iframe src="http://127.0.0.1:{port}/frame"></iframe>'
    '<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">'
    '<a id="tk-js" href="javascript:window.tkRan=\'link\'">j</a>'
)


@pytest.fixture(scope="module")
def hostile_pages(hostile_site, tmp_path_factory):
    """The shared hostile site (raw HTML, outside pictures and links, template syntax that
    --check lets through; see conftest), copied with a page holding refused markup injected; a
    listener on the port the content points at counts every connection."""
    from helpers import Listener

    site = tmp_path_factory.mktemp("hostile-browser") / "site"
    shutil.copytree(hostile_site["site"], site)
    port = hostile_site["port"]
    page = (site / "drivers" / "mentoring.html").read_text(encoding="utf-8")
    marker = '<div class="tk-driver-intro">'
    assert marker in page
    injected = page.replace(marker, INJECTED.format(port=port) + marker, 1)
    (site / "drivers" / "injected.html").write_text(injected, encoding="utf-8")
    listener = Listener(port)
    with serve_directory(site) as http_base:
        yield {"site": site, "http": http_base, "listener": listener}
    listener.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", ["mentoring.html", "injected.html"])
def test_hostile_content_runs_no_script_and_reaches_nothing(open_tab, hostile_pages, scheme, name):
    listener = hostile_pages["listener"]
    before = listener.accepted
    site = hostile_pages["site"].resolve().as_uri() + "/"
    visit = open_tab((site if scheme == "file" else hostile_pages["http"]) + "drivers/" + name)
    page = visit.page
    if name == "injected.html":
        page.locator("#tk-js").click()
    page.wait_for_load_state("networkidle")  # whatever the page would still load or run
    assert page.evaluate("window.tkRan") is None, "content ran a script"
    assert "STATEMENTMARK {{ config }}" in page.locator("article").inner_text()
    assert "<script>window.tkRan=1</script>" in page.locator("article").inner_text()
    # Chromium opens (and leaves unused) a connection for an iframe that frame-src then blocks;
    # no request may be sent on it, and content itself can never make an iframe.
    allowed = 1 if name == "injected.html" else 0
    assert listener.requests == [], "the page sent a request to another host"
    assert listener.accepted - before <= allowed
    assert not visit.outside_requests


@pytest.mark.parametrize("scheme", SCHEMES)
def test_content_ids_cannot_stand_in_for_the_pages_own(open_tab, hostile_pages, scheme):
    """The hostile statement and criterion set #__config, #header-program,
    #plan-next-assessment and #tk-assess-data (see conftest): the theme still reads its own
    settings, and the Assess page its own data and fields, so what the team types reaches the
    automatic copy and the totals are the page's."""
    site = hostile_pages["site"].resolve().as_uri() + "/"
    visit = open_tab((site if scheme == "file" else hostile_pages["http"]) + "assess.html")
    page = visit.page
    assert page.locator("text=STATEMENTMARK").count() > 0
    assert page.evaluate("document.querySelector('#__config').tagName") == "SCRIPT"
    page.locator("#tk-assess-tools").wait_for(state="visible")
    page.fill("#header-program", "Home Visiting")
    page.fill("#plan-next-assessment", "2027-05-03")
    page.locator(".tk-rating-group input[value=in-place]").first.check()
    overall = page.locator("[data-row=overall] [data-cell=percent]")
    assert overall.inner_text().strip() == "100%"
    copy = page.wait_for_function(
        """() => {
            const key = Object.keys(localStorage).find((k) =>
                k.startsWith("implementation-") && !/:(versions|unreadable)$/.test(k));
            const copy = key && JSON.parse(JSON.parse(localStorage.getItem(key)).text);
            return copy && copy.next_assessment && copy;
        }"""
    ).json_value()
    assert copy["header"]["program"] == "Home Visiting"
    assert copy["next_assessment"] == "2027-05-03"
    assert not visit.outside_requests


def test_a_long_name_in_the_navigation_stays_text_when_hovered(open_tab, hostile_pages):
    """The theme gives a truncated navigation entry a title made of its text; with its tooltips
    on, that title became HTML (the hostile Mentoring name's picture, with its handler)."""
    site = hostile_pages["site"].resolve().as_uri() + "/"
    page = open_tab(site + "drivers/funding.html").page
    entry = page.locator(".md-ellipsis:visible", has_text="Mentoring <img")  # the footer's Next
    assert entry.evaluate("e => e.offsetWidth < e.scrollWidth"), "the name is not truncated"
    entry.hover()
    page.wait_for_timeout(500)
    assert page.locator("img[src=x]").count() == 0
    assert page.locator(".md-tooltip2").count() == 0
