"""Small helpers for tests that break a copy of the rubric and read the problems it reports."""

from __future__ import annotations

import re
import shutil
import socket
import threading
from pathlib import Path

import pytest

from macros.errors import Problem, RubricError
from macros.source.load import load_rubric

PROJECT_ROOT = Path(__file__).resolve().parent.parent  #: the project folder these tests test
#: The tiny rubric of the code tests: two drivers, invented text (tests/fixtures/rubric).
FIXTURE_RUBRIC = PROJECT_ROOT / "tests" / "fixtures" / "rubric"
# The source documents the content was transcribed from, kept in the repository (sources/).
SOURCES = PROJECT_ROOT / "sources"


def problems_of(rubric_dir: Path) -> list[Problem]:
    """Load `rubric_dir` (paths shown from its parent) and return the problems; fail if it loads."""
    try:
        load_rubric(rubric_dir, shown_from=rubric_dir.parent)
    except RubricError as error:
        return error.problems
    pytest.fail(f"{rubric_dir} loaded without problems")


def only_problem(rubric_dir: Path) -> Problem:
    """The single problem a load reports (fails, listing them, when there are more or none)."""
    problems = problems_of(rubric_dir)
    assert len(problems) == 1, "expected one problem, got:\n" + "\n".join(map(str, problems))
    return problems[0]


def shown(file: Path, rubric_dir: Path) -> str:
    """How a problem names `file`: relative to the rubric's parent, e.g. rubric/drivers/x.yaml."""
    return file.relative_to(rubric_dir.parent).as_posix()


def copy_rubric(folder: Path) -> Path:
    """A private copy of the project's rubric/ at folder / "rubric"."""
    copy = folder / "rubric"
    shutil.copytree(PROJECT_ROOT / "rubric", copy)
    return copy


def replace_once(file: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in `file`; return the 1-based line where it started."""
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur exactly once in {file.name}"
    line = text[: text.index(old)].count("\n") + 1
    file.write_text(text.replace(old, new), encoding="utf-8")
    return line


def line_of(file: Path, text: str) -> int:
    """The 1-based number of the one line of `file` that contains `text`."""
    numbers = [
        number
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1)
        if text in line
    ]
    assert len(numbers) == 1, f"{text!r} should be on exactly one line of {file.name}: {numbers}"
    return numbers[0]


def column_of(file: Path, text: str) -> int:
    """The 1-based column where `text` starts on its (only) line of `file`."""
    line = file.read_text(encoding="utf-8").splitlines()[line_of(file, text) - 1]
    return line.index(text) + 1


def normalized(text: str) -> str:
    """Whitespace collapsed to single spaces, ends trimmed."""
    return re.sub(r"\s+", " ", text).strip()


# How a transcription may differ from its source and still count as word for word: whitespace,
# curly or straight quotes, Markdown emphasis (** and *) and the source's <u> underlining.
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def source_form(text: str) -> str:
    """`text` with the documented differences between a transcription and its source removed."""
    text = re.sub(r"</?u>", "", text).replace("*", "").translate(QUOTES)
    return normalized(text)


def origin_text(files: tuple[str, ...]) -> str:
    """The source documents `files` (names in sources/), joined, in source_form."""
    return source_form("\n".join((SOURCES / name).read_text(encoding="utf-8") for name in files))


def seed_text(name: str) -> str:
    """One source document by the start of its file name, e.g. "001"."""
    (file,) = SOURCES.glob(f"{name}-*.txt")
    return file.read_text(encoding="utf-8")


def all_seed_text() -> str:
    return "\n".join(file.read_text(encoding="utf-8") for file in sorted(SOURCES.glob("*.txt")))


class Listener:
    """A TCP listener on 127.0.0.1, in a thread, recording every connection made to it."""

    def __init__(self, port: int = 0) -> None:
        """Listen on `port`, or on a free one when 0."""
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen(16)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections: list = []
        self.requests: list[bytes] = []  #: the first bytes of each connection that sent any
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def accepted(self) -> int:
        return len(self.connections)

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, address = self.server.accept()
            except OSError:  # the timeout, or the socket closed
                continue
            self.connections.append(address)
            connection.settimeout(0.5)
            try:
                data = connection.recv(1024)
            except OSError:  # a bare connection (Chromium pre-connects) that sends nothing
                data = b""
            if data:
                self.requests.append(data)
            connection.close()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.server.close()


# --- the small build: quick, and shared ----------------------------------------------------------

# The fixture rubric's Mentoring driver on A4: 20 small PDFs.
SMALL = ("--paper", "a4", "--rubric", str(FIXTURE_RUBRIC), "--drivers", "mentoring")


def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small build's site with its PDFs, made once per test run and shared by every module
    and pytest-xdist worker that asks: read it, or copy it before changing anything."""
    from conftest import run_cli, shared_folder  # conftest imports this module

    def build(folder: Path) -> None:
        # --jobs 1: renders in this process; forking a test process that runs threads is unsafe
        result = run_cli("--site", *SMALL, "--jobs", "1", "--out", str(folder / "site"))
        assert result.returncode == 0, result.stdout + result.stderr

    return shared_folder(tmp_path_factory, "small-site", build) / "site"


def seeded_cache(target: Path, pdfs: Path) -> Path:
    """A private cache at `target` with the shared cache's entries of the PDFs in `pdfs` (a
    build's output) and its form fonts: a build of the same printables renders nothing, and
    what a build renders goes to `target`, never to the shared cache."""
    import hashlib
    import json

    from macros.project import Project

    wanted = {hashlib.sha256(pdf.read_bytes()).hexdigest() for pdf in pdfs.glob("*.pdf")}
    shared = Project.at(PROJECT_ROOT).cache
    (target / "pdf").mkdir(parents=True)
    found: set[str] = set()
    for record in (shared / "pdf").glob("*.json"):
        try:
            digest = json.loads(record.read_text(encoding="utf-8")).get("sha256")
        except (OSError, ValueError):  # half-written by another build
            continue
        if digest in wanted:  # every entry: the same bytes may be cached under older keys
            shutil.copy2(record.with_suffix(".pdf"), target / "pdf")
            shutil.copy2(record, target / "pdf")  # last: the record marks the entry complete
            found.add(digest)
    assert found == wanted, f"the shared cache lacks {len(wanted - found)} of the PDFs in {pdfs}"
    shutil.copytree(shared / "fonts", target / "fonts", ignore=shutil.ignore_patterns("*.tmp"))
    return target
