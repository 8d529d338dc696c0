"""WebSocket compression (permessage-deflate) is declined unless configured.

Every browser offers the permessage-deflate extension when it opens a WebSocket, and
simple-websocket (python-engineio's WebSocket server) accepts it whenever it is offered,
with a 32 KiB window and zlib's default memory level. Each connection then keeps its own
compressor and decompressor alive, and every frame of a room is compressed once per
client, for frames of a few hundred bytes: the memory and CPU this costs are measured in
docs/PERFORMANCE.md ("Transport optimisations: where they live"). The Socket.IO
reference server (engine.io) leaves the extension off by default for the same reasons.
HTTP long-polling responses keep python-engineio's gzip compression.

simple-websocket has no option for it, so the offer is hidden from the handshake: the
``Sec-WebSocket-Extensions`` header of a Socket.IO WebSocket request is dropped before
the request reaches it, and the connection is made without any extension, which the
WebSocket protocol allows. ``LIVE_WEBSOCKET_COMPRESSION=1`` keeps the offer (for a
deployment where bandwidth matters more than the server's memory and CPU).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

EXTENSIONS_HEADER = "HTTP_SEC_WEBSOCKET_EXTENSIONS"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class DeclineWebSocketCompression:
    """WSGI middleware: Socket.IO WebSocket handshakes under ``path`` get no extension."""

    def __init__(self, app: WSGIApp, path: str = "/socket.io") -> None:
        self.app = app
        self.path = "/" + path.strip("/")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        if EXTENSIONS_HEADER in environ:
            path = environ.get("PATH_INFO") or ""
            if path == self.path or path.startswith(self.path + "/"):
                del environ[EXTENSIONS_HEADER]
        return self.app(environ, start_response)
