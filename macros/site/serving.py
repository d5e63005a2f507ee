"""What `mkdocs serve` adds to the pages it sends: the site's Content-Security-Policy, as a
header, and a check of the Host a request names.

The built site carries its policy in a <meta> element; under serve the live-reload script that
MkDocs appends to every page changes with each request, so the policy goes in a header that also
holds that script's hash. A request naming another host (a page of another site that had its
name resolve to this machine, DNS rebinding) is refused, so no other site can read the preview.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable, Iterable
from typing import Any

from mkdocs.livereload import LiveReloadServer

from . import csp

ANY_ADDRESS = ("0.0.0.0", "::", "")


def allowed_host(host: str, served: str, port: int) -> bool:
    """Whether a request's Host names this server: its own address, localhost or a loopback
    address, or any address literal when it listens on all of them (never another name)."""
    name, _, given = host.rpartition(":")
    if given != str(port):
        return False
    name = name.strip("[]").lower()
    if name in (served.strip("[]").lower(), "localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or served in ANY_ADDRESS


def guard(
    server: LiveReloadServer, host: str, port: int, hashes: Callable[[], Iterable[str]]
) -> None:
    """Wrap the server's application: refuse an unexpected Host, send the policy with the
    theme's script hashes (`hashes()`, of the last build) and the live-reload script's."""
    app = server.get_app()
    if app is None:
        raise RuntimeError("MkDocs has not set the server's application yet")
    inject = server._inject_js_into_html
    added = threading.local()  # the live-reload script of the request this thread answers

    def injecting(content: bytes, epoch: int) -> bytes:
        result = inject(content, epoch)
        end = content.rfind(b"</body>")
        end = len(content) if end < 0 else end
        added.script = result[end + len(b"<script>") : end + len(result) - len(content) - 9]
        return result

    def guarded(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if not allowed_host(environ.get("HTTP_HOST", ""), host, port):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"This server answers only requests for its own address.\n"]
        added.script = None

        def starting(status: str, headers: Any, exc_info: Any = None) -> Any:
            if any(k.lower() == "content-type" and v.startswith("text/html") for k, v in headers):
                reload = [csp.source(added.script.decode())] if added.script else []
                headers = [*headers, ("Content-Security-Policy", csp.sealed([*hashes(), *reload]))]
            return start_response(status, headers, exc_info)

        return app(environ, starting)

    server._inject_js_into_html = injecting  # type: ignore[method-assign]
    server.set_app(guarded)
