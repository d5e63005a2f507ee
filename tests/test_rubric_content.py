"""The real rubric says what the sources say: drivers, best practices, rules, references."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_ROOT
from helpers import (
    SOURCES,
    all_seed_text,
    normalized,
    origin_text,
    replace_once,
    seed_text,
    source_form,
)

from macros.model import OWN, texts
from macros.source.load import load_rubric

BEST_PRACTICES_PER_DRIVER = {
    "selection": 5,
    "training": 3,
    "coaching": 4,
    "systems-intervention": 4,
    "facilitative-administration": 9,
    "decision-support-data-system": 4,
    "fidelity": 4,
}

# Corrections the toolkit makes to source statements, by (driver name, source number).
# None of the statements needs one: stripping the "**" markup is enough (checked below).
STATEMENT_FIXES: dict[tuple[str, int], str] = {}

BANNER = "THE ACTIVE IMPLEMENTATION HUB"


# --- reading the sources ---------------------------------------------------------------------


def source_best_practices() -> dict[str, list[tuple[int, str]]]:
    """Each "Best Practices for X" section of the tip sheets (seed 001): its numbered statements.

    A section runs from its heading to the reference list that closes the tip sheet. Statements
    are lines like "1. Text", "1. **Text**" or "- 1. Text**"; markup and numbers are stripped.
    """
    sections: dict[str, list[tuple[int, str]]] = {}
    current = None
    for line in seed_text("001").splitlines():
        heading = re.fullmatch(r"Best Practices for (?:the )?(.+)", line.strip())
        if heading:
            current = sections.setdefault(heading.group(1), [])
        elif line.startswith("Fixsen, D."):
            current = None
        elif current is not None:
            numbered = re.match(r"(?:- )?(\d+)\.\s+(.*)", line)
            if numbered:
                statement = normalized(numbered.group(2).replace("**", ""))
                current.append((int(numbered.group(1)), statement))
    return sections


def rubric_strings(rubric_dir: Path) -> Iterator[tuple[str, str, str]]:
    """(file relative to rubric/, field path, text) for every text value of every rubric YAML file.

    Comments are not content (they document the deliberate fixes, quoting the defects), so the
    files are parsed rather than searched line by line.
    """

    def walk(value, field):
        if isinstance(value, str):
            yield field, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, f"{field}.{key}" if field else key)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, f"{field}[{index}]")

    for file in sorted(rubric_dir.rglob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        for field, text in walk(data, ""):
            yield file.relative_to(rubric_dir).as_posix(), field, normalized(text)


# --- drivers and categories ----------------------------------------------------------------------


def test_each_driver_has_the_sources_number_of_best_practices(toolkit):
    counts = {driver.id: len(driver.best_practices) for driver in toolkit.drivers}
    assert counts == BEST_PRACTICES_PER_DRIVER


def test_there_are_33_best_practices_in_all(toolkit):
    assert sum(len(driver.best_practices) for driver in toolkit.drivers) == 33


def test_each_driver_has_exactly_one_file_named_after_its_id(toolkit, project_root):
    files = sorted((project_root / "rubric" / "drivers").iterdir())
    expected = sorted(f"{driver.id}.yaml" for driver in toolkit.drivers)
    assert [file.name for file in files] == expected
    for file in files:
        assert yaml.safe_load(file.read_text(encoding="utf-8"))["id"] == file.stem


def test_drivers_fall_into_competency_and_organization_categories(toolkit):
    assert [category.id for category in toolkit.categories] == ["competency", "organization"]
    by_category = {
        category.id: [driver.id for driver in toolkit.drivers_in(category)]
        for category in toolkit.categories
    }
    # In the order the tip sheets list them (seed 001, lines 7-8).
    assert by_category == {
        "competency": ["selection", "training", "coaching", "fidelity"],
        "organization": [
            "facilitative-administration",
            "systems-intervention",
            "decision-support-data-system",
        ],
    }


# --- best practice statements against the source -----------------------------------------------


def test_the_source_parser_finds_every_tip_sheet():
    sections = source_best_practices()
    assert sorted(sections) == sorted(
        [
            "Selection",
            "Training",
            "Coaching",
            "Systems Intervention",
            "Facilitative Administration",
            "Decision Support Data System",
            "Fidelity",
        ]
    )
    for name, practices in sections.items():
        if name != "Systems Intervention":  # the known numbering defect, tested below
            assert [number for number, _ in practices] == list(range(1, len(practices) + 1)), name


def test_source_statements_need_no_fix_beyond_stripping_markup():
    assert STATEMENT_FIXES == {}
    for name, practices in source_best_practices().items():
        for number, statement in practices:
            where = f"{name} {number}"
            assert "*" not in statement, where
            assert not re.search(r"\bthe the\b", statement, re.IGNORECASE), where
            assert statement.endswith(".") and not statement.endswith(".."), where


def test_every_source_statement_is_the_rubric_statement_in_order(toolkit):
    drivers = {driver.name: driver for driver in toolkit.drivers}
    sections = source_best_practices()
    assert sorted(sections) == sorted(drivers)
    for name, practices in sections.items():
        expected = [
            STATEMENT_FIXES.get((name, number), statement) for number, statement in practices
        ]
        actual = [normalized(practice.statement) for practice in drivers[name].best_practices]
        assert actual == expected, name


def test_systems_intervention_source_skips_number_4_and_the_rubric_has_4_practices(toolkit):
    source = source_best_practices()["Systems Intervention"]
    assert [number for number, _ in source] == [1, 2, 3, 5]
    practices = toolkit.driver("systems-intervention").best_practices
    assert len(practices) == 4
    assert normalized(practices[3].statement) == source[3][1]  # source number 5 is the fourth


def test_training_doubled_the_is_corrected_in_the_rubric(toolkit):
    line = re.search(
        r"A specific person is responsible for coordinating quality and timeliness "
        r"of training.*",
        seed_text("001"),
    ).group(0)
    assert "the the program" in line
    explanation = toolkit.driver("training").best_practices[0].explanation
    assert normalized(explanation) == normalized(line.replace("the the program", "the program"))


# --- no source defects or page furniture in the rubric --------------------------------------------


def test_the_the_appears_in_no_rubric_text(project_root):
    doubled = [
        (file, field)
        for file, field, text in rubric_strings(project_root / "rubric")
        if re.search(r"\bthe the\b", text, re.IGNORECASE)
    ]
    assert doubled == []


def test_the_hub_banner_appears_in_no_rubric_text(project_root):
    with_banner = [
        (file, field)
        for file, field, text in rubric_strings(project_root / "rubric")
        if BANNER in text
    ]
    assert with_banner == []


def test_the_copyright_sentence_appears_only_as_the_tip_sheets_credit(project_root, toolkit):
    source_line = next(
        line
        for line in seed_text("001").splitlines()
        if line.startswith("The Active Implementation Hub, AI Modules")
    )
    assert normalized(toolkit.source("tip-sheets").credit) == normalized(source_line)
    with_copyright = [
        (file, field)
        for file, field, text in rubric_strings(project_root / "rubric")
        if "AI Modules and AI Lessons" in text or "Copyright" in text
    ]
    tip_sheets = [("toolkit.yaml", "origins[1].credit"), ("toolkit.yaml", "origins[1].footer")]
    assert with_copyright == tip_sheets


def test_the_shared_tip_sheet_introduction_appears_once(project_root):
    repeated = [
        (file, field)
        for file, field, text in rubric_strings(project_root / "rubric")
        if "Implementation Drivers are in service to fidelity" in text
    ]
    assert repeated == [("toolkit.yaml", "drivers_introduction.text")]


# --- every text against the source it names ---------------------------------------------------


@dataclass(frozen=True)
class Fix:
    """A deliberate difference from the source, which a comment in the YAML file documents."""

    path: str  #: the text, as macros.model.texts names it
    changes: tuple[tuple[str, str], ...]  #: (as the rubric has it, as the source has it)
    comment: str  #: words of the comment that documents it, in the file that holds the text


FIXES = (
    Fix(
        "introduction[1]",
        (("system (Metz et al., 2015).", "system.¹"), ("common (Metz et al., 2015).", "common.¹")),
        'written as the in-text citation "(Metz et al., 2015)"',
    ),
    Fix(
        "practitioners.introduction[0]",
        (
            ("leadership (Metz et al., 2020).", "leadership.²"),
            ("competencies (Metz et al., 2020) relevant", "competencies³ relevant"),
        ),
        "footnote marks 2 and 3 (A lines 129-132) become the metz-2020 reference",
    ),
    Fix(
        "resources.items[1].text",
        (("Practices Checklist.", "Practices Checklist"),),
        "lacks its final period in the source; it is added here",
    ),
    Fix(
        "forms.action_plan.purpose",
        (("Practices Checklist.", "Practices Checklist"),),
        "the source sentence lacks its final period, added here",
    ),
    Fix(
        "implementation_support.capacity_domains.introduction",
        (("Implementation Support (IS)", "Implementation Support (S)"),),
        'Source reads "Implementation Support (S)"; fixed to "(IS)"',
    ),
    Fix(
        "implementation_support.stages.introduction[0]",
        (
            ("The work to build", "The last section reminds us that the work to build"),
            (
                "Three functional stages of implementation are used to outline",
                "Each Implementation Capacity Reference Document uses three functional stages of"
                " implementation to outline",
            ),
        ),
        "they are reworded to stand alone, keeping the source's claims",
    ),
    Fix(
        "drivers[training].best_practices[training-accountable].explanation",
        (("supporting the program", "supporting the the program"),),
        'the source\'s "the the program" (line 84) is corrected to "the program"',
    ),
    Fix(
        "drivers[systems-intervention].best_practices[si-shared-understanding].explanation",
        (("the program or practice.", "the program or practice"),),
        "Best practice 1's explanation lacks a final period in the source; one is added here",
    ),
)


def file_of(path: str) -> str:
    """The rubric file that holds the text at `path`."""
    driver = re.match(r"drivers\[([^]]+)\]", path)
    if driver:
        return f"drivers/{driver.group(1)}.yaml"
    prefixes = {
        "forms.": "forms.yaml",
        "implementation_support.": "implementation-support.yaml",
        "references[": "references.yaml",
    }
    files = (file for prefix, file in prefixes.items() if path.startswith(prefix))
    return next(files, "toolkit.yaml")


def comments_of(file: Path) -> str:
    """Every comment of a YAML file, joined and normalized."""
    found = (re.search(r"(?:^|\s)#(.*)$", line) for line in file.read_text("utf-8").splitlines())
    return normalized(" ".join(match.group(1) for match in found if match))


def undone(fix: Fix, text: str) -> str:
    for ours, theirs in fix.changes:
        assert ours in text, f"{fix.path}: {ours!r} is not in the rubric's text"
        text = text.replace(ours, theirs)
    return text


@pytest.fixture(scope="module")
def source_texts(toolkit) -> dict[str, str]:
    """Each source origin's documents, joined, in helpers.source_form."""
    return {source.id: origin_text(source.files) for source in toolkit.origins if not source.own}


