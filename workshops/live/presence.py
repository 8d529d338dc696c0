"""Live presence: how many participants (and boards, facilitators) a workshop has connected.

``presence`` {"participants": n, "boards": b, "facilitators": f} is ephemeral: it is sent
straight to the room, never recorded in the workshop's event log (a client that reconnects
gets the current figures on connect instead). Room emits are throttled to one per
``PRESENCE_THROTTLE_SECONDS`` per workshop; a change inside the window is sent at its end.

Participants are counted once however many tabs they open. With one server process the
sockets are kept in memory; with several (``SOCKETIO_MESSAGE_QUEUE`` is a ``redis://``
URL) they are kept in Redis, one hash per workshop keyed ``<process>:<sid>``, and each
process keeps a short-lived "alive" key fresh, so sockets of a process that died are
dropped from the counts (and the hash) when its key expires.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from typing import Any

from flask import Flask, current_app, request
from flask_socketio import emit

from ..extensions import socketio
from .rooms import NAMESPACE, room_of

ROLE_PARTICIPANT = "participant"
PREFIX = "diagnostic:presence:"
ALIVE_TTL_SECONDS = 30
HEARTBEAT_SECONDS = 10


def _figures(values: list[str]) -> dict[str, int]:
    """Counts per role from the stored values (``participant:<id>`` or a role name)."""
    participants = {v for v in values if v.startswith(ROLE_PARTICIPANT + ":")}
    roles = Counter(v for v in values if not v.startswith(ROLE_PARTICIPANT + ":"))
    return {
        "participants": len(participants),
        "boards": roles["board"],
        "facilitators": sum(n for role, n in roles.items() if role != "board"),
    }


class MemoryPresence:
    """The sockets of each workshop in this process's memory.

    The figures are kept up to date as sockets come and go (a participant counts once
    however many of their sockets are open), so reading them costs the same with 5 or 500
    people connected: every join reads them.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: dict[int, dict[str, str]] = {}
        self._values: dict[int, Counter[str]] = {}
        self._figures: dict[int, dict[str, int]] = {}

    cheap_counts = True  # ``counts`` costs the same whatever the number of sockets

    def add(self, workshop_id: int, sid: str, value: str) -> bool:
        """Count a connected socket; whether the figures changed."""
        with self._lock:
            before = dict(self._figures.get(workshop_id) or {})
            sockets = self._sockets.setdefault(workshop_id, {})
            previous = sockets.get(sid)
            if previous is not None:
                self._change(workshop_id, previous, -1)
            sockets[sid] = value
            self._change(workshop_id, value, +1)
            return self._figures[workshop_id] != before

    def remove(self, workshop_id: int, sid: str) -> bool:
        """Forget a disconnected socket; whether the figures changed."""
        with self._lock:
            value = self._sockets.get(workshop_id, {}).pop(sid, None)
            if value is None:
                return False
            before = dict(self._figures[workshop_id])
            self._change(workshop_id, value, -1)
            return self._figures[workshop_id] != before

    def _change(self, workshop_id: int, value: str, delta: int) -> None:
        """One socket more (+1) or fewer (-1) holds ``value`` (lock held)."""
        values = self._values.setdefault(workshop_id, Counter())
        figures = self._figures.setdefault(workshop_id, _figures([]))
        values[value] += delta
        if value.startswith(ROLE_PARTICIPANT + ":"):
            # A participant counts once: when their first socket opens, their last closes.
            if values[value] == (1 if delta > 0 else 0):
                figures["participants"] += delta
        else:
            figures["boards" if value == "board" else "facilitators"] += delta
        if values[value] <= 0:
            del values[value]

    def counts(self, workshop_id: int) -> dict[str, int]:
        """The workshop's presence figures."""
        with self._lock:
            return dict(self._figures.get(workshop_id) or _figures([]))


