"""Content cannot run script or reach the network: the sanitizer every content fragment passes
through (site and PDFs share it), whatever Markdown's attr_list or an entity tries."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from macros.render.environment import make_environment
from macros.render.markdown import MarkdownRenderer

HOSTILE = {
    "handler on a paragraph": 'x\n{: tabindex="1" autofocus="autofocus" onfocus="alert(1)" }',
    "handler on a link": '[x](#){: onclick="alert(1)" }',
    "handler on emphasis": 'a *b*{: onmouseover="alert(1)" } c',
    "entity in the scheme": "[js](java&#x73;cript:alert(1))",
    "numeric entity in the scheme": "[js](&#106;avascript:alert(1))",
    "reference-style link": "[x][t]\n\n[t]: javascript:alert(1)",
    "style that fetches": 'p\n{: style="background-image:url(http://127.0.0.1:9/x)" }',
    "data URL": "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "file URL": "[f](file:///etc/passwd)",
    "srcdoc attribute": 'x\n{: srcdoc="<script>alert(1)</script>" }',
    "form action": 'x\n{: formaction="javascript:alert(1)" }',
}


class Attributes(HTMLParser):
    """Every attribute of a fragment, entities decoded as a browser decodes them."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.extend((tag, name, value or "") for name, value in attrs)


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


@pytest.fixture(scope="module")
def filters(renderer, toolkit):
    """The filters the site's pages and the PDFs render content with (one shared environment)."""
    environment = make_environment(toolkit, renderer)
    return environment.filters["md"], environment.filters["mdi"]


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_content_markup_cannot_carry_script_style_or_foreign_urls(filters, text):
    for render in filters:
        for tag, name, value in Attributes(str(render(text))).found:
            assert not name.startswith("on"), (tag, name, value)
            assert name not in ("style", "srcdoc", "formaction", "src"), (tag, name, value)
            if name == "href":
                scheme = value.split(":", 1)[0].lower() if ":" in value else ""
                assert scheme in ("", "http", "https", "mailto"), value


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_what_the_sanitizer_strips_is_reported(renderer, text):
    assert renderer.problems(text), "stripped silently: --check would not report it"


@pytest.mark.parametrize(
    "text",
    [
        "Plain *text* with a [relative link](other.html#part) and `code`.",
        "A [reference](https://nirn.fpg.unc.edu/) and [mail](mailto:team@example.org).",
        '!!! note "Note"\n    An admonition.',
        "| a | b |\n|:--|--:|\n| 1 | 2 |",
        "Term\n: Definition",
        "Text with an id\n{: #part .wide }",
        "<javascript:alert(1)> shows as the text it is (raw HTML and autolinks are off)",
    ],
)
def test_ordinary_markdown_passes_untouched(renderer, text):
    assert renderer.problems(text) == []


def test_table_alignment_survives_without_style(renderer):
    html = str(renderer.block("| a | b |\n|:--|--:|\n| 1 | 2 |"))
    assert '<th align="left">a</th>' in html and '<td align="right">2</td>' in html
    assert "style" not in html
