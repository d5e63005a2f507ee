"""Build every printable of the toolkit as PDF, or only check the rubric and saved assessments.

Examples:
    python build_pdf.py --check
    python build_pdf.py --check --assessment team.json   # check a saved assessment: its totals
    python build_pdf.py --site        # the site and every PDF, into site/ (what `make build` runs)
    python build_pdf.py --paper a4 --drivers coaching,fidelity --program "Family Connects"
    python build_pdf.py --assessment spring.json --assessment autumn.json --out results
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .catalogue import (
    PAPERS,
    Paper,
    Printable,
    Workshop,
    catalogue,
    filled_catalogue,
    header_problem,
    slug,
)
from .errors import AssessmentError, ToolkitError, UsageError, visible
from .project import Project
from .site.engines import ENGINES
from .source.load import load_rubric

if TYPE_CHECKING:
    from .assessment.inputs import Input
    from .assessment.totals import Tally
    from .model import Toolkit
    from .pdf.build import Built
    from .render.markdown import MarkdownRenderer

#: The options of the blank set (a workshop edition), which printing saved assessments refuses.
BLANK_SET_ONLY = ("--drivers", "--program", "--organization", "--date", "--edition")
#: An option and those it cannot be given with (beside the mutually exclusive --site and
#: --assessment): argparse reports the first one given, with its usage, and exits 2.
CONFLICTS = {"--assessment": BLANK_SET_ONLY}


def _header(name: str) -> Callable[[str], str]:
    """The argparse type of a workshop value: the text, or its problem as a usage error."""

    def value(text: str) -> str:
        text = text.strip() if name == "edition" else text
        problem = header_problem(name, text)
        if problem is None and name == "edition" and text and not slug(text):
            problem = "needs at least one letter or digit"
        if problem is not None:
            raise argparse.ArgumentTypeError(problem)
        return text

    value.__name__ = name  # what argparse names in its own messages
    return value


def _driver_ids(text: str) -> tuple[str, ...]:
    ids = tuple(part.strip() for part in text.split(",") if part.strip())
    if not ids:
        raise argparse.ArgumentTypeError("name at least one driver id")
    return ids


def parser_for(project: Project) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build_pdf.py",
        description=__doc__.splitlines()[0],
        epilog="\n".join(__doc__.splitlines()[2:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="validate the rubric (and each --assessment file, printing its totals); "
        "render nothing",
    )
    parser.add_argument("--rubric", type=Path, default=project.rubric, help="rubric folder")
    what = parser.add_mutually_exclusive_group()
    what.add_argument(
        "--site",
        action="store_true",
        help="build the site around the PDFs into site/ (PDFs in site/pdf)",
    )
    what.add_argument(
        "--assessment",
        action="append",
        default=[],
        metavar="FILE",
        help="print a saved assessment file (- reads standard input): its filled form, action "
        "plan and a results report (repeat for several rounds; default --out: assessment-pdfs)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="PDF folder, replaced whole on success (default: site/pdf); "
        "with --site, the site folder (default: site)",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="mkdocs",
        help="with --site, the site engine (zensical: pip install zensical)",
    )
    parser.add_argument("--paper", choices=[*Paper, "both"], default="both")
    blank = parser.add_argument_group("a workshop edition of the blank set")
    blank.add_argument(
        "--drivers", type=_driver_ids, help="comma-separated driver ids (default: all)"
    )
    blank.add_argument(
        "--program", type=_header("program"), default="", help="pre-fill: program assessed"
    )
    blank.add_argument(
        "--organization", type=_header("organization"), default="", help="pre-fill: organization"
    )
    blank.add_argument(
        "--date", type=_header("date"), default="", help="pre-fill: date of the workshop"
    )
    blank.add_argument(
        "--edition",
        type=_header("edition"),
        default="",
        help="short label for a workshop edition, in titles, file names and footers "
        "(default with --drivers: the drivers' names)",
    )
    parser.add_argument(
        "--jobs", type=int, default=None, help="parallel renderers (default: cores)"
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=project.debug,
        help="show tracebacks (also TOOLKIT_DEBUG=1)",
    )
    return parser


def parse_args(argv: list[str] | None, project: Project) -> argparse.Namespace:
    parser = parser_for(project)
    args = parser.parse_args(argv)

    def given(option: str) -> bool:
        dest = option.removeprefix("--").replace("-", "_")
        return bool(getattr(args, dest) != parser.get_default(dest))

    for option, others in CONFLICTS.items():
        for other in others:
            if given(option) and given(other):
                parser.error(f"argument {other}: not allowed with argument {option}")
    return args


def main(argv: list[str] | None = None, *, root: Path | None = None) -> int:
    """Run the command line for the project in `root` (default: the current folder)."""
    project = Project.at(root or Path.cwd())
    args = parse_args(argv, project)
    try:
        return run(args, project)
    except ToolkitError as error:
        if args.debug:
            raise
        print(visible(error.report(), keep_lines=True), file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("Interrupted; the previous output is unchanged.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 (one clear line instead of a traceback)
        if args.debug:
            raise
        print(
            f"error: {visible(str(error))}\n(run with --debug for the traceback)", file=sys.stderr
        )
    return 1


def inputs_stamp(args: argparse.Namespace, project: Project, inputs: Sequence[Input] = ()) -> str:
    """A hash of everything this build reads, to skip it when nothing changed: for assessment
    files, the bytes read (a file refused is reported later, with the other problems)."""
    from .pdf.fonts import resolved_font_files
    from .store.cache import build_stamp

    assessments: list[object] = [(item.given, item.name, item.digest) for item in inputs]
    if inputs:  # a team's text may be set in any installed font
        from .pdf.fonts import installed_fonts, signature

        assessments += [signature(Path(font.file)) for font in installed_fonts()]
    options = (
        assessments,
        args.site,
        args.engine,
        args.paper,
        args.drivers,
        args.program,
        args.organization,
        args.date,
        args.edition,
    )
    # The fonts fontconfig gives WeasyPrint now: a font that appears or goes builds again.
    return build_stamp(project, args.rubric, options, resolved_font_files())


def progress_line(
    project: Project, stream: TextIO | None = None
) -> Callable[[int, int, str], None] | None:
    """A one-line progress display, only on an interactive terminal outside CI."""
    shown = stream or sys.stderr
    if project.ci or not shown.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        end = "\n" if done == total else ""
        shown.write(f"\r\x1b[Krendering {done}/{total}: {name}{end}")
        shown.flush()

    return show


def assessment_printables(
    toolkit: Toolkit, files: Sequence[Input], papers: tuple[Paper, ...]
) -> list[Printable]:
    """The printables of saved assessment files; every problem in them raised at once, and
    every character no installed font has named at once (it prints as U+FFFD)."""
    from .assessment import rubric_data
    from .assessment.fileformat import notices
    from .assessment.printing import Filled, read_rounds
    from .pdf.fonts import FALLBACK_PACKAGES, TeamFonts

    data = rubric_data(toolkit)
    rounds, replaced = read_rounds(files, data, can_print=TeamFonts().can_print)
    for problem in replaced:
        print(f"warning: {problem}", file=sys.stderr)
    if replaced:
        texts = "1 text holds" if len(replaced) == 1 else f"{len(replaced)} texts hold"
        print(
            f"warning: {texts} characters no installed font has, printed as \ufffd (U+FFFD); "
            "fonts for most scripts: Debian packages " + ", ".join(FALLBACK_PACKAGES),
            file=sys.stderr,
        )
    for item in rounds:  # what the Assess page says when it opens the same file
        for notice in notices(item.assessment, data):
            print(f"note: {item.name}: {visible(notice)}", file=sys.stderr)
    return filled_catalogue(toolkit, Filled(data, rounds), papers=papers)


def check_assessments(toolkit: Toolkit, inputs: Sequence[Input]) -> None:
    """Each file's totals and what the Assess page says when it opens it; the problems of the
    files that are refused, all at once, after the others."""
    from .assessment import read_assessment, rubric_data, totals
    from .assessment.fileformat import notices

    data = rubric_data(toolkit)
    problems = []
    for source in inputs:
        try:
            assessment = read_assessment(source, data)
        except AssessmentError as error:
            problems.extend(error.problems)
            continue
        result = totals(data, assessment)
        print(f"{visible(source.shown)}: overall {_words(result.overall)}")
        for driver, tally in result.drivers.items():
            print(f"  {driver}: {_words(tally)}")
        for notice in notices(assessment, data):
            print(f"  {visible(notice)}")
    if problems:
        raise AssessmentError(problems)


def _words(tally: Tally) -> str:
    percent = "no percent" if tally.percent is None else f"{tally.percent}%"
    return f"{tally.points} of {tally.possible} points, {percent}, {tally.not_rated} not rated"


def output_folder(args: argparse.Namespace, project: Project) -> Path:
    if args.out is not None:
        return Path(args.out)
    if args.assessment:
        return Path("assessment-pdfs")
    return project.site if args.site else project.site / "pdf"


def is_up_to_date(out: Path, stamp: str, inputs: Sequence[Input]) -> bool:
    """Whether `out` is exactly what this build would write (a damaged one is said and redone)."""
    from .store.output import is_current, is_damaged

    if is_current(out, stamp) and all(source.data is not None for source in inputs):
        print(f"Up to date: nothing changed since {out} was built.")
        return True
    if is_damaged(out, stamp):
        print(
            f"warning: files in {out} changed since it was built; building again", file=sys.stderr
        )
    return False


def load(rubric: Path) -> tuple[Toolkit, MarkdownRenderer]:
    """The rubric with every check of --check, and the Markdown renderer it was checked with."""
    from .pdf.fonts import printable_characters
    from .render.markdown import MarkdownRenderer

    markdown = MarkdownRenderer()
    toolkit = load_rubric(
        rubric,
        shown_from=Path.cwd(),
        can_print=printable_characters(),
        markup_problems=markdown.problems,
    )
    return toolkit, markdown


def printables_of(
    args: argparse.Namespace, toolkit: Toolkit, inputs: Sequence[Input]
) -> list[Printable]:
    papers = tuple(paper for paper in PAPERS if args.paper in (paper, "both"))
    if inputs:
        return assessment_printables(toolkit, inputs, papers)
    known = [driver.id for driver in toolkit.drivers]
    unknown = sorted(set(args.drivers or ()) - set(known))
    if unknown:
        raise UsageError(
            f"--drivers: unknown driver {', '.join(unknown)}; known: {', '.join(known)}"
        )
    workshop = Workshop(args.program, args.organization, args.date, args.edition)
    return catalogue(toolkit, papers=papers, drivers=args.drivers, workshop=workshop)


def run(args: argparse.Namespace, project: Project) -> int:
    from .assessment.inputs import read_input

    # Each assessment file is read once, here: the stamp and the PDFs come from the same bytes.
    inputs = [read_input(file) for file in args.assessment]
    if args.check:
        toolkit, _ = load(args.rubric)
        practices = sum(len(driver.best_practices) for driver in toolkit.drivers)
        print(f"Rubric OK: {len(toolkit.drivers)} drivers, {practices} best practices.")
        check_assessments(toolkit, inputs)
        return 0
    out = output_folder(args, project)
    stamp = inputs_stamp(args, project, inputs)
    if is_up_to_date(out, stamp, inputs):
        return 0
    toolkit, markdown = load(args.rubric)
    printables = printables_of(args, toolkit, inputs)

    from .pdf.build import build_pdfs  # WeasyPrint loads only when needed
    from .pdf.renderer import machine_warnings

    for warning in machine_warnings():
        print(f"warning: {warning}", file=sys.stderr)

    def pdfs(out_dir: Path | None) -> list[Built]:
        return build_pdfs(
            project,
            toolkit,
            markdown,
            printables,
            out_dir,
            jobs=args.jobs,
            progress=progress_line(project),
            stamp=None if args.site else stamp,
        )

    if args.site:
        from .build import build_site

        built = build_site(
            project, toolkit, out, pdfs, rubric=args.rubric, stamp=stamp, engine=args.engine
        )
        where = f"{out} (PDFs in {out / 'pdf'})"
    else:
        built = pdfs(out)
        where = str(out)
    report(built, where)
    return 0


def report(built: Sequence[Built], where: str) -> None:
    rendered = sum(not item.cached for item in built)
    size = sum(item.size for item in built)
    repaired = [item.printable.filename for item in built if item.repaired]
    if repaired:
        print(
            f"warning: {len(repaired)} cached PDF(s) were damaged and were rendered again: "
            + ", ".join(repaired),
            file=sys.stderr,
        )
    print(
        f"{len(built)} PDFs ({rendered} rendered, {len(built) - rendered} unchanged), "
        f"{size / 1e6:.1f} MB, in {where}"
    )
