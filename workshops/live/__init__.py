"""The live workshop: the ``/live`` Socket.IO namespace and what it stands on.

Imports run one way, from the namespace down:

- ``namespace``: the handlers (validate → one service → ack);
- ``submission``: a participant's contribution, shared with the HTTP fallback;
- ``state``: what a socket draws from (workshop state, replay, console state);
- ``binding``: who a socket is (participant, board, facilitator), bound at connect;
- ``rooms``: room names and the after-commit sender of staged messages;
- ``broadcast``, ``presence``, ``ratelimit``: delivery budget, presence figures, limits;
- ``acks``: acknowledgements, refusals, the unit of work and the error handler;
- ``pages``: labels and messages the live pages give their scripts.
"""

from __future__ import annotations

from flask import Flask

from .. import transport
from ..extensions import socketio
from . import broadcast, ratelimit, rooms, state
from .acks import on_error
from .namespace import LiveNamespace
from .rooms import NAMESPACE


def init_app(app: Flask) -> None:
    """Install Flask-SocketIO and its transport, the ``/live`` namespace, its limits and
    its after-commit sender."""
    ratelimit.init_app(app)
    caster = broadcast.init_app(app, NAMESPACE, fetch=_log_reader(app))
    limit = app.config["LIVE_MAX_PAYLOAD_BYTES"]
    transport.install(  # with a Redis queue, the broadcaster batches per process
        app, socketio, broadcaster=caster,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        # Larger than the contribution limit, so a slightly oversized contribution reaches
        # the handler and gets a clear refusal instead of a dropped connection; a message
        # past this (never sent by our client) costs the sender its connection, and a
        # long-polling POST announcing more gets 413 (workshops/transport/limits.py).
        max_http_buffer_size=8 * limit + 4096,
    )
    socketio.on_namespace(LiveNamespace(NAMESPACE))
    socketio.on_error(NAMESPACE)(on_error)
    rooms.install_sender()


def _log_reader(app: Flask):
    """``fetch(room, first, stop)`` for the broadcaster: the logged events a room's gap
    misses, read in an app context of its own (it runs in a background task)."""

    def fetch(room: str, first: int, stop: int) -> list[dict]:
        workshop_id = rooms.workshop_of(room)
        if workshop_id is None:
            return []
        with app.app_context():
            return state.logged_events(workshop_id, first, stop)

    return fetch
