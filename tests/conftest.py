"""Shared fixtures: the project folder, the real rubric loaded once, and a throw-away copy of it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import Listener, copy_rubric, replace_once

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


# --- the hostile fixture: content that tries to run, fetch or inject, built once ----------------

HOSTILE_STATEMENT = "Agency staff use {{ 7*7 }} coaching {% if %} plans."


def hostile_text(port: int) -> str:
    return (
        f'{{{{ config }}}} {{% include "x" %}} <script>alert(1)</script> '
        f'<iframe src="http://127.0.0.1:{port}/"></iframe> ![p](file:///etc/passwd) '
        f"![q](http://127.0.0.1:{port}/q.png) [l](http://127.0.0.1:{port}/x)"
    )


def shown_text(port: int) -> str:
    """How hostile_text reads once rendered: markup as typed, pictures as their alt text."""
    return (
        f'{{{{ config }}}} {{% include "x" %}} <script>alert(1)</script> '
        f'<iframe src="http://127.0.0.1:{port}/"></iframe> p q l'
    )


MARKS = {  # field -> (file, the exact text it starts with, the marker put in front of the text)
    "statement": (
        "drivers/coaching.yaml",
        "    statement: Agency staff use a coaching service delivery plan.\n",
        "STATEMENTMARK",
    ),
    "criterion": ("drivers/coaching.yaml", "        - coaching methods;\n", "CRITERIONMARK"),
    "prompt": ("drivers/coaching.yaml", "      - Frequency of coaching?\n", "PROMPTMARK"),
    "citation": (
        "references.yaml",
        "      National Implementation Research Network.\n",
        "CITATIONMARK",
    ),
}


def yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory):
    """The hostile fixture, built once: coaching's statement, a criterion, a prompt and a
    citation full of hostile text, and outside pictures in its definition, built as a site (A4,
    coaching) while a listener on 127.0.0.1 counts connections."""
    base = tmp_path_factory.mktemp("hostile")
    rubric = copy_rubric(base)
    listener = Listener()
    try:
        bad = hostile_text(listener.port)
        replace_once(
            rubric / "drivers" / "coaching.yaml",
            "definition:\n  - >-\n",
            (
                "definition:\n  - >-\n"
                f"    Look ![x](http://127.0.0.1:{listener.port}/a.png) and"
                f' <img src="http://127.0.0.1:{listener.port}/b.png"> and more.\n'
            ),
        )
        for field, (name, old, mark) in MARKS.items():
            indent = old[: len(old) - len(old.lstrip())]
            if field == "statement":
                text = yaml_quoted(f"{HOSTILE_STATEMENT} {mark} {bad}")
                new = f"{indent}statement: {text}\n"
            elif field == "citation":
                new = f"{indent}National Implementation Research Network. {mark} {bad}\n"
            else:  # a list item
                new = f"{indent}- {yaml_quoted(old.strip()[2:] + f' {mark} {bad}')}\n"
            replace_once(rubric / name, old, new)
        site = base / "site"
        result = run_build(
            "--site",
            "--paper",
            "a4",
            "--drivers",
            "coaching",
            "--rubric",
            str(rubric),
            "--out",
            str(site),
        )
        time.sleep(0.5)  # let a late connection be counted
    finally:
        listener.close()
    return {
        "result": result,
        "site": site,
        "port": listener.port,
        "accepted": listener.accepted,
        "connections": listener.connections,
    }
