"""Robustness, end to end: bad input through the command line, output that survives failed and
interrupted builds, the MkDocs entry points, `mkdocs serve` on a breaking rubric, hostile content,
and a project that lives somewhere else.

1. The corpus of bad rubric files has its own module, tests/test_bad_inputs.py.
2. A broken, failing or interrupted build leaves the previous site or PDF folder byte for byte
   as it was, with no staging folder left behind.
3. `mkdocs build` reports the same lines as `--check`; `--debug` and TOOLKIT_DEBUG show tracebacks.
4. `mkdocs serve` keeps the last good page while the rubric is broken and says why.
5. Template syntax, HTML, outside images and links in content stay text and reach nothing.
6. The project builds from a copy in a path with spaces and accents, from any working folder.

All of it runs on the fixture rubric. The command line runs in the test process (run_cli) unless
the point is the process: Ctrl-C, `--debug`'s traceback, MkDocs' own commands, a copy's own
build_pdf.py. Every subprocess is given a timeout; every server is stopped in a `finally`.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from conftest import CATEGORY, FIXTURE_RUBRIC, FOOTER, MARKS, PROJECT_ROOT, run_cli, shown_text
from helpers import SMALL, line_of, replace_once, seeded_cache, small_site

from macros.errors import RubricError

BUILD = PROJECT_ROOT / "build_pdf.py"
# One reported problem: rubric/drivers/coaching.yaml:9:1: nmae: unknown key 'nmae'; ...
PROBLEM = re.compile(
    r"^(?P<path>[^:\s][^:]*):(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): "
    r"(?P<message>.+)$"
)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a child process, without a TOOLKIT_DEBUG the developer may have set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TOOLKIT_DEBUG", "TOOLKIT_RUBRIC")
    }
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below `folder` (relative path) with the sha256 of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def staging_leftovers(folder: Path) -> list[str]:
    """Staging or backup folders a build may have left beside `folder` (.site-new-*, .pdf-old-*)."""
    return sorted(
        path.name for path in folder.parent.iterdir() if path.name.startswith(f".{folder.name}-")
    )


def problem_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if PROBLEM.match(line)]


# --- 2. output is replaced whole or not at all ----------------------------------------------------


@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> dict[str, Path]:
    """A good site (the fixture rubric's Mentoring, A4) and its PDF folder, a previous build's
    output too; tests work on copies."""
    site = small_site(tmp_path_factory)
    return {"site": site, "pdfs": site / "pdf"}


def fresh_copy(source: Path, tmp_path: Path, name: str) -> Path:
    target = tmp_path / "out" / name
    shutil.copytree(source, target)
    return target


def break_mentoring_name(rubric: Path) -> list[str]:
    """Rename `name:` to `nmae:` in mentoring.yaml; return the problems --check shows for it."""
    mentoring = rubric / "drivers" / "mentoring.yaml"
    line = replace_once(mentoring, "\nname: Mentoring\n", "\nnmae: Mentoring\n") + 1
    shown = mentoring.resolve().as_posix()
    return [
        f"{shown}:{line_of(mentoring, 'origin:')}:1: name: is required but missing",
        f"{shown}:{line}:1: nmae: unknown key 'nmae'; did you mean 'name'?",
    ]


def test_broken_rubric_leaves_the_site_untouched(good_build, fixture_rubric_copy, tmp_path):
    site = fresh_copy(good_build["site"], tmp_path, "site")
    before = snapshot(site)
    expected = break_mentoring_name(fixture_rubric_copy)

    result = run_cli("--site", "--rubric", str(fixture_rubric_copy), "--out", str(site))

    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        *expected,
        "2 problems in the rubric; nothing was built.",
    ], result.stderr
    assert snapshot(site) == before
    assert staging_leftovers(site) == []


def test_broken_rubric_leaves_the_pdf_folder_untouched(good_build, fixture_rubric_copy, tmp_path):
    pdfs = fresh_copy(good_build["pdfs"], tmp_path, "pdfs")
    before = snapshot(pdfs)
    references = fixture_rubric_copy / "references.yaml"
    first = line_of(references, "  - key: metz-2014")
    line = replace_once(references, "  - key: metz-2015\n", "  - key: metz-2014\n")
    shown = references.resolve().as_posix()

    result = run_cli(
        *("--paper", "a4", "--drivers", "mentoring", "--rubric", str(fixture_rubric_copy)),
        *("--out", str(pdfs)),
    )

    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"{shown}:{line}:10: references[3].key: duplicate reference key 'metz-2014' "
        f"(first used at {shown}:{first})",
        "1 problem in the rubric; nothing was built.",
    ], result.stderr
    assert snapshot(pdfs) == before
    assert staging_leftovers(pdfs) == []


def test_a_build_failing_while_rendering_leaves_the_site_untouched(good_build, tmp_path):
    """The rubric loads, the site's staging folder exists, then a PDF cannot be rendered.

    U+10FFFD (private use) has a glyph in no font, and a missing glyph fails the printable; the
    loader refuses it in the rubric, so it comes in through a pre-filled header field.
    """
    site = fresh_copy(good_build["site"], tmp_path, "site")
    before = snapshot(site)

    result = run_cli(
        *("--site", *SMALL, "--jobs", "1"),  # rendering in this process: see helpers.small_site
        *("--program", "Programme \U0010fffd", "--out", str(site)),
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert "error:" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site) == before
    assert staging_leftovers(site) == []


def test_ctrl_c_leaves_the_site_untouched(good_build, tmp_path):
    """Interrupt a build that is really rendering: an empty cache, so every PDF is rendered."""
    site = fresh_copy(good_build["site"], tmp_path, "site")
    before = snapshot(site)
    cache = tmp_path / "empty-cache"
    # Letter, not the good build's A4: otherwise its stamp says nothing changed.
    command = [sys.executable, str(BUILD), "--site", "--paper", "letter", "--drivers"]
    command += ["mentoring", "--rubric", str(FIXTURE_RUBRIC), "--out", str(site)]
    # Its own session, so the signal reaches the whole process group as Ctrl-C in a terminal does;
    # `with` closes its pipes however the test ends.
    with subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=clean_env(TOOLKIT_CACHE=str(cache)),
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            deadline = time.monotonic() + 60
            while (
                not list(cache.glob("pdf/*.pdf"))
                and process.poll() is None
                and time.monotonic() < deadline
            ):
                time.sleep(0.05)
            assert list(cache.glob("pdf/*.pdf")), "the build never rendered a PDF"
            assert staging_leftovers(site), "the build never started writing"
            # One PDF of 18 is done: the build is well inside rendering.
            assert process.poll() is None, "the build ended before it could be interrupted"
            os.killpg(process.pid, signal.SIGINT)
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    assert process.returncode == 130, stderr
    assert "Interrupted; the previous output is unchanged." in stderr.splitlines(), stderr
    assert "Traceback" not in stderr, stderr
    assert snapshot(site) == before
    assert staging_leftovers(site) == []
    deadline = time.monotonic() + 5  # and no renderer keeps running in the background
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("worker processes outlived the interrupted build")


# --- 3. MkDocs reports the same problems; --debug shows the traceback ---------------------------


def test_mkdocs_build_reports_the_same_problems_as_check(
    fixture_rubric_copy, tmp_path, project_root, monkeypatch
):
    break_mentoring_name(fixture_rubric_copy)
    replace_once(
        fixture_rubric_copy / "references.yaml",
        "    short: Fixture short 192.\n",
        "    short: Fixture short 192.\n    short: again\n",
    )
    replace_once(  # markup the sanitizer would strip: both report it at its line
        fixture_rubric_copy / "drivers" / "funding.yaml",
        "\nname: Funding\n",
        "\nname: '[Funding](#){: onclick=\"alert(1)\" }'\n",
    )
    env = clean_env(TOOLKIT_RUBRIC=str(fixture_rubric_copy))

    mkdocs = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-d",
            str(tmp_path / "out"),
            "--config-file",
            str(project_root / "mkdocs.yml"),
        ],
        cwd=project_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    monkeypatch.delenv("TOOLKIT_DEBUG", raising=False)  # as clean_env gives MkDocs
    check = run_cli("--check", "--rubric", str(fixture_rubric_copy))

    expected = problem_lines(check.stderr)
    assert check.returncode == 1, check.stderr
    assert len(expected) == 4, check.stderr
    output = mkdocs.stdout + mkdocs.stderr
    assert mkdocs.returncode != 0, output
    shown = [re.sub(r"^(ERROR|WARNING)\s+-\s+", "", line) for line in output.splitlines()]
    assert sorted(problem_lines("\n".join(shown))) == sorted(expected), output
    assert "Traceback" not in output
    assert not (tmp_path / "out" / "index.html").exists()


def test_debug_shows_the_traceback(fixture_rubric_copy):
    """build_pdf.py --debug lets the error out: Python prints its traceback."""
    expected = break_mentoring_name(fixture_rubric_copy)
    result = subprocess.run(
        [sys.executable, str(BUILD), "--check", "--rubric", str(fixture_rubric_copy), "--debug"],
        cwd=PROJECT_ROOT,
        env=clean_env(),
        capture_output=True,
        timeout=60,
        encoding="utf-8",
        errors="replace",
    )
    assert result.returncode != 0
    assert "Traceback (most recent call last)" in result.stderr
    assert "RubricError" in result.stderr
    assert all(line in result.stderr for line in expected), result.stderr


def test_toolkit_debug_lets_the_error_out_like_debug(fixture_rubric_copy, monkeypatch):
    """TOOLKIT_DEBUG=1 does what --debug does: the error escapes main, with its traceback."""
    expected = break_mentoring_name(fixture_rubric_copy)
    monkeypatch.setenv("TOOLKIT_DEBUG", "1")
    with pytest.raises(RubricError) as raised:
        run_cli("--check", "--rubric", str(fixture_rubric_copy))
    assert [str(problem) for problem in raised.value.problems] == expected


# --- 4. mkdocs serve keeps the last good version -----------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy


def fetch(url: str) -> tuple[int, str]:
    assert url.startswith("http://127.0.0.1:")
    try:
        with _LOCAL.open(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def h1_of(page: str) -> str | None:
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", page, re.S)
    if not match:
        return None
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).replace("¶", "").strip()


class Served:
    def __init__(self, port: int, rubric: Path, process: subprocess.Popen, log: Path) -> None:
        self.port, self.rubric, self.process, self.log = port, rubric, process, log

    def page(self, path: str = "drivers/mentoring.html") -> tuple[int, str]:
        return fetch(f"http://127.0.0.1:{self.port}/{path}")

    def wait_for(self, condition, timeout: float, what: str) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        status, page = 0, ""
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "mkdocs serve stopped:\n" + self.log_text()
            status, page = self.page()
            if condition(status, page):
                return status, page
            time.sleep(0.2)
        pytest.fail(
            f"waited {timeout} s for {what}; last answer {status}, h1 {h1_of(page)!r}\n"
            + self.log_text()[-3000:]
        )

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    @property
    def driver(self) -> Path:
        return self.rubric / "drivers" / "mentoring.yaml"

    def restore(self) -> None:
        """Put mentoring.yaml back as it was (a write only if it changed: each write costs a
        rebuild) and wait for its good page."""
        if self.driver.read_text(encoding="utf-8") != ORIGINAL:
            self.driver.write_text(ORIGINAL, encoding="utf-8")
        self.wait_for(
            lambda s, p: s == 200 and h1_of(p) == "Mentoring" and BANNER not in p,
            30,
            "the good page",
        )


BANNER = "The rubric has errors"
ORIGINAL = (FIXTURE_RUBRIC / "drivers" / "mentoring.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def served(project_root, tmp_path_factory):
    """`mkdocs serve` on a copy of the small fixture rubric (TOOLKIT_RUBRIC), on a free port of
    127.0.0.1: its few PDFs render quickly in the background."""
    base = tmp_path_factory.mktemp("serve")
    rubric = base / "rubric"
    shutil.copytree(FIXTURE_RUBRIC, rubric)
    port = free_port()
    log = base / "serve.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "-a",
                f"127.0.0.1:{port}",
                "--config-file",
                str(project_root / "mkdocs.yml"),
            ],
            cwd=project_root,
            env=clean_env(TOOLKIT_RUBRIC=str(rubric)),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Served(port, rubric, process, log)
    try:
        server.wait_for(
            lambda status, page: status == 200 and h1_of(page) == "Mentoring", 60, "the first build"
        )
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def test_serve_keeps_the_last_good_page_while_the_rubric_is_broken(served):
    """One broken edit (one rebuild), two problems: a misspelt key, and a key that is markup,
    which the banner shows as text."""
    served.restore()
    hostile_key = "<img src=x onerror=alert(1)>"
    served.driver.write_text(
        ORIGINAL.replace("\nname: Mentoring\n", f'\nnmae: Mentoring\n"{hostile_key}": 1\n', 1),
        encoding="utf-8",
    )
    status, page = served.wait_for(lambda s, p: BANNER in p, 30, "the error banner")

    assert status == 200
    assert h1_of(page) == "Mentoring"  # the last good version
    line = ORIGINAL.splitlines().index("name: Mentoring") + 1
    problem = f"mentoring.yaml:{line}:1: nmae: unknown key 'nmae'; did you mean 'name'?"
    assert problem in html.unescape(page), page[:3000]
    assert html.escape(hostile_key, quote=False) in page
    assert hostile_key not in page
    assert served.process.poll() is None

    fixed = ORIGINAL.replace("\nname: Mentoring\n", "\nname: Mentoring Fixed\n", 1)
    served.driver.write_text(fixed, encoding="utf-8")
    status, page = served.wait_for(
        lambda s, p: h1_of(p) == "Mentoring Fixed" and BANNER not in p, 30, "the fixed page"
    )
    assert status == 200


def fetch_bytes(url: str) -> tuple[int, bytes]:
    assert url.startswith("http://127.0.0.1:")
    try:
        with _LOCAL.open(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (urllib.error.URLError, OSError):  # no answer in time: the server is busy rebuilding
        return 0, b""


def test_serve_pdfs_follow_an_edit_and_are_never_stale(served):
    """After an edit, a served PDF is missing while it renders, then the new one: never the old.

    The edited key-points lead is on Mentoring's tip sheets only: two PDFs to render."""
    old, new = "Fixture lead 274.", "Fixture lead 274, served."
    assert ORIGINAL.count(old) == 1
    served.driver.write_text(ORIGINAL.replace(old, new), encoding="utf-8")
    try:
        served.wait_for(lambda s, p: new in p, 60, "the edited driver page")
        url = f"http://127.0.0.1:{served.port}/pdf/tip-sheet-mentoring-print-a4.pdf"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            status, data = fetch_bytes(url)
            if status == 200:
                text = " ".join(
                    page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages
                )
                assert new in " ".join(text.split()), "serve offered a PDF of the old content"
                return
            assert status in (404, 0), status
            time.sleep(0.5)
        pytest.fail("the edited PDF was not offered within 300 s\n" + served.log_text()[-3000:])
    finally:
        served.driver.write_text(ORIGINAL, encoding="utf-8")


def served_response(served, host: str | None = None, path: str = "drivers/mentoring.html"):
    """Status, headers and text of a page, asking for `host` (default: the server's own)."""
    request = urllib.request.Request(f"http://127.0.0.1:{served.port}/{path}")
    if host is not None:
        request.add_header("Host", host)
    try:
        with _LOCAL.open(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, ""


def test_serve_sends_the_sites_policy_with_its_live_reload_script(served):
    """The built site's policy, as a header (the page has no <meta> one), with the hashes of
    the theme's inline scripts and of the live-reload script MkDocs adds to this answer."""
    from macros.site import csp

    served.restore()
    status, headers, page = served_response(served)
    assert status == 200
    policy = headers["Content-Security-Policy"]
    sources = re.findall(r"'sha256-[^']+'", policy)
    assert policy == csp.sealed(sources)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert "livereload" in scripts[-1]
    assert {csp.source(code) for code in scripts} <= set(sources)  # the site's, like seal
    assert "Content-Security-Policy" not in page


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("evil.example:{port}", 400),
        ("127.0.0.1.evil.example:{port}", 400),
        ("localhost:1", 400),
        ("localhost:{port}", 200),
        ("127.0.0.1:{port}", 200),
    ],
)
def test_serve_answers_only_for_its_own_address(served, host, status):
    """A page of another site whose name resolves to this machine (DNS rebinding) cannot read
    the preview."""
    assert served_response(served, host.format(port=served.port))[0] == status


