"""Content cannot run script or reach the network: the sanitizer every content fragment passes
through (site and PDFs share it), whatever Markdown's attr_list or an entity tries."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURE_RUBRIC, PROJECT_ROOT, run_cli
from helpers import SMALL, seeded_cache, small_site

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
    # A title becomes live HTML (the theme's tooltips copy it into innerHTML).
    "link title": '[guide](https://example.org "<meta http-equiv=refresh content=0;url=/x>")',
    "title attribute": 'x\n{: title="<img src=x onerror=alert(1)>" }',
    "theme class": "x\n{: .md-typeset .md-header }",
    "page class": "*x*{: .tk-plan-list }",
    "protocol-relative link": "[x](//127.0.0.1:9/x)",
    "backslash host link": "[x](\\\\\\\\127.0.0.1\\\\share)",
    "slash-backslash host link": "[x](/\\\\127.0.0.1/x)",
    "deep quotes": "> " * 150 + "lost",
    "deep quotes that lose text": "> " * 100 + "lost",
}
PAGE_IDS = ["__config", "tk-assess-data", "header-program", "plan-next-assessment", "__search"]


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
    from macros.render.sanitize import CLASSES

    for render in filters:
        for tag, name, value in Attributes(str(render(text))).found:
            assert not name.startswith("on"), (tag, name, value)
            assert name not in ("style", "srcdoc", "formaction", "src", "title"), (tag, name)
            if name == "href":
                scheme = value.split(":", 1)[0].lower() if ":" in value else ""
                assert scheme in ("", "http", "https", "mailto"), value
                assert not "".join(value.split()).replace("\\", "/").startswith("//"), value
            if name == "class":
                assert set(value.split()) <= CLASSES.get(tag, set()), (tag, value)


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
        "Text with an id\n{: #part }",
        '!!! warning "Careful"\n    An admonition of another kind.',
        "## A heading\n\nIts permanent link has no title.",
        "<javascript:alert(1)> shows as the text it is (raw HTML and autolinks are off)",
    ],
)
def test_ordinary_markdown_passes_untouched(renderer, text):
    assert renderer.problems(text) == []


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_content_ids_cannot_take_the_pages_own(filters, page_id):
    """An id from content gets a prefix, so the theme (#__config) and the Assess page
    (#tk-assess-data, #header-program...) always find their own elements; links follow."""
    text = f"Settings\n{{: #{page_id} }}\n\nSee *them*{{: #{page_id} }} [here](#{page_id})."
    for render in filters:
        found = Attributes(str(render(text))).found
        ids = [value for _, name, value in found if name == "id"]
        assert ids, found
        assert all(value == f"user-content-{page_id}" for value in ids), found
        assert ("a", "href", f"#user-content-{page_id}") in found


def test_headings_in_content_link_to_their_prefixed_ids_without_a_title(renderer):
    html = str(renderer.block("## Intro\n\n[back](#intro), [there](other.html#intro)"))
    assert '<h2 id="user-content-intro">' in html
    assert '<a class="headerlink" href="#user-content-intro">' in html
    assert 'href="#user-content-intro">back' in html
    assert 'href="other.html#intro"' in html  # another page's anchors are that page's own
    assert "title" not in html


@pytest.mark.parametrize(
    "href", ["//host/x", "\\\\host\\share", "/\\host/x", " \t//host/x", "\\/host"]
)
def test_links_to_another_host_are_not_relative(href):
    from macros.render.sanitize import clean, removed

    html = f'<a href="{href}">x</a>'
    assert clean(html) == "<a>x</a>"
    assert removed(html) == [
        f"the link target {href!r} is not allowed; use a relative, http(s) or mailto: link"
    ]


def test_deep_nesting_is_reported_before_it_breaks_a_renderer(renderer):
    assert renderer.problems("> " * 15 + "fine") == []  # 15 quotes and a paragraph
    assert renderer.problems("> " * 100 + "lost") == [
        "the text nests 101 levels deep (quotes, lists, admonitions); at most 16 are allowed"
    ]


def test_site_headings_made_of_rubric_text_get_their_id_from_the_template(fixture_toolkit):
    """MkDocs makes a heading's id from its text, so a driver named "__config" would take the
    theme's id: every heading of a generated page has an id the template gives it, or is text
    the template holds itself."""
    from macros.project import Project
    from macros.site.pages import PAGES, SitePages

    pages = SitePages(fixture_toolkit, MarkdownRenderer())
    written = "".join(path.read_text("utf-8") for path in (Project.templates / "site").glob("*.j2"))
    texts = [pages.page(name) for name in PAGES]
    texts += [pages.driver_page(driver) for driver in fixture_toolkit.drivers]
    headings = [line for text in texts for line in text.splitlines() if line.startswith("#")]
    assert len(headings) > 20
    for line in headings:
        assert re.search(r" \{ #[a-z0-9-]+ \}$", line) or line.lstrip("# ") in written, line


def test_table_alignment_survives_without_style(renderer):
    html = str(renderer.block("| a | b |\n|:--|--:|\n| 1 | 2 |"))
    assert '<th align="left">a</th>' in html
    assert '<td align="right">2</td>' in html
    assert "style" not in html


# --- the Content-Security-Policy of the built site ----------------------------------------------

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def policy_of(page: str) -> dict[str, list[str]]:
    (content,) = CSP_META.findall(page)
    return {
        name: values
        for name, *values in (part.split() for part in content.split(";") if part.strip())
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A built site: the fixture rubric's (every kind of page, few of each), shared."""
    return small_site(tmp_path_factory)


def test_every_page_has_the_policy_before_any_script(site):
    for file in sorted(site.rglob("*.html")):
        page = file.read_text(encoding="utf-8")
        assert len(CSP_META.findall(page)) == 1, file
        assert CSP_META.search(page).start() < page.index("<script"), file


def test_policy_allows_only_the_sites_own_files(site):
    policy = policy_of((site / "drivers" / "mentoring.html").read_text(encoding="utf-8"))
    assert policy["default-src"] == ["'none'"]
    for directive in ("style-src", "font-src", "connect-src", "worker-src", "frame-src"):
        assert policy[directive] == ["'self'"], directive
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["script-src"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in policy["script-src"][1:])
    assert policy["base-uri"] == policy["form-action"] == policy["object-src"] == ["'none'"]


def test_every_inline_script_is_allowed_by_its_hash_and_nothing_else_is(site):
    for file in sorted(site.rglob("*.html")):
        page = file.read_text(encoding="utf-8")
        allowed = set(policy_of(page)["script-src"][1:])
        assert csp.inline_hashes(page) <= allowed, file
        assert csp.inline_hashes(page), f"{file}: the theme's inline scripts were not found"


def test_the_seal_allows_only_the_scripts_the_templates_write(tmp_path):
    """A script that slipped into a page (past the sanitizer) gets no hash, so it never runs;
    the theme's, whatever its template expressions gave, does."""
    theme = tmp_path / "theme" / "partials"
    theme.mkdir(parents=True)
    (theme / "base.html").write_text('<script>var base="{{ base_url }}"</script>', "utf-8")
    site = tmp_path / "site"
    site.mkdir()
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp.UNSEALED}">'
    page = f'{meta}<script>var base=".."</script><p><script>alert(1)</script></p>'
    (site / "page.html").write_text(page, encoding="utf-8")
    assert csp.seal(site, [tmp_path / "theme"]) == 1
    allowed = policy_of((site / "page.html").read_text(encoding="utf-8"))["script-src"]
    assert allowed == ["'self'", csp.source('var base=".."')]


def test_plain_mkdocs_build_seals_the_policy_too(tmp_path, project_root):
    """The hashes come from a hook, so `mkdocs build` alone gives a working policy too."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "TOOLKIT_RUBRIC": str(FIXTURE_RUBRIC),
    }
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
        cwd=project_root,
        env=env,
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
    ("args", "message"),
    [
        (["--drivers", ","], "argument --drivers: name at least one driver id"),
        (
            ["--program", os.fsdecode(b"Home \xff visiting")],
            "argument --program: is not valid UTF-8 text; check the terminal's encoding",
        ),
        (
            ["--organization", "x" * 101],
            "argument --organization: is 101 characters long; at most 100 fit in the forms' header",
        ),
        (
            ["--date", "2026\n12"],
            "argument --date: contains a control character (a line break or tab?)",
        ),
        (["--edition", " !! "], "argument --edition: needs at least one letter or digit"),
        (
            ["--assessment", "team.json", "--date", "2026-12-01"],
            "argument --date: not allowed with argument --assessment",
        ),
        (
            ["--assessment", "team.json", "--site"],
            "argument --site: not allowed with argument --assessment",
        ),
    ],
    ids=[
        "no-drivers",
        "not-utf8",
        "too-long",
        "control-character",
        "edition-without-letters",
        "assessment-with-workshop",
        "assessment-with-site",
    ],
)
def test_bad_options_are_named_and_build_nothing(tmp_path, args, message):
    out = tmp_path / "out"
    result = run_cli(*args, "--paper", "a4", "--rubric", str(FIXTURE_RUBRIC), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == f"build_pdf.py: error: {message}"
    assert result.stderr.startswith("usage: build_pdf.py")
    assert not out.exists()


def test_the_longest_allowed_workshop_value_is_accepted():
    from macros.catalogue import WORKSHOP_MAX

    longest = [(f"--{name}", "x" * most) for name, most in WORKSHOP_MAX.items()]
    result = run_cli("--check", "--rubric", str(FIXTURE_RUBRIC), *sum(longest, ()))
    assert result.returncode == 0, result.stderr
    result = run_cli("--check", "--rubric", str(FIXTURE_RUBRIC), "--date", "x" * 41)
    assert result.stderr.splitlines()[-1] == (
        "build_pdf.py: error: argument --date: is 41 characters long; "
        "at most 40 fit in the forms' header"
    )


# --- a broken schema file (the package's own) is reported at its place -------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{\n  "type": "object",\n  not json\n}\n',
            "driver.schema.json:3:3: (schema): not valid JSON",
        ),
        ('{"type": 5}\n', "driver.schema.json:1:1: (schema): not a valid JSON Schema"),
    ],
    ids=["not-json", "not-a-schema"],
)
def test_a_broken_schema_file_is_named_with_its_line(
    tmp_path, fixture_rubric_copy, monkeypatch, content, expected
):
    from macros.errors import RubricError
    from macros.project import Project
    from macros.source import load, validating

    schemas = tmp_path / "schemas"
    shutil.copytree(Project.schemas, schemas)
    (schemas / "driver.schema.json").write_text(content, encoding="utf-8")
    monkeypatch.setattr(Project, "schemas", schemas)
    validating.schema_validator.cache_clear()
    try:
        with pytest.raises(RubricError) as raised:
            load.load_rubric(fixture_rubric_copy, shown_from=tmp_path)
    finally:
        validating.schema_validator.cache_clear()
    assert [str(p) for p in raised.value.problems if "(schema)" in str(p)] == [
        str(p) for p in raised.value.problems
    ]
    assert any(str(p).startswith("schemas/" + expected) for p in raised.value.problems), [
        str(p) for p in raised.value.problems
    ]


# --- --out: what a build replaces, modes, killed builds -----------------------------------------


def small_build(out: Path, *extra: str, rubric: Path = FIXTURE_RUBRIC):
    """A quick build in this process, Mentoring on A4, rendering there too (--jobs 1: forking
    a test process that runs threads is unsafe)."""
    options = ("--paper", "a4", "--drivers", "mentoring", "--rubric", str(rubric), "--jobs", "1")
    return run_cli(*options, "--out", str(out), *extra)


def test_out_refuses_a_folder_with_a_manifest_but_no_marker(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    (out / "precious.txt").write_text("years of work", encoding="utf-8")
    result = small_build(out)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {out} exists and is not a previous build's output (it has no .build-stamp "
        "marker); choose another --out or remove it\n"
    )
    assert sorted(path.name for path in out.iterdir()) == ["manifest.json", "precious.txt"]


@pytest.mark.parametrize("kind", ["file", "fifo", "device-link", "folder-link"])
def test_out_refuses_anything_but_a_folder_and_never_follows_a_link(site, tmp_path, kind):
    out = tmp_path / "out"
    built = tmp_path / "built"
    if kind == "file":
        out.write_text("notes", encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(out)
    elif kind == "device-link":
        out.symlink_to("/dev/null")
    else:  # a link to a real previous build: its target is not replaced either
        shutil.copytree(site / "pdf", built)
        out.symlink_to(built)
    before = sorted(path.name for path in built.iterdir()) if built.exists() else None
    result = small_build(out)
    assert result.returncode == 1, result.stdout
    if kind.endswith("link"):
        message = f"error: {out} is a symbolic link; the build never replaces its target\n"
    else:
        message = f"error: {out} exists and is not a folder; choose another --out\n"
    assert result.stderr == message
    assert os.path.lexists(out)
    assert not (out.is_dir() and not out.is_symlink())
    if before is not None:
        assert sorted(path.name for path in built.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out-")] == []


def test_a_previous_build_is_replaced_and_marked(tmp_path):
    """The second build reads a changed rubric (a comment: the same PDFs, from the cache), so it
    runs, and replaces the first one's folder."""
    rubric = Path(shutil.copytree(FIXTURE_RUBRIC, tmp_path / "rubric"))
    out = tmp_path / "out"
    assert small_build(out, rubric=rubric).returncode == 0
    marker = (out / ".build-stamp").read_text(encoding="utf-8").splitlines()
    assert marker[0] == "implementation-toolkit build output"
    with open(rubric / "toolkit.yaml", "a", encoding="utf-8") as toolkit:
        toolkit.write("# edited\n")
    result = small_build(out, rubric=rubric)
    assert result.returncode == 0, result.stderr
    again = (out / ".build-stamp").read_text(encoding="utf-8").splitlines()
    assert again[0] == marker[0]
    assert again[1] != marker[1]


def test_a_pdf_build_may_replace_the_pdf_folder_of_a_site_build(site, tmp_path):
    copy = Path(shutil.copytree(site, tmp_path / "site"))
    result = small_build(copy / "pdf")
    assert result.returncode == 0, result.stderr
    assert "Up to date" not in result.stdout  # it was replaced, by a build with its own marker
    marker = (copy / "pdf" / ".build-stamp").read_text(encoding="utf-8").splitlines()
    assert marker[0] == "implementation-toolkit build output"
    assert marker[1]


def test_an_unchanged_build_proves_its_output_whole(site, tmp_path):
    """The marker lists every file with its size and sha256 (a site's pages and zip too): a
    build with unchanged inputs is up to date only while its output is, and builds again once
    a PDF is gone or cut short, or the manifest is gone."""
    listed = (site / ".build-stamp").read_text(encoding="utf-8")
    for name in ("assess.html", "implementation-toolkit-site.zip", "pdf/manifest.json"):
        assert re.search(rf"^[0-9a-f]{{64}} [0-9]+ {re.escape(name)}$", listed, re.M), name
    out = tmp_path / "out"
    assert small_build(out).returncode == 0
    assert small_build(out).stdout.startswith("Up to date")
    built = {path.name: digest(path) for path in out.iterdir()}
    pdfs = sorted(out.glob("*.pdf"))
    pdfs[0].unlink()
    pdfs[1].write_bytes(pdfs[1].read_bytes()[:100])
    (out / "manifest.json").unlink()
    result = small_build(out)
    assert result.returncode == 0, result.stderr
    assert not result.stdout.startswith("Up to date"), result.stdout
    assert f"warning: files in {out} changed since it was built; building again" in result.stderr
    assert {path.name: digest(path) for path in out.iterdir()} == built
    assert small_build(out).stdout.startswith("Up to date")


def test_the_zip_ships_no_build_marker(site):
    """An unzipped copy is the user's: no --out may take its pdf/ folder for a build's."""
    import zipfile

    with zipfile.ZipFile(site / "implementation-toolkit-site.zip") as archive:
        names = archive.namelist()
    assert "implementation-toolkit/pdf/manifest.json" in names
    assert [name for name in names if name.endswith(".build-stamp")] == []


def test_output_gets_the_usual_modes(site):
    umask = os.umask(0o22)
    os.umask(umask)
    for path in [site, *site.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        expected = (0o777 if path.is_dir() else 0o666) & ~umask
        assert mode == expected, f"{path}: {oct(mode)}"


def test_leftovers_of_a_killed_build_are_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    marker = "implementation-toolkit build output\n\n"
    left = [tmp_path / f".out-new-{dead_pid}-x1abcdef", tmp_path / f".out-docs-{dead_pid}-x2_bcdef"]
    alive = tmp_path / f".out-new-{os.getppid()}-x3abcdef"  # a build still running: left alone
    users = [  # named alike, but not made by a build: never taken for leftovers
        tmp_path / ".out-old-2023-12-01-backup",
        tmp_path / f".out-old-{dead_pid}-notmine1",  # no marker
    ]
    for folder in [*left, alive, *users]:
        folder.mkdir()
        (folder / "half.pdf").write_bytes(b"%PDF")
        if folder not in users:
            (folder / ".build-stamp").write_text(marker, encoding="utf-8")
    assert small_build(out).returncode == 0
    assert not any(folder.exists() for folder in left)
    assert alive.exists()
    assert all((folder / "half.pdf").exists() for folder in users)


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found.update(int(child) for child in text.split())
    return found


def test_killing_the_build_ends_its_renderers(tmp_path):
    """An empty cache of its own, so the build starts renderers."""
    command = [sys.executable, str(PROJECT_ROOT / "build_pdf.py"), *SMALL, "--jobs", "2"]
    process = subprocess.Popen(
        [*command, "--out", str(tmp_path / "out")],
        env={**os.environ, "TOOLKIT_CACHE": str(tmp_path / "cache")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            workers = children(process.pid)
            time.sleep(0.1)
        assert len(workers) >= 2, "the build never started its renderers"
        process.kill()
        process.wait(timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.1)
        alive = [w for w in workers if Path(f"/proc/{w}").exists()]
        assert alive == [], "renderers outlived the killed build"
    finally:
        if process.poll() is None:
            process.kill()


# --- the cache ships only what verifies; fonts are the ones asked for ----------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def small_plan(cache: Path, tmp_path: Path):
    """The small build's printables with their cache keys, on `cache` (a seeded cache may also
    hold the same PDFs under the keys of older code)."""
    from macros.catalogue import Paper, Workshop, catalogue
    from macros.pdf.build import PdfPlan
    from macros.project import Project
    from macros.source.load import load_rubric

    toolkit = load_rubric(FIXTURE_RUBRIC, shown_from=tmp_path)
    printables = catalogue(toolkit, papers=(Paper.A4,), drivers=("mentoring",), workshop=Workshop())
    return PdfPlan(Project.at(PROJECT_ROOT), toolkit, MarkdownRenderer(), printables, cache / "pdf")


def test_damaged_cache_entries_are_rendered_again_and_reported_once(site, tmp_path, monkeypatch):
    """Two of the small build's 20 cache entries cut short: those two are rendered again."""
    from pypdf import PdfReader

    cache = seeded_cache(tmp_path / "cache", site / "pdf")
    names = {digest(pdf): pdf.name for pdf in (site / "pdf").glob("*.pdf")}
    damaged = sorted(names.values())[:2]
    for entry in (cache / "pdf").glob("*.pdf"):  # every key they are cached under
        if names[digest(entry)] in damaged:
            entry.write_bytes(entry.read_bytes()[:100])
    monkeypatch.setenv("TOOLKIT_CACHE", str(cache))
    result = small_build(tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("20 PDFs (2 rendered, 18 unchanged), "), result.stdout
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    order = [item["file"] for item in manifest["printables"]]
    warning = "warning: 2 cached PDF(s) were damaged and were rendered again: " + ", ".join(
        sorted(damaged, key=order.index)
    )
    assert warning in result.stderr.splitlines(), result.stderr
    assert result.stderr.count("damaged") == 1
    for item in manifest["printables"]:
        assert len(PdfReader(tmp_path / "out" / item["file"]).pages) == item["pages"]
    again = small_build(tmp_path / "again")
    assert again.returncode == 0
    assert "damaged" not in again.stderr
    assert "(0 rendered" in again.stdout


def test_a_cache_entry_is_bound_to_its_key(site, tmp_path):
    """Two entries swapped whole (PDF and record): neither is taken for the other's printable,
    so the build renders them again; the others are used as they are."""
    cache = seeded_cache(tmp_path / "cache", site / "pdf")
    plan = small_plan(cache, tmp_path)
    swapped = sorted(plan.printables, key=lambda p: plan.keys[p.filename])[:2]
    first, second = (cache / "pdf" / plan.keys[p.filename] for p in swapped)
    for suffix in (".json", ".pdf"):
        a, b = first.with_suffix(suffix), second.with_suffix(suffix)
        a.rename(tmp_path / "swap")
        b.rename(a)
        (tmp_path / "swap").rename(b)
    assert {p.filename for p in plan.missing()} == {p.filename for p in swapped}
    for printable in [p for p in plan.printables if p not in swapped]:
        entry = plan.cached(printable)
        assert entry is not None
        assert entry[0] == (site / "pdf" / printable.filename).read_bytes()


def build_process(out: Path, cache: Path, *extra: str, **environ: str):
    """The small build in a process of its own, with its own cache."""
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "build_pdf.py"), *SMALL, "--out", str(out), *extra],
        env={**os.environ, "TOOLKIT_CACHE": str(cache), **environ},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_damaged_form_font_is_made_again(site, tmp_path):
    """A separate process: the check of a damaged font leaves a file open (a ResourceWarning
    pytest turns into an error)."""
    from macros.pdf.fonts import form_font

    cache = seeded_cache(tmp_path / "cache", site / "pdf")
    font = form_font(cache / "fonts")  # the one the small build's fields use
    font.write_bytes(b"garbage")
    result = build_process(tmp_path / "out", cache)
    assert result.returncode == 0, result.stderr
    assert font.read_bytes()[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true")
    fillable = tmp_path / "out" / "checklist-mentoring-fillable-a4.pdf"
    assert fillable.stat().st_size < 150_000


def test_a_substituted_font_is_an_error_naming_it(site, tmp_path):
    """DejaVu Sans hidden from fontconfig, another font in its place: no PDF is set in it.

    A separate process: fontconfig reads FONTCONFIG_FILE once, when a process first uses it."""
    from fontTools.ttLib import TTFont

    from macros.pdf.fonts import source_font

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    with TTFont(source_font()) as font:
        for record in font["name"].names:
            if record.nameID in (1, 4, 16):
                record.string = "Substitute Sans"
            elif record.nameID == 6:
                record.string = "SubstituteSans"
        font.save(fonts / "substitute.ttf")
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{fonts}</dir>'
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    cache = seeded_cache(tmp_path / "cache", site / "pdf")
    out = tmp_path / "out"
    # One renderer, in the build's own process: the first PDF fails, no worker to start.
    result = build_process(out, cache, "--jobs", "1", FONTCONFIG_FILE=str(config))
    assert result.returncode == 1, result.stdout
    assert (
        "error: checklist-mentoring-print-a4.pdf: set in Substitute Sans instead of DejaVu Sans; "
        "the DejaVu Sans font is missing or hidden (Debian: fonts-dejavu-core)"
    ) in result.stderr.splitlines(), result.stderr
    assert not out.exists()


def test_no_font_at_all_is_an_error_not_pdfs_in_the_form_font(site, tmp_path):
    """fontconfig knows no font: WeasyPrint would set all the text in the form fields' font
    (the only one it is given), and the PDFs would still be written."""
    (tmp_path / "fonts").mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "fonts"}</dir>'
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    cache = seeded_cache(tmp_path / "cache", site / "pdf")
    out = tmp_path / "out"
    result = build_process(out, cache, "--jobs", "1", FONTCONFIG_FILE=str(config))
    assert result.returncode == 1, result.stdout
    assert (
        "error: checklist-mentoring-print-a4.pdf: set in Toolkit Form Sans instead of DejaVu Sans; "
        "the DejaVu Sans font is missing or hidden (Debian: fonts-dejavu-core)"
    ) in result.stderr.splitlines(), result.stderr
    assert not out.exists()
