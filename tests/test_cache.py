"""The PDF cache and the unchanged-build stamp never serve stale output.

Each kind of input a PDF depends on is changed in a private copy of the project (whose rubric is
the small fixture rubric, so renders are quick), and the PDF must change with it; an unrelated
change must not re-render it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_RUBRIC, PROJECT_ROOT, run_cli

TIP_SHEET = "tip-sheet-mentoring-print-a4.pdf"
CHECKLIST = "checklist-mentoring-fillable-a4.pdf"


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's tracked files in a temporary folder, free to edit, with the fixture rubric."""
    copy = tmp_path_factory.mktemp("copy") / "project"
    listed = (
        subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "ls-files", "-z"], capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = PROJECT_ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    shutil.rmtree(copy / "rubric")
    shutil.copytree(FIXTURE_RUBRIC, copy / "rubric")
    return copy


BUILD = ("--paper", "a4", "--drivers", "mentoring")


def build(project: Path, out: Path, cache: Path, *args: str) -> str:
    """Build the copy in this process: its rubric and settings, this package's code (the same
    bytes as the copy's, so the same cache keys), rendering here too (--jobs 1: forking a test
    process that runs threads is unsafe)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOOLKIT_CACHE", str(cache))
        result = run_cli(*BUILD, "--jobs", "1", "--out", str(out), *args, root=project)
    assert result.returncode == 0, result.stderr
    return result.stdout


def build_with_its_code(project: Path, out: Path, cache: Path, *args: str) -> str:
    """Build the copy with its own build_pdf.py, in a process of its own: its edited templates
    and style sheet are the ones used."""
    result = subprocess.run(
        [sys.executable, str(project / "build_pdf.py"), *BUILD, "--out", str(out), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "TOOLKIT_CACHE": str(cache)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def rendered(output: str) -> int:
    return int(re.search(r"\((\d+) rendered", output).group(1))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def first_build(project_copy: Path, tmp_path_factory: pytest.TempPathFactory):
    cache = tmp_path_factory.mktemp("cache")
    out = tmp_path_factory.mktemp("out") / "pdf"
    output = build(project_copy, out, cache)
    return out, cache, output


def test_a_second_build_renders_nothing_and_is_skipped(project_copy, first_build):
    out, cache, output = first_build
    # a fresh cache renders all; one driver: its own checklist is the edition's only checklist
    assert rendered(output) == len(list(out.glob("*.pdf"))) == 20
    again = build(project_copy, out, cache)
    assert again.startswith("Up to date")


# Each edit reaches as few PDFs as its kind allows: the data and the template are the tip sheet's
# alone; every PDF uses the style sheet. Code edits need the copy's own process.
@pytest.mark.parametrize(
    ("what", "builder", "file", "old", "new", "renders", "changes", "keeps"),
    [
        (
            "data",
            build,
            "rubric/drivers/mentoring.yaml",
            "Fixture lead 274.",
            "Fixture lead 274, edited.",
            1,
            TIP_SHEET,
            "action-plan-print-a4.pdf",
        ),
        (
            "template",
            build_with_its_code,
            "macros/render/templates/pdf/tip_sheet.html.j2",
            "<h2>References</h2>",
            "<h2>References cited</h2>",
            1,
            TIP_SHEET,
            "action-plan-print-a4.pdf",
        ),
        (
            "style sheet",
            build_with_its_code,
            "macros/render/styles/print.css",
            "h1 { font-size: 17pt;",
            "h1 { font-size: 18pt;",
            20,
            TIP_SHEET,
            None,
        ),
    ],
    ids=["data", "template", "style sheet"],
)
def test_changing_an_input_changes_the_pdfs_that_use_it(
    project_copy, first_build, what, builder, file, old, new, renders, changes, keeps
):
    out, cache, _ = first_build
    before = {path.name: digest(path) for path in out.glob("*.pdf")}
    edit(project_copy / file, old, new)
    try:
        output = builder(project_copy, out, cache)
        assert rendered(output) == renders, f"changing the {what}: {output}"
        assert digest(out / changes) != before[changes], f"{changes} is stale after a {what} edit"
        if keeps:
            assert digest(out / keeps) == before[keeps], f"{keeps} changed but uses no {what}"
    finally:
        edit(project_copy / file, new, old)


def test_options_are_part_of_the_key(project_copy, first_build):
    out, cache, _ = first_build
    before = digest(out / CHECKLIST)
    output = build(project_copy, out, cache, "--program", "Family Connects")
    assert rendered(output) > 0
    assert digest(out / CHECKLIST) != before


def test_library_versions_and_fonts_are_part_of_the_key(monkeypatch):
    from macros.pdf import build as pdfbuild
    from macros.project import Project

    def key() -> str:  # the environment as the build would read it now
        return pdfbuild.environment_key(Project.at(PROJECT_ROOT))

    from importlib.metadata import distribution

    from macros.store import cache

    class Newer:  # WeasyPrint as another release would install it
        version = "999"
        requires = distribution("weasyprint").requires

    original = key()
    monkeypatch.setattr(
        cache, "distribution", lambda name: Newer if name == "weasyprint" else distribution(name)
    )
    assert key() != original
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert key() != original


def test_the_build_stamp_follows_every_library_the_project_requires():
    """The stamp reads the installed project's requirements; the name it looks them up by is
    pyproject.toml's, so renaming the project cannot silently leave the libraries out."""
    import tomllib

    from macros.project import DISTRIBUTION
    from macros.store.cache import requirement_versions

    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == DISTRIBUTION
    names = {line.partition("=")[0] for line in requirement_versions(DISTRIBUTION)}
    assert {DISTRIBUTION, "weasyprint", "mkdocs", "jinja2", "pydyf"} <= names
