"""Markdown from the rubric to HTML, the same for the site and the PDFs, and without its risks.

Text in the YAML is content, never code: raw HTML shows as text, pictures show as their alt
text (nothing is embedded or fetched), and every fragment passes through .sanitize.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .sanitize import clean, removed

# The Markdown the rubric's text may use, in MkDocs' order (its built-ins toc, tables and
# fenced_code first). mkdocs.yml lists its own for the hand-written pages in content/.
EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "admonition", "def_list"]
EXTENSION_CONFIGS: dict[str, dict[str, object]] = {
    "toc": {"permalink": True, "permalink_title": ""},  # content has no title (see .sanitize)
    "tables": {"use_align_attribute": True},  # content may not set style (see .sanitize)
}


class _NoRawHtml(Extension):
    """Raw HTML in content becomes literal text; pictures become their alt text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.deregister("entity")
        md.treeprocessors.register(_NoPictures(md), "no_pictures", 1)


class _NoPictures(Treeprocessor):
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


_CONTENT = markdown.Markdown(
    extensions=[*EXTENSIONS, _NoRawHtml()], extension_configs=EXTENSION_CONFIGS
)


@functools.lru_cache(maxsize=16384)
def _converted(text: str) -> str:
    """`text` as HTML, converted once per process: a build checks every text, then shows it on
    the site and in several printables."""
    _CONTENT.reset()
    return _CONTENT.convert(text)


class MarkdownRenderer:
    """Renders rubric text with the content's Markdown extensions (EXTENSIONS)."""

    def _html(self, text: str) -> str:
        return _converted(text)

    def block(self, text: str) -> Markup:
        return Markup(clean(self._html(text)))

    def problems(self, text: str) -> list[str]:
        """What the sanitizer would remove from `text`: markup content may not carry."""
        return removed(self._html(text))

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