class RedisPresence:
    """The sockets of each workshop in Redis, shared by every server process."""

    def __init__(self, url: str, prefix: str = PREFIX, config: Any = None) -> None:
        import redis

        from ..redis_pool import blocking_pool

        self.redis = redis.Redis(connection_pool=blocking_pool(
            url, config or {}, decode_responses=True))
        self.prefix = prefix
        self.process = uuid.uuid4().hex
        self._heartbeat_started = False
        self._lock = threading.Lock()

    def _alive_key(self, process: str) -> str:
        return f"{self.prefix}alive:{process}"

    def beat(self) -> None:
        """Say this process is alive for the next ``ALIVE_TTL_SECONDS``."""
        self.redis.set(self._alive_key(self.process), "1", ex=ALIVE_TTL_SECONDS)

    def _start_heartbeat(self) -> None:
        """Keep the alive key fresh from a background task (once per process)."""
        with self._lock:
            if self._heartbeat_started:
                return
            self._heartbeat_started = True

        def loop() -> None:
            while True:
                socketio.sleep(HEARTBEAT_SECONDS)
                try:
                    self.beat()
                except Exception:  # Redis briefly away: try again at the next beat
                    pass

        socketio.start_background_task(loop)

    # ``counts`` reads every socket of the workshop: joins and leaves do not compare figures
    # (they may not have changed: the throttled announcement then repeats them).
    cheap_counts = False

    def add(self, workshop_id: int, sid: str, value: str) -> None:
        """Count a connected socket of this process (None: changed or not, unknown).

        The alive key is set with the socket, in one round trip (every join runs this)."""
        self._start_heartbeat()
        pipeline = self.redis.pipeline(transaction=False)
        pipeline.set(self._alive_key(self.process), "1", ex=ALIVE_TTL_SECONDS)
        pipeline.hset(f"{self.prefix}{workshop_id}", f"{self.process}:{sid}", value)
        pipeline.execute()

    def remove(self, workshop_id: int, sid: str) -> None:
        """Forget a disconnected socket of this process (None: changed or not, unknown)."""
        self.redis.hdel(f"{self.prefix}{workshop_id}", f"{self.process}:{sid}")

    def counts(self, workshop_id: int) -> dict[str, int]:
        """The workshop's figures over every live process; drops sockets of dead ones."""
        key = f"{self.prefix}{workshop_id}"
        sockets = self.redis.hgetall(key)
        processes = sorted({field.split(":", 1)[0] for field in sockets})
        alive = dict(zip(processes, self.redis.mget([self._alive_key(p) for p in processes]),
                         strict=True)) if processes else {}
        dead = [field for field in sockets if not alive.get(field.split(":", 1)[0])]
        if dead:
            self.redis.hdel(key, *dead)
        return _figures([value for field, value in sockets.items() if field not in dead])


class Presence:
    """The app's presence tracker and its throttled room announcements."""

    def __init__(self, app: Flask) -> None:
        url = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
        is_redis = url.startswith(("redis://", "rediss://"))
        self.store = RedisPresence(url, config=app.config) if is_redis else MemoryPresence()
        # Tests announce at once (no timer thread outliving a test); production throttles.
        default = 0.0 if app.testing else 1.0
        self.interval = float(app.config.get("PRESENCE_THROTTLE_SECONDS", default))
        self.namespace = NAMESPACE
        self._lock = threading.Lock()
        self._last: dict[int, float] = {}
        self._pending: set[int] = set()
        self._recent: dict[int, tuple[float, dict[str, int]]] = {}

    def figures(self, workshop_id: int) -> dict[str, int]:
        """The workshop's figures; from a shared store, at most one throttle window old
        (the room's next announcement, fresh, follows any change within that window)."""
        if self.store.cheap_counts:
            return self.store.counts(workshop_id)
        now = time.monotonic()
        recent = self._recent.get(workshop_id)
        if recent is not None and now - recent[0] < self.interval:
            return recent[1]
        return self._read(workshop_id)

    def _read(self, workshop_id: int) -> dict[str, int]:
        """The store's current figures (kept for ``figures``)."""
        counts = self.store.counts(workshop_id)
        self._recent[workshop_id] = (time.monotonic(), counts)
        return counts

    def announce(self, workshop_id: int) -> None:
        """Send the figures to the room now, or at the end of the throttle window."""
        now = time.monotonic()
        with self._lock:
            if workshop_id in self._pending:
                return  # an announcement is already scheduled: it will read fresh counts
            wait = self._last.get(workshop_id, float("-inf")) + self.interval - now
            if wait > 0:
                self._pending.add(workshop_id)
            else:
                self._last[workshop_id] = now
        if wait > 0:
            socketio.start_background_task(self._announce_later, workshop_id, wait)
        else:
            self._emit(workshop_id)

    def _announce_later(self, workshop_id: int, wait: float) -> None:
        """Wait for the end of the throttle window, then send the current figures."""
        socketio.sleep(wait)
        with self._lock:
            self._pending.discard(workshop_id)
            self._last[workshop_id] = time.monotonic()
        self._emit(workshop_id)

    def _emit(self, workshop_id: int) -> None:
        """Send the figures to every client of the workshop's room (not recorded)."""
        socketio.emit("presence", self._read(workshop_id),
                      to=room_of(workshop_id), namespace=self.namespace)


def tracker() -> Presence:
    """This app's presence tracker (created on first use)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if "presence" not in app.extensions:
        app.extensions["presence"] = Presence(app)
    return app.extensions["presence"]


def _value(binding: dict) -> str:
    """What is stored for a socket: ``participant:<id>`` (counted once) or its role."""
    if binding.get("role") == ROLE_PARTICIPANT:
        return f"{ROLE_PARTICIPANT}:{binding.get('participant_id')}"
    return str(binding.get("role"))


def joined(binding: dict) -> None:
    """Count the connecting socket; send it the figures, and tell the room if they changed."""
    presence = tracker()
    workshop_id = binding["workshop_id"]
    changed = presence.store.add(workshop_id, request.sid, _value(binding))  # type: ignore[attr-defined]
    emit("presence", presence.figures(workshop_id))
    if changed is not False:
        presence.announce(workshop_id)


def left(binding: dict) -> None:
    """Forget the disconnecting socket and tell the room if the figures changed."""
    presence = tracker()
    workshop_id = binding.get("workshop_id")
    if not isinstance(workshop_id, int):
        return
    if presence.store.remove(workshop_id, request.sid) is not False:  # type: ignore[attr-defined]
        presence.announce(workshop_id)
