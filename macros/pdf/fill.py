"""Give the room left at the foot of each page to the answer areas on that page.

CSS cannot make a box fill what remains of a printed page, so the renderer lays a printable out
once, measures how much of each page is blank below the content, and adds ruled lines to the
answer areas (`.tk-write`, found by their id `w-<field>`) of that page, shared out evenly, before
laying it out again. Only whole lines are added and only into the blank space, so every page keeps
exactly the content it had.
"""

from __future__ import annotations

PITCH = 7.5 * 96 / 25.4  # one ruled line, in CSS pixels (WeasyPrint's layout unit)
SLACK = 2.0  # px kept free, so rounding can never push a block to the next page
LINE = '<span class="tk-line"></span>'


def extra_lines(document) -> dict[str, int]:
    """How many lines to add to each answer area, by the area's element id."""
    extra: dict[str, int] = {}
    for page in document.pages:
        box = page._page_box
        top = box.content_box_y()
        areas: list[str] = []
        bottoms = [top]
        for child in box.children:
            if child.element_tag == "html":
                _scan(child, areas, bottoms)
        lines = int((top + box.height - max(bottoms) - SLACK) // PITCH)
        if lines <= 0 or not areas:
            continue
        share, rest = divmod(lines, len(areas))
        for index, area in enumerate(areas):
            if share + (index < rest):
                extra[area] = share + (index < rest)
    return extra


def _scan(box, areas: list[str], bottoms: list[float]) -> None:
    """Collect the answer areas on the page and the bottom of everything drawn on it."""
    element = box.element
    classes = (element.get("class") or "").split() if element is not None else []
    if "tk-write" in classes and element.get("id") not in areas:
        areas.append(element.get("id"))
    children = getattr(box, "children", None) or []
    drawn = not children or type(box).__name__ == "LineBox" or box.style["border_bottom_width"]
    if drawn and box.style["visibility"] == "visible":
        bottoms.append(box.position_y + box.margin_height() - box.margin_bottom)
    if type(box).__name__ != "LineBox":
        for child in children:
            _scan(child, areas, bottoms)


def grow(html: str, extra: dict[str, int]) -> str:
    """The printable's HTML with `extra[id]` more lines at the start of each answer area."""
    for area, count in extra.items():
        opening = f'id="{area}">'
        if html.count(opening) != 1:
            raise ValueError(f"answer area {area!r} is not exactly once in the HTML")
        html = html.replace(opening, opening + LINE * count)
    return html