def test_a_killed_serves_temporary_folder_goes_when_the_next_starts(tmp_path, monkeypatch):
    import tempfile

    from macros.site.live_pdfs import LivePdfs

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    killed = tmp_path / f"toolkit-serve-{dead.stdout.strip()}-abcd1234"
    users = [tmp_path / "toolkit-serve-notes", tmp_path / f"toolkit-serve-{dead.stdout.strip()}-x"]
    for folder in [killed, *users]:
        (folder / "pdf").mkdir(parents=True)
    (killed / ".build-stamp").write_text("implementation-toolkit build output\n\n", "utf-8")
    live = LivePdfs()
    try:
        assert not killed.exists()
        assert all(folder.exists() for folder in users)
        assert live.base.parent == tmp_path
    finally:
        live.close()
    assert not live.base.exists()


# --- 5. hostile content stays text and reaches nothing -------------------------------------------


class Page(HTMLParser):
    """The elements and the visible text of a page (entities decoded, as a reader sees them)."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.text_parts: list[str] = []
        self._in_script = False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text_parts))


def test_hostile_content_builds_without_any_connection(hostile_site):
    assert hostile_site["accepted"] == 0, "the build connected to 127.0.0.1"
    result = hostile_site["result"]
    assert result.returncode == 0, result.stderr


def test_hostile_content_shows_literally_on_the_driver_page(hostile_site):
    page = Page((hostile_site["site"] / "drivers" / "mentoring.html").read_text(encoding="utf-8"))
    shown = shown_text(hostile_site["port"])
    for field, (_, _, mark) in MARKS.items():
        assert f"{mark} {shown}" in page.text, field


def test_hostile_content_adds_no_live_element(hostile_site):
    page = Page((hostile_site["site"] / "drivers" / "mentoring.html").read_text(encoding="utf-8"))
    assert [script for script in page.scripts if "tkRan" in script] == []
    assert [attrs for tag, attrs in page.elements if tag == "iframe"] == []
    images = [attrs.get("src") or "" for tag, attrs in page.elements if tag == "img"]
    assert [src for src in images if src.startswith("file:") or "127.0.0.1" in src] == []
    assert not [
        attrs
        for tag, attrs in page.elements
        if any((value or "").startswith("file:") for value in attrs.values())
    ]


def pdf_text(pdf: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return re.sub(r"\s+", "", result.stdout)  # line breaks may fall anywhere, even inside a URL


@pytest.mark.parametrize(
    ("pdf", "fields"),
    [
        ("tip-sheet-mentoring-print-a4.pdf", ("definition", "statement", "criterion", "citation")),
        ("discussion-guide-mentoring-print-a4.pdf", ("prompt",)),  # a one-driver edition
    ],
)
def test_hostile_content_prints_literally_in_the_pdfs(hostile_site, pdf, fields):
    text = pdf_text(hostile_site["site"] / "pdf" / pdf)
    shown = re.sub(r"\s+", "", shown_text(hostile_site["port"]))
    for field in fields:
        assert MARKS[field][2] + shown in text, field
    assert "{{config}}" in text
    assert "<script>window.tkRan=1</script>" in text


# Text from toolkit.yaml and the driver files that reaches MkDocs' own templates (navigation,
# page titles, footer) rather than the toolkit's escaping templates.


def test_a_driver_name_cannot_run_code_during_the_site_build(hostile_site):
    assert hostile_site["result"].returncode == 0, hostile_site["result"].stderr
    assert not hostile_site["ran"].exists(), "the driver name ran a shell command"


def test_toolkit_text_in_footer_and_navigation_shows_literally(hostile_site):
    for name in ("index.html", "drivers/mentoring.html", "drivers/funding.html"):
        page = Page((hostile_site["site"] / name).read_text(encoding="utf-8"))
        assert [script for script in page.scripts if "alert" in script] == [], name
        assert [attrs for tag, attrs in page.elements if "onerror" in attrs] == [], name
        assert FOOTER in page.text, name
        assert CATEGORY in page.text, name


def test_a_driver_name_cannot_close_the_page_title(hostile_site):
    """The theme strips tags from page titles, which would undo their escaping."""
    html_text = (hostile_site["site"] / "drivers" / "funding.html").read_text("utf-8")
    title = re.search(r"<title>(.*?)</title>", html_text, flags=re.S).group(1)
    assert "&lt;script&gt;alert(5)" in title
    assert "<script>alert(5)" not in html_text


def test_out_never_replaces_a_folder_it_did_not_build(tmp_path):
    mine = tmp_path / "my documents"
    mine.mkdir()
    (mine / "thesis.txt").write_text("years of work", encoding="utf-8")
    result = run_cli(*SMALL, "--jobs", "1", "--out", str(mine))
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {mine} exists and is not a previous build's output (it has no .build-stamp "
        "marker); choose another --out or remove it\n"
    )
    assert [path.name for path in mine.iterdir()] == ["thesis.txt"]


# --- 6. a copy of the project elsewhere, built from another folder -------------------------------


@pytest.fixture(scope="module")
def copies(project_root, tmp_path_factory) -> dict[str, Path]:
    """The files git tracks, copied under a path with spaces and accents (nothing else), with
    the fixture rubric as its rubric/; a cache holding the small site's PDFs; a folder elsewhere
    to build from.

    Mentoring's key-points lead, on its tip sheet only, is new to that cache: the copy's build
    renders this one PDF, from the copy's own templates, style sheet and fonts."""
    base = tmp_path_factory.mktemp("copies")
    listed = (
        subprocess.run(
            ["git", "-C", str(project_root), "ls-files", "-z"],
            capture_output=True,
            check=True,
            timeout=60,
        )
        .stdout.decode("utf-8")
        .split("\0")
    )
    copy = base / "dir with spaces" / "Übung été" / "project"
    for name in filter(None, listed):
        source = project_root / name
        if source.is_file():  # tracked files deleted in the working tree are skipped
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    shutil.rmtree(copy / "rubric")
    shutil.copytree(FIXTURE_RUBRIC, copy / "rubric")
    replace_once(
        copy / "rubric" / "drivers" / "mentoring.yaml",
        "  lead: Fixture lead 274.\n",
        "  lead: Fixture lead 274, built in Übung été.\n",
    )
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    cache = seeded_cache(base / "cache", small_site(tmp_path_factory) / "pdf")
    return {"copy": copy, "cache": cache, "elsewhere": elsewhere}


