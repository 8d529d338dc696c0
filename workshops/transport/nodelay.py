"""Send small frames at once: TCP_NODELAY on every accepted connection.

A live workshop writes many small responses and frames: a page's headers, then its body;
an event, then the acknowledgement of the submission that caused it; the workshop state,
then the phone's own votes. With Nagle's algorithm on (the kernel default, which neither
gevent's ``pywsgi`` nor Werkzeug's server changes), a second small write waits until the
first one is acknowledged, which the receiving side may delay. WebSocket servers of every
stack (asyncio's transports, Tornado, uvicorn) turn the algorithm off; so do these
handlers, through the servers' documented options. What it changes for a phone's join is
measured in docs/PERFORMANCE.md ("Transport optimisations: where they live").
"""

from __future__ import annotations

import socket
from typing import Any


def no_delay(sock: Any) -> None:
    """Turn Nagle's algorithm off on a TCP socket (a Unix socket is left alone)."""
    if getattr(sock, "family", None) in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # the peer is already gone: the handler will find out
            pass


def server_options(async_mode: str) -> dict[str, Any]:
    """The server options that install a no-delay handler for ``async_mode``.

    gevent: ``handler_class`` for gevent's ``WSGIServer`` (python-engineio needs
    gevent-websocket's handler when that package is installed, pywsgi's otherwise).
    threading: ``request_handler`` for Werkzeug, through ``socketio.run``.
    """
    if async_mode == "gevent":
        try:
            from geventwebsocket.handler import WebSocketHandler as base
        except ImportError:
            from gevent.pywsgi import WSGIHandler as base

        class NoDelayWSGIHandler(base):
            def __init__(self, sock, address, server, rfile=None):
                no_delay(sock)
                super().__init__(sock, address, server, rfile)

        return {"handler_class": NoDelayWSGIHandler}
    if async_mode == "threading":
        from werkzeug.serving import WSGIRequestHandler

        class NoDelayRequestHandler(WSGIRequestHandler):
            def setup(self) -> None:
                no_delay(self.request)
                super().setup()

        return {"request_handler": NoDelayRequestHandler}
    return {}
