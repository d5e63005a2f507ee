"""The site's Content-Security-Policy: scripts, styles, images and fonts from its own files only.

The theme (overrides/main.html) writes UNSEALED, the policy without hashes, first in every
page's <head>, so no page is ever without one; after the build, `seal(site_dir)` adds the
hashes of the inline scripts the theme wrote (mkdocs-material's `__md_scope` setup and its
hash-target snippet), computed from the built pages.
Content can then neither run script nor reach another host, even through a case the sanitizer
missed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

# One line, the same on every page. 'self' also covers file:// pages (their own folder's files).
POLICY = (
    "default-src 'none'; script-src 'self'{hashes}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; frame-src 'self'; "
    "manifest-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"
)
UNSEALED = POLICY.format(hashes="")  # no quote marks or ampersands: fits an attribute as is
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<code>.*?)</script>", re.S | re.I)


def inline_hashes(page: str) -> set[str]:
    """CSP sources for the inline scripts of one page (JSON data blocks do not run)."""
    found = set()
    for script in _INLINE_SCRIPT.finditer(page):
        attrs = script["attrs"]
        if "src=" in attrs or re.search(r'type="(?!text/javascript|module)', attrs):
            continue
        digest = hashlib.sha256(script["code"].encode("utf-8")).digest()
        found.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return found


def seal(site_dir: Path) -> int:
    """Put the hashes of all the site's inline scripts into every page's policy; pages changed."""
    pages = sorted(Path(site_dir).rglob("*.html"))
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    hashes = sorted(set().union(*(inline_hashes(text) for text in texts.values())))
    unsealed = f'content="{UNSEALED}"'
    sealed = f'content="{POLICY.format(hashes="".join(f" {h}" for h in hashes))}"'
    changed = 0
    for page, text in texts.items():
        if unsealed in text:
            page.write_text(text.replace(unsealed, sealed, 1), encoding="utf-8")
            changed += 1
    return changed