def build_copy(copy: Path, cwd: Path, *extra: str, env: dict | None = None):
    return subprocess.run(
        [sys.executable, str(copy / "build_pdf.py"), *extra],
        cwd=cwd,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_a_git_copy_in_a_path_with_spaces_builds_from_another_folder(copies):
    copy = copies["copy"]
    result = build_copy(
        copy,
        copies["elsewhere"],
        "--site",
        "--paper",
        "a4",
        "--drivers",
        "mentoring",
        env=clean_env(TOOLKIT_CACHE=str(copies["cache"])),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("20 PDFs (1 rendered, 19 unchanged)"), result.stdout
    for name in ("index.html", "drivers/mentoring.html", "pdf/tip-sheet-mentoring-print-a4.pdf"):
        assert (copy / "site" / name).is_file(), name
    page = (copy / "site" / "drivers" / "mentoring.html").read_text(encoding="utf-8")
    assert h1_of(page) == "Mentoring"
    tip_sheet = pdf_text(copy / "site" / "pdf" / "tip-sheet-mentoring-print-a4.pdf")
    assert "Fixturelead274,builtinÜbungété." in tip_sheet


def test_check_of_a_copy_works_from_the_root_folder(copies):
    result = build_copy(copies["copy"], Path("/"), "--check")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Rubric OK: 2 drivers, 4 best practices.\n"
    assert result.stderr == ""


def test_a_site_build_failing_inside_mkdocs_says_why(copies, tmp_path, monkeypatch):
    """Built in this process: the copy's settings and pages, this package's code."""
    copy = tmp_path / "project"
    source = copies["copy"]

    def outputs(folder: str, names: list[str]) -> list[str]:
        """The built site and cache (not macros/render/templates/site)."""
        return [
            n
            for n in names
            if Path(folder) == source and (n in ("site", ".cache") or n.startswith(".site-"))
        ]

    shutil.copytree(source, copy, ignore=outputs)
    assert (copy / "macros" / "render" / "templates" / "site" / "home.md.j2").is_file()
    page = copy / "content" / "index.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n{{ no_such_macro() }}\n", encoding="utf-8"
    )
    monkeypatch.setenv("TOOLKIT_CACHE", str(copies["cache"]))
    result = run_cli("--site", "--paper", "a4", "--drivers", "mentoring", "--jobs", "1", root=copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("error: the site did not build:\n"), result.stderr
    assert "'no_such_macro' is undefined" in result.stderr, result.stderr  # mkdocs-macros' words
    assert not (copy / "site").exists()
