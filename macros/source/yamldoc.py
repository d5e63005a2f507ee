"""Read one rubric YAML file safely, keeping the line and column of every value.

PyYAML's loaders accept duplicate keys silently, construct Python objects from tags, expand
alias bombs and recurse on deep nesting. Building values from the parser's event stream avoids
all of that in one pass and records where each value came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from ..errors import Problem

MAX_BYTES = 1_000_000
LINE_BREAKS = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}
SHOWN_VALUE = 40  # characters of a bad value quoted back in a message
MAX_DEPTH = 32
ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()

#: A path of keys and indices into a document, e.g. ("best_practices", 2, "id").
Location = tuple[str | int, ...]
Marks = dict[Location, tuple[int, int]]  #: the (line, column) of each value, or of each key


@dataclass(frozen=True)
class Document:
    """A parsed file: its plain data and the (line, column) of each value and each key."""

    path: str
    data: Any  #: plain YAML values: dicts, lists, text, numbers (checked by the schemas)
    value_marks: Marks
    key_marks: Marks

    def mark(self, location: Location, *, key: bool = False) -> tuple[int, int]:
        """Where a value (or its key) starts; falls back to the nearest enclosing value."""
        if key and location in self.key_marks:
            return self.key_marks[location]
        while location not in self.value_marks and location:
            location = location[:-1]
        return self.value_marks.get(location, (1, 1))

    def problem(self, location: Location, message: str, *, key: bool = False) -> Problem:
        line, column = self.mark(location, key=key)
        return Problem(self.path, line, column, field_name(location), message)


def field_name(location: Location) -> str:
    """("best_practices", 2, "id") -> "best_practices[2].id"; the empty path is the document."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(document)"


class _Mark(Protocol):
    """Where a YAML event starts (PyYAML's pure-Python and C parsers each have a Mark type)."""

    line: int
    column: int


class _Refused(Exception):
    def __init__(self, mark: _Mark | None, message: str) -> None:
        self.mark = mark
        self.message = message


def read_document(file: Path, shown_as: str) -> tuple[Document | None, list[Problem]]:
    """Parse `file`; on failure return no document and the problems, each naming `shown_as`."""

    def fail(message: str, line: int = 1, column: int = 1) -> tuple[None, list[Problem]]:
        return None, [Problem(shown_as, line, column, "(file)", message)]

    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            return fail(f"file is {size / 1e6:.1f} MB; a rubric file may be at most 1 MB")
        raw = file.read_bytes()
    except OSError as error:
        return fail(f"cannot read the file: {error.strerror}")
    if b"\0" in raw:
        return fail("this is a binary file, not YAML text")
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark is harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8")) + 1
        byte = raw[error.start]
        return fail(f"file is not UTF-8 (byte 0x{byte:02x}); save it as UTF-8", line, column)
    breaks = next((index for index, char in enumerate(text) if char in LINE_BREAKS), None)
    if breaks is not None:  # YAML counts them as line breaks: every later line would be off
        line = text.count("\n", 0, breaks) + 1
        column = breaks - (text.rfind("\n", 0, breaks) + 1) + 1
        name = LINE_BREAKS[text[breaks]]
        return fail(
            f"the character U+{ord(text[breaks]):04X} ({name}) is not allowed; "
            "YAML reads it as a line break: use a space or a real line break",
            line,
            column,
        )
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return fail("file is empty; expected a mapping of fields")
    return read_text(text, shown_as)


