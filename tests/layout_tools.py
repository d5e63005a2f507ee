"""Measure printed pages from the PDFs themselves: ruled lines, answer areas, blank space, headers.

Positions are in points from the top of the page. What is drawn comes from each page's content
stream (read with pikepdf), measured as pdfplumber measures it: a closed upright four-sided path
is a rect, a run of text reaches from its font's descent to its size above it (on all 300 pages of
the built set: the same rects and lowest points as pdfplumber, without its slow parse of every
character). Words and their boxes come from poppler's `pdftotext -bbox`, in drawing order, for
the PDFs whose words a test reads (a pre-filled field's value shows inside its box, as in a
viewer). What the printables draw:
a ruled writing line is a thin rectangle filled 50% grey; an answer area is a black frame around
such lines (its bottom edge is the last line); a block a team works through starts with a thin
rule filled 53% grey. The page margins are those of macros/render/styles/print.css.
"""

from __future__ import annotations

import functools
import html
import re
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pikepdf

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
    rects: tuple[tuple[tuple[float, ...], Box], ...]  #: fill colour (grey or RGB), position
    lowest: float  #: bottom of the lowest thing drawn between the page margins
    strokes: tuple[Box, ...]  #: stroked straight lines: the borders of table cells
    source: tuple[str, int, int]  #: the PDF, its version and page count, to read words from

    @functools.cached_property
    def words(self) -> tuple[tuple[str, Box], ...]:
        """Each word with its box, in drawing order; read (for the whole PDF) on first use."""
        return _words(*self.source)[self.number - 1]

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

    def cells(self) -> list[Box]:
        """The table cells on the page, each inside its borders. WeasyPrint strokes a table's
        collapsed borders as lines, a row's vertical borders from its top to its bottom: each
        two neighbours of one row bound a cell (a cell spanning columns has none between)."""
        rows: dict[tuple[float, float], set[float]] = {}
        for line in self.strokes:
            if line.width < 0.01 and line.height > 5:
                rows.setdefault((round(line.top, 1), round(line.bottom, 1)), set()).add(line.x0)
        return [
            Box(left, top, right, bottom)
            for (top, bottom), xs in rows.items()
            for left, right in zip(sorted(xs), sorted(xs)[1:])
        ]

    def filled(self, grey: float) -> list[Box]:
        return [box for colour, box in self.rects if _is_grey(colour, grey)]

    def ruled_lines(self) -> list[Box]:
        return sorted(
            (box for box in self.filled(LINE_GREY) if box.height < 1), key=lambda b: b.top
        )

    def block_rules(self) -> list[Box]:
        """The thin rules that open blocks. WeasyPrint draws a top border as two rects filled
        even-odd, the box and the box below the border: the rule is the strip between them."""
        boxes = self.filled(BLOCK_GREY)
        strips = {
            Box(outer.x0, outer.top, outer.x1, inner.top)
            for outer in boxes
            for inner in boxes
            if 0 < inner.top - outer.top < 2
            and max(abs(a - b) for a, b in zip(_sides(outer), _sides(inner))) < 0.01
        }
        thin = {box for box in boxes if box.height < 2}
        return sorted(strips | thin, key=lambda b: b.top)

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


def _sides(box: Box) -> tuple[float, float, float]:
    return box.x0, box.x1, box.bottom


def _is_grey(colour: tuple[float, ...], grey: float) -> bool:
    if len(colour) == 1:
        colour = colour * 3
    return len(colour) == 3 and all(abs(channel - grey) < 0.01 for channel in colour)


# The operators parsed. The others (marked content, clipping paths, alpha, character spacing) draw
# nothing this measures. Images, shadings and text placed by line (the last seven) are not
# followed: they stop the measurement rather than being missed.
_OPERATORS = (
    "q Q cm re m l c v y h S s f F f* B B* b b* n g rg k cs sc scn BT Tf Tm Td Ts TJ Tj "
    "Do sh BI T* TD ' \""
)
_CLOSE_AND_PAINT = {"s", "b", "b*"}
_PAINT = {"S", "f", "F", "f*", "B", "B*"} | _CLOSE_AND_PAINT
_COLOUR = {"g", "rg", "k"}
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_WORD = re.compile(
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>'
    r"|(<page )"
)

Matrix = tuple[float, float, float, float, float, float]
Segment = tuple[str, tuple[float, ...]]


def _matrix(operands) -> Matrix:
    a, b, c, d, e, f = (float(value) for value in operands)
    return (a, b, c, d, e, f)