def test_each_source_document_belongs_to_one_origin_and_the_toolkit_has_its_own(toolkit):
    files = [name for source in toolkit.origins for name in source.files]
    assert sorted(files) == sorted(file.name for file in SOURCES.glob("*.txt"))
    assert [source.id for source in toolkit.origins if not source.files] == [OWN]


def test_every_transcribed_text_is_word_for_word_in_the_source_it_names(toolkit, source_texts):
    """After source_form (whitespace, quotes, emphasis, underlining), or a documented Fix."""
    fixes = {fix.path: fix for fix in FIXES}
    checked, wrong = 0, []
    for path, origin, text in texts(toolkit):
        if origin == OWN:
            continue
        checked += 1
        if path in fixes:
            text = undone(fixes[path], text)
        if source_form(text) not in source_texts[origin]:
            wrong.append(f"{path} (from {origin}): {normalized(text)[:90]}")
    assert wrong == []
    assert checked > 350  # every driver, best practice, criterion, guide and stage text


def test_each_fix_is_real_and_documented_by_a_comment_beside_its_text(toolkit, project_root):
    by_path = {path: text for path, _, text in texts(toolkit)}
    for fix in FIXES:
        assert fix.path in by_path, fix.path
        assert undone(fix, by_path[fix.path]) != by_path[fix.path], fix.path
        comments = comments_of(project_root / "rubric" / file_of(fix.path))
        assert normalized(fix.comment) in comments, f"{file_of(fix.path)}: {fix.comment}"


