"""The corpus of bad rubric files (tests/bad_inputs/, described in its README.md), as a user meets
them: each case is a change to a copy of the fixture rubric, and `build_pdf.py --check` must exit
1 with exactly the expected `path:line:column: field: message` lines, fast, with no traceback.
It is the one home of the rubric's error rules: one case per rule.

The cases run in this process (the command line's `main`), under a memory limit; one command-line
run in a child process checks the exit status and the output's form.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURE_RUBRIC, PROJECT_ROOT

from macros import cli

BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"
CASE_KEYS = {"about", "target", "expect", "find", "replace", "encoding", "write", "make"}
CASE_KEYS |= {"xfail", "must_not_create"}
MAKE_KINDS = {"big", "deep", "alias_bomb", "binary", "fifo", "folder", "link"}
# One reported problem: rubric/drivers/coaching.yaml:9:1: nmae: unknown key 'nmae'; ...
PROBLEM = re.compile(
    r"^(?P<path>[^:\s][^:]*):(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): "
    r"(?P<message>.+)$"
)
SUMMARY = re.compile(r"^(\d+) problems? in the rubric; nothing was built\.$", re.M)
GIB = 1 << 30


def problem_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if PROBLEM.match(line)]


def load_case(case_dir: Path) -> dict:
    spec = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    assert isinstance(spec, dict), f"{case_dir.name}: case.yaml must be a mapping"
    return spec


def corpus_params() -> list:
    params = []
    for case_dir in sorted(path for path in BAD_INPUTS.iterdir() if path.is_dir()):
        spec = load_case(case_dir)
        marks = []
        if spec.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=spec["xfail"]))
        params.append(pytest.param(case_dir, id=case_dir.name, marks=marks))
    return params


CORPUS = corpus_params()


def billion_laughs(levels: int) -> bytes:
    """Each level is a list of nine aliases of the level below: 9**levels strings once expanded."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def made_bytes(make: dict, real: Path | None) -> bytes:
    """The bad file a `make:` key describes (see tests/bad_inputs/README.md)."""
    kind = make["kind"]
    if kind == "big":
        assert real is not None
        head = real.read_bytes()
        line = b"# " + b"x" * 97 + b"\n"  # valid YAML (a comment), just too much of it
        return head + line * ((make["bytes"] - len(head)) // len(line) + 1)
    if kind == "deep":
        levels = make["levels"]
        if make.get("style", "block") == "flow":
            return b"name: " + b"[" * levels + b"]" * levels + b"\n"
        return b"- " * levels + b"x\n"
    if kind == "alias_bomb":
        return billion_laughs(make["levels"])
    if kind == "binary":
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16
    raise AssertionError(f"unknown make kind {kind!r}")


def changed_bytes(spec: dict, real: Path | None) -> bytes:
    """The target as the case changes it: `write` whole, or its `find` text replaced (once)."""
    if "write" in spec:
        text = spec["write"]
    else:
        assert real is not None
        text = real.read_text(encoding="utf-8")
        assert text.count(spec["find"]) == 1, f"{spec['find']!r} should occur once in {real}"
        text = text.replace(spec["find"], spec["replace"])
    return text.encode(spec.get("encoding", "utf-8"))


def make_node(make: dict, target: Path) -> None:
    """A file system entry that is not a file: a FIFO, a folder or a symbolic link."""
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink(missing_ok=True)
    if make["kind"] == "fifo":
        os.mkfifo(target)
    elif make["kind"] == "folder":
        target.mkdir()
        (target / "inside.yaml").write_text("name: x\n", encoding="utf-8")
    else:
        target.symlink_to(make["to"])


def apply_case(spec: dict, rubric: Path) -> Path:
    target = rubric / spec["target"]
    if spec.get("make", {}).get("kind") in ("fifo", "folder", "link"):
        make_node(spec["make"], target)
        return target
    real = target if target.is_file() else None
    data = made_bytes(spec["make"], real) if "make" in spec else changed_bytes(spec, real)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def fixture_copy(folder: Path) -> Path:
    """A private copy of the fixture rubric at folder / "rubric"."""
    return Path(shutil.copytree(FIXTURE_RUBRIC, folder / "rubric"))


@contextlib.contextmanager
def memory_limit(extra: int):
    """At most `extra` more bytes of address space for this process while the block runs."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm", encoding="ascii") as statm:
        used = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (used + extra, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_corpus_cases_are_well_formed():
    """Each case says what it changes in the fixture rubric and what it expects: a change
    (`find` and `replace`), a whole file (`write`) or a recipe (`make`), one of them."""
    assert len(CORPUS) >= 30
    for param in CORPUS:
        case_dir = param.values[0]
        spec = load_case(case_dir)
        name = case_dir.name
        assert set(spec) <= CASE_KEYS, f"{name}: unknown keys {set(spec) - CASE_KEYS}"
        assert isinstance(spec.get("target"), str), name
        assert not spec["target"].startswith("/"), name
        assert ".." not in Path(spec["target"]).parts, name
        ways = [key for key in ("find", "write", "make") if key in spec]
        assert len(ways) == 1, f"{name}: give one of find/replace, write or make: {ways}"
        assert ("find" in spec) == ("replace" in spec), f"{name}: find goes with replace"
        real = FIXTURE_RUBRIC / spec["target"]
        if "find" in spec or spec.get("make", {}).get("kind") == "big":
            assert real.is_file(), f"{name}: changes {spec['target']}, not in the fixture rubric"
        if "make" in spec:
            assert spec["make"]["kind"] in MAKE_KINDS, name
        assert spec["expect"], name
        for line in spec["expect"]:
            assert PROBLEM.match(line), f"{name}: each expectation is path:line:column: field: ..."
        assert [path.name for path in case_dir.iterdir()] == ["case.yaml"], f"{name}: stray files"


@pytest.mark.parametrize("case_dir", CORPUS)
def test_bad_input_is_reported_where_it_is(case_dir, tmp_path, monkeypatch, capsys):
    spec = load_case(case_dir)
    apply_case(spec, fixture_copy(tmp_path))
    monkeypatch.chdir(tmp_path)  # paths are then shown as rubric/...

    started = time.monotonic()
    with memory_limit(2 * GIB):
        status = cli.main(["--check", "--rubric", "rubric"], root=PROJECT_ROOT)
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()

    report = f"stdout:\n{out}\nstderr:\n{err}"
    assert status == 1, report
    assert "Traceback" not in err, report
    assert "Rubric OK" not in out, report
    # Exactly the expected problems, word for word: one mistake must not cascade into others.
    assert problem_lines(err) == spec["expect"], report
    summary = SUMMARY.search(err)
    assert summary, report
    assert int(summary.group(1)) == len(spec["expect"]), report
    assert elapsed < 20, f"took {elapsed:.1f} s"
    if spec.get("must_not_create"):
        assert not (tmp_path / spec["must_not_create"]).exists(), "the YAML ran a command"


def limited() -> None:
    """Run in the child before exec: at most 2 GiB of address space and 30 s of CPU."""
    resource.setrlimit(resource.RLIMIT_AS, (2 * GIB, 2 * GIB))
    resource.setrlimit(resource.RLIMIT_CPU, (30, 30))


def test_the_command_line_reports_a_bad_input_and_exits_1(tmp_path):
    """One case as a user runs it: a child process, exit status 1, the problems on stderr."""
    case_dir = BAD_INPUTS / "alias-bomb"
    spec = load_case(case_dir)
    apply_case(spec, fixture_copy(tmp_path))

    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "build_pdf.py"), "--check", "--rubric", "rubric"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        preexec_fn=limited,
        encoding="utf-8",
        errors="replace",
    )

    assert result.returncode == 1
    assert result.stdout == ""
    count = len(spec["expect"])
    summary = f"{count} problem{'s' if count > 1 else ''} in the rubric; nothing was built."
    assert result.stderr.splitlines() == [*spec["expect"], summary]


def test_python_tag_payload_is_live_for_an_unsafe_loader(tmp_path):
    """The python-object-tag case really runs its command under an unsafe loader."""
    spec = load_case(BAD_INPUTS / "python-object-tag")
    target = apply_case(spec, fixture_copy(tmp_path))
    subprocess.run(
        [sys.executable, "-c", f"import yaml; yaml.unsafe_load(open({str(target)!r}))"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert (tmp_path / spec["must_not_create"]).exists()
