"""What a new user's machine may lack: the build must still pass, and the set-up must be exact."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURE_RUBRIC, PROJECT_ROOT
from pypdf import PdfReader

# Runs build_pdf.py as `make build` would, but with WeasyPrint's HarfBuzz-Subset hidden, as on
# a fresh Debian 12 machine that lacks libharfbuzz-subset0.
WITHOUT_HARFBUZZ_SUBSET = """
import runpy, sys
import weasyprint.pdf.fonts
weasyprint.pdf.fonts.harfbuzz_subset = None
sys.argv = ["build_pdf.py", *sys.argv[1:]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_build_passes_without_harfbuzz_subset_and_says_so_once(tmp_path):
    out = tmp_path / "pdf"
    env = {**os.environ, "TOOLKIT_CACHE": str(tmp_path / "cache")}
    env.pop("CI", None)
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_HARFBUZZ_SUBSET, "--rubric", str(FIXTURE_RUBRIC)]
        + ["--drivers", "mentoring", "--paper", "a4", "--out", str(out)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.stderr
    assert "HarfBuzz-Subset" in warnings[0]
    assert "libharfbuzz-subset0" in warnings[0]
    assert "fontTools instead" not in result.stderr  # WeasyPrint's per-font lines stay hidden
    pdfs = sorted(out.glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        assert len(PdfReader(pdf).pages) >= 1, pdf.name


def fake_tools(folder: Path, *, installed: bool) -> dict[str, str]:
    """A PATH whose dpkg-query answers for every package; apt-get and sudo record their calls."""
    folder.mkdir()
    status = "install ok installed" if installed else "unknown ok not-installed"
    scripts = {
        "dpkg-query": f'#!/bin/sh\necho "{status}"\n',
        "apt-get": f'#!/bin/sh\necho "apt-get $*" >> "{folder}/calls"\n',
        "sudo": '#!/bin/sh\n"$@"\n',
        "id": "#!/bin/sh\necho 0\n",
    }
    for name, text in scripts.items():
        (folder / name).write_text(text)
        (folder / name).chmod(0o755)
    return {**os.environ, "PATH": f"{folder}:/usr/bin:/bin"}


def system_deps(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the set-up script's test mode as `make test` does."""
    return subprocess.run(
        ["bash", "scripts/system-deps.sh", "test"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_system_deps_installs_nothing_when_every_package_is_there(tmp_path):
    env = fake_tools(tmp_path / "bin", installed=True)
    for _ in range(20):  # a pipeline that can fail by itself would show up under repetition
        result = system_deps(env)
        assert result.returncode == 0, result.stderr
    assert not (tmp_path / "bin" / "calls").exists()


def test_system_deps_installs_what_the_build_and_the_tests_need(tmp_path):
    env = fake_tools(tmp_path / "bin", installed=False)
    result = system_deps(env)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "bin" / "calls").read_text()
    for package in ("libharfbuzz-subset0", "libpango-1.0-0", "fonts-dejavu-core", "chromium"):
        assert package in calls, calls