# Source lines the rubric leaves out (a heading, a figure caption, a handout's title), by source
# file and line: each is quoted in a comment of the rubric file that holds the text around it.
LEFT_OUT = (
    ("000", 56, "toolkit.yaml"),
    ("000", 88, "toolkit.yaml"),
    ("000", 112, "toolkit.yaml"),
    ("001", 12, "drivers/selection.yaml"),
    ("001", 169, "drivers/systems-intervention.yaml"),
    ("001", 313, "drivers/fidelity.yaml"),
    ("002", 1, "drivers/decision-support-data-system.yaml"),
    ("004", 95, "implementation-support.yaml"),
)


@pytest.mark.parametrize(("source", "number", "file"), LEFT_OUT)
def test_a_left_out_source_line_is_quoted_with_its_number_in_a_comment(
    source, number, file, project_root
):
    line = normalized(seed_text(source).splitlines()[number - 1])
    comments = comments_of(project_root / "rubric" / file)
    assert line, f"{source} line {number} is blank"
    assert re.search(rf'"{re.escape(line)}" \((?:(?:[A-Z]|\d{{3}}) )?line {number}\)', comments), (
        f"{file}: no comment quotes {line!r} with its line {number}"
    )


def test_the_toolkits_own_text_copies_no_source_passage(toolkit, source_texts):
    """Text the source gives word for word must be credited to the source, not the toolkit."""
    everything = " ".join(source_texts.values())
    copied = [
        path
        for path, origin, text in texts(toolkit)
        if origin == OWN and len(source_form(text)) >= 20 and source_form(text) in everything
    ]
    assert copied == []


