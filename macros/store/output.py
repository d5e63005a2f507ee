"""Swap a freshly built folder into place only once it is complete.

A failed or interrupted build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError

STAMP = ".build-stamp"


@contextmanager
def staging(target: Path, stamp: str | None = None):
    """Yield an empty folder beside `target`; on success it replaces `target`, else vanishes.

    `stamp` (a hash of the build's inputs) is saved in the folder, so an unchanged build can
    be skipped next time.
    """
    target = Path(target)
    if target.is_file() or (target.is_dir() and any(target.iterdir()) and not is_output(target)):
        raise OutputError(
            f"{target} exists and is not a previous build's output; "
            "choose another --out or remove it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        yield stage
        if stamp:
            (stage / STAMP).write_text(stamp + "\n", encoding="utf-8")
        replace(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def replace(new: Path, target: Path) -> None:
    """Put `new` where `target` is, keeping the old one until the new one is in place."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
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


def is_output(folder: Path) -> bool:
    """Whether `folder` is one this toolkit built (so replacing it loses nothing else)."""
    return (folder / STAMP).is_file() or (folder / "manifest.json").is_file()


def is_current(target: Path, stamp: str) -> bool:
    """Whether `target` was built from inputs with this stamp."""
    file = Path(target) / STAMP
    return file.is_file() and file.read_text(encoding="utf-8").strip() == stamp
