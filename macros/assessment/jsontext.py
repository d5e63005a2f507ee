"""A small strict JSON reader that knows where every value and key starts.

The Assess page's script (toolkit-core.js, `parseJson`) reads files the same way, step for step,
with the same messages: the page and the toolkit refuse the same files in the same words (the
cases in tests/cases/ run through both). Positions are 1-based lines and columns in characters.
Duplicate keys and nesting deeper than MAX_DEPTH are refused; numbers that are not whole, or
longer than 15 digits, are read as floats (never as exact integers: the page cannot hold them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ToolkitError
from ..source.yamldoc import Location, Marks

MAX_DEPTH = 64
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"


@dataclass
class JsonError(ToolkitError):
    """Where a text stops being strict JSON (reading.py turns it into a Problem)."""

    line: int
    column: int
    message: str
    location: tuple[Any, ...] | None = None  #: the field, when the problem is one (a duplicate key)

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.line = 1
        self.line_start = 0
        self.value_marks: Marks = {}
        self.key_marks: Marks = {}

    def mark(self) -> tuple[int, int]:
        return self.line, self.at - self.line_start + 1

    def fail(self, message: str) -> JsonError:
        line, column = self.mark()
        return JsonError(line, column, message)

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def blank(self) -> None:
        while self.at < len(self.text) and self.text[self.at] in " \t\r\n":
            if self.text[self.at] == "\n":
                self.line += 1
                self.line_start = self.at + 1
            self.at += 1

    def value(self, location: Location, depth: int) -> object:
        self.blank()
        self.value_marks[location] = self.mark()
        char = self.peek()
        if char == "{":
            return self.mapping(location, depth + 1)
        if char == "[":
            return self.sequence(location, depth + 1)
        if char == '"':
            return self.string()
        if char == "-" or char in _DIGITS and char:
            return self.number()
        for word, result in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.at):
                self.at += len(word)
                return result
        if not char:
            raise self.fail("the file ends too early")
        raise self.fail("expected a value")

    def mapping(self, location: tuple[Any, ...], depth: int) -> dict[str, Any]:
        if depth > MAX_DEPTH:
            raise self.fail("nested far too deeply")
        self.at += 1
        result: dict[str, Any] = {}
        self.blank()
        if self.peek() == "}":
            self.at += 1
            return result
        while True:
            self.blank()
            if self.peek() != '"':
                raise self.fail(self.ended() or "expected a key in double quotes")
            where = self.mark()
            key = self.string()
            if key in result:
                first = self.key_marks[(*location, key)][0]
                raise JsonError(
                    *where, f"this key is given twice (first at line {first})", (*location, key)
                )
            self.key_marks[(*location, key)] = where
            self.blank()
            if self.peek() != ":":
                raise self.fail(self.ended() or "expected ':' after the key")
            self.at += 1
            result[key] = self.value((*location, key), depth)
            self.blank()
            char = self.peek()
            self.at += 1
            if char == "}":
                return result
            if char != ",":
                self.at -= 1
                raise self.fail(self.ended() or "expected ',' or '}'")

    def sequence(self, location: tuple[Any, ...], depth: int) -> list[Any]:
        if depth > MAX_DEPTH:
            raise self.fail("nested far too deeply")
        self.at += 1
        result: list[Any] = []
        self.blank()
        if self.peek() == "]":
            self.at += 1
            return result
        while True:
            result.append(self.value((*location, len(result)), depth))
            self.blank()
            char = self.peek()
            self.at += 1
            if char == "]":
                return result
            if char != ",":
                self.at -= 1
                raise self.fail(self.ended() or "expected ',' or ']'")

    def ended(self) -> str:
        return "" if self.at < len(self.text) else "the file ends too early"

    def string(self) -> str:
        self.at += 1
        parts: list[str] = []
        while True:
            char = self.peek()
            if not char:
                raise self.fail("the file ends too early")
            if char == '"':
                self.at += 1
                return "".join(parts)
            if char < " ":
                raise self.fail("a line break or control character inside text in quotes")
            if char != "\\":
                parts.append(char)
                self.at += 1
                continue
            escape = self.text[self.at + 1 : self.at + 2]
            if escape in _ESCAPES:
                parts.append(_ESCAPES[escape])
                self.at += 2
            elif escape == "u":
                parts.append(self.unicode_escape())
            else:
                raise self.fail("an unknown escape after '\\'")

    def hex4(self, at: int) -> int | None:
        digits = self.text[at : at + 4]
        if len(digits) == 4 and all(char in _HEX for char in digits):
            return int(digits, 16)
        return None

    def unicode_escape(self) -> str:
        code = self.hex4(self.at + 2)
        if code is None:
            raise self.fail("an unknown escape after '\\'")
        if 0xDC00 <= code <= 0xDFFF:
            raise self.fail("half a character (a lone surrogate escape)")
        if 0xD800 <= code <= 0xDBFF:
            low = self.hex4(self.at + 8) if self.text[self.at + 6 : self.at + 8] == "\\u" else None
            if low is None or not 0xDC00 <= low <= 0xDFFF:
                raise self.fail("half a character (a lone surrogate escape)")
            self.at += 12
            return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
        self.at += 6
        return chr(code)

    def number(self) -> int | float:
        start = self.at
        if self.peek() == "-":
            self.at += 1
        if self.peek() == "0":
            self.at += 1
        elif self.peek() and self.peek() in _DIGITS:
            self.digits()
        else:
            raise self.fail(self.ended() or "expected a value")
        whole = True
        if self.peek() == ".":
            whole = False
            self.at += 1
            self.need_digits()
        if self.peek() and self.peek() in "eE":
            whole = False
            self.at += 1
            if self.peek() and self.peek() in "+-":
                self.at += 1
            self.need_digits()
        literal = self.text[start : self.at]
        if whole and len(literal.lstrip("-")) <= 15:
            return int(literal)
        return float(literal)

    def digits(self) -> None:
        while self.peek() and self.peek() in _DIGITS:
            self.at += 1

    def need_digits(self) -> None:
        if not (self.peek() and self.peek() in _DIGITS):
            raise self.fail(self.ended() or "expected a digit")
        self.digits()


def parse(text: str) -> tuple[object, Marks, Marks]:
    """The value of `text`, with where each value and each key starts (by location tuple).

    Raises JsonError at the first thing that is not strict JSON."""
    reader = _Reader(text)
    value = reader.value((), 0)
    reader.blank()
    if reader.at < len(text):
        raise reader.fail("more text after the end of the JSON value")
    return value, reader.value_marks, reader.key_marks
