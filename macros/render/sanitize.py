"""The one allow-list every HTML fragment made from content passes through (site and PDFs).

Markdown's attr_list lets content set any attribute, and Markdown does not decode entities in
link targets; nh3 (Ammonia) parses the HTML as a browser would and keeps only what is listed
here: no event handler, no style, no URL scheme but http(s) and mailto (relative URLs pass, but
not `//host` or `\\\\host`, which leave the site). Content shares no name with the page: its
ids get the prefix `user-content-` (and its `#id` links with them), so it can never stand in
for an element the theme or the Assess page looks up by id; its classes are the few the
Markdown extensions write; it has no `title` (the theme's tooltips turn a title into HTML).
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
ATTRIBUTES = {"*": {"id"}, "a": {"href"}}
ALIGN = {"left", "center", "right"}  # tables (use_align_attribute in .markdown)
URL_SCHEMES = {"http", "https", "mailto"}
ID_PREFIX = "user-content-"
# The kinds of admonition the theme styles (`!!! note`); toc writes `headerlink` and `toc`.
ADMONITIONS = {
    *("note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important"),
    *("success", "check", "done", "question", "help", "faq", "warning", "caution"),
    *("attention", "failure", "fail", "missing", "danger", "error", "bug", "example"),
    *("quote", "cite"),
}
CLASSES = {
    "div": {"admonition", "toc", *ADMONITIONS},
    "p": {"admonition-title"},
    "a": {"headerlink"},
}
MAX_DEPTH = 16  # elements inside one another: deeper nesting breaks the PDF renderer


def _relative(url: str) -> str | None:
    """A relative link as it may stay: never to another host; `#x` to the prefixed id."""
    if "".join(url.split()).replace("\\", "/").startswith("//"):  # as a browser reads it
        return None
    if url.startswith("#") and not url.startswith(f"#{ID_PREFIX}"):
        return f"#{ID_PREFIX}{url[1:]}"
    return url


_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    tag_attribute_values={"th": {"align": ALIGN}, "td": {"align": ALIGN}},
    allowed_classes=CLASSES,
    url_schemes=URL_SCHEMES,
    url_relative=_relative,
    id_prefix=ID_PREFIX,
    link_rel=None,
    strip_comments=True,
)


def clean(html: str) -> str:
    """`html` with everything off the allow-list removed."""
    return _cleaner.clean(html)


class _Elements(HTMLParser):
    """The start tags of a fragment with their attributes (entities decoded), and how deep
    its elements nest."""

    VOID = {"br", "hr", "img", "input", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.depth = self.deepest = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.depth -= 1


def removed(html: str) -> list[str]:
    """What `clean` drops from `html`, worded for the person who wrote the content."""
    written = _Elements(html)
    kept = iter(_Elements(clean(html)).found)
    after = next(kept, None)
    dropped = []
    if written.deepest > MAX_DEPTH:
        dropped.append(
            f"the text nests {written.deepest} levels deep (quotes, lists, admonitions); "
            f"at most {MAX_DEPTH} are allowed"
        )
    for tag, attrs in written.found:
        if after is None or after[0] != tag:
            dropped.append(f"the element <{tag}> is not allowed")
            continue
        for name, value in attrs.items():
            if name == "class":
                foreign = set(value.split()) - set(after[1].get("class", "").split())
                if foreign:
                    dropped.append(
                        f"the class {_short(' '.join(sorted(foreign)))} is not allowed on "
                        f"<{tag}>; content has only the classes of admonitions (!!! note)"
                    )
            elif name in after[1]:
                continue
            elif name == "href" and value:
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
