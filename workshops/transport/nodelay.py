"""Send small frames at once: TCP_NODELAY on every accepted connection.

A live workshop writes many small responses and frames: a page's headers, then its body;
an event, then the acknowledgement of the submission that caused it; the workshop state,
then the phone's own votes. With Nagle's algorithm on (the kernel default, which neither
gevent's ``pywsgi`` nor Werkzeug's server changes), a second small write waits until the
first one is acknowledged, which the receiving side may delay. WebSocket servers of every
stack (asyncio's transports, Tornado, uvicorn) turn the algorithm off; so do these
handlers, through the servers' documented options. What it changes for a phone's join is
measured in docs/PERFORMANCE.md ("Transport optimisations: where they live").

The same handlers give every accepted connection a read timeout (``HTTP_READ_TIMEOUT``):
neither server times out a request whose headers or body never arrive, so a client that
opens connections and goes silent would hold a thread (threading) or a greenlet (gevent)
and a descriptor each, for good. With the timeout, a connection that sends nothing for
that long is closed. A WebSocket handshake clears it once its headers are read: a
WebSocket is idle between frames by design, and Engine.IO's ping/pong bounds it instead.
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


def is_websocket_handshake(environ: dict[str, Any]) -> bool:
    """True for a request that asks to become a WebSocket."""
    return (environ.get("HTTP_UPGRADE") or "").lower() == "websocket"


def server_options(async_mode: str, read_timeout: float | None = None) -> dict[str, Any]:
    """The server options that install our connection handler for ``async_mode``: no
    delay, and ``read_timeout`` seconds (None: none) for each read until a request is in.

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
                if read_timeout:  # gevent's sockets raise socket.timeout on a blocked read
                    sock.settimeout(read_timeout)
                super().__init__(sock, address, server, rfile)

            def get_environ(self):
                environ = super().get_environ()
                if is_websocket_handshake(environ):
                    self.socket.settimeout(None)
                return environ

        return {"handler_class": NoDelayWSGIHandler}
    if async_mode == "threading":
        from werkzeug.serving import WSGIRequestHandler

        class NoDelayRequestHandler(WSGIRequestHandler):
            # socketserver.StreamRequestHandler's documented option: setup() applies it.
            timeout = read_timeout or None

            def setup(self) -> None:
                no_delay(self.request)
                super().setup()

            def make_environ(self):
                environ = super().make_environ()
                if is_websocket_handshake(environ):
                    self.connection.settimeout(None)
                return environ

        return {"request_handler": NoDelayRequestHandler}
    return {}
