"""One Jinja environment for the site and the PDFs, so both show a best practice the same way.

Templates are found by name under macros/render/templates/: `partials/` holds what both share
(a best practice, its criteria, a question), `pdf/` the printables and `site/` the site's pages.
"""

from __future__ import annotations

import functools

import jinja2

from .. import model
from ..assessment.fileformat import practices, rubric_data
from ..assessment.totals import also_check, suggestion
from ..project import TEMPLATES
from .markdown import MarkdownRenderer, markdown_escape, plain


def rule_words(criteria: model.Criteria) -> str:
    """How many criteria must hold, in plain words."""
    total = len(criteria.items)
    if criteria.examples:
        return f"At least {criteria.count} of these or others like them"
    if criteria.rule == "all" or criteria.count == total:
        return "All of the following"
    return f"At least {criteria.count} of these {total}"


class _InMemory:
    """The client MemcachedBytecodeCache expects (get and set), kept in this process."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def get(self, key: str) -> bytes:
        return self._compiled.get(key, b"")  # nothing: Jinja compiles the template

    def set(self, key: str, value: bytes, timeout: int | None = None) -> None:
        self._compiled[key] = value


# Templates compiled once per process, not once per build (a build, a serve rebuild, a test):
# Jinja checks each source's checksum, so an edited template is compiled again.
_COMPILED = jinja2.MemcachedBytecodeCache(_InMemory())


#: Chinese, Japanese and Korean: punctuation, kana, Han, Hangul, compatibility and wide forms.
CJK_RANGES = ((0x3000, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


def is_cjk(char: str) -> bool:
    code = ord(char)
    return code >= 0x20000 or any(low <= code <= high for low, high in CJK_RANGES)


def has_cjk(text: str) -> bool:
    """Whether a value needs the CJK form font (`is cjk` in the templates)."""
    return any(is_cjk(char) for char in text)


def make_environment(toolkit: model.Toolkit, markdown: MarkdownRenderer) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=_COMPILED,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(
        md=markdown.block,
        mdi=markdown.inline,
        md_escape=markdown_escape,
        plain=plain,
        rule_words=rule_words,
        also_check=lambda conditions: also_check([plain(text) for text in conditions]),
        drivers_of=toolkit.drivers_in,
    )
    environment.tests["cjk"] = has_cjk

    @functools.cache
    def assess_data() -> tuple[dict, dict]:
        data = rubric_data(toolkit)  # what the Assess page suggests from
        return data, practices(data)

    def suggested(practice: model.BestPractice, ticked) -> str:
        """What a saved assessment's ticks suggest, in the words of the Assess page."""
        data, by_id = assess_data()
        return suggestion(data, by_id[practice.id], list(ticked))["text"]

    environment.globals.update(toolkit=toolkit, suggestion=suggested)
    return environment
