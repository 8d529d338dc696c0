"""The app's static files, answered before Flask, from memory.

A phone's first join loads some twenty static files (stylesheets, the live page's ES
modules and their preloads), and revalidates them at every later page load (``no-cache``:
an ``ETag`` answered ``304``). Through Flask each cost as much as a small page: the signed
session cookie opened and, the session being permanent, signed and set again, the rate
limiter, the request hooks, the file read from disk. With ``diagnostic-server`` they were
about half of the server's CPU per join (docs/PERFORMANCE.md, issue 18).

This WSGI middleware answers a ``GET`` or ``HEAD`` for an existing file under the static
URL path itself: the bytes and headers of each file are built once and kept while its
modification time and size stay the same (``os.stat`` at each request, so an edited file
is served fresh), with the same caching as Flask's (``Cache-Control: no-cache`` and an
``ETag``, ``304`` when it matches) and the app's security headers
(``security_headers.static_headers``). Anything else (another method, a missing file, a
path outside the folder, a file over ``LARGEST_KEPT``) goes on to Flask, which answers as
before.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import threading
from collections.abc import Callable, Iterable
from email.utils import formatdate
from typing import Any

from werkzeug.security import safe_join

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
LARGEST_KEPT = 1024 * 1024  # bytes: a larger file is left to Flask (streamed from disk)


class StaticFile:
    """One file's answer: its validity key, body and headers."""

    __slots__ = ("key", "body", "etag", "headers")

    def __init__(self, path: str, stat: os.stat_result) -> None:
        with open(path, "rb") as handle:
            self.body = handle.read()
        self.key = (stat.st_mtime_ns, stat.st_size)
        self.etag = f'"{hashlib.sha256(self.body).hexdigest()[:32]}"'
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if kind.startswith(TEXT_TYPES):
            kind += "; charset=utf-8"
        self.headers = [("Content-Type", kind), ("ETag", self.etag),
                        ("Cache-Control", "no-cache"),
                        ("Last-Modified", formatdate(stat.st_mtime, usegmt=True))]


class StaticFiles:
    """Serve ``folder`` under ``prefix`` (e.g. ``/static/``) before ``wrapped``."""

    def __init__(self, wrapped: WSGIApp, folder: str, prefix: str,
                 headers: Callable[[dict[str, Any]], list[tuple[str, str]]]) -> None:
        self.wsgi_app, self.folder, self.prefix = wrapped, folder, prefix
        self.security_headers = headers
        self._files: dict[str, StaticFile] = {}
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or ""
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or not path.startswith(self.prefix):
            return self.wsgi_app(environ, start_response)
        found = self._file(path[len(self.prefix):])
        if found is None:
            return self.wsgi_app(environ, start_response)
        headers = found.headers + self.security_headers(environ)
        if _matches(environ.get("HTTP_IF_NONE_MATCH"), found.etag):
            start_response("304 Not Modified", headers)
            return []
        start_response("200 OK", [*headers, ("Content-Length", str(len(found.body)))])
        return [] if method == "HEAD" else [found.body]

    def _file(self, name: str) -> StaticFile | None:
        """The file ``name`` of the folder, read again if it changed; None if there is none."""
        path = safe_join(self.folder, name) if name else None
        try:
            stat = os.stat(path) if path else None
        except OSError:
            return None
        if stat is None or not os.path.isfile(path) or stat.st_size > LARGEST_KEPT:
            return None
        cached = self._files.get(name)
        if cached is not None and cached.key == (stat.st_mtime_ns, stat.st_size):
            return cached
        fresh = StaticFile(path, stat)
        with self._lock:
            self._files[name] = fresh
        return fresh


def _matches(header: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (or ``*``)."""
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def init_app(app) -> None:
    """Answer the app's static files right around Flask (installed before the live
    transport's middlewares, which then wrap it; they let a static ``GET`` through)."""
    from .security_headers import static_headers

    if not app.static_folder or not app.static_url_path:
        return
    app.wsgi_app = StaticFiles(app.wsgi_app, app.static_folder, app.static_url_path + "/",
                               lambda environ: static_headers(app, environ))