def test_the_tip_sheet_introduction_lists_the_categories_as_the_source_does(toolkit):
    bullets = [line[2:] for line in seed_text("001").splitlines()[6:8]]
    assert [source_form(item) for item in toolkit.drivers_introduction.items] == [
        source_form(bullet) for bullet in bullets
    ]
    assert toolkit.drivers_introduction.items[0].startswith("**Organization drivers**")


def test_each_best_practices_heading_is_the_tip_sheets(toolkit):
    headings = {line.strip() for line in seed_text("001").splitlines()}
    assert [d.id for d in toolkit.drivers if d.best_practices_heading not in headings] == []
    dsds = toolkit.driver("decision-support-data-system").best_practices_heading
    assert dsds == "Best Practices for the Decision Support Data System"


def test_no_driver_has_key_points_the_source_does_not_name(toolkit, source_texts):
    """Key point names are the source's (checked above); the DSDS paragraphs have none."""
    assert toolkit.driver("decision-support-data-system").key_points is None
    assert len(toolkit.driver("decision-support-data-system").definition) == 3


def test_criteria_the_source_gives_as_examples_are_marked_as_examples(toolkit):
    for driver in toolkit.drivers:
        for practice in driver.best_practices:
            if practice.criteria is not None:
                such_as = normalized(practice.explanation).endswith("such as:")
                assert practice.criteria.examples == such_as, practice.id


# --- criteria rules -------------------------------------------------------------------------------


def criteria_of(toolkit, driver_id: str, number: int):
    """The criteria of best practice `number` (1-based, as rendered) of a driver."""
    return toolkit.driver(driver_id).best_practices[number - 1].criteria


def test_selection_5_needs_at_least_3_of_5(toolkit):
    criteria = criteria_of(toolkit, "selection", 5)
    assert (criteria.rule, criteria.count, len(criteria.items)) == ("at_least", 3, 5)
    assert criteria.required == 3


def test_coaching_2_needs_at_least_1_other_data_source_such_as_these(toolkit):
    criteria = criteria_of(toolkit, "coaching", 2)
    assert (criteria.rule, criteria.count, len(criteria.items)) == ("at_least", 1, 3)
    assert criteria.examples  # "at least one other data source such as:": not a closed list
    assert criteria.required == 1


def test_coaching_3_needs_at_least_3_of_5(toolkit):
    criteria = criteria_of(toolkit, "coaching", 3)
    assert (criteria.rule, criteria.count, len(criteria.items)) == ("at_least", 3, 5)
    assert criteria.required == 3


