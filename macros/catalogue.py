"""The catalogue of printables: which PDFs exist, what each is called and what it contains.

The PDF build renders this list and the site's Downloads page shows it, so the two cannot drift.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from . import model
from .errors import NameClashError

if TYPE_CHECKING:
    from .assessment.fileformat import Header
    from .assessment.printing import Filled


class Paper(StrEnum):
    """A paper the printables come on: its id (in file names, options and the manifest), the
    name readers know it by, and its CSS page size."""

    label: str
    css_size: str

    LETTER = "letter", "US Letter", "letter"
    A4 = "a4", "A4", "A4"

    def __new__(cls, id_: str, label: str, css_size: str) -> Paper:
        paper = str.__new__(cls, id_)
        paper._value_ = id_
        paper.label = label
        paper.css_size = css_size
        return paper


PAPERS = tuple(Paper)
VARIANTS = ("print", "fillable")
KINDS = (
    "checklist",
    "scoring-form",
    "ballot",
    "vote-tally",
    "run-sheet",
    "discussion-guide",
    "tip-sheet",
    "action-plan",
    "composition",
    "stage-guide",
    "results-report",
    "consensus-record",
)
#: The consensus record printed from an assessment file: the toolkit's own words (issue 22).
CONSENSUS_RECORD = (
    "Consensus Scoring: Record",
    "Per best practice: every round's counts, the agreed rating, the rationale, the evidence "
    "and any dissent, as the team recorded them.",
)
#: The printable that shows each kind of saved assessment filled in (header `kind`; "" = not said).
FILLED_FORMS = {"checklist": "checklist", "consensus-scoring": "scoring-form", "": "checklist"}


#: Printables handed to every participant also come as a participant edition (print only): the
#: same items, numbers and pages to write on, their provenance left to the full (facilitator's)
#: edition, which serves as the key, and the credit once, at the end.
PARTICIPANT_KINDS = ("checklist", "discussion-guide")
PARTICIPANT = "participant"


#: Printables that hold several drivers: a workshop edition names its drivers in their titles.
SEVERAL_KINDS = ("checklist", "scoring-form", "ballot", "vote-tally", "discussion-guide")


def titled(title: str, *labels: str) -> str:
    """ "Checklist (Coaching and Fidelity, participant edition)": the labels given, if any."""
    said = ", ".join(label for label in labels if label)
    return f"{title} ({said[:1].upper()}{said[1:]})" if said else title


def pdf_filename(
    kind: str,
    variant: str,
    paper: str,
    driver: str | None = None,
    name: str = "",
    edition: str = "",
    audience: str = "",
) -> str:
    """e.g. checklist-coaching-fillable-a4.pdf; the site links to printables by this name.

    Printed from an assessment file, the file's name comes first:
    team-2026-11-results-report-print-a4.pdf. `edition` names a workshop edition's drivers in
    printables that hold several: checklist-coaching-fidelity-print-a4.pdf. A participant
    edition says so: checklist-participant-print-a4.pdf."""
    parts = (name, kind, driver or edition, audience, variant, paper)
    return "-".join(part for part in parts if part) + ".pdf"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def joined(names: list[str]) -> str:
    """ "Coaching", "Coaching and Fidelity", "Selection, Training and Coaching"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


#: Characters a workshop value may have: what the forms' header fields hold in a few lines.
WORKSHOP_MAX = {"program": 100, "organization": 100, "date": 40, "edition": 40}


@dataclass(frozen=True)
class Workshop:
    """Header fields a trainer pre-fills for one workshop; empty means a blank form."""

    program: str = ""
    organization: str = ""
    date: str = ""
    edition: str = ""  #: a short label for the set, e.g. "Spring workshop"; default: the drivers


def header_problem(name: str, value: str) -> str | None:
    """What is wrong with a workshop value (`name` a key of WORKSHOP_MAX), or None."""
    most = WORKSHOP_MAX[name]
    if any("\udc80" <= char <= "\udcff" for char in value):
        return "is not valid UTF-8 text; check the terminal's encoding"
    if any(unicodedata.category(char) == "Cc" for char in value):
        return "contains a control character (a line break or tab?)"
    if len(value) > most:
        return f"is {len(value)} characters long; at most {most} fit in the forms' header"
    return None


