"""Room broadcasts, coalesced under load: by the server's own pace, or a delivery budget.

Under gevent (``diagnostic-server``), each room's events are written by a task of the room's
own (``LIVE_BROADCAST_COALESCE``, on by default there): the committing handler only hands
the event over and sends its acknowledgement; the task runs at the server's next free turn
and writes everything the room received meanwhile as one frame. At an ordinary pace that
is one event per frame, at once; under a burst, the events committed by the handlers that
were ready before it go out together, so the number of frames follows what the server can
write instead of waiting a fixed interval. One such process has no budget by default;
workers sharing rooms through Redis keep the budget below, the task waiting for its
tokens (docs/PERFORMANCE.md, "Bursts", has the figures of both choices).

On threads (``diagnostic serve``, where a task would be a thread), the budget alone bounds
the frames:

Each numbered room event costs one WebSocket frame per client of the room: 50
contributions/s in a room of 500 phones would be 25,000 frames/s, more than one server
process (and the phones) can push, while the same 50/s in a room of 20 costs nothing.
Each room therefore has a token bucket of *deliveries*, the rule ``LIVE_BROADCAST_BUDGET``
(``"N/S"`` as in ``ratelimit``: a burst of N deliveries, N more every S seconds; ``"off"``
sends every event on its own), and a frame to a room of n clients costs n tokens:

- while the room can pay, an event goes out at once, on its own, as before;
- when it cannot, events wait until it can and go out together, in seq order, as one
  ``events_batch`` ``{"events": [{"name", "seq", "payload"}…]}`` frame (a single waiting
  event goes out on its own).

Its default there, ``"3000/0.5"``, lets a room of 500 have a frame every 83 ms once its burst of 6
is spent, and a room of 50 ten times as many: a workshop's ordinary pace never waits, a
burst waits at most one frame's interval. Events are numbered and recorded before they are
sent (``live.stage``), so batching changes only how they travel.

With several server processes (a Redis ``SOCKETIO_MESSAGE_QUEUE``), each event is
published at once and every process coalesces what it writes to *its own* clients (under
its own budget, if any) (``workshops/transport/room_manager.py``): were the sender to decide,
each process would count only the events it sent while writing everyone's.

Before the budget, each process puts a room's events back in seq order, whoever committed
and published them, waiting a bounded time for a missing number and reading it from the
event log when it does not come (``reorder.py``, ``LIVE_REORDER_WAIT``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from ..extensions import socketio
from .ratelimit import Rule, parse_rule
from .reorder import Event, Reorder, parse_wait

if TYPE_CHECKING:
    from ..transport.room_manager import LocalBatchingRedisManager

EXTENSION_KEY = "live_broadcaster"
BATCH_EVENT = "events_batch"
DEFAULT_RULE = "3000/0.5"  # deliveries: a room of 500 gets 6 frames at once, then 12/s


@dataclass
class _Room:
    """A room's delivery bucket and the events waiting until it can pay for a frame."""

    tokens: float
    stamp: float
    waiting: list[dict[str, Any]] | None = field(default=None)


