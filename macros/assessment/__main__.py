"""Check assessment files and print their totals: python -m macros.assessment FILE [FILE ...]

Exit status 1, with every problem as `file:line:column: field: message`, when a file is bad.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import visible
from ..source.load import load_rubric
from . import AssessmentError, read_assessment, rubric_data, totals
from .fileformat import notices

PROJECT = Path(__file__).resolve().parent.parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files", nargs="+", type=Path, help="assessment files; - reads standard input"
    )
    parser.add_argument("--rubric", type=Path, default=PROJECT / "rubric", help="rubric folder")
    args = parser.parse_args(argv)
    data = rubric_data(load_rubric(args.rubric))
    problems = []
    for file in args.files:
        try:
            assessment = read_assessment(file, data)
        except AssessmentError as error:
            problems.extend(error.problems)
            continue
        result = totals(data, assessment)
        print(f"{visible(str(file))}: overall {_words(result.overall)}")
        for driver, tally in result.drivers.items():
            print(f"  {driver}: {_words(tally)}")
        for notice in notices(assessment, data):
            print(f"  {visible(notice)}")
    if problems:
        print(AssessmentError(problems).report(), file=sys.stderr)
        return 1
    return 0


def _words(tally) -> str:
    percent = "no percent" if tally.percent is None else f"{tally.percent}%"
    return f"{tally.points} of {tally.possible} points, {percent}, {tally.not_rated} not rated"


if __name__ == "__main__":
    sys.exit(main())
