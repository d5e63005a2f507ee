"""Swap a freshly built folder into place only once it is complete.

A failed or interrupted build leaves the previous output exactly as it was. Only a folder that
carries this toolkit's marker (or an empty one) is ever replaced; a file, a device, a FIFO or a
symbolic link in the way is refused, never followed. Staging folders carry the builder's process
id, so the next build removes those a killed build left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError

STAMP = ".build-stamp"  # the marker: IDENTITY, then the hash of the build's inputs
IDENTITY = "implementation-toolkit build output"
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


def stage_dir(target: Path, kind: str) -> Path:
    """A new private folder beside `target`, named for this process; readable once swapped in."""
    folder = Path(
        tempfile.mkdtemp(prefix=f".{target.name}-{kind}-{os.getpid()}-", dir=target.parent)
    )
    folder.chmod(0o777 & ~_umask())
    return folder


def remove_leftovers(target: Path) -> None:
    """Remove staging folders beside `target` whose builder process no longer runs."""
    pattern = re.compile(rf"\.{re.escape(target.name)}-(new|old|pdf)-(\d+)-")
    for path in target.parent.iterdir() if target.parent.is_dir() else []:
        found = pattern.match(path.name)
        if found and path.is_dir() and not path.is_symlink() and not _running(int(found[2])):
            shutil.rmtree(path, ignore_errors=True)


@contextmanager
def staging(target: Path, stamp: str | None = None):
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
        (stage / STAMP).write_text(f"{IDENTITY}\n{stamp or ''}\n", encoding="utf-8")
        replace(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def replace(new: Path, target: Path) -> None:
    """Put `new` where `target` is, keeping the old one until the new one is in place."""
    old = None
    if os.path.lexists(target):
        check_target(target)  # again: something may have taken its place during the build
        old = stage_dir(target, "old")
        old.rmdir()
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
    if file.is_symlink() or not file.is_file() or file.stat().st_size > 1000:
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
    """Whether `target` was built from inputs with this stamp."""
    target = Path(target)
    marker = _marker(target) if target.is_dir() and not target.is_symlink() else None
    return marker is not None and marker[1:2] == [stamp]


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