def test_coaching_4_needs_at_least_2_of_3(toolkit):
    criteria = criteria_of(toolkit, "coaching", 4)
    assert (criteria.rule, criteria.count, len(criteria.items)) == ("at_least", 2, 3)
    assert criteria.required == 2


def assert_all_of(criteria, items: int) -> None:
    assert (criteria.rule, criteria.count, len(criteria.items)) == ("all", None, items)
    assert criteria.required == items


def test_decision_support_2_3_4_need_all_items(toolkit):
    for number in (2, 3, 4):
        assert_all_of(criteria_of(toolkit, "decision-support-data-system", number), 4)


def test_fidelity_3_needs_all_items(toolkit):
    assert_all_of(criteria_of(toolkit, "fidelity", 3), 3)


def test_selection_4_needs_all_items(toolkit):
    assert_all_of(criteria_of(toolkit, "selection", 4), 5)


def test_an_all_rule_the_source_does_not_state_is_documented_as_the_toolkits_reading(
    toolkit, project_root
):
    """A list after "Training is:" has no rule in the source: a comment beside it says how the
    toolkit reads it, so the rule is never passed off as the source's."""
    unstated = []
    for driver in toolkit.drivers:
        comments = comments_of(project_root / "rubric" / "drivers" / f"{driver.id}.yaml")
        for practice in driver.best_practices:
            lead = normalized(practice.explanation)
            if practice.criteria is None or practice.criteria.rule != "all":
                continue
            if "all of the following" in lead:
                continue
            unstated.append(practice.id)
            reading = f'states no rule after "{lead}": this toolkit reads the list as all of the'
            assert reading in comments, f"{driver.id}.yaml: {practice.id}"
    assert unstated == [
        "selection-job-descriptions",
        "selection-skills-understood",
        "training-skill-based",
    ]


# --- discussion questions -------------------------------------------------------------------------


def test_every_driver_has_questions(toolkit):
    assert [driver.id for driver in toolkit.drivers if not driver.questions] == []


def test_every_question_comes_from_a_best_practice_of_its_driver_or_its_key_points_or_definition(
    toolkit,
):
    for driver in toolkit.drivers:
        own = {practice.id for practice in driver.best_practices}
        for question in driver.questions:
            assert question.source in own | {"key-points", "definition"}, question.id
            if question.source == "key-points":
                assert driver.key_points is not None, question.id


# --- references -----------------------------------------------------------------------------------


def test_the_references_include_the_sources_works(toolkit):
    keys = {reference.key for reference in toolkit.references}
    assert {"fixsen-2005", "metz-bartley-2012", "metz-2014", "metz-2015", "metz-2020"} <= keys


def test_each_citations_authors_and_year_appear_in_the_sources(toolkit):
    seeds = normalized(all_seed_text())
    for reference in toolkit.references:
        authors_year = re.match(r".*?\(\d{4}\)", normalized(reference.citation))
        assert authors_year, reference.key
        assert authors_year.group(0) in seeds, reference.key


# --- forms and implementation support -------------------------------------------------------------


def test_rating_scale_is_in_place_2_partially_1_not_0(toolkit):
    scale = [(rating.label, rating.score) for rating in toolkit.forms.rating_scale]
    assert scale == [("In place", 2), ("Partially in place", 1), ("Not in place", 0)]


def test_implementation_support_has_the_three_stages_of_the_source(toolkit):
    # Seed 004's stage table starts with a row of the three stage names, separated by tabs.
    header = next(line for line in seed_text("004").splitlines() if "\t" in line)
    names = [name.strip() for name in header.split("\t")]
    assert names == [
        "Assessment, Exploration & Readiness",
        "Installation",
        "Initial Implementation",
    ]
    assert [stage.name for stage in toolkit.implementation_support.stages.items] == names


def test_implementation_support_has_five_capacity_domains_from_the_source(toolkit):
    domains = toolkit.implementation_support.capacity_domains.items
    assert len(domains) == 5
    source = seed_text("004")
    for domain in domains:
        assert domain in source


# --- the model ------------------------------------------------------------------------------------