def _concat(m: Matrix, ctm: Matrix) -> Matrix:
    """m applied first, then ctm (as `cm m` makes the current matrix, or Tm in user space)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = ctm
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _subpaths(path: list[Segment], ctm: Matrix, top: float) -> list[tuple[Box, bool]]:
    """Each subpath's box on the page (end points, as pdfplumber) and whether it is a rect.

    A rect is a closed four-sided upright path, as pdfminer (under pdfplumber) decides it.
    """
    a, b, c, d, e, f = ctm
    starts = [i for i, (op, _) in enumerate(path) if op == "m"] + [len(path)]
    found = []
    for start, end in zip(starts, starts[1:]):
        sub = path[start:end]
        shape = "".join(op for op, _ in sub)
        raw = [xy[-2:] if op != "h" else sub[0][1] for op, xy in sub]
        points = [(a * x + c * y + e, top - (b * x + d * y + f)) for x, y in raw]
        if len(shape) > 3 and shape.endswith("lh") and points[-2] == points[0]:
            shape, points = shape[:-2] + "h", [*points[:-2], points[-1]]
        is_rect = False
        if shape in ("mlllh", "mllll") and points[0] == points[4]:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
            is_rect = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
            )
        xs, ys = [x for x, _ in points], [y for _, y in points]
        found.append((Box(min(xs), min(ys), max(xs), max(ys)), is_rect))
    return found


def _descent(font: pikepdf.Dictionary) -> float:
    """The font's descent below the baseline per unit of size (negative), as pdfminer reads it."""
    if font.get("/Encoding") == "/Identity-V":
        raise ValueError("vertical text is not measured")
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descent = float(font.get("/FontDescriptor", {}).get("/Descent", 0))
    return -abs(descent) / 1000


def _text_box(matrix: Matrix, size: float, descent: float, rise: float, top: float) -> Box:
    """Where a run of text starts, from the bottom to the top of its characters' boxes."""
    a, b, c, d, e, f = matrix
    if b:
        raise ValueError("rotated text is not measured")
    low = descent * size + rise
    ys = (d * low + f, d * (low + size) + f)
    return Box(e, top - max(ys), e, top - min(ys))


def _path_segments(op: str, operands: list) -> list[Segment]:
    """The segments a path-building operator adds (a rectangle is four sides, closed)."""
    if op == "re":
        x, y, w, h = (float(value) for value in operands)
        return [
            ("m", (x, y)),
            ("l", (x + w, y)),
            ("l", (x + w, y + h)),
            ("l", (x, y + h)),
            ("h", ()),
        ]
    return [(op, tuple(float(value) for value in operands))]


def _colour(op: str, operands: list) -> tuple[float, ...] | None:
    """The fill colour a colour operator sets; None for one this measurement does not follow."""
    if op in _COLOUR:
        return tuple(float(value) for value in operands)
    numbers = [v for v in operands if isinstance(v, (int, float, Decimal))]
    if op in ("sc", "scn") and len(numbers) == len(operands):
        return tuple(float(v) for v in numbers)
    return None  # "cs": a colour space


class _Reader:
    """The graphics and text state while one page's content stream is read."""

    def __init__(self, page: pikepdf.Page, top: float) -> None:
        self.page, self.top = page, top
        self.ctm: Matrix = _IDENTITY
        self.colour: tuple[float, ...] | None = (0.0,)  # black until set
        self.descent, self.size, self.rise = 0.0, 0.0, 0.0  # the font's, and above the baseline
        self.saved: list[tuple[Matrix, tuple[float, ...] | None, float, float, float]] = []
        self.path: list[Segment] = []
        self.text: Matrix = _IDENTITY
        self.line: Matrix = _IDENTITY
        self.descents: dict[object, float] = {}  # by font resource name

    def graphics(self, op: str, operands: list) -> bool:
        """Follow a state or path operator; False when `op` is none of them."""
        if op == "q":
            self.saved.append((self.ctm, self.colour, self.descent, self.size, self.rise))
        elif op == "Q":
            self.ctm, self.colour, self.descent, self.size, self.rise = self.saved.pop()
        elif op == "cm":
            self.ctm = _concat(_matrix(operands), self.ctm)
        elif op in ("m", "l", "c", "v", "y", "re", "h"):
            self.path += _path_segments(op, operands)
        elif op == "n":
            self.path = []
        elif op in (*_COLOUR, "sc", "scn", "cs"):
            self.colour = _colour(op, operands)
        else:
            return False
        return True

    def paint(self, op: str):
        if op in _CLOSE_AND_PAINT:
            self.path.append(("h", ()))
        fill = op not in ("S", "s")
        for box, is_rect in _subpaths(self.path, self.ctm, self.top):
            yield box, fill and is_rect, self.colour
        self.path = []

    def text_state(self, op: str, operands: list) -> bool:
        """Follow a text operator that moves or sets the font; False when `op` is none."""
        if op == "BT":
            self.text = self.line = _IDENTITY
        elif op == "Tm":
            self.text = self.line = _matrix(operands)
        elif op == "Td":
            moved = (1.0, 0.0, 0.0, 1.0, *map(float, operands))
            self.text = self.line = _concat(moved, self.line)
        elif op == "Tf":
            name, self.size = operands[0], float(operands[1])
            if name not in self.descents:
                self.descents[name] = _descent(self.page.Resources.Font[name])
            self.descent = self.descents[name]
        elif op == "Ts":
            self.rise = float(operands[0])
        else:
            return False
        return True

    def shown(self, op: str, operands: list):
        strings = operands[0] if op == "TJ" else operands
        if any(isinstance(s, pikepdf.String) and len(bytes(s)) for s in strings):
            box = _text_box(
                _concat(self.text, self.ctm), self.size, self.descent, self.rise, self.top
            )
            yield box, False, None


