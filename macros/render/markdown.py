"""Markdown from the rubric to HTML, with the site's Markdown settings and none of its risks.

Text in the YAML is content, never code: raw HTML shows as text, and images or links that
point outside the project are not embedded (the site) or fetched (WeasyPrint).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import yaml
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

SAFE_LINK_SCHEMES = {"http", "https", "mailto"}


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
    """Renders rubric text with a given Markdown configuration (the one in mkdocs.yml)."""

    def __init__(self, extensions: list | None = None, configs: dict | None = None) -> None:
        self._md = markdown.Markdown(
            extensions=[*(extensions or []), _NoRawHtml()], extension_configs=configs or {}
        )

    @classmethod
    def from_config(cls, config_file: Path) -> MarkdownRenderer:
        """The Markdown settings of the site's config file (read as data, without MkDocs)."""
        config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
        extensions, configs = [], {}
        for entry in config.get("markdown_extensions") or []:
            name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
            extensions.append(name)
            if options:
                configs[name] = options
        return cls(extensions, configs)

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
