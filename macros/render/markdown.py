"""Markdown from the rubric to HTML, the same for the site and the PDFs, and without its risks.

Text in the YAML is content, never code: raw HTML shows as text, and images or links that
point outside the project are not embedded (the site) or fetched (WeasyPrint).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

SAFE_LINK_SCHEMES = {"http", "https", "mailto"}
# The Markdown the rubric's text may use, in MkDocs' order (its built-ins toc, tables and
# fenced_code first). mkdocs.yml lists its own for the hand-written pages in content/.
EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "admonition", "def_list"]
EXTENSION_CONFIGS = {"toc": {"permalink": True}}


class _NoRawHtml(Extension):
    """Raw HTML in content becomes literal text; outside images and file: links become text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.deregister("entity")
        md.treeprocessors.register(_OutsideResources(md), "outside_resources", 1)


class _OutsideResources(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    # Never load a picture from content: show its alt text instead.
                    span = etree.Element("span")
                    span.text = child.get("alt") or ""
                    span.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, span)
                elif child.tag == "a" and not _is_safe_link(child.get("href", "")):
                    child.tag = "span"
                    child.attrib.clear()


def _is_safe_link(href: str) -> bool:
    scheme = urlsplit(href).scheme.lower()
    return scheme in SAFE_LINK_SCHEMES or (not scheme and not href.startswith("//"))


class MarkdownRenderer:
    """Renders rubric text with the content's Markdown extensions (EXTENSIONS)."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=[*EXTENSIONS, _NoRawHtml()], extension_configs=EXTENSION_CONFIGS
        )

    def block(self, text: str) -> Markup:
        self._md.reset()
        return Markup(self._md.convert(text))

    def inline(self, text: str) -> Markup:
        """One paragraph without its <p>, for headings, list items and table cells."""
        rendered = str(self.block(text))
        paragraphs = re.findall(r"<p>(.*?)</p>", rendered, flags=re.S)
        if paragraphs and re.fullmatch(r"(\s*<p>.*?</p>)+\s*", rendered, flags=re.S):
            return Markup(" ".join(paragraphs))  # one line, even if the text had blank lines
        return Markup(rendered)


def markdown_escape(text: str) -> Markup:
    """Text for a Markdown heading that must read literally (HTML and Markdown both escaped)."""
    return Markup(re.sub(r"([\\`*_{}\[\]()#+\-.!|>])", r"\\\1", html.escape(text, quote=False)))


_PLAIN = markdown.Markdown(extensions=[_NoRawHtml()])


def plain(text: str) -> str:
    """Markdown reduced to plain text, for titles, metadata and form field names."""
    _PLAIN.reset()
    rendered = _PLAIN.convert(text)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
