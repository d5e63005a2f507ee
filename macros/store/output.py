"""Swap a freshly built folder into place only once it is complete.

A failed or interrupted build leaves the previous output exactly as it was. Only a folder that
carries this toolkit's marker (or an empty one) is ever replaced; a file, a device, a FIFO or a
symbolic link in the way is refused, never followed. Staging folders carry the builder's process
id and the marker, so the next build removes those a killed build left behind, and nothing else.
The marker also lists every file of the output with its size and sha256, so a build that finds
its inputs unchanged still proves the output whole before it says so.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError

STAMP = ".build-stamp"  # the marker: IDENTITY, the hash of the build's inputs, then its files
IDENTITY = "implementation-toolkit build output"
MARKER_LIMIT = 1_000_000  # bytes: a marker lists a few hundred files
_LEGACY_STAMP = re.compile(r"[0-9a-f]{64}\n?")  # the marker before it named the toolkit


def check_target(target: Path) -> None:
    """Raise OutputError unless `target` is absent, an empty folder or a previous build."""
    if target.is_symlink():
        raise OutputError(f"{target} is a symbolic link; the build never replaces its target")
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise OutputError(f"{target} exists and is not a folder; choose another --out")
    if any(target.iterdir()) and not is_output(target):
        raise OutputError(
            f"{target} exists and is not a previous build's output "
            f"(it has no {STAMP} marker); choose another --out or remove it"
        )


def made_folder(prefix: str, parent: Path) -> Path:
    """A new private folder named `<prefix><process id>-<random>`, with the marker, so that
    remove_dead can tell it from any other folder once this process is gone."""
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    (folder / STAMP).write_text(f"{IDENTITY}\n\n", encoding="utf-8")
    return folder


def remove_dead(parent: Path, prefix: str) -> None:
    """Remove the folders made_folder(prefix, parent) made in processes that no longer run."""
    pattern = re.compile(rf"{re.escape(prefix)}(\d+)-[a-z0-9_]{{8}}")
    for path in parent.iterdir() if parent.is_dir() else []:
        found = pattern.fullmatch(path.name)
        if not found or path.is_symlink() or not path.is_dir():
            continue
        if not _running(int(found[1])) and is_output(path):
            shutil.rmtree(path, ignore_errors=True)


def stage_dir(target: Path, kind: str) -> Path:
    """A new private folder beside `target`, named for this process; readable once swapped in."""
    folder = made_folder(f".{target.name}-{kind}-", target.parent)
    folder.chmod(0o777 & ~_umask())
    return folder


def remove_leftovers(target: Path) -> None:
    """Remove staging folders beside `target` whose builder process no longer runs."""
    for kind in ("new", "old", "docs"):
        remove_dead(target.parent, f".{target.name}-{kind}-")


@contextmanager
def staging(target: Path, stamp: str | None = None) -> Iterator[Path]:
    """Yield an empty folder beside `target`; on success it replaces `target`, else vanishes.

    The folder gets the marker, with `stamp` (a hash of the build's inputs), so the next build
    knows it may replace it and can be skipped when nothing changed.
    """
    target = Path(target)
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    stage = stage_dir(target, "new")
    try:
        yield stage
        listing = "".join(f"{line}\n" for line in _listing(stage))
        (stage / STAMP).write_text(f"{IDENTITY}\n{stamp or ''}\n{listing}", encoding="utf-8")
        replace(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def replace(new: Path, target: Path) -> None:
    """Put `new` where `target` is, keeping the old one until the new one is in place."""
    old = None
    if os.path.lexists(target):
        check_target(target)  # again: something may have taken its place during the build
        old = stage_dir(target, "old")
        shutil.rmtree(old)
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _marker(folder: Path) -> list[str] | None:
    """The marker's lines, or None when `folder` has no genuine marker."""
    file = Path(folder) / STAMP
    if file.is_symlink() or not file.is_file() or file.stat().st_size > MARKER_LIMIT:
        return None
    text = file.read_text(encoding="utf-8", errors="replace")
    if _LEGACY_STAMP.fullmatch(text):
        return [IDENTITY, text.strip()]
    lines = text.splitlines()
    return lines if lines[:1] == [IDENTITY] else None


def is_output(folder: Path) -> bool:
    """Whether `folder` is one this toolkit built (so replacing it loses nothing else)."""
    return _marker(folder) is not None


def is_current(target: Path, stamp: str) -> bool:
    """Whether `target` was built from inputs with this stamp and holds exactly the files it
    was built with (sizes and contents), so that it can be trusted without building again."""
    marker = _built_with(target, stamp)
    return marker is not None and marker[2:] == _listing(target)


def is_damaged(target: Path, stamp: str) -> bool:
    """Whether `target` was built from inputs with this stamp but its files changed since."""
    marker = _built_with(target, stamp)
    return marker is not None and marker[2:] != _listing(target)


def _built_with(target: Path, stamp: str) -> list[str] | None:
    target = Path(target)
    marker = _marker(target) if target.is_dir() and not target.is_symlink() else None
    return marker if marker is not None and marker[1:2] == [stamp] else None


def _listing(folder: Path) -> list[str]:
    """`<sha256> <bytes> <path>` of every file in `folder` but its own marker, in order."""
    lines = []
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if name != STAMP and (path.is_file() or path.is_symlink()):
            data = b"" if path.is_symlink() else path.read_bytes()
            lines.append(f"{hashlib.sha256(data).hexdigest()} {len(data)} {name}")
    return lines


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
