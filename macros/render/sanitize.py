"""The one allow-list every HTML fragment made from content passes through (site and PDFs).

Markdown's attr_list lets content set any attribute, and Markdown does not decode entities in
link targets; nh3 (Ammonia) parses the HTML as a browser would and keeps only what is listed
here: no event handler, no style, no URL scheme but http(s) and mailto (relative URLs pass).
`removed()` says what was dropped, so the loader can report it at its YAML line.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

TAGS = {
    *("p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "span", "div", "a"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "thead", "tbody", "tr", "th", "td"),
}
ATTRIBUTES = {"*": {"id", "class"}, "a": {"href", "title"}}
ALIGN = {"left", "center", "right"}  # tables (use_align_attribute in .markdown)
URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    tag_attribute_values={"th": {"align": ALIGN}, "td": {"align": ALIGN}},
    url_schemes=URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
)


def clean(html: str) -> str:
    """`html` with everything off the allow-list removed."""
    return _cleaner.clean(html)


class _Elements(HTMLParser):
    """The start tags of a fragment with their attributes, entities decoded."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def removed(html: str) -> list[str]:
    """What `clean` drops from `html`, worded for the person who wrote the content."""
    kept = iter(_Elements(clean(html)).found)
    after = next(kept, None)
    dropped = []
    for tag, attrs in _Elements(html).found:
        if after is None or after[0] != tag:
            dropped.append(f"the element <{tag}> is not allowed")
            continue
        for name, value in attrs.items():
            if name in after[1]:
                continue
            if name == "href" and value:
                dropped.append(
                    f"the link target {_short(value)} is not allowed; "
                    "use a relative, http(s) or mailto: link"
                )
            else:
                dropped.append(f"the attribute {name}={_short(value)} is not allowed on <{tag}>")
        after = next(kept, None)
    return dropped


def _short(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "...")
