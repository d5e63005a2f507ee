"""The site's Content-Security-Policy: scripts, styles, images and fonts from its own files only.

The theme (overrides/main.html) writes UNSEALED, the policy without hashes, first in every
page's <head>, so no page is ever without one; after the build, `seal(site_dir, template_dirs)`
adds the hashes of the inline scripts the theme's templates wrote (mkdocs-material's
`__md_scope` setup and its hash-target snippet), computed from the built pages: only scripts
whose code is one the templates hold. Under `mkdocs serve` the server sends the same policy as
a header, with the hash of its live-reload script (macros/site/serving.py).
Content can then neither run script nor reach another host, even through a case the sanitizer
missed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

# One line, the same on every page. 'self' also covers file:// pages (their own folder's files).
POLICY = (
    "default-src 'none'; script-src 'self'{hashes}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; frame-src 'self'; "
    "manifest-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"
)
UNSEALED = POLICY.format(hashes="")  # no quote marks or ampersands: fits an attribute as is
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<code>.*?)</script>", re.S | re.I)
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)  # the theme writes them bare


def source(code: str) -> str:
    """The CSP source that allows one inline script."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(code.encode('utf-8')).digest()).decode()}'"


def _inline_scripts(page: str) -> list[str]:
    """The code of a page's inline scripts (JSON data blocks do not run)."""
    found = []
    for script in _INLINE_SCRIPT.finditer(page):
        attrs = script["attrs"]
        if "src=" in attrs or re.search(r'type="(?!text/javascript|module)', attrs):
            continue
        found.append(script["code"])
    return found


def inline_hashes(page: str) -> set[str]:
    """CSP sources for all the inline scripts of one page."""
    return {source(code) for code in _inline_scripts(page)}


def template_scripts(template_dirs: Iterable[str | Path]) -> list[re.Pattern[str]]:
    """The inline scripts the theme's and the project's templates write, as patterns: a
    template expression (`{{ base_url }}`) stands for any text without quotes or markup."""
    patterns = []
    for folder in template_dirs:
        for file in sorted(Path(folder).rglob("*.html")):
            for code in _TEMPLATE_SCRIPT.findall(file.read_text(encoding="utf-8")):
                parts = re.split(r"\{\{.*?\}\}", code, flags=re.S)
                patterns.append(re.compile("[^\"'<>\\\\]*".join(map(re.escape, parts))))
    return patterns


def site_hashes(site_dir: Path, template_dirs: Iterable[str | Path]) -> list[str]:
    """CSP sources for the inline scripts of the site's pages that its templates wrote: a script
    from anywhere else (content the sanitizer missed) stays unhashed, so it never runs."""
    patterns = template_scripts(template_dirs)
    found = {
        source(code)
        for page in Path(site_dir).rglob("*.html")
        for code in _inline_scripts(page.read_text(encoding="utf-8"))
        if any(pattern.fullmatch(code) for pattern in patterns)
    }
    return sorted(found)


def sealed(hashes: Iterable[str]) -> str:
    return POLICY.format(hashes="".join(f" {h}" for h in hashes))


def seal(site_dir: Path, template_dirs: Iterable[str | Path]) -> int:
    """Put the hashes of the templates' inline scripts into every page's policy; pages changed."""
    unsealed = f'content="{UNSEALED}"'
    policy = f'content="{sealed(site_hashes(site_dir, template_dirs))}"'
    changed = 0
    for page in sorted(Path(site_dir).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if unsealed in text:
            page.write_text(text.replace(unsealed, policy, 1), encoding="utf-8")
            changed += 1
    return changed
