"""Request bodies too large for their endpoint are refused before anything reads them.

python-engineio refuses a long-polling POST whose ``Content-Length`` exceeds
``max_http_buffer_size`` by raising ``ContentTooLongError`` in ``Socket.handle_post_request``;
the server then disconnects the session with ``Socket.close()``, whose default
``wait=True`` joins the session's outgoing queue: it waits for a long-polling GET to drain
it. A client that sent the oversized POST never polls, so the request never gets its
answer, and its thread (threading) or greenlet (gevent) and its descriptor stay held for
good. A few thousand such requests exhaust the server.

This WSGI middleware answers such a request itself, with ``413`` and ``Connection: close``,
before python-engineio (or Flask) sees it: a POST under the Socket.IO path may announce at
most ``max_http_buffer_size`` bytes, any other request ``MAX_CONTENT_LENGTH``. The
unread body is never read: the server closes the connection after the answer. A
``Content-Length`` that is not a number gets ``400``. Bodies sent without a length
(chunked) are bounded by Flask's ``MAX_CONTENT_LENGTH`` while it reads them and are never
read by python-engineio, which reads exactly ``CONTENT_LENGTH`` bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

LARGER_BODIES = "larger_bodies"
"""Key of ``app.extensions``: {path: largest body} for the pages that take more than
``MAX_CONTENT_LENGTH`` (the staff archive import), registered with their blueprint. A key
may be a compiled pattern, matched in full, for a path with a variable part (a
diagnostic's report identity, whose logo upload has its own limit)."""


class RefuseOversizedBodies:
    """WSGI middleware: 413 for a body announced larger than its endpoint accepts."""

    def __init__(self, app: WSGIApp, *, live_limit: int, page_limit: int | None,
                 path: str = "/socket.io",
                 larger: Mapping[str | re.Pattern[str], int] | None = None) -> None:
        self.app = app
        self.live_limit = live_limit
        self.page_limit = page_limit
        self.path = "/" + path.strip("/")
        larger = dict(larger or {})
        self.larger = {key: value for key, value in larger.items() if isinstance(key, str)}
        self.patterns = [(key, value) for key, value in larger.items()
                         if isinstance(key, re.Pattern)]

    def limit(self, environ: dict[str, Any]) -> int | None:
        """The largest body ``environ``'s endpoint accepts (None: no limit)."""
        path = environ.get("PATH_INFO") or ""
        if path == self.path or path.startswith(self.path + "/"):
            return self.live_limit
        if path in self.larger:
            return self.larger[path]
        for pattern, limit in self.patterns:
            if pattern.fullmatch(path):
                return limit
        return self.page_limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        announced = (environ.get("CONTENT_LENGTH") or "").strip()
        if announced:
            if not announced.isdigit():
                return _refuse(start_response, "400 Bad Request", INVALID_LENGTH)
            limit = self.limit(environ)
            if limit is not None and int(announced) > limit:
                return _refuse(start_response, "413 Request Entity Too Large", TOO_LARGE)
        return self.app(environ, start_response)


# Answered before the app (no language chosen yet): French first, then English.
TOO_LARGE = ("Envoi trop volumineux : ce que vous avez envoyé dépasse la taille acceptée.\n"
             "Request body too large.\n").encode()
INVALID_LENGTH = "Requête invalide (Content-Length).\nInvalid Content-Length.\n".encode()


def _refuse(start_response: Callable[..., Any], status: str, message: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(message))),
                            ("Connection", "close")])
    return [message]
