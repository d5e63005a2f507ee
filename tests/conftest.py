"""Shared fixtures: the project folder, the real rubric loaded once, and a throw-away copy of it."""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from helpers import FIXTURE_RUBRIC, PROJECT_ROOT, Listener, copy_rubric, replace_once

from macros.cli import main
from macros.model import Toolkit
from macros.source.load import load_rubric


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


def _build_real(folder: Path) -> None:
    result = run_build("--site", "--out", str(folder / "site"))
    assert result.returncode == 0, result.stderr


def run_cli(*args: str, root: Path = PROJECT_ROOT) -> subprocess.CompletedProcess[str]:
    """build_pdf.py's command line run in this process, for the project in `root`: the same
    code and output without a new Python's start-up. Give paths absolute."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        try:
            code = main(list(args), root=root)
        except SystemExit as exit:  # argparse's usage errors
            code = exit.code if isinstance(exit.code, int) else 2
    return subprocess.CompletedProcess(args, code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole toolkit built once per run, as `make build` does: the site with PDFs in pdf/.
    Tests only read it."""
    return shared_folder(tmp_path_factory, "real", _build_real) / "site"


@pytest.fixture(scope="module")
def roots(built_site: Path):
    """The built site from the file system and over HTTP (a local server for the module)."""
    from site_tools import serve_directory

    with serve_directory(built_site) as base:
        yield {"file": built_site.resolve().as_uri() + "/", "http": base}


@pytest.fixture(scope="module")
def data(toolkit: Toolkit) -> dict:
    """The rubric data the Assess page embeds and macros.assessment scores with, per module."""
    from macros.assessment import rubric_data

    return rubric_data(toolkit)


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


@pytest.fixture
def fixture_rubric_copy(tmp_path: Path) -> Path:
    """A private copy of the fixture rubric at tmp_path / "rubric", free to break."""
    return Path(shutil.copytree(FIXTURE_RUBRIC, tmp_path / "rubric"))


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


def pytest_report_header() -> str:
    """The browser the suite drives, in the header: a browser update once broke the suite on
    every new machine while an older machine stayed green."""
    path = shutil.which("chromium")
    if path is None:
        return "browser: no chromium on PATH"
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return f"browser: {result.stdout.strip() or 'chromium (version unknown)'} ({path})"


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

HOSTILE_STATEMENT = "Fixture staff use {{ 7*7 }} plans {% if %} daily."
FOOTER = "Fixture footer credit 3. <script>alert('footer')</script>"
CATEGORY = "Organization <img src=x onerror=alert(4)> drivers"  # the fixture's second category
TITLE = "Funding </title><script>alert(5)</script>"  # Funding's name: it must not close <title>


def hostile_name(base: Path) -> str:
    """Mentoring's name: markup, and template code that would leave a file if it ever ran."""
    code = "self.__init__.__globals__.__builtins__.__import__('os')"
    return (
        "Mentoring <img src=x onerror=window.tkRan=3> {{ 7*7 }} "
        f"{{{{ {code}.system('touch {base / 'name-ran'}') }}}}"
    )


# Ids the theme and the Assess page look their own elements up by, taken by content (in the
# statement only: an id twice in one printable stops WeasyPrint).
PAGE_IDS = "*s*{: #__config } *h*{: #header-program } *n*{: #plan-next-assessment } " + (
    "*d*{: #tk-assess-data }"
)


def hostile_text(port: int) -> str:
    return (
        f'{{{{ config }}}} {{% include "x" %}} {{% raw %}} <script>window.tkRan=1</script> '
        f'<img src=x onerror="window.tkRan=2"> <iframe src="http://127.0.0.1:{port}/"></iframe> '
        f"![p](file:///etc/passwd) ![q](http://127.0.0.1:{port}/q.png) "
        f"[l](http://127.0.0.1:{port}/x)"
    )


def shown_text(port: int) -> str:
    """How hostile_text reads once rendered: markup as typed, pictures as their alt text."""
    return (
        f'{{{{ config }}}} {{% include "x" %}} {{% raw %}} <script>window.tkRan=1</script> '
        f'<img src=x onerror="window.tkRan=2"> <iframe src="http://127.0.0.1:{port}/"></iframe> '
        "p q l"
    )


