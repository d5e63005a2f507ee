"""From saved assessment files to PDFs (build_pdf.py --assessment): the filled form holds every
rating, tick and note, the action plan exactly the chosen best practices, the report the totals
totals.py computes and the change between rounds; bad files stop the build with their message.

The files printed are invented rounds of the fixture rubric (tests/fixtures/rubric), which makes
every kind of PDF the real toolkit makes, in a few pages. The builds run the command line's own
code in this process; the reproducibility check alone starts a fresh one (its own hash seed).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import page
import pytest
from conftest import FIXTURE_RUBRIC, PROJECT_ROOT, run_cli
from layout_tools import layout_of, lone_words
from pdf_tools import fields_of, norm, pages_of, pdfua_part, reader_of, text_of

from macros.assessment import read_assessment, rubric_data, totals
from macros.assessment.fileformat import criterion_ids, practices

EXAMPLE = PROJECT_ROOT / "examples" / "assessment-example.json"
CASES = PROJECT_ROOT / "tests" / "cases"
# Typed by a team: must print as it is, never run as a template nor read as HTML.
HOSTILE_NOTE = "{{ 7 * 7 }} {% if x %}<b>not bold</b> & <script>alert(1)</script>"
FIXTURE = ("--paper", "letter", "--rubric", str(FIXTURE_RUBRIC))
ONE = ("--assessment", "team.json", *FIXTURE)
TWO = ("--assessment", "spring.json", "--assessment", "autumn.json", *FIXTURE)  # newest first


def build(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    """`build_pdf.py ARGS` run from `cwd` with TOOLKIT_CACHE=`cache`, in this process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOOLKIT_CACHE", str(cache))
        patch.chdir(cwd)
        return run_cli(*args)


def second_round(saved: dict) -> dict:
    """A later, invented round of the real example: a checklist where Selection improved."""
    later = json.loads(json.dumps(saved))
    later["header"].update(kind="checklist", date="2027-05-03")
    protocols = later["practices"]["selection-protocols"]
    every = ["core-skills", "skill-procedures", "feedback-procedures", "adherence-review"]
    protocols.update(rating="in-place", criteria=[*every, "rating-record"])
    later["practices"]["selection-review"]["rating"] = "in-place"
    later["practices"]["coaching-effectiveness"]["rating"] = "partially-in-place"
    later["practices"]["training-accountable"]["notes"] = HOSTILE_NOTE
    for entry in later["practices"].values():
        entry.pop("action", None)
    return later


def fixture_file(data: dict, kind: str, date: str, entries: dict) -> dict:
    """An assessment file of the fixture rubric; `entries`: id -> (rating, criteria, notes),
    the criteria by number (from 1), written as their ids."""
    known = practices(data)
    return {
        "format": "implementation-toolkit-assessment",
        "format_version": 2,
        "toolkit": dict(data["toolkit"]),
        "header": {
            "kind": kind,
            "program": "Fixture Program <Pilot>",
            "organization": "North Clinic & Partners",
            "date": date,
            "team": "Ana, director\nBen, coach",
        },
        "practices": {
            id_: {
                "rating": rating,
                "criteria": [criterion_ids(known[id_])[n - 1] for n in criteria],
                "notes": notes,
            }
            for id_, (rating, criteria, notes) in entries.items()
        },
    }


@pytest.fixture(scope="session")
def data(toolkit) -> dict:
    return rubric_data(toolkit)


@pytest.fixture(scope="session")
def fixture_data(fixture_toolkit) -> dict:
    return rubric_data(fixture_toolkit)