def test_the_model_is_immutable(toolkit):
    with pytest.raises(dataclasses.FrozenInstanceError):
        toolkit.title = "Changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        toolkit.driver("coaching").best_practices[0].statement = "Changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        toolkit.driver("coaching").best_practices[1].criteria.count = 2


def test_the_model_holds_no_mutable_collections(toolkit):
    def mutable_fields(value, where):
        if dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                yield from mutable_fields(getattr(value, field.name), f"{where}.{field.name}")
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                yield from mutable_fields(item, f"{where}[{index}]")
        elif isinstance(value, (list, dict, set)):
            yield where

    assert list(mutable_fields(toolkit, "toolkit")) == []


# --- extending the toolkit with YAML only ---------------------------------------------------------

LEADERSHIP_CATEGORY = """\
  - id: leadership
    name: Leadership drivers
    description: systems for leading the change
    purpose: Leadership drivers ensure the change has a sponsor.
"""

LEADERSHIP_DRIVER = """\
origin: toolkit
id: sponsorship
name: Sponsorship
category: leadership
definition:
  - Sponsorship refers to a leader who backs the program or practice.
best_practices:
  - id: sponsorship-named
    statement: There is a named sponsor for the program or practice.
    explanation: A specific leader sponsors the program or practice.
questions:
  - id: sponsorship-q-named
    text: Who sponsors the program or practice?
    prompts:
      - Is the sponsor named?
    source: sponsorship-named
references: [fixsen-2005]
"""


def test_a_third_category_needs_only_yaml(rubric_copy):
    replace_once(
        rubric_copy / "toolkit.yaml",
        "\nassessment:\n",
        "\n" + LEADERSHIP_CATEGORY + "assessment:\n",
    )
    (rubric_copy / "drivers" / "sponsorship.yaml").write_text(LEADERSHIP_DRIVER, encoding="utf-8")

    toolkit = load_rubric(rubric_copy, shown_from=rubric_copy.parent)

    assert [category.id for category in toolkit.categories] == [
        "competency",
        "organization",
        "leadership",
    ]
    leadership = toolkit.categories[2]
    assert [driver.id for driver in toolkit.drivers_in(leadership)] == ["sponsorship"]
    assert toolkit.category_of(toolkit.driver("sponsorship")) == leadership
    assert toolkit.drivers[-1].id == "sponsorship"  # drivers come in category order
    assert len(toolkit.drivers) == 8


def test_cli_check_passes_on_the_real_rubric():
    """The real rubric passes `make check` (a child process) with all of its drivers."""
    result = subprocess.run(
        [sys.executable, "build_pdf.py", "--check"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Rubric OK: 7 drivers, 33 best practices.")
    assert result.stderr == ""


def test_consensus_printables_are_the_toolkits_own_text_but_for_the_run_sheets_quotes(toolkit):
    """No source gives a ballot, a tally or a protocol for consensus scoring: all of their text
    is the toolkit's, and only what the run sheet quotes (checked word for word above) is not."""
    forms = toolkit.forms
    assert forms.ballot.origin.own and forms.vote_tally.origin.own and forms.consensus.origin.own
    origins = {path: origin for path, origin, _ in texts(forms.run_sheet)}
    quoted = {path for path in origins if re.fullmatch(r"sources_say\[\d+\]\.text", path)}
    assert len(quoted) == len(forms.run_sheet.sources_say) > 0
    assert {origins[path] for path in quoted} == {"assessment-guide"}
    assert {origin for path, origin in origins.items() if path not in quoted} == {OWN}
    assert forms.run_sheet.minutes == 180  # a three-hour session


def test_the_conditions_no_criterion_ticks_are_named(toolkit):
    """What the explanations require beyond the criteria is data, so forms can name it."""
    named = {
        practice.id: practice.conditions
        for driver in toolkit.drivers
        for practice in driver.best_practices
    }
    assert "annually reviewed" in named["selection-review"]
    assert {"at least monthly", "direct observation"} <= set(named["coaching-provided"])
    assert "quarterly" in named["coaching-effectiveness"]
    assert "written protocol" in named["fidelity-protocol"]
    assert "have access to and can analyze" in named["dsds-access-to-data"]
    administration = toolkit.driver("facilitative-administration").best_practices
    assert len(administration) == 9 and all(practice.conditions for practice in administration)