@dataclass(frozen=True)
class Printable:
    kind: str  #: one of KINDS
    variant: str  #: "print" (tagged PDF/UA-1, no fields) or "fillable" (PDF form fields)
    paper: Paper
    title: str
    purpose: str  #: one line for the Downloads page
    drivers: tuple[model.Driver, ...]
    driver: str | None = None  #: set when the printable is about one driver
    table: model.TableTemplate | None = None
    workshop: Workshop = field(default_factory=Workshop)
    filled: Filled | None = None  #: a saved assessment printed in place of the blanks
    name: str = ""  #: names the assessment file a filled printable comes from
    edition: str = ""  #: what a workshop edition covers, in its footer; empty for the full set
    edition_slug: str = ""  #: names the subset in the file name of a several-driver printable
    audience: str = ""  #: PARTICIPANT for a participant edition; empty for the full one

    @property
    def filename(self) -> str:
        return pdf_filename(
            self.kind,
            self.variant,
            self.paper,
            self.driver,
            self.name,
            self.edition_slug,
            self.audience,
        )

    @property
    def participant(self) -> bool:
        return self.audience == PARTICIPANT

    @property
    def template(self) -> str:
        if self.table is not None:
            return "pdf/table_template.html.j2"
        return f"pdf/{self.kind.replace('-', '_')}.html.j2"

    @property
    def landscape(self) -> bool:
        """Wide tables: the plan's columns, the tally sheet's count boxes for each round."""
        return self.kind in ("action-plan", "vote-tally")

    @property
    def header_fields(self) -> tuple[tuple[str, str, str], ...]:
        values: Workshop | Header = self.workshop
        if self.filled is not None:
            values = self.filled.assessment.header
        if self.kind == "ballot":  # one member's: who (if they wish) and which round
            return (
                ("program", "Program or practice being assessed", values.program),
                ("alias", "Alias (optional)", ""),
                ("round", "Round", ""),
            )
        return (
            ("program", "Program or practice being assessed", values.program),
            ("organization", "Organization or site", values.organization),
            ("date", "Date", values.date),
            ("team", "Team members", getattr(values, "team", "")),
        )


def catalogue(
    toolkit: model.Toolkit,
    *,
    papers: tuple[Paper, ...] = PAPERS,
    drivers: tuple[str, ...] | None = None,
    workshop: Workshop = Workshop(),
) -> list[Printable]:
    """Every printable for the chosen papers and drivers, in Downloads-page order.

    A subset of drivers (or a labelled set) is a workshop edition: its several-driver printables
    name it in their title and file name, and every page's footer names it. Each checklist and
    the discussion guide is followed by its participant edition (PARTICIPANT_KINDS).
    """
    chosen = tuple(d for d in toolkit.drivers if drivers is None or d.id in drivers)
    partial = len(chosen) < len(toolkit.drivers)
    edition = workshop.edition or (joined([d.name for d in chosen]) if partial else "")
    edition_slug = slug(workshop.edition) or ("-".join(d.id for d in chosen) if partial else "")
    forms = toolkit.forms
    plan = []  # (kind, variants, title, purpose, drivers, driver id, table, audience)

    def add(
        kind: str,
        title: str,
        purpose: str,
        subset: tuple[model.Driver, ...] = chosen,
        driver: str | None = None,
        table: model.TableTemplate | None = None,
        variants: tuple[str, ...] = VARIANTS,
    ) -> None:
        """`title` names the edition when the printable holds several drivers."""
        named = subset is chosen and driver is None and kind in SEVERAL_KINDS
        label = edition if named else ""
        plan.append((kind, variants, titled(title, label), purpose, subset, driver, table, ""))
        if kind in PARTICIPANT_KINDS:
            title = titled(title, label, "participant edition")
            plan.append((kind, ("print",), title, purpose, subset, driver, table, PARTICIPANT))

    if len(chosen) > 1 or not partial:  # one driver: its own checklist is the same document
        add("checklist", forms.checklist.title, forms.checklist.purpose)
    for driver in chosen:
        add(
            "checklist",
            f"{forms.checklist.title}: {driver.name}",
            forms.checklist.purpose,
            (driver,),
            driver.id,
        )
    add("scoring-form", forms.scoring_form.title, forms.scoring_form.purpose)
    add("ballot", forms.ballot.title, forms.ballot.purpose)
    add("vote-tally", forms.vote_tally.title, forms.vote_tally.purpose)
    add("run-sheet", forms.run_sheet.title, forms.run_sheet.purpose, (), variants=("print",))
    add("discussion-guide", forms.discussion_guide.title, forms.discussion_guide.purpose)
    for driver in chosen:
        add(
            "tip-sheet",
            f"{forms.tip_sheet.title}: {driver.name}",
            forms.tip_sheet.purpose,
            (driver,),
            driver.id,
            variants=("print",),
        )
    add("action-plan", forms.action_plan.title, forms.action_plan.purpose, table=forms.action_plan)
    add("composition", forms.composition.title, forms.composition.purpose, table=forms.composition)
    add("stage-guide", forms.stage_guide.title, forms.stage_guide.purpose, ())
    result = [
        Printable(
            kind,
            variant,
            paper,
            title,
            purpose,
            subset,
            driver,
            table,
            workshop,
            edition=edition,
            edition_slug=edition_slug if kind in SEVERAL_KINDS and driver is None else "",
            audience=audience,
        )
        for kind, variants, title, purpose, subset, driver, table, audience in plan
        for variant in variants
        for paper in papers
    ]
    return _one_file_each(result)


