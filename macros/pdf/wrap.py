"""Break opportunities in long words, so no text runs off a page or out of a table.

A word longer than a line (a pasted URL, a 2000-character typo) would run off the page, and in
a table it makes its column so wide that other columns leave the page. `overflow-wrap: anywhere`
would fix that but lets every table squeeze its short columns into broken words. Instead, only
words of LONG characters or more get a <wbr> every STEP characters: ordinary words and tables lay
out as before, and a long word wraps wherever it must.

Text that ends in a space or line break right before a block (a statement, then its criteria)
makes WeasyPrint 70 break a line early, leaving one word alone ("relevant data for / making /
decisions"): it counts the space, which CSS drops at a line's end. That space is removed here.
"""

from __future__ import annotations

import re

LONG = 24
STEP = 12
_PARTS = re.compile(r"(<[^>]*>)")
_RAW = {"title", "style", "script", "textarea"}  # their text is not markup: never touched
_WORD = re.compile(rf"(?:&#?\w+;|[^\s<>&]){{{LONG},}}")
_UNIT = re.compile(r"&#?\w+;|.", re.S)  # an entity counts as one character and is never split
_BLOCK = re.compile(
    r"</?(?:address|aside|blockquote|caption|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header"
    r"|li|main|ol|p|section|table|tbody|td|tfoot|th|thead|tr|ul)\b",
    re.I,
)


def soft_wraps(html: str) -> str:
    """`html` with a <wbr> every STEP characters inside each word of LONG characters or more,
    and without the space that ends a text right before a block's start or end."""
    parts = _PARTS.split(html)
    raw = None
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name[1].lower() in _RAW:
                raw = None if part.startswith("</") else name[1].lower()
        elif raw is None and part:
            if part.strip() and index + 1 < len(parts) and _BLOCK.match(parts[index + 1]):
                part = part.rstrip(" \t\r\n")
            parts[index] = _WORD.sub(_split, part)
    return "".join(parts)


def _split(word: re.Match[str]) -> str:
    units = _UNIT.findall(word.group())
    return "<wbr>".join("".join(units[i : i + STEP]) for i in range(0, len(units), STEP))
