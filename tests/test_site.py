"""The built site, read as HTML (no browser): every driver page holds what its YAML says, every
link and download resolves, nothing is fetched from other sites, a new driver file is all it
takes to add a driver, content never turns into code, and MkDocs on its own builds strictly.

Most tests read `built_site` (the whole toolkit built once per session with `build_pdf.py
--site`). The expected content comes from the YAML files read as plain data, not from the loader.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_RUBRIC, HOSTILE_STATEMENT, run_build, run_cli
from helpers import replace_once
from site_tools import (
    PROJECT_ROOT,
    categories_data,
    driver_data,
    expected_rule,
    html_pages,
    load_yaml,
    page,
    parse_html,
    plain,
    references_data,
    references_in,
    resolve,
    site_path,
)

DRIVERS = driver_data()
DRIVER_IDS = sorted(DRIVERS)
SITE_ZIP = "implementation-toolkit-site.zip"


def driver_page(site: Path, driver_id: str):
    return page(site / "drivers" / f"{driver_id}.html")


def article(root):
    """The page's own content, without the theme's header, navigation and footer."""
    return root.one("article")


def section(root, heading_id: str):
    """Everything between the <h2 id=heading_id> and the next <h2>, as one list of elements."""
    body = article(root)
    nodes, inside = [], False
    for child in [c for c in body.children if not isinstance(c, str)]:
        if child.tag == "h2":
            inside = child.get("id") == heading_id
            continue
        if inside:
            nodes.append(child)
    assert nodes, f"no section under <h2 id={heading_id!r}>"
    return nodes


def mkdocs_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TOOLKIT_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


def run_mkdocs(site_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` from the project root, as a maintainer runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=PROJECT_ROOT,
        env=mkdocs_env(**env),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


# --- driver pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("driver_id", DRIVER_IDS)
def test_driver_page_numbers_every_best_practice_in_yaml_order(built_site, driver_id):
    data = DRIVERS[driver_id]
    practices = article(driver_page(built_site, driver_id)).find_all("section", "tk-practice")
    shown = [item.one("h3").text() for item in practices]
    expected = [
        f"{number}. {plain(practice['statement'])}"
        for number, practice in enumerate(data["best_practices"], start=1)
    ]
    assert shown == expected
    assert [item.get("id") for item in practices] == [p["id"] for p in data["best_practices"]]


@pytest.mark.parametrize("driver_id", DRIVER_IDS)
def test_driver_page_words_each_criteria_rule_and_lists_its_items(built_site, driver_id):
    practices = article(driver_page(built_site, driver_id)).find_all("section", "tk-practice")
    for practice, data in zip(practices, DRIVERS[driver_id]["best_practices"]):
        criteria = data.get("criteria")
        rules = practice.find_all("p", "tk-rule")
        if criteria is None:
            assert rules == [], f"{data['id']} has no criteria but shows a rule"
            continue
        assert [rule.text() for rule in rules] == [expected_rule(criteria) + ":"], data["id"]
        items = practice.one("ul", "tk-criteria-items").find_all("li")
        assert [item.text() for item in items] == [plain(i["text"]) for i in criteria["items"]]


@pytest.mark.parametrize(
    ("driver_id", "number", "words"),
    [
        ("selection", 5, "At least 3 of these 5:"),
        ("coaching", 2, "At least 1 of these or others like them:"),
        ("coaching", 3, "At least 3 of these 5:"),
        ("fidelity", 3, "All of the following:"),
    ],
)
def test_known_criteria_rules_read_as_the_tip_sheets_say(built_site, driver_id, number, words):
    practices = article(driver_page(built_site, driver_id)).find_all("section", "tk-practice")
    assert practices[number - 1].one("p", "tk-rule").text() == words


@pytest.mark.parametrize("driver_id", DRIVER_IDS)
def test_driver_page_lists_its_discussion_questions_in_order(built_site, driver_id):
    questions = section(driver_page(built_site, driver_id), "discussion-questions")
    shown = [node.text() for item in questions for node in item.find_all("h3", "tk-question-text")]
    expected = [
        f"{number}. {plain(question['text'])}"
        for number, question in enumerate(DRIVERS[driver_id]["questions"], start=1)
    ]
    assert shown == expected
    prompts = [node.text() for item in questions for node in item.find_all("ul", "tk-prompts")]
    assert prompts == [plain(" ".join(q["prompts"])) for q in DRIVERS[driver_id]["questions"]]


@pytest.mark.parametrize("driver_id", DRIVER_IDS)
def test_driver_page_cites_its_references(built_site, driver_id):
    references = references_data()
    items = [
        li
        for node in section(driver_page(built_site, driver_id), "references")
        for listing in node.find_all("ul", "tk-references")
        for li in listing.find_all("li")
    ]
    keys = DRIVERS[driver_id]["references"]
    assert [li.get("id") for li in items] == [f"ref-{key}" for key in keys]
    for li, key in zip(items, keys):
        assert li.text().startswith(plain(references[key]["citation"])), key
        if references[key].get("url"):
            assert references[key]["url"] in [a.get("href") for a in li.find_all("a")]


@pytest.mark.parametrize("driver_id", DRIVER_IDS)
def test_driver_page_shows_its_definition_under_its_name(built_site, driver_id):
    data = DRIVERS[driver_id]
    body = article(driver_page(built_site, driver_id))
    assert body.one("h1").text().rstrip("¶").strip() == data.get("title", data["name"])
    intro = body.one("div", "tk-driver-intro").text()
    for paragraph in data["definition"]:
        assert plain(paragraph) in intro


def test_every_page_navigation_links_to_every_driver_page(built_site):
    expected = {f"drivers/{driver_id}.html" for driver_id in DRIVER_IDS}
    for html in html_pages(built_site):
        nav = page(html).find("nav", "md-nav--primary")
        assert nav is not None, f"{site_path(built_site, html)} has no primary navigation"
        linked = set()
        for _node, _name, value in references_in(nav):
            target = resolve(built_site, html, value)
            if target is not None and target.is_relative_to(built_site.resolve()):
                linked.add(site_path(built_site, target))
        missing = expected - linked
        assert not missing, f"{site_path(built_site, html)}: navigation lacks {sorted(missing)}"


# --- links and downloads --------------------------------------------------------------------


@pytest.mark.parametrize("driver_id", DRIVER_IDS)
def test_driver_page_offers_tip_sheet_and_checklist_on_both_papers(built_site, driver_id):
    html = built_site / "drivers" / f"{driver_id}.html"
    row = article(page(html)).one("div", "tk-download-row")
    links = {a.get("href"): a.text() for a in row.find_all("a")}
    for kind in ("tip-sheet", "checklist"):
        for paper, label in (("letter", "US Letter"), ("a4", "A4")):
            href = f"../pdf/{kind}-{driver_id}-print-{paper}.pdf"
            assert href in links, f"no {kind} on {label} among {sorted(links)}"
            assert links[href].startswith(label)
    for href in links:
        target = resolve(built_site, html, href)
        assert target.is_file(), f"{href} is a dead download link"
        assert target.read_bytes()[:5] == b"%PDF-", f"{href} is not a PDF"


def test_downloads_page_says_what_every_pdf_it_links_is(built_site):
    """The page's claim about the variants holds for each file it links: PDF/UA-1, fillable
    ones included (it once said they were not, after they had become so)."""
    from pdf_tools import pdfua_part

    html = built_site / "downloads.html"
    shown = " ".join(article(page(html)).text().split())
    assert "Every PDF is an accessible tagged PDF (PDF/UA-1)." in shown
    assert "not PDF/UA" not in shown
    linked = {
        value
        for _n, name, value in references_in(article(page(html)))
        if name == "href" and value.startswith("pdf/") and "-fillable-" in value
    }
    assert linked
    assert {href: pdfua_part(resolve(built_site, html, href)) for href in linked} == dict.fromkeys(
        linked, "1"
    )


def test_every_pdf_link_on_downloads_page_is_a_real_pdf(built_site):
    html = built_site / "downloads.html"
    hrefs = [
        value
        for _n, name, value in references_in(article(page(html)))
        if name == "href" and value.startswith("pdf/")
    ]
    assert len(hrefs) >= 60
    dead = [href for href in hrefs if not resolve(built_site, html, href).is_file()]
    assert not dead, f"dead PDF links: {dead}"


def test_every_relative_link_in_every_page_resolves(built_site):
    dead, checked = [], 0
    for html in html_pages(built_site):
        for _node, _name, value in references_in(page(html)):
            target = resolve(built_site, html, value)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                dead.append(f"{site_path(built_site, html)}: {value}")
    assert checked > 300
    assert not dead, "dead links:\n" + "\n".join(dead)


def test_only_the_404_page_uses_root_absolute_links(built_site):
    """Pages opened from the file system or a zip break on links that start with /."""
    offenders = [
        f"{site_path(built_site, html)}: {value}"
        for html in html_pages(built_site)
        if html.name != "404.html"
        for _node, _name, value in references_in(page(html))
        if value.startswith("/") and not value.startswith("//")
    ]
    assert not offenders, "\n".join(offenders)


def test_no_plain_http_links_except_reference_urls(built_site):
    allowed = {
        item["url"]
        for item in references_data().values()
        if item.get("url", "").startswith("http:")
    }
    found = {
        f"{site_path(built_site, html)}: {value}"
        for html in html_pages(built_site)
        for _node, _name, value in references_in(page(html))
        if value.lower().startswith("http:") and value not in allowed
    }
    assert not found, "\n".join(sorted(found))


def test_references_page_links_every_reference_url(built_site):
    hrefs = {a.get("href") for a in article(page(built_site / "references.html")).find_all("a")}
    urls = {item["url"] for item in references_data().values() if item.get("url")}
    assert urls
    assert urls <= hrefs


def test_downloads_page_lists_every_built_pdf_with_its_page_count(built_site):
    manifest = json.loads((built_site / "pdf" / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["printables"]
    assert len(entries) >= 60
    cells = {}
    for cell in article(page(built_site / "downloads.html")).find_all("td"):
        for a in cell.find_all("a"):
            if (a.get("href") or "").startswith("pdf/"):
                cells[a.get("href")[len("pdf/") :]] = cell.text()
    for entry in entries:
        assert entry["file"] in cells, f"{entry['file']} is built but not on the Downloads page"
        pages = entry["pages"]
        words = f"{pages} page{'s' if pages != 1 else ''},"
        assert words in cells[entry["file"]], f"{entry['file']}: {cells[entry['file']]!r}"
    assert set(cells) == {entry["file"] for entry in entries}


def test_site_zip_is_linked_and_holds_the_whole_site(built_site):
    hrefs = [a.get("href") for a in article(page(built_site / "downloads.html")).find_all("a")]
    assert SITE_ZIP in hrefs
    archive_file = built_site / SITE_ZIP
    assert zipfile.is_zipfile(archive_file)
    with zipfile.ZipFile(archive_file) as archive:
        assert archive.testzip() is None
        names = set(archive.namelist())
        roots = {name.split("/", 1)[0] for name in names}
        assert len(roots) == 1, f"the zip should unpack into one folder, not {sorted(roots)}"
        (root,) = roots
        assert archive.read(f"{root}/index.html") == (built_site / "index.html").read_bytes()
        for pdf in (built_site / "pdf").glob("*.pdf"):
            assert f"{root}/pdf/{pdf.name}" in names, f"{pdf.name} is not in the zip"
        for html in html_pages(built_site):
            assert f"{root}/{site_path(built_site, html)}" in names
        assert f"{root}/search/search_index.js" in names
        assert not any(name.endswith(".zip") for name in names)


def test_no_page_shows_an_empty_announcement_banner(built_site):
    empty = [
        site_path(built_site, html)
        for html in html_pages(built_site)
        for banner in page(html).find_all("aside", "md-banner")
        if not banner.text()
    ]
    assert not empty, f"empty banner on {empty}"


# --- offline --------------------------------------------------------------------------------

REMOTE = re.compile(r"^(https?:)?//", re.I)


def test_no_page_loads_anything_from_another_site(built_site):
    remote = []
    for html in html_pages(built_site):
        for node in page(html).iter():
            for name in ("src", "href"):
                value = node.get(name)
                if value is None or not REMOTE.match(value):
                    continue
                if node.tag in ("script", "img", "iframe", "source", "audio", "video", "embed") or (
                    node.tag == "link" and name == "href"
                ):
                    remote.append(f"{site_path(built_site, html)}: <{node.tag} {name}={value}>")
    assert not remote, "remote resources:\n" + "\n".join(sorted(set(remote)))


def test_no_web_fonts_from_google(built_site):
    offenders = [
        site_path(built_site, file)
        for file in built_site.rglob("*")
        if file.suffix in (".html", ".css", ".js")
        and re.search(r"fonts\.(googleapis|gstatic)\.com", file.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_style_sheets_load_nothing_remote(built_site):
    offenders = []
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if REMOTE.match(url):
                offenders.append(f"{site_path(built_site, css)}: {url}")
        for url in re.findall(r"@import\s+['\"]([^'\"]+)", css.read_text(encoding="utf-8")):
            if REMOTE.match(url):
                offenders.append(f"{site_path(built_site, css)}: {url}")
    assert not offenders


def test_search_index_exists_for_offline_search(built_site):
    index_js = built_site / "search" / "search_index.js"
    assert index_js.is_file()
    text = index_js.read_text(encoding="utf-8")
    assert text.startswith("var __index = ")
    index = json.loads(text[len("var __index = ") :])
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {f"drivers/{driver_id}.html" for driver_id in DRIVER_IDS} <= locations
    coaching_statement = plain(DRIVERS["coaching"]["best_practices"][0]["statement"])
    assert any(coaching_statement in doc["text"] for doc in index["docs"])


# --- what the pages claim, and where it comes from ----------------------------------------------


def test_every_page_that_cites_a_work_lists_its_reference(built_site):
    """An in-text citation ("Metz et al., 2015") is followed, on the same page, by the full
    reference: a reader never meets a citation with nowhere to look it up."""
    references = references_data()
    unlisted = []
    for file in html_pages(built_site):
        body = file.read_text(encoding="utf-8")
        if "<article" not in body or file.name == "references.html":
            continue
        root = article(page(file))
        listed = {li.get("id") for li in root.find_all("li") if li.get("id")}
        for key, reference in references.items():
            if reference["short"] in root.text() and f"ref-{key}" not in listed:
                unlisted.append(f"{site_path(built_site, file)}: {reference['short']}")
    assert unlisted == []


def test_drivers_overview_lists_the_works_its_introduction_cites(built_site):
    references = references_data()
    items = [
        li
        for node in section(page(built_site / "drivers" / "index.html"), "references")
        for li in node.find_all("li")
    ]
    shown = {li.get("id"): li.text() for li in items}
    assert {"ref-metz-2015", "ref-fixsen-2005", "ref-metz-bartley-2012"} <= set(shown)
    for key in ("metz-2015", "fixsen-2005", "metz-bartley-2012"):
        assert shown[f"ref-{key}"].startswith(plain(references[key]["citation"]))


# No source document says how often to assess again: a page that names an interval ("every
# 6-12 months", "each year") claims what the sources do not.
INTERVAL = re.compile(
    r"\b(?:\d+\s*(?:[-–]\s*\d+\s*)?(?:weeks?|months?|years?)|every (?:year|month|quarter))\b"
)


def test_no_page_names_an_interval_between_assessments_that_no_source_gives(built_site):
    named = [
        f"{site_path(built_site, file)}: {found}"
        for file in html_pages(built_site)
        if "<article" in file.read_text(encoding="utf-8")
        for found in INTERVAL.findall(article(page(file)).text())
    ]
    assert named == []


def test_assess_page_leaves_when_to_assess_again_to_the_team(built_site):
    intro = article(page(built_site / "assess.html")).one("div", "tk-assess-intro").text()
    assert "when to assess again is the team’s choice" in intro
    assert "the source documents set no interval" in intro


def test_support_page_marks_the_edited_stage_introduction_as_the_toolkits_edit(built_site):
    stages = load_yaml(PROJECT_ROOT / "rubric" / "implementation-support.yaml")["stages"]
    nodes = section(page(built_site / "implementation-support.html"), "stage-questions")
    paragraphs = [p for node in nodes for p in node.find_all("p")]
    texts = [p.text() for p in paragraphs]
    introduction = texts.index(plain(stages["introduction"][-1]))
    mark = paragraphs[introduction + 1]
    assert "tk-source" in mark.classes
    assert mark.text() == plain(stages["edited"])
    assert mark.text().startswith("This toolkit’s edit:")


def test_forms_named_after_the_guides_tools_say_where_their_items_come_from(built_site):
    """The Assess page (the checklist and scoring form on screen) says, as the toolkit's own
    wording, that its items are the tip sheets' best practices."""
    scoring = load_yaml(PROJECT_ROOT / "rubric" / "forms.yaml")["scoring"]
    intro = article(page(built_site / "assess.html")).one("div", "tk-assess-intro").text()
    assert f"This toolkit’s wording: {plain(scoring['items_from'])}" in intro