def filled_catalogue(
    toolkit: model.Toolkit, filled: Filled, *, papers: tuple[Paper, ...] = PAPERS
) -> list[Printable]:
    """The printables of saved assessments (`filled.rounds`, oldest first): for each file its
    filled form and its Drivers Action Plan, its qualitative record and its composition when it
    has them, and one results report of all the rounds."""
    forms = toolkit.forms
    texts = {"checklist": forms.checklist, "scoring-form": forms.scoring_form}
    # (kind, variants, title, purpose, table, filled)
    plan: list[tuple[str, tuple[str, ...], str, str, model.TableTemplate | None, Filled]] = []
    for index, item in enumerate(filled.rounds):
        one = filled.at(index)
        kind = FILLED_FORMS[item.assessment.header.kind]
        plan.append((kind, ("print",), texts[kind].title, texts[kind].purpose, None, one))
        action = forms.action_plan
        plan.append(("action-plan", VARIANTS, action.title, action.purpose, action, one))
        if item.assessment.qualitative is not None:
            guide = forms.discussion_guide
            plan.append(("discussion-guide", ("print",), guide.title, guide.purpose, None, one))
        if item.assessment.composition is not None:
            team = forms.composition
            plan.append(("composition", ("print",), team.title, team.purpose, team, one))
        if one.agreed():
            title, purpose = CONSENSUS_RECORD
            plan.append(("consensus-record", ("print",), title, purpose, None, one))
    # The report is what leadership files: its title names the program and the date. The forms
    # keep theirs: a fillable plan holds the team's values only in its fields.
    report = forms.results_report
    title = named(report.title, filled)
    plan.append(("results-report", ("print",), title, report.purpose, None, filled))
    result = [
        Printable(
            kind,
            variant,
            paper,
            title,
            purpose,
            toolkit.drivers,
            table=table,
            filled=one,
            name=one.round.name,
        )
        for kind, variants, title, purpose, table, one in plan
        for variant in variants
        for paper in papers
    ]
    return _one_file_each(result)


def named(title: str, filled: Filled) -> str:
    """The results report's title names the program and the date, so that two teams' reports
    (and two rounds of one team) differ in a reader's list and in the PDF's title metadata; a
    long program is shortened here only: the header prints it in full."""
    header = filled.assessment.header
    program = " ".join(header.program.split())
    program = program if len(program) <= 60 else program[:59].rstrip() + "…"
    named_by = ", ".join(part for part in (program, header.date) if part)
    return f"{title} — {named_by}" if named_by else title


def _one_file_each(printables: list[Printable]) -> list[Printable]:
    """Refuse a catalogue in which two printables would overwrite one file."""
    names = [printable.filename for printable in printables]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise NameClashError(f"two printables would be written to the same file: {duplicates}")
    return printables