class Broadcaster:
    """Sends numbered events to rooms, coalescing them when a room's bucket runs dry."""

    def __init__(self, rule: Rule | None, namespace: str,
                 clock: Callable[[], float] = time.monotonic,
                 schedule: Callable[..., Any] | None = None,
                 sleep: Callable[[float], Any] | None = None,
                 reorder_wait: float | None = None,
                 fetch: Callable[[str, int, int], list[Event]] | None = None,
                 coalesce: bool = False) -> None:
        self.rule = rule
        # Each room's events go out from a task of their own, together with whatever
        # came while it waited for its turn (see _coalesced).
        self.coalesce = coalesce
        self.namespace = namespace
        # Injectable for tests; by default the server's own clock, tasks and sleep.
        self.clock = clock
        self.schedule = schedule or (lambda fn, *args: socketio.start_background_task(fn, *args))
        self.sleep = sleep or (lambda seconds: socketio.sleep(seconds))
        self._rooms: dict[str, _Room] = {}
        self._lock = threading.Lock()
        # Set when rooms span processes (LocalBatchingRedisManager): each process then
        # batches what it writes to its own clients, whoever sent the event.
        self.manager: LocalBatchingRedisManager | None = None
        # Room events in seq order before the budget (None: as they come).
        self.reorder = None if not reorder_wait else Reorder(
            reorder_wait, self._budgeted, fetch or (lambda room, first, stop: []),
            schedule=lambda *args: self.schedule(*args),
            sleep=lambda seconds: self.sleep(seconds))

    @property
    def gaps_filled(self) -> int:
        """How many gaps this process filled from the event log (``reorder.py``)."""
        return self.reorder.gaps_filled if self.reorder is not None else 0

    def note_seq(self, room: str, seq: int | None) -> None:
        """A client of this process was sent ``room`` up to ``seq`` (its state or replay):
        the number the room's next event should have, unless the room has one already."""
        if self.reorder is not None and isinstance(seq, int):
            self.reorder.note_seq(room, seq)

    def send(self, room: str, name: str, seq: int, payload: dict[str, Any]) -> None:
        """Send one committed event to ``room`` now, or with the next batch of the room."""
        if self.manager is not None:  # through the queue: every process calls deliver()
            socketio.emit(name, payload, to=room, namespace=self.namespace)
            return
        self.deliver(room, name, seq, payload)

    def deliver(self, room: str, name: str, seq: int, payload: dict[str, Any]) -> None:
        """Write one event to this process's clients of ``room`` in seq order, now or
        batched."""
        event = {"name": name, "seq": seq, "payload": payload}
        if self.reorder is None:
            self._budgeted(room, event)
        else:
            self.reorder.accept(room, event)

    def _budgeted(self, room: str, event: Event) -> None:
        """Write one event now, or with the room's next batch when its bucket is dry."""
        if self.coalesce:
            self._coalesced(room, event)
            return
        if self.rule is None:
            self._emit(room, [event])
            return
        cost = self._cost(room)
        with self._lock:
            state = self._refilled(room)
            if state.waiting is not None:
                state.waiting.append(event)
                return
            if state.tokens >= cost:
                state.tokens -= cost
                wait = None
            else:
                state.waiting = [event]
                wait = (cost - state.tokens) / self.rule.per_second
        if wait is None:
            self._emit(room, [event])
        else:
            self.schedule(self._flush_later, room, wait)

    def _coalesced(self, room: str, event: Event) -> None:
        """Hand ``event`` to the room's writing task, started unless one is waiting.

        The task runs when the server next has its turn free: at an ordinary pace at once,
        one frame per event; under a burst, after the other handlers that were ready, so
        the events they committed meanwhile go out with it in one ``events_batch``. The
        number of frames follows what the server can write, with no fixed wait, and the
        sender's acknowledgement is not held behind the room's writes. Under gevent only:
        a task is a greenlet, and a room's frames cannot interleave.
        """
        with self._lock:
            state = self._rooms.get(room)
            if state is None:
                state = self._rooms[room] = _Room(
                    tokens=float(self.rule.burst if self.rule else 0), stamp=self.clock())
            if state.waiting is not None:
                state.waiting.append(event)
                return
            state.waiting = [event]
        self.schedule(self._write_coalesced, room)

    def _write_coalesced(self, room: str) -> None:
        """The room's writing task: within the budget if there is one, then one frame."""
        if self.rule is not None:
            cost = self._cost(room)
            with self._lock:
                state = self._refilled(room)
                wait = (cost - state.tokens) / self.rule.per_second
            if wait > 0:
                self.sleep(wait)
            with self._lock:
                state = self._refilled(room)
                state.tokens = max(0.0, state.tokens - cost)
        with self._lock:
            state = self._rooms[room]
            events, state.waiting = state.waiting or [], None
        self._emit(room, events)

    def _cost(self, room: str) -> float:
        """Tokens a frame to ``room`` costs: its clients in this process (1 at least),
        never more than a full bucket."""
        try:
            size = len(socketio.server.manager.rooms[self.namespace][room])
        except (AttributeError, KeyError, TypeError):
            size = 1
        return float(min(max(size, 1), self.rule.burst))

    def _refilled(self, room: str) -> _Room:
        """The room's state with the tokens regained since it was last used (lock held)."""
        now = self.clock()
        state = self._rooms.get(room)
        if state is None:
            state = self._rooms[room] = _Room(tokens=float(self.rule.burst), stamp=now)
        else:
            gained = (now - state.stamp) * self.rule.per_second
            state.tokens = min(float(self.rule.burst), state.tokens + gained)
            state.stamp = now
        return state

    def _flush_later(self, room: str, wait: float) -> None:
        """Wait for the room's next token, then send what accumulated meanwhile."""
        self.sleep(wait)
        cost = self._cost(room)
        with self._lock:
            state = self._refilled(room)
            events, state.waiting = state.waiting or [], None
            state.tokens = max(0.0, state.tokens - cost)
        self._emit(room, events)

    def _emit(self, room: str, events: list[dict[str, Any]]) -> None:
        """One frame: the event itself, or an ``events_batch`` of several in seq order."""
        if len(events) == 1:
            self._emit_frame(room, events[0]["name"], events[0]["payload"])
        elif events:
            events.sort(key=lambda event: event["seq"])
            self._emit_frame(room, BATCH_EVENT, {"events": events})

    def _emit_frame(self, room: str, name: str, payload: dict[str, Any]) -> None:
        if self.manager is None:
            socketio.emit(name, payload, to=room, namespace=self.namespace)
        else:  # this process's clients only: the others batch their own
            self.manager.emit(name, payload, namespace=self.namespace, room=room,
                              ignore_queue=True)


def init_app(app: Flask, namespace: str,
             fetch: Callable[[str, int, int], list[Event]] | None = None) -> Broadcaster:
    """Create the app's broadcaster from ``LIVE_BROADCAST_BUDGET`` and ``LIVE_REORDER_WAIT``;
    ``fetch(room, first, stop)`` reads the logged events a gap misses."""
    coalesce = app.config.get("LIVE_BROADCAST_COALESCE")
    if coalesce is None:  # greenlets are cheap and a room's frames cannot interleave
        coalesce = not app.testing and app.config.get("SOCKETIO_ASYNC_MODE") == "gevent"
    value = app.config.get("LIVE_BROADCAST_BUDGET")
    if value is None:  # Socket.IO test clients read events one by one: tests opt in.
        # One gevent process writes at its own pace; workers sharing rooms through Redis
        # (a cluster, on a host it shares with PostgreSQL, Redis and nginx) keep a budget:
        # docs/PERFORMANCE.md ("Bursts") has the figures of both choices.
        alone = not app.config.get("SOCKETIO_MESSAGE_QUEUE")
        value = "off" if app.testing or (coalesce and alone) else DEFAULT_RULE
    rule = parse_rule(value)
    wait = app.config.get("LIVE_REORDER_WAIT")
    if wait is None and app.testing:  # in-process tests send in order: they opt in
        wait = "off"
    caster = app.extensions[EXTENSION_KEY] = Broadcaster(
        rule, namespace, reorder_wait=parse_wait(wait), fetch=fetch, coalesce=bool(coalesce))
    return caster


def broadcaster() -> Broadcaster:
    """This app's broadcaster."""
    return current_app.extensions[EXTENSION_KEY]
