#!/usr/bin/env python3
"""Build the toolkit's PDFs and site, or check the rubric: see `python build_pdf.py --help`."""

from __future__ import annotations

import sys
from pathlib import Path

from macros.cli import main

if __name__ == "__main__":
    sys.exit(main(root=Path(__file__).resolve().parent))
