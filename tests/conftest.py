"""Shared fixtures: the project folder, the real rubric loaded once, and a throw-away copy of it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import copy_rubric

from macros.model import Toolkit
from macros.source.load import load_rubric

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def toolkit(project_root: Path) -> Toolkit:
    """The real rubric, loaded once; the model is frozen, so tests cannot change it."""
    return load_rubric(project_root / "rubric", shown_from=project_root)


@pytest.fixture
def rubric_copy(project_root: Path, tmp_path: Path) -> Path:
    """A private copy of rubric/ at tmp_path / "rubric", free to break."""
    return copy_rubric(tmp_path)


def run_build(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess[str]:
    """Run build_pdf.py as a user would, in a fresh process; never raises on failure."""
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "build_pdf.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole toolkit built once, as `make build` does: the site with PDFs in pdf/."""
    site = tmp_path_factory.mktemp("build") / "site"
    result = run_build("--site", "--out", str(site))
    assert result.returncode == 0, result.stderr
    return site


FIXTURE_RUBRIC = Path(__file__).resolve().parent / "fixtures" / "rubric"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/goldens/ from what the code renders now, instead of comparing",
    )


@pytest.fixture(scope="session")
def fixture_toolkit() -> Toolkit:
    """The tiny fixture rubric (tests/fixtures/rubric): two drivers, invented text."""
    return load_rubric(FIXTURE_RUBRIC, shown_from=FIXTURE_RUBRIC.parent)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(
            "Chromium is missing: these tests need Debian's `chromium` package on PATH "
            "(`make test` installs it with scripts/system-deps.sh; Playwright's own "
            "browser download is not used)",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session; each test opens its own pages."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