def test_home_page_leads_with_what_the_toolkit_offers_and_keeps_provenance_to_a_line(built_site):
    root = article(page(built_site / "index.html"))
    assert root.find_all("dl") == []  # no list of sources: the References page has it
    (provenance,) = root.find_all("p", "tk-provenance")
    assert [a.get("href") for a in provenance.find_all("a")] == ["references.html#source-materials"]
    assert len(provenance.text()) < 300
    cards = root.one("div", "tk-paths")
    order = list(root.iter())
    assert order.index(cards) < order.index(provenance)
    assert "One page per driver" not in cards.text()  # the tip sheets run to two pages


def test_assess_page_names_each_category_total_as_the_pdfs_do(built_site):
    names = [category["name"] for category in categories_data()]
    root = article(page(built_site / "assess.html"))
    rows = root.find_all("tr", "tk-total-category")
    assert [row.one("th").text() for row in rows] == names


# --- the drivers overview diagram -----------------------------------------------------------


def diagram(site: Path):
    svgs = article(page(site / "drivers" / "index.html")).find_all("svg")
    diagrams = [svg for svg in svgs if svg.get("role") == "img"]
    assert len(diagrams) == 1, f"expected one inline <svg role=img>, found {len(diagrams)}"
    return diagrams[0]


def label_texts(svg) -> list[str]:
    return [node.text() for node in svg.find_all("text")]


