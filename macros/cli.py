"""Build every printable of the toolkit as PDF, or only check the rubric.

Examples:
    python build_pdf.py --check
    python build_pdf.py --site        # the site and every PDF, into site/ (what `make build` runs)
    python build_pdf.py --paper a4 --drivers coaching,fidelity --program "Family Connects"
    python build_pdf.py --assessment spring.json --assessment autumn.json --out results
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue import PAPERS, Workshop, catalogue, filled_catalogue, slug
from .errors import ToolkitError, visible
from .project import Project
from .source.load import load_rubric

if TYPE_CHECKING:
    from .assessment.inputs import Input


def parse_args(argv: list[str] | None, project: Project) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="\n".join(__doc__.splitlines()[2:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--check", action="store_true", help="validate the rubric; render nothing")
    parser.add_argument("--rubric", type=Path, default=project.rubric, help="rubric folder")
    parser.add_argument(
        "--site",
        action="store_true",
        help="build the site around the PDFs into site/ (PDFs in site/pdf)",
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
        choices=["mkdocs", "zensical"],
        default="mkdocs",
        help="with --site, the site engine (zensical: pip install zensical)",
    )
    parser.add_argument("--paper", choices=["letter", "a4", "both"], default="both")
    parser.add_argument("--drivers", help="comma-separated driver ids (default: all)")
    parser.add_argument("--program", default="", help="pre-fill: program or practice assessed")
    parser.add_argument("--organization", default="", help="pre-fill: organization or site")
    parser.add_argument("--date", default="", help="pre-fill: date of the workshop")
    parser.add_argument(
        "--edition",
        default="",
        help="short label for a workshop edition, in titles, file names and footers "
        "(default with --drivers: the drivers' names)",
    )
    parser.add_argument(
        "--assessment",
        action="append",
        metavar="FILE",
        help="print a saved assessment file (- reads standard input): its filled form, action "
        "plan and a results report (repeat for several rounds; default --out: assessment-pdfs)",
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
    return parser.parse_args(argv)


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

    assessments: list[tuple] = [(source.given, source.name, source.digest) for source in inputs]
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


def progress_line(project: Project, stream=None) -> Callable[[int, int, str], None] | None:
    """A one-line progress display, only on an interactive terminal outside CI."""
    stream = stream or sys.stderr
    if project.ci or not stream.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        end = "\n" if done == total else ""
        stream.write(f"\r\x1b[Krendering {done}/{total}: {name}{end}")
        stream.flush()

    return show


def assessment_printables(toolkit, files: Sequence[Input], papers: tuple[str, ...]) -> list:
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


def run(args: argparse.Namespace, project: Project) -> int:
    if args.assessment:
        given = [
            name
            for name in ("check", "site", "drivers", "program", "organization", "date", "edition")
            if getattr(args, name)
        ]
        if given:
            print(f"error: --assessment cannot be combined with --{given[0]}", file=sys.stderr)
            return 2
    from .assessment.inputs import read_input

    # Each assessment file is read once, here: the stamp and the PDFs come from the same bytes.
    inputs = [read_input(file) for file in args.assessment or ()]
    if not args.check:
        from .store.output import is_current, is_damaged

        out = args.out or (project.site if args.site else project.site / "pdf")
        if args.assessment:
            out = args.out or Path("assessment-pdfs")
        stamp = inputs_stamp(args, project, inputs)
        if is_current(out, stamp) and all(source.data is not None for source in inputs):
            print(f"Up to date: nothing changed since {out} was built.")
            return 0
        if is_damaged(out, stamp):
            print(
                f"warning: files in {out} changed since it was built; building again",
                file=sys.stderr,
            )
    from .pdf.fonts import printable_characters
    from .render.markdown import MarkdownRenderer

    markdown = MarkdownRenderer()
    toolkit = load_rubric(
        args.rubric,
        shown_from=Path.cwd(),
        can_print=printable_characters(),
        markup_problems=markdown.problems,
    )
    practices = sum(len(driver.best_practices) for driver in toolkit.drivers)
    if args.check:
        print(f"Rubric OK: {len(toolkit.drivers)} drivers, {practices} best practices.")
        return 0
    drivers = None
    if args.drivers is not None:
        drivers = tuple(part.strip() for part in args.drivers.split(",") if part.strip())
        if not drivers:
            print("error: --drivers: name at least one driver id", file=sys.stderr)
            return 2
        unknown = sorted(set(drivers) - {driver.id for driver in toolkit.drivers})
        if unknown:
            known = ", ".join(driver.id for driver in toolkit.drivers)
            print(
                f"error: --drivers: unknown driver {', '.join(unknown)}; known: {known}",
                file=sys.stderr,
            )
            return 2
    if args.edition.strip() and not slug(args.edition):
        print("error: --edition needs at least one letter or digit", file=sys.stderr)
        return 2
    papers = PAPERS if args.paper == "both" else (args.paper,)
    if args.assessment:
        printables = assessment_printables(toolkit, inputs, papers)
    else:
        workshop = Workshop(args.program, args.organization, args.date, args.edition.strip())
        if workshop.problems():
            print(
                "\n".join(f"error: {problem}" for problem in workshop.problems()), file=sys.stderr
            )
            return 2
        printables = catalogue(toolkit, papers=papers, drivers=drivers, workshop=workshop)

    from .pdf.build import build_pdfs  # WeasyPrint loads only when needed
    from .pdf.renderer import machine_warnings

    for warning in machine_warnings():
        print(f"warning: {warning}", file=sys.stderr)

    def pdfs(out_dir: Path | None) -> list:
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
    return 0
