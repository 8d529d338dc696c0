"""How live frames reach the phones: the Socket.IO server and its transport options.

:func:`install` starts Flask-SocketIO on the app, once, at start-up, with the options
below (all but ``nodelay``, which ``diagnostic serve`` gives the WSGI server it starts),
and records what it installed in ``app.extensions["transport"]``:

- ``limits``: refuses a request body announced larger than its endpoint accepts, before
  python-engineio or Flask reads it (a WSGI middleware, outermost);
- ``compression``: declines permessage-deflate unless configured (a WSGI middleware);
- ``nodelay``: TCP_NODELAY and a read timeout on accepted connections (gevent's
  ``handler_class``, Werkzeug's ``request_handler``);
- ``direct_writes``: under gevent, a room's frame built once and written at once
  (python-engineio's driver table and ``Socket``, simple-websocket's socket);
- ``room_manager``: with a Redis queue, each process batches the room events it writes
  (python-socketio's ``RedisManager._handle_emit``).

The last two are the only places in the app that use another library's private names.
Each has a start-up self-check (``selfcheck``): when a name it needs is missing or a
library is outside the supported versions, it logs an ERROR and the app runs on the
library's documented path instead. Their gains are in docs/PERFORMANCE.md
("Transport optimisations: where they live").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import socketio as python_socketio
from flask import Flask
from flask_socketio import SocketIO

from .compression import DeclineWebSocketCompression
from .limits import LARGER_BODIES, RefuseOversizedBodies
from .selfcheck import Check

EXTENSION_KEY = "transport"


@dataclass
class TransportStatus:
    """What :func:`install` put in place, and why an optimisation was left out."""

    direct_writes: bool = False
    per_process_batching: bool = False
    compression_declined: bool = False
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def record(self, check: Check) -> bool:
        """Keep ``check``'s findings, log them; True when the optimisation may be installed."""
        self.problems += [f"{check.feature}: {problem}" for problem in check.problems]
        self.warnings += [f"{check.feature}: {warning}" for warning in check.warnings]
        return check.report()


def install(app: Flask, socketio: SocketIO, *, broadcaster: Any = None,
            **options: Any) -> TransportStatus:
    """Start ``socketio`` on ``app`` (``options`` as for ``init_app``) with the transport
    options that pass their self-check; ``broadcaster`` receives room events per process."""
    # The checks log to "workshops.transport", below the app's logger: app.logger gives it
    # Flask's handler, so an ERROR reads "ERROR in selfcheck: ..." in the server's output.
    app.logger.getChild("transport")
    status = TransportStatus()
    channel = options.pop("channel", None)
    manager = _client_manager(options.get("message_queue") or "", broadcaster, status, channel)
    if manager is not None:
        options["client_manager"] = manager
    socketio.init_app(app, **options)
    eio = socketio.server.eio
    if eio.async_mode == "gevent":
        status.direct_writes = _direct_writes(eio, status)
    if not app.config["LIVE_WEBSOCKET_COMPRESSION"]:
        app.wsgi_app = DeclineWebSocketCompression(app.wsgi_app)  # around Socket.IO's
        status.compression_declined = True
    app.wsgi_app = RefuseOversizedBodies(  # outermost of the transport's
        app.wsgi_app, live_limit=eio.max_http_buffer_size,
        page_limit=app.config.get("MAX_CONTENT_LENGTH"),
        path=options.get("path", "socket.io"), larger=app.extensions.get(LARGER_BODIES))
    app.extensions[EXTENSION_KEY] = status
    return status


def _client_manager(url: str, broadcaster: Any, status: TransportStatus,
                    channel: str | None = None):
    """python-socketio's client manager for ``url`` (None: Flask-SocketIO's choice).

    Always given when the app knows it: Flask-SocketIO keeps the last one it was given
    for a later ``init_app`` without a queue (several apps in one process, as in tests).
    """
    if not url:
        return python_socketio.Manager()
    if not url.startswith(("redis://", "rediss://")):
        return None  # another queue (Kafka, ZeroMQ, Kombu): Flask-SocketIO's own manager
    from . import room_manager

    channel = room_manager.channel_for(url, channel)
    if broadcaster is None or not status.record(room_manager.self_check()):
        return python_socketio.RedisManager(url, channel=channel)
    manager = room_manager.create(url, broadcaster, channel)
    broadcaster.manager = manager
    status.per_process_batching = True
    return manager


def _direct_writes(eio: Any, status: TransportStatus) -> bool:
    """Install direct writes on a gevent Engine.IO server; False when left out."""
    try:
        from . import direct_writes  # imports gevent: only where it runs
    except (ImportError, AttributeError) as error:  # a renamed driver class, for one
        check = Check("direct room writes", "python-engineio's own writer")
        check.problems.append(f"the module cannot be imported ({error})")
        status.record(check)
        return False
    return status.record(direct_writes.install(eio))