@pytest.fixture(scope="session")
def rounds(tmp_path_factory, fixture_data) -> Path:
    """Invented files of the fixture rubric: team.json, a consensus scoring with two best
    practices chosen for the plan; autumn.json, saved with an older toolkit version (one retired
    item); spring.json, a later checklist where Mentoring improved and Funding fell, no plan."""
    folder = tmp_path_factory.mktemp("rounds")
    team = fixture_file(
        fixture_data,
        "consensus-scoring",
        "2026-11-02",
        {
            "mentoring-accountable": ("in-place", [1, 2], "Agreed by the whole team."),
            "mentoring-provided": ("partially-in-place", [1, 4], "Peer mentoring only."),
            "funding-shared-understanding": ("not-in-place", [], ""),
            "funding-shared-learning": (None, [], ""),
        },
    )
    team["practices"]["mentoring-provided"]["action"] = {
        "strategy": "Name a mentor for each new staff member",
        "priority": "quick-win",
        "responsible": "Program manager",
        "resources": "",
        "timeline": "2027-01-15",
        "status": "",
    }
    team["practices"]["funding-shared-understanding"]["action"] = {
        "strategy": "Share the budget summary at the team meeting",
        "priority": "longer-term",
        "responsible": "",
        "resources": "Budget summary",
        "timeline": "",
        "status": "Not started",
    }
    autumn = fixture_file(
        fixture_data,
        "consensus-scoring",
        "2026-11-02",
        {
            "mentoring-accountable": ("partially-in-place", [1], ""),
            "mentoring-provided": ("not-in-place", [], ""),
            "funding-shared-understanding": ("in-place", [1, 2, 3], ""),
            "funding-shared-learning": (None, [], ""),
            "mentoring-retired-practice": ("in-place", [], "Kept from the older version"),
        },
    )
    autumn["toolkit"]["content_version"] = "0123456789abcdef"
    autumn["practices"]["mentoring-provided"]["criteria"] = ["retired-criterion"]
    spring = fixture_file(
        fixture_data,
        "checklist",
        "2027-05-03",
        {
            "mentoring-accountable": ("in-place", [1, 2], "Agreed at the spring review."),
            "mentoring-provided": ("partially-in-place", [1], ""),
            "funding-shared-understanding": ("in-place", [1, 2], ""),
            "funding-shared-learning": ("not-in-place", [], HOSTILE_NOTE),
        },
    )
    for name, content in (("team", team), ("autumn", autumn), ("spring", spring)):
        (folder / f"{name}.json").write_text(json.dumps(content), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory, rounds) -> dict[str, Path]:
    """One build of team.json alone and one of the two rounds, on Letter, sharing a cache.

    Rendered one after another in this process (--jobs 1): for a few small PDFs, starting
    WeasyPrint in each worker of a pool costs more than it saves."""
    cache = tmp_path_factory.mktemp("cache")
    one = tmp_path_factory.mktemp("one") / "pdfs"
    result = build(*ONE, "--jobs", "1", "--out", str(one), cwd=rounds, cache=cache)
    assert result.returncode == 0, result.stderr
    two = tmp_path_factory.mktemp("two") / "pdfs"
    result = build(*TWO, "--jobs", "1", "--out", str(two), cwd=rounds, cache=cache)
    assert result.returncode == 0, result.stderr
    return {"one": one, "two": two, "cache": cache, "two_said": result.stderr}