def read_text(text: str, shown_as: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML (or JSON) text already read; problems name `shown_as`."""
    value_marks: Marks = {}
    key_marks: Marks = {}
    try:
        data = _build(yaml.parse(text, Loader=_Loader), value_marks, key_marks)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = _syntax_message(error, text)
        return None, [Problem(shown_as, line, column, "(syntax)", message)]
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        message = f"the control character U+{error.character:04X} is not allowed; remove it"
        return None, [Problem(shown_as, line, column, "(syntax)", message)]
    except yaml.YAMLError as error:
        message = "YAML syntax error: " + " ".join(str(error).split())
        return None, [Problem(shown_as, 1, 1, "(file)", message)]
    except _Refused as refused:
        line, column = (refused.mark.line + 1, refused.mark.column + 1) if refused.mark else (1, 1)
        return None, [Problem(shown_as, line, column, "(syntax)", refused.message)]
    return Document(shown_as, data, value_marks, key_marks), []


def _syntax_message(error: yaml.MarkedYAMLError, text: str) -> str:
    mark = error.problem_mark
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        return "tab character in indentation; YAML indents with spaces only"
    if error.problem and "maximum nesting depth" in error.problem:
        return f"nested deeper than {MAX_DEPTH} levels"
    parts = [part for part in (error.context, error.problem) if part]
    return "YAML syntax error: " + ", ".join(parts)


def _build(events: Iterable[yaml.Event], value_marks: Marks, key_marks: Marks) -> object:
    """Turn the event stream of a single document into plain dicts, lists and scalars."""
    builder = _Builder(value_marks, key_marks)
    documents = 0
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused(event.start_mark, "more than one YAML document ('---') in one file")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            builder.close()
        elif isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark, "anchors and aliases (&name, *name) are not allowed")
        elif isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            builder.add(event)
    return builder.root[0] if builder.root else None


class _Builder:
    """The containers being filled, each with its location and, for a mapping, the key that
    awaits its value; the marks of every value and key found."""

    def __init__(self, value_marks: Marks, key_marks: Marks) -> None:
        self.value_marks, self.key_marks = value_marks, key_marks
        self.stack: list[tuple[object, Location]] = []
        self.pending_key: list[Any] = []  # per open container: a mapping's awaited key
        self.root: list[object] = []

    def close(self) -> None:
        self.stack.pop()
        self.pending_key.pop()

    def add(self, event: yaml.Event) -> None:
        start = event.start_mark
        mark = (start.line + 1, start.column + 1) if start else (1, 1)
        parent = self.stack[-1][0] if self.stack else None
        if isinstance(parent, dict) and self.pending_key[-1] is None:
            self._key(event, parent, mark)
            return
        if isinstance(parent, dict):
            location = self.stack[-1][1] + (self.pending_key[-1],)
        elif isinstance(parent, list):
            location = self.stack[-1][1] + (len(parent),)
        else:
            location = ()
        value = _value_of(event)
        self.value_marks[location] = mark
        if isinstance(parent, dict):
            parent[self.pending_key[-1]] = value
            self.pending_key[-1] = None
        elif isinstance(parent, list):
            parent.append(value)
        else:
            self.root.append(value)
        if isinstance(value, (dict, list)):
            if len(self.stack) >= MAX_DEPTH:
                raise _Refused(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")
            self.stack.append((value, location))
            self.pending_key.append(None)

    def _key(self, event: yaml.Event, parent: dict[str, Any], mark: tuple[int, int]) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise _Refused(event.start_mark, "a mapping key must be plain text")
        key = event.value
        location = self.stack[-1][1] + (key,)
        if key in parent:
            first = self.key_marks[location][0]
            raise _Refused(event.start_mark, f"duplicate key '{key}' (first on line {first})")
        self.key_marks[location] = mark
        self.pending_key[-1] = key


def _value_of(event: Any) -> object:
    tag = event.tag
    if tag is not None and tag != "!" and tag not in ALLOWED_TAGS:
        raise _Refused(event.start_mark, f"YAML tag '{tag}' is not allowed; write plain values")
    if isinstance(event, yaml.MappingStartEvent):
        return {}
    if isinstance(event, yaml.SequenceStartEvent):
        return []
    if tag is None or tag == "!":
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in ALLOWED_TAGS:  # "=", "<<" and dates read as the text they are
            return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return _constructor.construct_object(node)
    except Exception:  # noqa: BLE001 (PyYAML raises KeyError, IndexError... on odd values)
        kind = tag.rsplit(":", 1)[-1]
        raise _Refused(
            event.start_mark, f"{shorten(event.value)} cannot be read as {kind}"
        ) from None


def shorten(value: object) -> str:
    """A value quoted in a message, cut short: a 5000-digit number is not echoed in full."""
    text = str(value)
    if len(text) > SHOWN_VALUE:
        text = f"{text[:SHOWN_VALUE]}... ({len(text)} characters)"
    return f"'{text}'"