def test_drivers_overview_has_an_accessible_diagram_of_drivers_and_categories(built_site):
    svg = diagram(built_site)
    title = svg.one("title")
    assert title.text()
    labelled_by = (svg.get("aria-labelledby") or "").split()
    assert title.get("id") in labelled_by
    used = [c for c in categories_data() if any(d["category"] == c["id"] for d in DRIVERS.values())]
    expected = sorted([c["name"] for c in used] + [d["name"] for d in DRIVERS.values()])
    assert sorted(label_texts(svg)) == expected
    # role="img" is one image to a screen reader: nothing inside may take focus (axe
    # nested-interactive); the lists below the diagram link to the driver pages instead
    assert svg.get("role") == "img"
    assert svg.find_all("a") == []


EXAMPLE_DRIVER = {
    "origin": "toolkit",
    "id": "example-driver",
    "name": "Example Driver",
    "category": "competency",
    "order": 9,
    "definition": ["The example driver is defined as a test of a driver added by one file."],
    "best_practices": [
        {
            "id": "example-driver-first",
            "statement": "Staff run the first example practice.",
            "explanation": "The first example practice is run every month.",
            "criteria": {
                "rule": "at_least",
                "count": 2,
                "items": [
                    {"id": "first", "text": "a first item;"},
                    {"id": "second", "text": "a second item;"},
                    {"id": "third", "text": "a third item."},
                ],
            },
        },
        {
            "id": "example-driver-second",
            "statement": "Staff review the second example practice.",
            "explanation": "The second example practice is reviewed every quarter.",
        },
    ],
    "questions": [
        {
            "id": "example-driver-q-first",
            "text": "How do staff run the first example practice?",
            "prompts": ["How often?"],
            "source": "example-driver-first",
        },
    ],
    "references": ["fixsen-2005"],
}
REMOVED_DRIVER = "funding"  # the fixture rubric's organization driver


