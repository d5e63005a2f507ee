"""Give the room left at the foot of each page to the answer areas on that page.

CSS cannot make a box fill what remains of a printed page, so the renderer lays a printable out
once, measures how much of each page is blank below the content, and adds ruled lines to the
answer areas (`.tk-write`, found by their id `w-<field>`) of that page, shared out evenly. Only
whole lines are added and only into the blank space, so every page keeps exactly the content it
had. The last page is left as it is: the document ends where its content ends, not with a
page of ruled lines under its last question. The lines are added to the laid-out pages
themselves (`fill`): a copy of the area's last line, everything below it on the page moved
down, its ancestors made taller. That is what a second layout with the longer HTML gives, at a
fraction of its cost; where an area sits in a box this cannot grow (anything but blocks and a
simple table row), the caller lays the printable out again with `grow` instead.
"""

from __future__ import annotations

from typing import Any, NoReturn

from weasyprint.document import Page
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.layout.background import layout_box_backgrounds

PITCH = 7.5 * 96 / 25.4  # one ruled line, in CSS pixels (WeasyPrint's layout unit)
SLACK = 2.0  # px kept free, so rounding can never push a block to the next page
LINE = '<span class="tk-line"></span>'
TABLE = (boxes.TableBox, boxes.TableRowGroupBox, boxes.TableRowBox, boxes.TableCellBox)


