"""Saved assessments: the file format, reading a file with `file:line:col` errors, and totals.

The site's Assess page (macros/templates/site/assess.md.j2 and
overrides/assets/javascripts/assess.js) writes and reads the same files and scores them with
the same data (fileformat.rubric_data) and the same arithmetic (totals.py).
"""

from __future__ import annotations

from .fileformat import (
    FORMAT,
    FORMAT_VERSION,
    PRIORITIES,
    Action,
    Assessment,
    Entry,
    Header,
    content_version,
    rubric_data,
    to_json,
)
from .reading import AssessmentError, read_assessment
from .totals import Tally, Totals, totals

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "PRIORITIES",
    "Action",
    "Assessment",
    "AssessmentError",
    "Entry",
    "Header",
    "Tally",
    "Totals",
    "content_version",
    "read_assessment",
    "rubric_data",
    "to_json",
    "totals",
]