def _drawing(page: pikepdf.Page, top: float, where: str):
    """Every painted subpath and run of text: (box, is a filled rect, fill colour or None)."""
    reader = _Reader(page, top)
    for operands, operator in pikepdf.parse_content_stream(page, _OPERATORS):
        op = str(operator)
        if reader.graphics(op, operands) or reader.text_state(op, operands):
            continue
        if op in _PAINT:
            yield from reader.paint(op)
        elif op in ("TJ", "Tj"):
            yield from reader.shown(op, operands)
        else:
            raise ValueError(f"{where}: draws with {op!r}, which layout_tools does not follow")


@functools.cache
def _words(path: str, mtime: int, count: int) -> tuple[tuple[tuple[str, Box], ...], ...]:
    """Each page's words with their boxes, from pdftotext in drawing order (as pdfplumber's
    use_text_flow)."""
    output = subprocess.run(
        ["pdftotext", "-raw", "-bbox", "-enc", "UTF-8", path, "-"],
        capture_output=True,
        check=True,
        encoding="utf-8",
        timeout=60,
    ).stdout
    pages: list[list[tuple[str, Box]]] = []
    for match in _WORD.finditer(output):
        if match[6]:
            pages.append([])
        else:
            left, top, right, bottom = (float(value) for value in match.groups()[:4])
            pages[-1].append((html.unescape(match[5]), Box(left, top, right, bottom)))
    assert len(pages) == count, f"{path}: pdftotext finds {len(pages)} pages, pikepdf {count}"
    return tuple(tuple(words) for words in pages)


@functools.cache
def _pages(path: str, mtime: int) -> tuple[Page, ...]:
    pages = []
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            x0, y0, x1, y1 = (float(value) for value in page.mediabox)
            width, height = x1 - x0, y1 - y0
            body = Box(0, TOP_MARGIN, width, height - BOTTOM_MARGIN)
            drawn = list(_drawing(page, y1, f"{path} p{number}"))
            inside = [box.bottom for box, _, _ in drawn if body.holds(box, slack=1)]
            rects = tuple((colour, box) for box, is_rect, colour in drawn if is_rect and colour)
            strokes = tuple(box for box, is_rect, colour in drawn if colour and not is_rect)
            lowest = max(inside, default=body.top)
            source = (path, mtime, count)
            pages.append(Page(number, width, height, rects, lowest, strokes, source))
    return tuple(pages)


ENDS_PARAGRAPH = (".", ";", ":", "?", "!")
CELL_INSET = 0.375 + 4  # half a 0.75 pt border and the 4 pt padding (print.css `th, td`)


def cell_lines(page: Page, cell: Box) -> list[list[tuple[str, Box]]]:
    """The words inside a table cell, by line (a shared baseline), each line left to right."""
    lines: list[list[tuple[str, Box]]] = []
    words = [(text, box) for text, box in page.words if cell.holds(box, slack=1)]
    for text, box in sorted(words, key=lambda word: (word[1].bottom, word[1].x0)):
        if lines and abs(lines[-1][-1][1].bottom - box.bottom) < 1.5:
            lines[-1].append((text, box))
        else:
            lines.append([(text, box)])
    return [sorted(line, key=lambda word: word[1].x0) for line in lines]


def lone_words(page: Page) -> list[str]:
    """Lines of one word that go on in the same paragraph although the next line's first word
    would have fitted after it (a space is 0.3 of the text's height, as in DejaVu Sans). A word
    ending a sentence or an item (".", ";"...) ends its paragraph: the next line is another
    block (the criteria), whatever room is left; so does a line the next one is further from
    than from the line before it (a list item's margin). A tick mark in a box is not a word."""
    found = []
    for cell in page.cells():
        lines = cell_lines(page, cell)
        for index, (line, following) in enumerate(zip(lines, lines[1:])):
            (word, box), (_, after) = line[0], following[0]
            pitch = box.bottom - lines[index - 1][0][1].bottom if index else after.bottom
            same_paragraph = abs(box.height - after.height) < 0.5
            same_paragraph &= after.bottom - box.bottom <= pitch + 0.3  # no item's margin
            alone = len(line) == 1 and any(char.isalnum() for char in word)
            fits = box.x1 + 0.3 * box.height + after.width <= cell.x1 - CELL_INSET
            if alone and same_paragraph and fits and not word.endswith(ENDS_PARAGRAPH):
                found.append(f"p{page.number}: {word!r} / {following[0][0]!r}")
    return found


def layout_of(pdf: Path) -> tuple[Page, ...]:
    """Every page of the PDF, measured once per file version."""
    return _pages(str(pdf), Path(pdf).stat().st_mtime_ns)
