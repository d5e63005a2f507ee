"""Saved assessments: the file format, reading a file with `file:line:col` errors, and totals.

The site's Assess page (macros/render/templates/site/assess.md.j2, with
overrides/assets/javascripts/toolkit-core.js and assess.js) writes and reads the same files:
toolkit-core.js keeps the contract of jsontext.py, checking.py, fileformat.py and totals.py,
and tests/cases/ runs every case through both.
"""

from __future__ import annotations

from ..errors import AssessmentError
from .fileformat import (
    FORMAT,
    FORMAT_VERSION,
    PRIORITIES,
    Action,
    Assessment,
    Entry,
    Header,
    content_version,
    notices,
    rubric_data,
    to_json,
)
from .reading import read_assessment, read_bytes
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
    "notices",
    "read_assessment",
    "read_bytes",
    "rubric_data",
    "to_json",
    "totals",
]
