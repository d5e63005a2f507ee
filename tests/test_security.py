"""Content cannot run script or reach the network: the sanitizer every content fragment passes
through (site and PDFs share it), whatever Markdown's attr_list or an entity tries."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from conftest import run_build

from macros.render.environment import make_environment
from macros.render.markdown import MarkdownRenderer
from macros.site import csp

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


# --- the Content-Security-Policy of the built site ----------------------------------------------

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def policy_of(page: str) -> dict[str, list[str]]:
    (content,) = CSP_META.findall(page)
    return {
        name: values
        for name, *values in (part.split() for part in content.split(";") if part.strip())
    }


def test_every_page_has_the_policy_before_any_script(built_site):
    for file in sorted(built_site.rglob("*.html")):
        page = file.read_text(encoding="utf-8")
        assert len(CSP_META.findall(page)) == 1, file
        assert CSP_META.search(page).start() < page.index("<script"), file


def test_policy_allows_only_the_sites_own_files(built_site):
    policy = policy_of((built_site / "drivers" / "coaching.html").read_text(encoding="utf-8"))
    assert policy["default-src"] == ["'none'"]
    for directive in ("style-src", "font-src", "connect-src", "worker-src", "frame-src"):
        assert policy[directive] == ["'self'"], directive
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["script-src"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in policy["script-src"][1:])
    assert policy["base-uri"] == policy["form-action"] == policy["object-src"] == ["'none'"]


def test_every_inline_script_is_allowed_by_its_hash_and_nothing_else_is(built_site):
    for file in sorted(built_site.rglob("*.html")):
        page = file.read_text(encoding="utf-8")
        allowed = set(policy_of(page)["script-src"][1:])
        assert csp.inline_hashes(page) <= allowed, file
        assert csp.inline_hashes(page), f"{file}: the theme's inline scripts were not found"


def test_plain_mkdocs_build_seals_the_policy_too(tmp_path, project_root):
    """The hashes come from a hook, so `mkdocs build` alone gives a working policy too."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
        cwd=project_root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOOLKIT_PDF_DIR": str(tmp_path / "none")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert csp.inline_hashes(page) <= set(policy_of(page)["script-src"])
    assert csp.UNSEALED not in page


# --- workshop options: named errors, nothing built ----------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--drivers", ","], "error: --drivers: name at least one driver id"),
        (["--program", os.fsdecode(b"Home \xff visiting")], "error: --program: is not valid UTF-8"),
        (
            ["--organization", "x" * 101],
            "error: --organization: is 101 characters long; at most 100",
        ),
        (["--date", "2026\n12"], "error: --date: contains a control character"),
    ],
    ids=["no-drivers", "not-utf8", "too-long", "control-character"],
)
def test_bad_workshop_options_are_named_and_build_nothing(tmp_path, args, message):
    out = tmp_path / "out"
    result = run_build(*args, "--paper", "a4", "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_the_longest_allowed_workshop_value_is_accepted(tmp_path):
    from macros.catalogue import WORKSHOP_MAX, Workshop

    assert Workshop(program="x" * WORKSHOP_MAX).problems() == []


# --- a broken schema file (the package's own) is reported at its place -------------------------


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            '{\n  "type": "object",\n  not json\n}\n',
            "driver.schema.json:3:3: (schema): not valid JSON",
        ),
        ('{"type": 5}\n', "driver.schema.json:1:1: (schema): not a valid JSON Schema"),
    ],
    ids=["not-json", "not-a-schema"],
)
def test_a_broken_schema_file_is_named_with_its_line(tmp_path, monkeypatch, content, expected):
    from helpers import copy_rubric

    from macros.errors import RubricError
    from macros.project import SCHEMAS
    from macros.source import load

    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    (schemas / "driver.schema.json").write_text(content, encoding="utf-8")
    monkeypatch.setattr(load, "SCHEMAS", schemas)
    load._validator.cache_clear()
    try:
        with pytest.raises(RubricError) as raised:
            load.load_rubric(copy_rubric(tmp_path), shown_from=tmp_path)
    finally:
        load._validator.cache_clear()
    assert [str(p) for p in raised.value.problems if "(schema)" in str(p)] == [
        str(p) for p in raised.value.problems
    ]
    assert any(str(p).startswith("schemas/" + expected) for p in raised.value.problems), [
        str(p) for p in raised.value.problems
    ]
