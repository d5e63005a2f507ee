"""An assessment file as given on the command line: read once, bounded, and named safely.

A path can name anything: a FIFO that blocks until someone writes, a device that never ends
(/dev/zero), a folder, a socket, a file of gigabytes. Its kind and size are checked before a
byte is read (and again on the open descriptor, in case the path changed), and no more than
MAX_BYTES + 1 bytes are ever read. `-` reads standard input, bounded the same way. The bytes
read are what the build parses and what its up-to-date stamp covers, so an edit to a file, or
other data piped in under the same name, always builds again.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import visible
from ..source.yamldoc import MAX_BYTES

STDIN = "-"
NAME_BYTES = 80  #: most UTF-8 bytes of the name an input gives its PDFs (file names: 255)
DEFAULT_NAME = "assessment"  #: for standard input, or a name with no letter or digit
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


@dataclass(frozen=True)
class Input:
    """One assessment input, read (or refused) once."""

    given: str  #: the path as given, or "-" for standard input
    data: bytes | None  #: the bytes read; None when refused
    problem: str = ""  #: why it was refused, for the user

    @property
    def shown(self) -> str:
        """The name in messages: control characters shown as escapes, never sent as they are."""
        return "(standard input)" if self.given == STDIN else visible(self.given)

    @property
    def name(self) -> str:
        """The name its PDFs start with (see safe_name)."""
        return DEFAULT_NAME if self.given == STDIN else safe_name(Path(self.given).stem)

    @property
    def file(self) -> str:
        """The file's own name, as the manifest records it."""
        return self.shown if self.given == STDIN else visible(Path(self.given).name)

    @property
    def digest(self) -> str:
        """What the build's stamp records: the content read, or why it was refused."""
        if self.data is None:
            return f"refused: {self.problem}"
        return hashlib.sha256(self.data).hexdigest()


def safe_name(stem: str) -> str:
    """A name safe at the start of a file name: letters and digits of any script, runs of
    anything else as one `-`, no leading `-` or `.` (an option, a hidden file), at most
    NAME_BYTES bytes. "../-x\\n.json" gives "x"; a name with nothing left gives "assessment"."""
    text = unicodedata.normalize("NFC", stem)
    text = "".join(char if _kept(char) else "-" for char in text)
    text = re.sub(r"-+", "-", text).strip("-_")
    while len(text.encode("utf-8")) > NAME_BYTES:
        text = text[:-1]
    return text.rstrip("-_") or DEFAULT_NAME


def _kept(char: str) -> bool:
    """Letters, digits and marks (a vowel sign of Devanagari, an accent) and the underscore."""
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def read_input(given: str | Path, stdin: BinaryIO | None = None) -> Input:
    """Read one input: a regular file of at most MAX_BYTES, or standard input for `-`."""
    given = str(given)
    try:
        data = _read_stdin(stdin or sys.stdin.buffer) if given == STDIN else _read_file(given)
    except _Refused as refused:
        return Input(given, None, str(refused))
    return Input(given, data)


class _Refused(Exception):
    pass


def too_big(size: int, noun: str = "an assessment") -> str:
    """Tenths of a megabyte rounded half up in whole numbers: the page's script says the same
    (`noun`: a ballot, for ballot files)."""
    tenths = (size + 50_000) // 100_000
    return f"file is {tenths // 10}.{tenths % 10} MB; {noun} file may be at most 1 MB"


def _too_big(size: int) -> _Refused:
    return _Refused(too_big(size))


def _check_kind(mode: int, size: int) -> None:
    kind = _KINDS.get(stat.S_IFMT(mode))
    if kind == "a pipe (FIFO)":
        raise _Refused(
            "this is a pipe (FIFO), not a file; to print piped input, give `--assessment -`"
        )
    if kind is not None:
        raise _Refused(f"this is {kind}, not an assessment file")
    if not stat.S_ISREG(mode):
        raise _Refused("this is not a regular file, so not an assessment file")
    if size > MAX_BYTES:
        raise _too_big(size)


def _read_file(path: str) -> bytes:
    """A regular file's bytes; anything else is refused before it is opened, so nothing
    waits for a writer or reads an endless device."""
    try:
        info = os.stat(path)
        _check_kind(info.st_mode, info.st_size)
        flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
        descriptor = os.open(path, flags)
    except OSError as error:
        raise _Refused(f"cannot read the file: {error.strerror}") from None
    try:
        opened = os.fstat(descriptor)  # the path may name something else since the check
        _check_kind(opened.st_mode, opened.st_size)
        return _read_bounded(descriptor)
    except OSError as error:
        raise _Refused(f"cannot read the file: {error.strerror}") from None
    finally:
        os.close(descriptor)


def _read_stdin(stream: BinaryIO) -> bytes:
    """Standard input, up to MAX_BYTES: a terminal is refused (it would wait for typing)."""
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):  # closed, or not a real file (it is read as it is)
        descriptor = -1
    if descriptor >= 0:
        if os.isatty(descriptor):
            raise _Refused(
                "standard input is a terminal; pipe the file in (`--assessment - < team.json`)"
            )
        info = os.fstat(descriptor)
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
            raise _too_big(info.st_size)
    data = stream.read(MAX_BYTES + 1) or b""
    if len(data) > MAX_BYTES:
        raise _Refused(
            "standard input holds more than 1 MB; an assessment file may be at most 1 MB"
        )
    return data


def _read_bounded(descriptor: int) -> bytes:
    chunks, total = [], 0
    while total <= MAX_BYTES:
        chunk = os.read(descriptor, MAX_BYTES + 1 - total)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > MAX_BYTES:  # it grew after the check
        raise _Refused("file is more than 1 MB; an assessment file may be at most 1 MB")
    return b"".join(chunks)