@pytest.fixture(scope="module")
def changed_site(tmp_path_factory, project_root) -> Path:
    """A copy of the fixture rubric with one driver file added (example-driver) and one removed,
    built with `build_pdf.py --site --rubric` for one paper (A4), so its links show that a
    one-paper site links only the PDFs it has."""
    base = tmp_path_factory.mktemp("changed")
    rubric = Path(shutil.copytree(FIXTURE_RUBRIC, base / "rubric"))
    (rubric / "drivers" / f"{REMOVED_DRIVER}.yaml").unlink()
    (rubric / "drivers" / "example-driver.yaml").write_text(
        "# yaml-language-server: $schema=../../macros/source/schemas/driver.schema.json\n"
        + yaml.safe_dump(EXAMPLE_DRIVER, sort_keys=False),
        encoding="utf-8",
    )
    site = base / "site"
    result = run_cli("--site", "--paper", "a4", "--rubric", str(rubric), "--out", str(site))
    assert result.returncode == 0, result.stderr
    return site


def test_new_driver_file_gets_its_page(changed_site):
    body = article(page(changed_site / "drivers" / "example-driver.html"))
    assert body.one("h1").text().rstrip("¶").strip() == "Example Driver"
    statements = [h3.text() for h3 in body.find_all("h3", "tk-statement")]
    assert statements == [
        "1. Staff run the first example practice.",
        "2. Staff review the second example practice.",
    ]
    assert body.one("p", "tk-rule").text() == "At least 2 of these 3:"
    for href in [a.get("href") for a in body.one("div", "tk-download-row").find_all("a")]:
        assert resolve(changed_site, changed_site / "drivers" / "x.html", href).is_file(), href