MENTORING = "drivers/mentoring.yaml"
MARKS = {  # field -> (file, the exact line it replaces, the marker put in front of the text)
    "definition": (MENTORING, "  - Fixture definition 273.\n", "DEFINITIONMARK"),
    "statement": (
        "drivers/mentoring.yaml",
        "    statement: Fixture statement 281.\n",
        "STATEMENTMARK",
    ),
    "criterion": (MENTORING, "          text: Fixture item one.\n", "CRITERIONMARK"),
    "prompt": (MENTORING, "      - Fixture prompts 289.\n", "PROMPTMARK"),
    "citation": ("references.yaml", "    citation: Fixture citation 187.\n", "CITATIONMARK"),
}


def yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _hostile_line(field: str, old: str, mark: str, bad: str) -> str:
    indent = old[: len(old) - len(old.lstrip())]
    if field == "statement":
        statement = f"{HOSTILE_STATEMENT} {mark} {bad} {PAGE_IDS}"
        return f"{indent}statement: {yaml_quoted(statement)}\n"
    if field == "citation":
        return f"{indent}citation: {yaml_quoted(f'Fixture citation 187. {mark} {bad}')}\n"
    if field == "criterion":
        return f"{indent}text: {yaml_quoted(f'Fixture item one. {mark} {bad}')}\n"
    return f"{indent}- {yaml_quoted(old.strip()[2:] + f' {mark} {bad}')}\n"  # a list item


def shared_folder(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder `make` fills, made once per test run and shared by all pytest-xdist workers:
    the first worker to take the lock makes it; the others wait, then read it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def _build_hostile(base: Path) -> None:
    """The fixture rubric with its Mentoring name, definition, a statement, a criterion, a prompt
    and a citation full of hostile text (and Funding's name, a category name and the footer,
    which reach MkDocs' own templates), built as a site (A4, Mentoring) while a listener on
    127.0.0.1 counts connections; the outcome goes to outcome.json."""
    rubric = base / "rubric"
    shutil.copytree(FIXTURE_RUBRIC, rubric)
    mentoring_name = hostile_name(base)
    listener = Listener()
    try:
        bad = hostile_text(listener.port)
        for field, (file, old, mark) in MARKS.items():
            replace_once(rubric / file, old, _hostile_line(field, old, mark, bad))
        name = f"\nname: {yaml_quoted(mentoring_name)}\n"
        replace_once(rubric / MENTORING, "\nname: Mentoring\n", name)
        toolkit = rubric / "toolkit.yaml"  # text that reaches MkDocs' own templates
        replace_once(toolkit, "Fixture footer credit 3.\n", f"{FOOTER}\n")
        replace_once(toolkit, "    name: Fixture name 34.\n", f"    name: {CATEGORY}\n")
        funding = rubric / "drivers" / "funding.yaml"
        replace_once(funding, "\nname: Funding\n", f"\nname: {yaml_quoted(TITLE)}\n")
        replace_once(
            rubric / MENTORING,
            "definition:\n",
            "definition:\n"
            f'  - Look ![x](http://127.0.0.1:{listener.port}/a.png) and <img src="http://'
            f'127.0.0.1:{listener.port}/b.png"> and more.\n',
        )
        result = run_build(
            *("--site", "--paper", "a4", "--drivers", "mentoring"),
            *("--rubric", str(rubric), "--out", str(base / "site")),
        )
        time.sleep(0.5)  # let a late connection be counted
    finally:
        listener.close()
    outcome = {
        "returncode": result.returncode,
        "stdout": result.stdout,
        "stderr": result.stderr,
        "port": listener.port,
        "connections": listener.connections,
    }
    (base / "outcome.json").write_text(json.dumps(outcome), encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> dict:
    """The hostile fixture (see _build_hostile), built once per run: its site, the build's
    result, the listener's port and the connections it received."""
    base = shared_folder(tmp_path_factory, "hostile", _build_hostile)
    outcome = json.loads((base / "outcome.json").read_text(encoding="utf-8"))
    return {
        "result": subprocess.CompletedProcess(
            "build_pdf.py", outcome["returncode"], outcome["stdout"], outcome["stderr"]
        ),
        "site": base / "site",
        "rubric": base / "rubric",
        "name": hostile_name(base),
        "ran": base / "name-ran",  # made only if template code in a name ran
        "port": outcome["port"],
        "accepted": len(outcome["connections"]),
        "connections": outcome["connections"],
    }
