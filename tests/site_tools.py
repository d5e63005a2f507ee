"""Small helpers for the site tests: a tiny HTML tree (stdlib html.parser), the rubric read as
plain YAML (not through the loader, so the tests do not trust the code they check), link
resolution inside a built site, and a throw-away local HTTP server for the browser tests."""

from __future__ import annotations

import contextlib
import html
import re
import threading
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from helpers import PROJECT_ROOT

RUBRIC = PROJECT_ROOT / "rubric"

RCDATA = {"title", "textarea"}  # text only: a "<" inside is not a tag
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}


# --- HTML -----------------------------------------------------------------------------------


class Node:
    """One element of a parsed page: tag, attributes, children (Nodes and strings)."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None = None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.attrs.get(name)
        return default if value is None else value

    def iter(self):
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.classes)
            and all(node.attrs.get(key) == value for key, value in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert len(found) == 1, f"expected one <{tag} class={cls} {attrs}>, found {len(found)}"
        return found[0]

    def raw_text(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in ("script", "style"):
                parts.append(child.raw_text())
        return "".join(parts)

    def text(self) -> str:
        """The visible text, whitespace collapsed (what a reader sees, entities decoded)."""
        return normalized(self.raw_text())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)
        if tag in RCDATA:
            self.set_cdata_mode(tag)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, dict(attrs), self.stack[-1]))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if self.stack[-1].tag in RCDATA:
            data = html.unescape(data)
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


_PAGES: dict[Path, Node] = {}


def page(path: Path) -> Node:
    """A built page, parsed once per test session."""
    path = Path(path).resolve()
    if path not in _PAGES:
        _PAGES[path] = parse_html(path.read_text(encoding="utf-8"))
    return _PAGES[path]


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def plain(markdown_text: str) -> str:
    """Rubric Markdown as a reader sees it: emphasis markers gone, whitespace collapsed."""
    return normalized(re.sub(r"(\*\*|\*|`)", "", markdown_text))


# --- links ----------------------------------------------------------------------------------

LINK_ATTRS = {"href", "src"}


def references_in(root: Node) -> list[tuple[Node, str, str]]:
    """(element, attribute, value) for every href and src."""
    return [
        (node, name, value)
        for node in root.iter()
        for name, value in node.attrs.items()
        if name in LINK_ATTRS and value is not None
    ]


def is_external(value: str) -> bool:
    return bool(urlsplit(value).scheme) or value.startswith("//")


def resolve(site: Path, page_file: Path, value: str) -> Path | None:
    """The file a relative (or root-relative) link points to; None for fragments and schemes."""
    parts = urlsplit(value)
    if parts.scheme or value.startswith("//") or not parts.path:
        return None
    path = unquote(parts.path)
    base = site if path.startswith("/") else page_file.parent
    target = (base / path.lstrip("/")).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target


def site_path(site: Path, target: Path) -> str:
    """A file of the site as a path from the site root, e.g. drivers/coaching.html."""
    return target.resolve().relative_to(site.resolve()).as_posix()


# --- the rubric as data ---------------------------------------------------------------------


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def driver_files(rubric: Path = RUBRIC) -> list[Path]:
    return sorted((rubric / "drivers").glob("*.yaml"))


def driver_data(rubric: Path = RUBRIC) -> dict[str, dict]:
    """Every driver file, by id, as plain YAML."""
    return {data["id"]: data for data in map(load_yaml, driver_files(rubric))}


def categories_data(rubric: Path = RUBRIC) -> list[dict]:
    return load_yaml(rubric / "toolkit.yaml")["categories"]


def references_data(rubric: Path = RUBRIC) -> dict[str, dict]:
    return {item["key"]: item for item in load_yaml(rubric / "references.yaml")["references"]}


def expected_rule(criteria: dict) -> str:
    """How a criteria rule reads on the page (the README: `all`, or `at_least` a count)."""
    total = len(criteria["items"])
    if criteria.get("examples"):
        return f"At least {criteria['count']} of these or others like them"
    if criteria["rule"] == "all":
        return "All of the following"
    if criteria["count"] == total:
        return f"All {total} of these"
    return f"At least {criteria['count']} of these {total}"


# --- a local HTTP server --------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@contextlib.contextmanager
def serve_directory(directory: Path):
    """Serve `directory` on 127.0.0.1 at a free port; yields the base URL (ending in /)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