def test_new_driver_file_gets_a_navigation_entry_under_its_category(changed_site):
    for html in html_pages(changed_site):
        nav = page(html).one("nav", "md-nav--primary")
        entries = [
            a for a in nav.find_all("a") if (a.get("href") or "").endswith("example-driver.html")
        ]
        assert entries, site_path(changed_site, html)
        assert entries[0].text() == "Example Driver", site_path(changed_site, html)
    # order 9: listed last among the competency drivers on the overview
    competency = [
        a.text()
        for a in section(page(changed_site / "drivers" / "index.html"), "category-competency")[
            0
        ].find_all("a")
    ]
    assert competency[-1] == "Example Driver"


def test_new_driver_file_gets_a_diagram_label(changed_site):
    svg = diagram(changed_site)
    assert label_texts(svg).count("Example Driver") == 1


def test_removed_driver_file_leaves_no_page_link_or_label(changed_site):
    name = "Funding"
    assert not (changed_site / "drivers" / f"{REMOVED_DRIVER}.html").exists()
    assert name not in label_texts(diagram(changed_site))
    for html in html_pages(changed_site):
        hrefs = [value for _n, _a, value in references_in(page(html))]
        assert not [h for h in hrefs if REMOVED_DRIVER in h], site_path(changed_site, html)
    assert not list((changed_site / "pdf").glob(f"*{REMOVED_DRIVER}*"))


