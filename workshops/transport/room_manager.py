"""With a Redis message queue, each process batches the room events it writes itself.

Room batching (``workshops/broadcast.py``) counts the frames a process writes to a room
against the room's budget. With several processes sharing rooms through Redis, the
process that *sends* an event is not the one that writes most of its frames: were it to
decide, each process would count only its own events while writing everyone's. Here
every process receives every room event (its own through ``emit``, the others' from
Redis) and hands the numbered ones of the live namespace to its broadcaster, which writes
them to its own clients under its own budget (docs/PERFORMANCE.md, "Splitting the server
over processes").

python-socketio has no documented hook for what a process does with a received event:
this overrides the private ``PubSubManager._handle_emit(message)`` and reads its message
layout. :func:`self_check` says whether the installed python-socketio still has them;
when it does not, the app uses python-socketio's own ``RedisManager`` and the sending
process decides the batching, as before this class existed.
"""

from __future__ import annotations

import inspect
from typing import Any, Protocol
from urllib.parse import urlsplit

import socketio as python_socketio

from .selfcheck import SOCKETIO, Check

FEATURE = "per-process room batching"
CHANNEL = "flask-socketio"  # Flask-SocketIO's default, and the prefix of ours
FALLBACK = "python-socketio's RedisManager (batching decided by the sending process)"


class Deliverer(Protocol):
    """What the manager hands room events to (``workshops.live.broadcast.Broadcaster``)."""

    namespace: str

    def deliver(self, room: str, name: str, seq: int, payload: dict[str, Any]) -> None: ...


class LocalBatchingRedisManager(python_socketio.RedisManager):
    """python-socketio's Redis manager, with numbered room events batched per process."""

    broadcaster: Deliverer | None = None

    def _handle_emit(self, message):
        data = message.get("data")
        payload = data[0] if isinstance(data, list) and len(data) == 1 else None
        broadcaster = self.broadcaster
        if (broadcaster is not None and message.get("namespace") == broadcaster.namespace
                and message.get("room") and not message.get("callback")
                and not message.get("skip_sid") and not message.get("binary")
                and isinstance(payload, dict) and isinstance(payload.get("seq"), int)):
            broadcaster.deliver(message["room"], message["event"], payload["seq"], payload)
            return
        super()._handle_emit(message)


def self_check() -> Check:
    """Whether python-socketio still has what :class:`LocalBatchingRedisManager` overrides."""
    check = Check(FEATURE, FALLBACK)
    check.version(SOCKETIO)
    check.attribute(python_socketio.RedisManager, "_handle_emit",
                    parameters=("self", "message"), library=SOCKETIO)
    # The broadcaster writes its own clients' frames with emit(..., ignore_queue=True).
    emit = check.attribute(python_socketio.RedisManager, "emit", library=SOCKETIO)
    if emit is not None:
        check.require(_accepts_keywords(emit),
                      "python-socketio's RedisManager.emit takes no ignore_queue")
    return check


def channel_for(url: str, configured: str | None = None) -> str:
    """The Redis channel of the processes that share rooms through ``url``.

    Redis publishes to every subscriber of a channel whatever database number they chose,
    so two instances on one Redis (production and a trial, two test runs) would receive
    each other's room events on one fixed channel. By default the channel therefore names
    the URL's database number, as the rate-limit counters live in that database:
    ``redis://host:6379/3`` → ``flask-socketio:3``. ``SOCKETIO_CHANNEL`` sets it outright.
    """
    if configured:
        return configured
    path = urlsplit(url).path.strip("/")
    return f"{CHANNEL}:{path if path.isdigit() else '0'}"


def create(url: str, broadcaster: Deliverer, channel: str) -> LocalBatchingRedisManager:
    """The manager for ``url`` on ``channel``, linked to ``broadcaster``."""
    manager = LocalBatchingRedisManager(url, channel=channel)
    manager.broadcaster = broadcaster
    return manager


def _accepts_keywords(function: Any) -> bool:
    parameters = inspect.signature(function).parameters.values()
    return any(p.kind is p.VAR_KEYWORD or p.name == "ignore_queue" for p in parameters)