def test_the_set_and_its_manifest(built):
    manifest = json.loads((built["one"] / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(entry["file"] for entry in manifest["printables"])
    assert files == [
        "team-action-plan-fillable-letter.pdf",
        "team-action-plan-print-letter.pdf",
        "team-results-report-print-letter.pdf",
        "team-scoring-form-print-letter.pdf",  # the file is a consensus scoring
    ]
    assert sorted(p.name for p in built["one"].glob("*.pdf")) == files
    for entry in manifest["printables"]:
        assert entry["assessments"] == [{"file": "team.json", "date": "2026-11-02"}]
        assert pdfua_part(built["one"] / entry["file"]) == "1", entry["file"]
        report = page.validate_pdf(built["one"] / entry["file"], profile="ua1")
        assert report.is_compliant, [failure.rule_id for failure in report.failures]
    two = json.loads((built["two"] / "manifest.json").read_text(encoding="utf-8"))
    report = next(e for e in two["printables"] if e["kind"] == "results-report")
    assert report["file"] == "spring-results-report-print-letter.pdf"  # named after the latest
    assert [item["file"] for item in report["assessments"]] == ["autumn.json", "spring.json"]


def test_no_cell_of_a_filled_printable_leaves_a_word_alone(built):
    """As in the blank set (test_paper.py): no line of one word where the next would fit. The
    results report draws its chart as an image, which layout_tools refuses to measure: the
    report is left to test_lost_words.py, the filled form and plans are read here."""
    pdfs = [pdf for pdf in sorted(built["one"].glob("*.pdf")) if "results-report" not in pdf.name]
    assert [pdf.name for pdf in pdfs] == [
        "team-action-plan-fillable-letter.pdf",
        "team-action-plan-print-letter.pdf",
        "team-scoring-form-print-letter.pdf",
    ]
    lone = {pdf.name: [w for page in layout_of(pdf) for w in lone_words(page)] for pdf in pdfs}
    assert {name: words for name, words in lone.items() if words} == {}
    assert any(
        page.cells() for page in layout_of(built["one"] / "team-scoring-form-print-letter.pdf")
    )


def test_filled_form_holds_every_rating_tick_and_note(built, fixture_data, rounds):
    data = fixture_data
    assessment = read_assessment(rounds / "team.json", data)
    scores = {rating["id"]: rating["score"] for rating in data["scale"]}
    text = text_of(built["one"] / "team-scoring-form-print-letter.pdf")
    for key in ("program", "organization", "date"):
        assert norm(getattr(assessment.header, key)) in text
    assert norm(assessment.header.team) in text
    expected = [scores[e.rating] for e in assessment.practices.values() if e.rating is not None]
    assert [int(score) for score in re.findall(r"Score: (\d)", text)] == expected
    ticked = sum(len(entry.criteria) for entry in assessment.practices.values())
    assert text.count("✓") == ticked
    for entry in assessment.practices.values():
        if entry.notes:
            assert norm(entry.notes) in text


def test_filled_form_says_what_the_ticks_suggest_as_the_assess_page_does(
    built, fixture_data, rounds
):
    """Each best practice with criteria prints the suggestion of Python's totals.suggestion,
    which the case corpus holds to the Assess page's words."""
    from macros.assessment.fileformat import practices
    from macros.assessment.totals import suggestion

    assessment = read_assessment(rounds / "team.json", fixture_data)
    text = text_of(built["one"] / "team-scoring-form-print-letter.pdf")
    with_criteria = [p for p in practices(fixture_data).values() if p["criteria"]]
    for practice in with_criteria:
        entry = assessment.practices[practice["id"]]
        said = suggestion(fixture_data, practice, list(entry.criteria))["text"]
        assert f"From the ticks: {norm(said)}" in text, practice["id"]
    assert text.count("From the ticks: ") == len(with_criteria)


def test_filled_checklist_holds_ratings_and_prints_typed_text_as_text(built, fixture_data, rounds):
    text = text_of(built["two"] / "spring-checklist-print-letter.pdf")
    later = json.loads((rounds / "spring.json").read_text(encoding="utf-8"))
    labels = {rating["id"]: rating["label"] for rating in fixture_data["scale"]}
    order = list(practices(fixture_data))
    expected = [
        labels[later["practices"][id_]["rating"]]
        for id_ in order
        if later["practices"][id_]["rating"]
    ]
    assert len(expected) == 4
    chosen = re.findall("Rating: (" + "|".join(map(re.escape, labels.values())) + ")", text)
    assert chosen == expected
    assert norm(HOSTILE_NOTE) in text  # literally: not 49, not bold, no script


def test_action_plan_lists_exactly_the_chosen_best_practices(built, fixture_data, rounds):
    data = fixture_data
    assessment = read_assessment(rounds / "team.json", data)
    chosen = [id_ for id_, entry in assessment.practices.items() if entry.action]
    assert chosen == ["mentoring-provided", "funding-shared-understanding"]
    text = text_of(built["one"] / "team-action-plan-print-letter.pdf")
    for id_, practice in practices(data).items():
        statement = f"{practice['number']}. {norm(practice['statement'])}"
        assert (statement in text) == (id_ in chosen), id_
    for id_ in chosen:
        assert norm(assessment.practices[id_].action.strategy) in text


def test_fillable_action_plan_keeps_every_cell_fillable(built, fixture_data, rounds):
    """Cells the file filled are fields holding its values (test_fillable_plan.py checks how
    they print); the others, and the blank rows after them, are empty fields."""
    assessment = read_assessment(rounds / "team.json", fixture_data)
    chosen = [entry for entry in assessment.practices.values() if entry.action]
    fields = fields_of(built["one"] / "team-action-plan-fillable-letter.pdf")
    for row, entry in enumerate(chosen, start=1):
        for column in ("strategy", "responsible", "timeline", "status"):
            assert fields[f"row{row}-{column}"].value == getattr(entry.action, column)
        assert f"row{row}-driver" not in fields  # printed: the driver of the chosen practice
    last = len(chosen) + 1
    assert {f"row{last}-driver", f"row{last}-strategy", f"row{last}-status"} <= set(fields)


def test_without_a_plan_the_action_plan_lists_what_is_rated_below_the_top(
    built, fixture_data, rounds
):
    data = fixture_data
    later = read_assessment(rounds / "spring.json", data)
    top = max(rating["score"] for rating in data["scale"])
    scores = {rating["id"]: rating["score"] for rating in data["scale"]}
    low = {id_ for id_, e in later.practices.items() if e.rating and scores[e.rating] < top}
    assert low == {"mentoring-provided", "funding-shared-learning"}
    text = text_of(built["two"] / "spring-action-plan-print-letter.pdf")
    for id_, practice in practices(data).items():
        statement = f"{practice['number']}. {norm(practice['statement'])}"
        assert (statement in text) == (id_ in low), id_
    mentoring = practices(data)["mentoring-provided"]  # rated partially; two criteria unticked
    unticked = [
        c["text"]
        for c in mentoring["criteria"]["items"]
        if c["id"] not in later.practices["mentoring-provided"].criteria
    ]
    assert len(unticked) == 2
    for criterion in unticked:
        assert norm(criterion) in text


def totals_rows(data, tally_of) -> list[str]:
    """The report's totals rows as text: name, rated, points, possible, percent, not rated."""

    def row(name, t):
        percent = "–" if t.percent is None else f"{t.percent}%"
        return f"{name} {t.rated} {t.points} {t.possible} {percent} {t.not_rated}"

    result = tally_of
    rows = []
    for category in data["categories"]:
        rows += [row(d["name"], result.drivers[d["id"]]) for d in category["drivers"]]
        rows.append(row(category["name"], result.categories[category["id"]]))
    rows.append(row("Overall", result.overall))
    return rows


def test_report_numbers_are_the_computed_totals(built, fixture_data, rounds):
    data = fixture_data
    result = totals(data, read_assessment(rounds / "team.json", data))
    text = text_of(built["one"] / "team-results-report-print-letter.pdf")
    for row in totals_rows(data, result):
        assert norm(row) in text
    for driver in data["categories"][0]["drivers"]:  # the chart's labels carry the same percent
        assert f"{result.drivers[driver['id']].percent}%" in text
    assert "2. Fixture statement 303." in text  # not rated: Funding's second best practice


def test_change_is_computed_over_the_items_rated_in_both_rounds(built, fixture_data, rounds):
    """Funding's second best practice was not rated in autumn and is rated 0 in spring: over
    all rated items Funding would fall from 100% to 50%, though no Funding rating went down.
    Over the items rated in both rounds it stays at 100%, and the new rating is listed."""
    text = text_of(built["two"] / "spring-results-report-print-letter.pdf")
    # by hand: Mentoring 1 of 4 points, then 3 of 4, both items rated in both rounds;
    # Funding: only its first item is rated in both, In place both times
    assert "Mentoring 2 of 2 25% 75% +50" in text
    assert "Funding 1 of 2 100% 100% 0" in text
    assert "Funding 100% 50% -50" not in text
    # what was rated in one round only is listed, with its round
    added = text.split("Rated in 2027-05-03 only (added) (1)")[1].split("(dropped)")[0]
    assert "Funding 2. Fixture statement 303." in added
    assert "Rated in 2026-11-02 only (dropped) (0)" in text
    # a changed best practice with the notes beside it: Partially (117) to In place (116)
    assert (
        "Mentoring 1. Fixture statement 281. Fixture label 117. Fixture label 116. "
        "2027-05-03: Agreed at the spring review."
    ) in text
    assert "Mentoring 2. Fixture statement 283. Fixture label 118. Fixture label 117." in text
    new = totals(fixture_data, read_assessment(rounds / "spring.json", fixture_data))
    for row in totals_rows(fixture_data, new):  # the totals are the latest round's
        assert norm(row) in text


def test_items_of_another_version_are_listed_not_scored(built):
    text = text_of(built["two"] / "spring-results-report-print-letter.pdf")
    assert "Kept from another version of the toolkit: 2026-11-02" in text
    compact = re.sub(r"[\s-]+", "", text)  # the table's narrow columns wrap ids at hyphens
    # its id, its rating (In place: label 116), no criteria ticked, its notes
    assert "mentoringretiredpracticeFixturelabel116.noneKeptfromtheolderversion" in compact
    # a criterion this version lost: listed under its best practice, never counted
    assert "mentoringprovidedFixturelabel118.none;notplaced:retiredcriterion" in compact


def test_the_build_says_what_the_page_says_when_a_file_opens(built):
    said = built["two_said"].splitlines()
    assert (
        "note: autumn: It was saved with another version of this toolkit's best practices"
        in (said[0])
    )
    assert said[1:] == [
        "note: autumn: Kept, not scored (not in this version): mentoring-retired-practice.",
        "note: autumn: Ticks that could not be placed (kept in the file, not counted): "
        "mentoring-provided: retired-criterion.",
    ]


def test_same_files_give_the_same_bytes(built, rounds, tmp_path):
    """A fresh process (its own hash seed) with an empty cache renders the rounds anew, to the
    same bytes; the same command run again finds nothing to do."""
    out = tmp_path / "again"
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "build_pdf.py"), *TWO, "--out", str(out)],
        cwd=rounds,
        env={**os.environ, "TOOLKIT_CACHE": str(tmp_path / "fresh-cache")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "0 unchanged" in result.stdout  # rendered anew, not copied from the cache
    pdfs = sorted(built["two"].glob("*.pdf"))
    assert len(pdfs) == 7  # each round's form and action plan (print, fillable), one report
    for pdf in pdfs:
        assert (out / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name
    again = build(*TWO, "--out", str(out), cwd=rounds, cache=built["cache"])
    assert again.returncode == 0, again
    assert again.stdout.startswith("Up to date"), again


def corpus_case(name: str) -> tuple[str, str]:
    """A bad file of tests/cases/ (all run through Python and the page in test_cases.py)."""
    case = json.loads((CASES / f"record-bad-{name}.json").read_text("utf-8"))
    text = case["input"].replace("{title}", EXAMPLE_TITLE).replace("{content_version}", "VERSION")
    return text, case["expect"]["problems"][0]


EXAMPLE_TITLE = "Best Practices and Tools to Assess Implementation Infrastructure"
CLI_CASES = {
    name: corpus_case(name) for name in ("not-json", "unknown-practice", "another-toolkit")
}


def test_bad_files_stop_the_build_and_write_nothing(tmp_path, data):
    """One file of each kind, given together: each is reported with its message, all at once."""
    shown = []
    for case, (text, expected) in CLI_CASES.items():
        name = re.sub(r"\W+", "-", case) + ".json"
        text = text.replace("VERSION", data["toolkit"]["content_version"])
        (tmp_path / name).write_text(text, encoding="utf-8")
        shown.append(f"{name}:{expected}")
    files = [arg for line in shown for arg in ("--assessment", line.partition(":")[0])]
    result = build(*files, cwd=tmp_path, cache=tmp_path / "cache")
    assert result.returncode == 1
    assert result.stderr == (
        "\n".join(sorted(shown))
        + f"\n{len(shown)} problems in the assessment; nothing was written.\n"
    )
    assert result.stdout == ""
    assert not (tmp_path / "assessment-pdfs").exists()


CORE_JS = PROJECT_ROOT / "overrides" / "assets" / "javascripts" / "toolkit-core.js"


def browser_totals(page, script: str, data: dict, saved: dict) -> dict:
    """The Assess page's own totals of `saved`, computed in Chromium by toolkit-core.js (the
    script the page loads), from the file's text as the page reads it."""
    page.set_content("<!doctype html><title>totals</title>")
    page.add_script_tag(content=script)
    return page.evaluate(
        """([data, text]) => {
        const read = ToolkitCore.readText(text, data, "file");
        if (read.problems) return read.problems;
        const result = ToolkitCore.totals(data, read.assessment);
        const all = {overall: result.overall, ...result.drivers, ...result.categories};
        for (const key in all) all[key].percent = ToolkitCore.percent(all[key]);
        return all;
        }""",
        [data, json.dumps(saved)],
    )


def test_the_browser_and_python_compute_the_same_totals(data, browser, tmp_path):
    """One formula: the site's script and totals.py agree on every total of the same files."""
    script = CORE_JS.read_text(encoding="utf-8")
    saved = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    nothing = json.loads(json.dumps(saved))
    for entry in nothing["practices"].values():
        entry["rating"] = None
    (tmp_path / "spring.json").write_text(json.dumps(second_round(saved)), encoding="utf-8")
    (tmp_path / "nothing.json").write_text(json.dumps(nothing), encoding="utf-8")
    files = (EXAMPLE, tmp_path / "spring.json", tmp_path / "nothing.json")
    page = browser.new_page()
    shown = {
        file.name: browser_totals(page, script, data, json.loads(file.read_text("utf-8")))
        for file in files
    }
    page.close()
    for file in files:
        result = totals(data, read_assessment(file, data))
        expected = {"overall": result.overall, **result.drivers, **result.categories}
        assert shown[file.name] == {
            key: {
                "points": t.points,
                "possible": t.possible,
                "rated": t.rated,
                "not_rated": t.not_rated,
                "percent": t.percent,
            }
            for key, t in expected.items()
        }, file.name


# --- the summary, any number of rounds, a plan carried across rounds ---------------------------


def test_the_summary_page_holds_the_computed_results(built, fixture_data, rounds):
    """Page 1 is the summary: per category and overall the computed percent with its rated
    count, the strengths (top of the scale) and gaps (its foot), the actions chosen with who
    and when, and the next assessment; the detail starts on page 2."""
    data = fixture_data
    team = read_assessment(rounds / "team.json", data)
    result = totals(data, team)
    first, second = pages_of(built["one"] / "team-results-report-print-letter.pdf")[:2]
    first = norm(first)
    for category in data["categories"]:
        tally = result.categories[category["id"]]
        rated = f"{tally.rated} of {tally.rated + tally.not_rated} rated"
        assert f"{category['name']} {tally.percent}% {rated}" in first
    overall = result.overall
    assert f"Overall {overall.percent}% {overall.rated} of 4 rated" in first
    assert overall.rated == 3
    assert overall.percent == 50
    # In place (label 116): Mentoring 1; Not in place (118): Funding 1
    assert "Strengths: Fixture label 116. (1) Mentoring: 1" in first
    assert "Gaps: Fixture label 118. (1) Funding: 1" in first
    assert "Fixture strengths 186." in first  # the convention, in the toolkit's own words
    assert "Actions chosen (2)" in first
    assert "Mentoring 2 Name a mentor for each new staff member Program manager 2027-01-15" in first
    assert "Funding 1 Share the budget summary at the team meeting" in first
    assert "Next assessment:" in first
    assert "Fixture notice 184." in first  # the sources' notice: for action planning
    assert "Detail" in second
    assert "Detail" not in first


def report_of(toolkit, files: list[Path], paper: str, folder: Path) -> Path:
    """Only the results report of `files`, rendered in this process."""
    from macros.assessment.printing import Filled, read_rounds
    from macros.catalogue import Paper, filled_catalogue
    from macros.pdf.renderer import PdfRenderer
    from macros.project import Project
    from macros.render.markdown import MarkdownRenderer

    data = rubric_data(toolkit)
    filled = Filled(data, read_rounds(files, data)[0])
    printables = filled_catalogue(toolkit, filled, papers=(Paper(paper),))
    report = next(item for item in printables if item.kind == "results-report")
    rendered = PdfRenderer(Project.at(PROJECT_ROOT), toolkit, MarkdownRenderer()).render(report)
    path = folder / report.filename
    path.write_bytes(rendered.data)
    return path


def words_beyond_the_page(pdf: Path) -> list[str]:
    """Words whose box runs past the page's right edge (pdftotext -bbox)."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    beyond = []
    for page_xml in xml.split("<page ")[1:]:
        width = float(re.search(r'width="([\d.]+)"', page_xml).group(1))
        for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', page_xml):
            if float(x_max) > width - 18:  # inside the page and its smallest margin
                beyond.append(word)
    return beyond


@pytest.mark.parametrize("count", [1, 3, 5, 12])
def test_any_number_of_rounds_fits_the_page(count, fixture_toolkit, fixture_data, tmp_path):
    """Every round's date is in the report and no word runs off the page; beyond three rounds
    the chart and the change show the first and the last, and every round stays listed."""
    files = []
    for index in range(count):
        date = f"{2020 + index // 2}-{'01' if index % 2 == 0 else '07'}-15"
        rating = ("not-in-place", "partially-in-place", "in-place")[index % 3]
        content = fixture_file(
            fixture_data,
            "consensus-scoring",
            date,
            {
                "mentoring-accountable": (rating, [], ""),
                "funding-shared-learning": (rating, [], ""),
            },
        )
        files.append(tmp_path / f"round-{index + 1}.json")
        files[-1].write_text(json.dumps(content), encoding="utf-8")
    pdf = report_of(fixture_toolkit, files, "a4", tmp_path)
    text = text_of(pdf)
    dates = [f"{2020 + i // 2}-{'01' if i % 2 == 0 else '07'}-15" for i in range(count)]
    for date in dates:
        assert date in text
    assert words_beyond_the_page(pdf) == []
    if count > 3:
        assert f"Change from {dates[0]} to {dates[-1]}" in text
        assert f"The {count} rounds, oldest first" in text
    elif count > 1:
        assert f"Change from {dates[-2]} to {dates[-1]}" in text


def test_a_plan_carried_to_the_next_round_meets_its_later_rating(
    fixture_toolkit, fixture_data, rounds, tmp_path
):
    """The next round, started from team.json, keeps its two actions (the empty status becomes
    not-started); once rated again, the report pairs each action with the later rating."""
    from macros.assessment import to_json
    from macros.assessment.fileformat import next_round

    team = read_assessment(rounds / "team.json", fixture_data)
    started = json.loads(to_json(next_round(team, fixture_data), fixture_data))
    actions = {id_: e["action"] for id_, e in started["practices"].items() if "action" in e}
    assert list(actions) == ["mentoring-provided", "funding-shared-understanding"]
    assert actions["mentoring-provided"]["status"] == "not-started"
    assert actions["mentoring-provided"]["timeline"] == "2027-01-15"
    assert actions["funding-shared-understanding"]["status"] == "Not started"  # their words
    assert {e["rating"] for e in started["practices"].values()} == {None}
    started["header"]["date"] = "2027-05-03"
    started["practices"]["mentoring-provided"]["rating"] = "in-place"
    started["practices"]["mentoring-provided"]["action"]["status"] = "done"
    (tmp_path / "next.json").write_text(json.dumps(started), encoding="utf-8")
    pdf = report_of(
        fixture_toolkit, [rounds / "team.json", tmp_path / "next.json"], "letter", tmp_path
    )
    text = text_of(pdf)
    # Partially (117) then In place (116), done; Not in place (118) then not rated
    assert (
        "Mentoring 2. Fixture statement 283. Name a mentor for each new staff member "
        "(2026-11-02) 2027-01-15 Fixture label 117. Fixture label 116. (2027-05-03) Done"
    ) in text
    assert (
        "Funding 1. Fixture statement 301. Share the budget summary at the team meeting "
        "(2026-11-02) Fixture label 118. Fixture not rated 119. (2027-05-03) Not started"
    ) in text


def test_the_summary_fits_one_page_on_letter_and_a4(toolkit, tmp_path):
    """The real rubric, every best practice rated and acted on with long words: the summary
    still ends on page 1 (the actions beyond its room are counted, all in the action plan)."""
    saved = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    ratings = ("in-place", "not-in-place", "partially-in-place")
    for index, entry in enumerate(saved["practices"].values()):
        entry["rating"] = ratings[index % 3]
        entry["action"] = {
            "strategy": "A strategy described at length " * 20,
            "priority": "quick-win",
            "responsible": "Someone with a long title " * 5,
            "resources": "",
            "timeline": "2027-01-01",
            "status": "in-progress",
        }
    saved["header"]["program"] = "A program with a long name " * 6
    (tmp_path / "long.json").write_text(json.dumps(saved), encoding="utf-8")
    for paper in ("letter", "a4"):
        pdf = report_of(toolkit, [tmp_path / "long.json"], paper, tmp_path)
        first, second = pages_of(pdf)[:2]
        assert "Next assessment: 2027-05-03" in norm(first), paper
        assert "And 28 more" in norm(first), paper
        assert "Detail" in second, paper
        assert "Detail" not in first, paper
        assert words_beyond_the_page(pdf) == []


def test_the_report_title_names_the_program_and_the_date(built):
    report = built["two"] / "spring-results-report-print-letter.pdf"
    title = reader_of(report).metadata.title
    assert title.endswith("— Fixture Program <Pilot>, 2027-05-03")
    other = reader_of(built["one"] / "team-results-report-print-letter.pdf").metadata.title
    assert other != title
    text = text_of(report)
    assert not re.search(r"json\)\.\S", text)  # sentences stay apart