def test_changed_rubric_site_for_one_paper_has_no_dead_links(changed_site):
    assert not list((changed_site / "pdf").glob("*-letter.pdf"))
    dead = [
        f"{site_path(changed_site, html)}: {value}"
        for html in html_pages(changed_site)
        for _n, _a, value in references_in(page(html))
        if (target := resolve(changed_site, html, value)) is not None and not target.is_file()
    ]
    assert not dead, "\n".join(dead)


# --- content is data, never code (the shared hostile fixture, see conftest) -------------------


def test_hostile_statement_and_definition_show_as_literal_text(hostile_site):
    root = page(hostile_site["site"] / "drivers" / "mentoring.html")
    body = article(root)
    statement = body.find_all("h3", "tk-statement")[0].text()
    assert statement.startswith(f"1. {HOSTILE_STATEMENT} STATEMENTMARK {{{{ config }}}}")
    intro = body.one("div", "tk-driver-intro").text()
    assert 'DEFINITIONMARK {{ config }} {% include "x" %} {% raw %} <script>' in intro
    assert not re.search(r"\b49\b", root.text()), "a template expression was evaluated"


def test_hostile_content_adds_no_script_or_outside_image(hostile_site):
    root = page(hostile_site["site"] / "drivers" / "mentoring.html")
    scripts = [node.raw_text() for node in root.find_all("script")]
    assert not [s for s in scripts if "tkRan" in s]
    assert not [n for n in root.iter() if n.get("onerror")]
    outside = [
        node
        for node in root.iter()
        if node.tag in ("img", "image", "source", "iframe")
        and any("127.0.0.1" in (value or "") for value in node.attrs.values())
    ]
    assert not outside
    # No picture becomes a link; the only outside link is the one the content writes as a link.
    links = {a.get("href") for a in root.find_all("a") if "127.0.0.1" in (a.get("href") or "")}
    assert links <= {f"http://127.0.0.1:{hostile_site['port']}/x"}


