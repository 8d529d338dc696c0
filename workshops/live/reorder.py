"""Room events written in seq order whatever process committed them: a bounded wait.

Sequence numbers are taken at the commit (``diagnostic.live.events``), in order, but each
process publishes its events after its own commit: with several processes sharing a room
through Redis, event 6 of one process can reach the others before event 5 of another. Even
one process can send 6 first when two of its threads commit 5 then 6. Every process
therefore passes the room events it is about to write to its own clients through a
:class:`Reorder`, which keeps, per room, the next number it expects:

- the expected number is written at once, with the held ones that follow it;
- an older number is written as it is (clients drop what they already have by seq);
- a later number is held, and a wait of ``LIVE_REORDER_WAIT`` seconds starts (default
  0.5, ``"off"`` or ``0`` writes everything as it comes). If the missing numbers come
  meanwhile, everything goes out in order. If not, they are read from the event log (the
  same replay a reconnecting client gets) and written first: that fills the gap a process
  leaves when it dies, or loses its queue, between its commit and its publish. The log
  has every number below a held one (numbers are committed in order); a number the log no
  longer has is skipped, and clients ask for the whole state (``static/js/sequence.js``).

A room's expected number starts from the state or replay a connecting client of this
process was sent (:meth:`Reorder.note_seq`), else from the first event seen. Under gevent
the events released together are written in order; with real threads two releases can
still cross between the lock and the socket, and the clients' own bounded wait puts them
back in order. ``gaps_filled`` counts the gaps this process filled from the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Event = dict[str, Any]  # {"name", "seq", "payload"}
DEFAULT_WAIT = 0.5

logger = logging.getLogger(__name__)


@dataclass
class _Line:
    """One room: the next number expected, the later ones held, the wait under way."""

    expected: int
    held: dict[int, Event] = field(default_factory=dict)
    wait: int = 0  # number of the current wait (0: none); a stale wait finds another


class Reorder:
    """Releases each room's events in seq order, waiting a bounded time for gaps."""

    def __init__(self, wait: float, deliver: Callable[[str, Event], Any],
                 fetch: Callable[[str, int, int], list[Event]],
                 schedule: Callable[..., Any], sleep: Callable[[float], Any]) -> None:
        self.wait = wait
        self.deliver = deliver  # (room, event): write one event (the delivery budget)
        self.fetch = fetch  # (room, first, stop): the logged events first..stop-1
        self.schedule = schedule
        self.sleep = sleep
        self.gaps_filled = 0
        self._rooms: dict[str, _Line] = {}
        self._waits = 0
        self._lock = threading.Lock()

    def note_seq(self, room: str, seq: int) -> None:
        """A client of this process was sent the room up to ``seq``: expect ``seq + 1``,
        unless the room already has an expected number."""
        with self._lock:
            self._rooms.setdefault(room, _Line(seq + 1))

    def accept(self, room: str, event: Event) -> None:
        """Write ``event`` now with any held ones it unblocks, or hold it for a while."""
        seq, wait = event["seq"], 0
        with self._lock:
            line = self._rooms.setdefault(room, _Line(seq))
            if seq < line.expected:
                ready = [event]
            elif seq == line.expected:
                ready = [event, *self._drain(line, seq + 1)]
            else:
                line.held.setdefault(seq, event)
                ready = []
                if not line.wait:
                    wait = line.wait = self._next_wait()
        for item in ready:
            self.deliver(room, item)
        if wait:
            self.schedule(self._fill_later, room, wait)

    def _next_wait(self) -> int:
        self._waits += 1
        return self._waits

    @staticmethod
    def _drain(line: _Line, expected: int) -> list[Event]:
        """The held events from ``expected`` on with no gap (lock held); the wait ends
        when nothing is held any more."""
        ready = []
        while expected in line.held:
            ready.append(line.held.pop(expected))
            expected += 1
        line.expected = expected
        if not line.held:
            line.wait = 0
        return ready

    def _fill_later(self, room: str, wait: int) -> None:
        """After the wait: read what is still missing from the log, then write it and
        the held events in order."""
        self.sleep(self.wait)
        with self._lock:
            line = self._rooms.get(room)
            if line is None or line.wait != wait or not line.held:
                return
            first, stop = line.expected, min(line.held)
        try:
            logged = self.fetch(room, first, stop)
        except Exception:  # the log unreachable: clients ask for the whole state
            logger.exception("live: reading events %d-%d of %s failed", first, stop - 1, room)
            logged = []
        restart = 0
        with self._lock:
            if line.wait != wait:  # the gap closed meanwhile (a later one has its own wait)
                return
            filled = [e for e in logged if line.expected <= e["seq"] < min(line.held or [stop])]
            for item in filled:
                line.held.setdefault(item["seq"], item)
            ready = self._drain(line, min(line.held)) if line.held else []
            if line.held:  # a further gap: a wait of its own
                restart = line.wait = self._next_wait()
            if filled:
                self.gaps_filled += 1
        if filled:
            logger.info("live: %s missed %d event(s) from %d; read from the log (%d gaps)",
                        room, len(filled), first, self.gaps_filled)
        for item in ready:
            self.deliver(room, item)
        if restart:
            self.schedule(self._fill_later, room, restart)


def parse_wait(value: Any) -> float | None:
    """``LIVE_REORDER_WAIT`` in seconds; None (no reordering) for ``off`` or 0."""
    if value is None:
        return DEFAULT_WAIT
    if isinstance(value, str) and value.strip().lower() in ("off", ""):
        return None
    seconds = float(value)
    if seconds < 0:
        raise ValueError(f"LIVE_REORDER_WAIT must be a number of seconds or 'off': {value!r}")
    return seconds or None
