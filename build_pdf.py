#!/usr/bin/env python3
"""Build every printable of the toolkit as PDF, or only check the rubric.

Examples:
    python build_pdf.py --check
    python build_pdf.py --site        # the site and every PDF, into site/ (what `make build` runs)
    python build_pdf.py --paper a4 --drivers coaching,fidelity --program "Family Connects"
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from macros.catalogue import PAPERS, Workshop, catalogue  # noqa: E402
from macros.errors import RubricError  # noqa: E402
from macros.source.load import load_rubric  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="\n".join(__doc__.splitlines()[2:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--check", action="store_true", help="validate the rubric; render nothing")
    parser.add_argument("--rubric", type=Path, default=PROJECT / "rubric", help="rubric folder")
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
    parser.add_argument("--paper", choices=["letter", "a4", "both"], default="both")
    parser.add_argument("--drivers", help="comma-separated driver ids (default: all)")
    parser.add_argument("--program", default="", help="pre-fill: program or practice assessed")
    parser.add_argument("--organization", default="", help="pre-fill: organization or site")
    parser.add_argument("--date", default="", help="pre-fill: date of the workshop")
    parser.add_argument(
        "--jobs", type=int, default=None, help="parallel renderers (default: cores)"
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=bool(os.environ.get("TOOLKIT_DEBUG")),
        help="show tracebacks (also TOOLKIT_DEBUG=1)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except RubricError as error:
        if args.debug:
            raise
        print(error.report(), file=sys.stderr)
    except KeyboardInterrupt:
        print("Interrupted; the previous output is unchanged.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 (one clear line instead of a traceback)
        if args.debug:
            raise
        print(f"error: {error}\n(run with --debug for the traceback)", file=sys.stderr)
    return 1


def inputs_stamp(args: argparse.Namespace) -> str:
    """A hash of everything this build reads, to skip it when nothing changed."""
    from macros.pdf.fonts import source_font
    from macros.store.cache import inputs_key

    options = repr(
        (
            args.site,
            args.paper,
            args.drivers,
            args.program,
            args.organization,
            args.date,
            os.environ.get("SOURCE_DATE_EPOCH", ""),
        )
    )
    folders = [args.rubric, PROJECT / "macros", PROJECT / "overrides", PROJECT / "content"]
    return inputs_key(folders, [PROJECT / "mkdocs.yml", source_font()], options)


def run(args: argparse.Namespace) -> int:
    if not args.check:
        from macros.store.output import is_current

        out = args.out or PROJECT / ("site" if args.site else "site/pdf")
        stamp = inputs_stamp(args)
        if is_current(out, stamp):
            print(f"Up to date: nothing changed since {out} was built.")
            return 0
    from macros.pdf.fonts import printable_characters

    toolkit = load_rubric(args.rubric, shown_from=Path.cwd(), can_print=printable_characters())
    practices = sum(len(driver.best_practices) for driver in toolkit.drivers)
    if args.check:
        print(f"Rubric OK: {len(toolkit.drivers)} drivers, {practices} best practices.")
        return 0
    drivers = None
    if args.drivers:
        drivers = tuple(part.strip() for part in args.drivers.split(",") if part.strip())
        unknown = sorted(set(drivers) - {driver.id for driver in toolkit.drivers})
        if unknown:
            known = ", ".join(driver.id for driver in toolkit.drivers)
            print(
                f"error: --drivers: unknown driver {', '.join(unknown)}; known: {known}",
                file=sys.stderr,
            )
            return 2
    papers = PAPERS if args.paper == "both" else (args.paper,)
    workshop = Workshop(args.program, args.organization, args.date)
    printables = catalogue(toolkit, papers=papers, drivers=drivers, workshop=workshop)

    from macros.pdf.build import build_pdfs, terminal_progress  # WeasyPrint loads only when needed
    from macros.pdf.renderer import machine_warnings

    for warning in machine_warnings():
        print(f"warning: {warning}", file=sys.stderr)
    from macros.render.markdown import MarkdownRenderer

    markdown = MarkdownRenderer.from_config(PROJECT / "mkdocs.yml")

    def pdfs(out_dir: Path) -> list:
        return build_pdfs(
            toolkit,
            markdown,
            printables,
            out_dir,
            jobs=args.jobs,
            progress=terminal_progress,
            stamp=None if args.site else stamp,
        )

    if args.site:
        from macros.build import build_site

        built = build_site(out, pdfs, rubric=args.rubric, stamp=stamp)
        where = f"{out} (PDFs in {out / 'pdf'})"
    else:
        built = pdfs(out)
        where = str(out)
    rendered = sum(not item.cached for item in built)
    size = sum(item.size for item in built)
    print(
        f"{len(built)} PDFs ({rendered} rendered, {len(built) - rendered} unchanged), "
        f"{size / 1e6:.1f} MB, in {where}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