def test_hostile_content_stays_escaped_in_the_search_index(hostile_site):
    """Material renders the index's text as HTML in the results, so it must arrive escaped."""
    index_file = hostile_site["site"] / "search" / "search_index.json"
    index = json.loads(index_file.read_text(encoding="utf-8"))
    docs = [doc for doc in index["docs"] if doc["location"].startswith("drivers/mentoring")]
    text = " ".join(doc["title"] + " " + doc["text"] for doc in docs)
    assert "{{ 7*7 }}" in text
    assert "<script" not in text
    assert "<img" not in text
    assert "&lt;script&gt;window.tkRan=1&lt;/script&gt;" in text


def test_hostile_driver_name_shows_literally_in_navigation(hostile_site):
    """A driver's name reaches MkDocs' navigation, page title and header, which the theme prints
    unescaped and mkdocs-macros renders as Jinja: it must still read literally."""
    for name in ("index.html", "drivers/mentoring.html"):
        root = parse_html((hostile_site["site"] / name).read_text(encoding="utf-8"))
        assert not [n for n in root.iter() if n.get("onerror")], f"{name}: live onerror attribute"
        assert not [n for n in root.iter() if n.tag == "img" and n.get("src") == "x"], name
        nav = root.one("nav", "md-nav--primary")
        entries = [
            a.text() for a in nav.find_all("a") if a.get("href", "").endswith("mentoring.html")
        ]
        shown = re.sub(r"__(\w+)__", r"\1", hostile_site["name"])  # Markdown: __x__ is strong
        assert entries == [shown], f"{name}: {entries}"
        assert not re.search(r"\b49\b", root.text() + root.one("title").text()), name


# --- MkDocs on its own ----------------------------------------------------------------------


def test_mkdocs_strict_build_from_project_root_succeeds(tmp_path):
    site = tmp_path / "site"
    result = run_mkdocs(site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for driver_id in DRIVER_IDS:
        assert (site / "drivers" / f"{driver_id}.html").is_file()
    assert (site / "index.html").is_file()
    assert (site / "search" / "search_index.js").is_file()


def test_mkdocs_build_of_a_broken_rubric_reports_file_line_column(tmp_path, fixture_rubric_copy):
    mentoring = fixture_rubric_copy / "drivers" / "mentoring.yaml"
    line = replace_once(mentoring, "\nname: Mentoring\n", "\nnmae: Mentoring\n") + 1
    result = run_mkdocs(tmp_path / "site", TOOLKIT_RUBRIC=str(fixture_rubric_copy))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(
        rf"drivers/mentoring\.yaml:{line}:1: nmae: unknown key 'nmae'; did you mean 'name'\?",
        output,
    ), output
    assert "Traceback" not in output
    assert not (tmp_path / "site" / "drivers" / "mentoring.html").exists()


def test_build_pdf_site_with_a_broken_rubric_reports_it_and_keeps_no_half_site(
    tmp_path, fixture_rubric_copy
):
    mentoring = fixture_rubric_copy / "drivers" / "mentoring.yaml"
    line = replace_once(mentoring, "\nname: Mentoring\n", "\nnmae: Mentoring\n") + 1
    result = run_build(
        *("--site", "--rubric", str(fixture_rubric_copy), "--out", str(tmp_path / "site")),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "rubric/drivers/mentoring.yaml:3:1: name: is required but missing",
        f"rubric/drivers/mentoring.yaml:{line}:1: nmae: unknown key 'nmae'; did you mean 'name'?",
        "2 problems in the rubric; nothing was built.",
    ]
    assert result.stdout == ""
    assert not (tmp_path / "site").exists()


def test_mkdocs_watches_rubric_macros_and_overrides(project_root):
    config = load_yaml(project_root / "mkdocs.yml")
    watched = {Path(entry).as_posix().rstrip("/") for entry in config.get("watch") or []}
    assert {"rubric", "macros", "overrides"} <= watched
    for folder in ("rubric", "macros", "overrides"):
        assert (project_root / folder).is_dir()


def test_rule_words_say_all_when_every_item_must_hold():
    from macros.model import Criteria, Origin
    from macros.render.environment import rule_words

    own = Origin("toolkit")
    assert rule_words(Criteria("all", ("a", "b"), origin=own)) == "All of the following"
    assert rule_words(Criteria("at_least", ("a", "b", "c"), 2, origin=own)) == (
        "At least 2 of these 3"
    )
    assert rule_words(Criteria("at_least", ("a",), 1, origin=own)) == "All of the following"
    examples = Criteria("at_least", ("a", "b"), 1, examples=True, origin=own)
    assert rule_words(examples) == "At least 1 of these or others like them"
