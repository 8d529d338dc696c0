"""A phone's ordering of numbered room events, as the browser does it, with counters.

Every room event carries a ``seq`` (the workshop's counter), also inside ``events_batch``
and ``events_replay``; ``workshop_state`` carries the ``seq`` it includes. Like
``static/js/sequence.js`` (the browser), a :class:`SequenceTracker` hands events on once
and in order: an older or repeated ``seq`` is dropped, events wait for the first state (or
the replay of a reconnection), and a jump (``seq > last + 1``) holds what comes next. The
browser waits a bounded time (``wait``, 1.5 s) for the missing event before it asks the
server for the whole state (``sync``); so does the tracker: a gap filled within the wait
is an *out-of-order* arrival, a gap still open after it is a *full sync*.

Pure: no socket, no clock of its own (``clock`` is injected); the swarm's client feeds it
every frame, asks :meth:`SequenceTracker.sync_due` on a timer, emits ``sync`` itself and
reports back (:meth:`sync_started`, :meth:`sync_failed`). The counters are what the bench
reports (``ORDER_COUNTERS``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

BROWSER_WAIT_S = 1.5  # how long the browser will wait for a missing seq before `sync`

Event = tuple[str, dict[str, Any]]

ORDER_COUNTERS = (
    "initial_states",   # the workshop_state of a fresh connection
    "out_of_order",     # events that arrived after a later seq (they filled a gap)
    "gaps",             # jumps seen (seq > last + 1)
    "gaps_filled",      # of which filled within the wait (no sync)
    "stale",            # events dropped: seq ≤ the last applied (replay overlap, repeat)
    "syncs",            # full syncs asked (`sync` emitted) after a gap stayed open
    "sync_states",      # workshop_state frames received in answer to a sync
    "sync_failures",    # syncs refused or timed out: the held events shown as they are
    "reconnections",    # new connections after a drop, with auth.last_seq
    "replays",          # ... answered by events_replay
    "replayed_events",  # events those replays carried
    "reconnect_states",  # ... answered by a full workshop_state
)


def seq_of(payload: Any) -> int | None:
    """The ``seq`` of an event's payload (an int, never a bool), or None."""
    seq = payload.get("seq") if isinstance(payload, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def events_of(frame: Any) -> list[Event]:
    """The ``(name, payload)`` pairs of an ``events_batch`` / ``events_replay`` frame."""
    events = frame.get("events") if isinstance(frame, dict) else None
    result = []
    for event in events or []:
        payload = event.get("payload") or {}
        if seq_of(payload) is None and seq_of(event) is not None:  # seq beside the payload
            payload = {**payload, "seq": event["seq"]}
        result.append((event.get("name"), payload))
    return result


@dataclass
class SequenceTracker:
    """One client's ordering state and counters (see the module docstring)."""

    wait: float = BROWSER_WAIT_S
    clock: Callable[[], float] = time.monotonic
    last_seq: int | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ORDER_COUNTERS, 0))
    _held: list[Event] = field(default_factory=list)
    _waiting: bool = True  # no state yet (first connection or reconnection)
    _reconnecting: bool = False
    _syncing: bool = False
    _gap_since: float | None = None
    _max_seen: int | None = None

    @property
    def gap_open(self) -> bool:
        """A jump is being waited on (the browser's wait may run out)."""
        return self._gap_since is not None and not self._syncing

    @property
    def held(self) -> int:
        """How many events are held (waiting for a state, a replay or a missing seq)."""
        return len(self._held)

    @property
    def syncing(self) -> bool:
        """A sync was asked and its state has not arrived yet."""
        return self._syncing

    def receive(self, name: str, payload: Any) -> list[Event]:
        """Take one frame; return the events to hand on, in order (the state included)."""
        if name == "workshop_state":
            return self._state(payload)
        if name == "events_replay":
            return self._replay(events_of(payload))
        if name == "events_batch":
            delivered: list[Event] = []
            for event in events_of(payload):
                delivered += self._event(*event)
            return delivered
        return self._event(name, payload if isinstance(payload, dict) else {})

    def sync_due(self) -> bool:
        """A gap has stayed open for ``wait``: time to ask for the whole state."""
        return (self._gap_since is not None and not self._syncing
                and self.clock() - self._gap_since >= self.wait)

    def sync_started(self) -> None:
        """``sync`` was emitted: hold everything until its state (or its failure)."""
        self._syncing = True
        self._gap_since = None
        self.counts["syncs"] += 1

    def sync_failed(self) -> list[Event]:
        """The sync brought no state: show the held events from the first one on."""
        self.counts["sync_failures"] += 1
        self._syncing = False
        held, self._held = sorted(self._held, key=_seq_key), []
        first = next((seq_of(p) for _, p in held if seq_of(p) is not None), None)
        if first is not None:
            self.last_seq = first - 1
        delivered: list[Event] = []
        for event in held:
            delivered += self._event(*event)
        return delivered

    def disconnected(self) -> None:
        """The socket dropped: the next connection starts with a state or a replay."""
        self._held = []
        self._waiting = True
        self._reconnecting = True
        self._syncing = False
        self._gap_since = None
        self._max_seen = self.last_seq

    def _state(self, state: Any) -> list[Event]:
        if self._syncing:
            self.counts["sync_states"] += 1
        elif self._reconnecting:
            self.counts["reconnections"] += 1
            self.counts["reconnect_states"] += 1
        else:
            self.counts["initial_states"] += 1
        self._syncing = self._waiting = self._reconnecting = False
        self._gap_since = None
        seq = seq_of(state)
        if seq is not None:
            self.last_seq = seq
        return [("workshop_state", state), *self._release()]

    def _replay(self, events: list[Event]) -> list[Event]:
        if self._reconnecting:
            self.counts["reconnections"] += 1
            self.counts["replays"] += 1
            self.counts["replayed_events"] += len(events)
        self._waiting = self._reconnecting = False
        held, self._held = self._held, []
        delivered: list[Event] = []
        for event in [*events, *held]:
            delivered += self._event(*event)
        return delivered

    def _event(self, name: str, payload: dict[str, Any]) -> list[Event]:
        seq = seq_of(payload)
        if self._waiting or self._syncing:
            self._held.append((name, payload))
            return []
        if seq is None or self.last_seq is None:
            if seq is not None:
                self.last_seq = seq
            return [(name, payload)]
        if seq <= self.last_seq or any(seq_of(p) == seq for _, p in self._held):
            self.counts["stale"] += 1
            return []
        if self._max_seen is not None and seq < self._max_seen:
            self.counts["out_of_order"] += 1
        self._max_seen = seq if self._max_seen is None else max(self._max_seen, seq)
        if seq > self.last_seq + 1:
            if self._gap_since is None:
                self.counts["gaps"] += 1
                self._gap_since = self.clock()
            self._held.append((name, payload))
            return []
        self.last_seq = seq
        return [(name, payload), *self._release()]

    def _release(self) -> list[Event]:
        """Hand on the held events that now follow ``last_seq``; keep the rest held."""
        delivered: list[Event] = []
        self._held.sort(key=_seq_key)
        while self._held:
            seq = seq_of(self._held[0][1])
            if seq is not None and self.last_seq is not None and seq <= self.last_seq:
                self._held.pop(0)  # already in the state
                continue
            if seq is not None and self.last_seq is not None and seq != self.last_seq + 1:
                break
            name, payload = self._held.pop(0)
            if seq is not None:
                self.last_seq = seq
            delivered.append((name, payload))
        if self._gap_since is not None and not self._held:
            self.counts["gaps_filled"] += 1
            self._gap_since = None
        elif self._held and self._gap_since is None and self.last_seq is not None:
            self._gap_since = self.clock()  # still a hole after the state or replay
            self.counts["gaps"] += 1
        return delivered


def _seq_key(event: Event) -> int:
    seq = seq_of(event[1])
    return -1 if seq is None else seq
