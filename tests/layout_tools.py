"""Measure printed pages from the PDFs themselves: ruled lines, answer areas, blank space, headers.

Positions come from pdfplumber, in points from the top of the page. What the printables draw:
a ruled writing line is a thin rectangle filled 50% grey; an answer area is a black frame around
such lines (its bottom edge is the last line); a block a team works through starts with a thin
rule filled 53% grey. The page margins are those of overrides/printables/print.css.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
TOP_MARGIN, BOTTOM_MARGIN = 18 * MM, 20 * MM
LINE_GREY = 0.502  # .tk-line: #808080
BLOCK_GREY = 0.533  # the rule above a best practice or question: #888


@dataclass(frozen=True)
class Box:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def holds(self, other: Box, slack: float = 0.5) -> bool:
        return (
            self.x0 - slack <= other.x0
            and other.x1 <= self.x1 + slack
            and self.top - slack <= other.top
            and other.bottom <= self.bottom + slack
        )


@dataclass(frozen=True)
class Page:
    number: int  #: from 1
    width: float
    height: float
    words: tuple[tuple[str, Box], ...]
    rects: tuple[tuple[tuple[float, ...], Box], ...]  #: fill colour (grey or RGB), position
    lowest: float  #: bottom of the lowest thing drawn between the page margins

    def text_in(self, box: Box) -> str:
        return " ".join(text for text, where in self.words if box.holds(where))

    @property
    def body(self) -> Box:
        return Box(0, TOP_MARGIN, self.width, self.height - BOTTOM_MARGIN)

    @property
    def header(self) -> str:
        """The running header: the words above the top margin."""
        return self.text_in(Box(0, 0, self.width, TOP_MARGIN))

    @property
    def header_right(self) -> str:
        """The right half of the running header (the driver)."""
        return self.text_in(Box(self.width / 2, 0, self.width, TOP_MARGIN))

    @property
    def footer(self) -> str:
        return self.text_in(Box(0, self.height - BOTTOM_MARGIN, self.width, self.height))

    @property
    def empty_share(self) -> float:
        """How much of the space between the margins is blank below the content, 0 to 1."""
        body = self.body
        return max(0.0, body.bottom - self.lowest) / body.height

    def filled(self, grey: float) -> list[Box]:
        return [box for colour, box in self.rects if _is_grey(colour, grey)]

    def ruled_lines(self) -> list[Box]:
        return sorted(
            (box for box in self.filled(LINE_GREY) if box.height < 1), key=lambda b: b.top
        )

    def block_rules(self) -> list[Box]:
        return sorted(
            (box for box in self.filled(BLOCK_GREY) if box.height < 2), key=lambda b: b.top
        )

    def answer_areas(self) -> list[tuple[Box, list[Box]]]:
        """Each framed answer area on the page with its ruled lines, top to bottom."""
        frames = [box for box in self.filled(0.0) if box.height > 10 and box.width > 40]
        areas: dict[Box, list[Box]] = {}
        for line in self.ruled_lines():
            around = [frame for frame in frames if frame.holds(line, slack=1.5)]
            if around:
                frame = min(around, key=lambda f: f.height * f.width)
                areas.setdefault(frame, []).append(line)
        return sorted(areas.items(), key=lambda item: item[0].top)


def _is_grey(colour: tuple[float, ...], grey: float) -> bool:
    if len(colour) == 1:
        colour = colour * 3
    return len(colour) == 3 and all(abs(channel - grey) < 0.01 for channel in colour)


@functools.cache
def _pages(path: str, mtime: int) -> tuple[Page, ...]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = tuple(
                (word["text"], Box(word["x0"], word["top"], word["x1"], word["bottom"]))
                for word in page.extract_words(keep_blank_chars=False, use_text_flow=True)
            )
            rects = tuple(
                (
                    tuple(rect["non_stroking_color"] or (1.0,)),
                    Box(rect["x0"], rect["top"], rect["x1"], rect["bottom"]),
                )
                for rect in page.rects
                if rect["fill"] and isinstance(rect["non_stroking_color"], (tuple, list))
            )
            drawn = [
                Box(item["x0"], item["top"], item["x1"], item["bottom"])
                for item in (*page.chars, *page.rects, *page.curves, *page.lines)
            ]
            body = Box(0, TOP_MARGIN, float(page.width), float(page.height) - BOTTOM_MARGIN)
            inside = [box.bottom for box in drawn if body.holds(box, slack=1)]
            pages.append(
                Page(
                    number,
                    float(page.width),
                    float(page.height),
                    words,
                    rects,
                    max(inside, default=body.top),
                )
            )
    return tuple(pages)


def layout_of(pdf: Path) -> tuple[Page, ...]:
    """Every page of the PDF, measured once per file version."""
    return _pages(str(pdf), Path(pdf).stat().st_mtime_ns)