def plan(document: Any) -> list[tuple[int, list[Any], int]]:
    """Each answer area that gets lines: its page, its boxes from the page down, how many.

    Every page but the last: a page a document goes on from is filled so the next one's content
    stays where it is; the last has nothing after it to keep in place."""
    result = []
    for index, page in enumerate(document.pages[:-1]):
        box = page._page_box
        top = box.content_box_y()
        areas: list[list[Any]] = []
        bottoms = [top]
        for child in box.children:
            if child.element_tag == "html":
                _scan(child, [box], areas, bottoms)
        lines = int((top + box.height - max(bottoms) - SLACK) // PITCH)
        if lines <= 0 or not areas:
            continue
        share, rest = divmod(lines, len(areas))
        for number, path in enumerate(areas):
            if share + (number < rest):
                result.append((index, path, share + (number < rest)))
    return result


def _scan(box: Any, path: list[Any], areas: list[list[Any]], bottoms: list[float]) -> None:
    """Collect the answer areas on the page and the bottom of everything drawn on it."""
    path = [*path, box]
    if "tk-write" in _classes(box) and box.element not in [area[-1].element for area in areas]:
        areas.append(path)
    children = getattr(box, "children", None) or []
    drawn = not children or isinstance(box, boxes.LineBox) or box.style["border_bottom_width"]
    if drawn and box.style["visibility"] == "visible":
        bottoms.append(box.position_y + box.margin_height() - box.margin_bottom)
    if not isinstance(box, boxes.LineBox):
        for child in children:
            _scan(child, path, areas, bottoms)


def _classes(box: Any) -> list[str]:
    element = box.element
    if element is None or box.element_tag.startswith("::"):
        return []
    return (element.get("class") or "").split()


def extra_lines(document: Any) -> dict[str, int]:
    """How many lines to add to each answer area, by the area's element id."""
    return {path[-1].element.get("id"): count for _, path, count in plan(document)}


def grow(html: str, extra: dict[str, int]) -> str:
    """The printable's HTML with `extra[id]` more lines at the start of each answer area."""
    for area, count in extra.items():
        opening = f'id="{area}">'
        if html.count(opening) != 1:
            raise ValueError(f"answer area {area!r} is not exactly once in the HTML")
        html = html.replace(opening, opening + LINE * count)
    return html


def fill(document: Any) -> bool:
    """Add the lines to the laid-out document in place; False, untouched, if it cannot."""
    steps = plan(document)
    later = [_elements(page) for page in document.pages[1:]] + [set()]
    if not all(_growable(path, later[index]) for index, path, _ in steps):
        return False
    for index, path, count in steps:
        page_box = document.pages[index]._page_box
        for box, children in _grow(path, count, later[index]):  # the lines are grey backgrounds
            layout_box_backgrounds(page_box, box, _no_image, layout_children=children)
    for index in {index for index, _, _ in steps}:
        document.pages[index] = Page(document.pages[index]._page_box)  # anchors, form fields
    return True


def _elements(page: Any) -> set[Any]:
    """The elements on a page: a box whose element goes on to the next page was split there."""
    return {box.element for box in page._page_box.descendants() if box.element is not None}


def _no_image(**_: object) -> NoReturn:
    """The printables' style sheets use no images: fill has no image loader to place one."""
    raise ValueError("fill.py cannot place a background image: give it the renderer's loader")


def _growable(path: list[Any], next_page: set[Any]) -> bool:
    """Whether `_grow` knows every box from the page down to this area."""
    area, ancestors = path[-1], path[1:-1]
    kids = area.children
    return (
        area.element not in next_page
        and any("tk-line" in _classes(kid) for kid in kids)
        and all(isinstance(kid, AbsolutePlaceholder) or "tk-line" in _classes(kid) for kid in kids)
        and all(type(box) is boxes.BlockBox or isinstance(box, TABLE) for box in ancestors)
        and all(
            _plain_cell(cell)
            for row in ancestors
            if isinstance(row, boxes.TableRowBox)
            for cell in row.children
        )
    )


def _plain_cell(cell: Any) -> bool:
    """A cell whose row grows as `_grow_row` assumes: top-aligned, one row, no height set."""
    return (
        cell.rowspan == 1
        and cell.style["vertical_align"] == "top"
        and cell.computed_height == "auto"
        and cell.style["padding_bottom"].unit == "px"
    )


def _grow(path: list[Any], count: int, next_page: set[Any]) -> list[tuple[object, bool]]:
    """Add `count` lines to the area at the end of `path` and make room for them on its page.

    Returns the boxes whose backgrounds must be placed again, each with whether its descendants
    must be too: the area, what moved down, and the ancestors that grew.
    """
    area = path[-1]
    last = [kid for kid in area.children if "tk-line" in _classes(kid)][-1]
    step = last.margin_height()
    at = area.children.index(last) + 1
    added = []
    for number in range(1, count + 1):
        line = last.deepcopy()
        line.translate(dy=number * step)
        added.append(line)
    area.children = [*area.children[:at], *added, *area.children[at:]]
    shift = count * step
    for kid in area.children:
        if isinstance(kid, AbsolutePlaceholder):  # the text field covers the whole area
            kid.height += shift
    area.height += shift
    moved: list[tuple[object, bool]] = [(area, True)]
    child = area
    for parent in reversed(path[1:-1]):
        if isinstance(parent, boxes.TableRowBox):
            shift = _grow_row(parent, child)
            moved.append((parent, True))  # its cells were evened out again
            if not shift:
                break
            child = parent
            continue
        for sibling in parent.children[parent.children.index(child) + 1 :]:
            sibling.translate(dy=shift)
            moved.append((sibling, True))
        if type(parent) is boxes.BlockBox and parent.element in next_page:
            break  # split at the page's foot: already as tall as the page allows
        parent.height += shift
        moved.append((parent, False))
        if isinstance(parent, boxes.TableBox):
            for group in parent.column_groups:
                group.height += shift
                for column in group.children:
                    column.height += shift
                moved.append((group, True))
        child = parent
    return moved


def _grow_row(row: Any, cell: Any) -> float:
    """The row of `cell`, which grew, as tall as its tallest cell again; how much it grew."""
    cell.content_height = cell.height
    bottoms = []
    for each in row.children:  # the cells as they were before the row evened them out
        each.padding_bottom = each.style["padding_bottom"].value
        bottoms.append(each.position_y + each.border_height())
    bottom = max(bottoms)
    for each, each_bottom in zip(row.children, bottoms):
        if bottom - each_bottom:
            each.padding_bottom += bottom - each_bottom
    old = row.height
    row.height = max(bottom - row.position_y, 0)
    row.baseline = bottom
    return row.height - old
