"""A workshop's live messages: staged in the transaction that causes them, numbered at its commit.

A service that changes what a workshop's room sees *stages* a message on the session:

- a **room event** (:func:`stage_event`) is numbered and recorded in the event log when its
  transaction commits (:func:`number_staged`), so a client that reconnects can be replayed
  what it missed (:func:`events_since`);
- a **console notice** (:func:`stage_notice`) is for the facilitators' consoles only (an item
  awaiting approval): not numbered, not recorded (consoles redraw on reconnect);
- an **author notice** (:func:`stage_author_notice`) is for one participant's own sockets (their
  item awaiting approval, or refused): not numbered, not recorded (phones get their own
  items again on every connect and sync).

Services never commit. The edge (a request, a socket event, a CLI command) commits once; a
before-commit hook (:func:`number_staged`, registered by the web layer) numbers and records
the staged room events, and an after-commit hook takes the staged messages
(:func:`take_staged`) and sends them; a rollback discards them (:func:`discard_staged`).
Stored means announced.

Numbers are handed out at the commit, not when an event is staged: the before-commit hook
first flushes the transaction's own changes, then increments each workshop's counter once
for all its events (``UPDATE … SET last_seq = last_seq + n RETURNING``, workshops in id
order) and inserts the events in one statement. The workshop row is therefore locked only
across that insert and the COMMIT, never while a service works or a greenlet waits. Since
the counter's lock is held until the commit, a transaction that takes number n + 1 can
only do so once the one holding n has committed (or rolled back, which gives n back):
numbers are committed in order with no hole, even by several server processes sharing a
PostgreSQL database. A rollback, or a savepoint rolled back (:func:`savepoint`), consumes
no number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..models import Workshop, WorkshopEvent

# A client further behind than this gets the whole state again instead of a replay.
MAX_REPLAY = 500
MAX_SEQ = 2**31 - 1  # a client's last_seq beyond any counter (SQLite binds up to 2**63)
STAGED_KEY = "live_staged_messages"

Audience = Literal["room", "facilitators", "author"]


@dataclass(frozen=True)
class LiveMessage:
    """A message to send once its transaction commits."""

    workshop_id: int
    name: str
    payload: dict[str, Any]
    audience: Audience = "room"
    seq: int | None = None  # room events only
    participant_id: int | None = None  # author notices only


def record_events(session: Session, records: list[tuple[int, str, dict[str, Any]]]) -> list[int]:
    """Number and store events ``(workshop_id, name, payload)`` now, in order; their seqs.

    One ``UPDATE … RETURNING`` per workshop (in id order, so two transactions never wait
    for each other's rows crosswise) takes all its numbers at once, then one INSERT stores
    every event. Each workshop row stays locked until the transaction ends: run this last
    (:func:`number_staged` does, at the commit); scripts and fixtures may call it directly.
    """
    if not records:
        return []
    counts = Counter(workshop_id for workshop_id, _name, _payload in records)
    next_seq = {workshop_id: _allocate(session, workshop_id, count)
                for workshop_id, count in sorted(counts.items())}
    rows = []
    for workshop_id, name, payload in records:
        seq, next_seq[workshop_id] = next_seq[workshop_id], next_seq[workshop_id] + 1
        rows.append({"workshop_id": workshop_id, "seq": seq, "name": name, "payload": payload})
    # A plain INSERT (executemany): nothing reads the rows back, and no object in the
    # session spares the commit a unit-of-work flush (this runs on every live event).
    session.execute(insert(WorkshopEvent), rows)
    return [row["seq"] for row in rows]


def _allocate(session: Session, workshop_id: int, count: int) -> int:
    """Take ``count`` numbers of the workshop's counter; return the first."""
    last = session.execute(
        update(Workshop)
        .where(Workshop.id == workshop_id)
        .values(last_seq=Workshop.last_seq + count)
        .returning(Workshop.last_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    workshop = session.identity_map.get(identity_key(Workshop, workshop_id))
    if workshop is not None:
        set_committed_value(workshop, "last_seq", last)
    return last - count + 1


def record_event(session: Session, workshop: Workshop, name: str, payload: dict[str, Any]) -> int:
    """Number and store one event of ``workshop`` now (scripts, fixtures); return its seq."""
    return record_events(session, [(workshop.id, name, payload)])[0]


def stage_event(session: Session, workshop: Workshop, name: str, payload: dict[str, Any]) -> None:
    """Stage a room event: numbered, recorded and sent when the transaction commits."""
    staged(session).append(LiveMessage(workshop.id, name, payload, "room"))


def number_staged(session: Session) -> None:
    """Before a commit: number and record the room events the transaction staged.

    The transaction's own changes are flushed first, so the workshop counters are the
    last rows it locks (see the module's docstring). The staged messages are replaced by
    numbered ones (``seq``, and ``payload["seq"]`` as clients receive it). A savepoint's
    release is no commit: its events wait for the outermost one.
    """
    if session.in_nested_transaction():
        return
    messages = session.info.get(STAGED_KEY)
    pending = [index for index, message in enumerate(messages or [])
               if message.audience == "room" and message.seq is None]
    if not pending:
        return
    session.flush()
    seqs = record_events(session, [
        (messages[i].workshop_id, messages[i].name, messages[i].payload) for i in pending])
    for index, seq in zip(pending, seqs, strict=True):
        message = messages[index]
        messages[index] = replace(message, seq=seq, payload={**message.payload, "seq": seq})


def stage_notice(session: Session, workshop: Workshop, name: str, payload: dict[str, Any]) -> None:
    """Stage a message for the workshop's facilitator consoles only (not recorded)."""
    staged(session).append(LiveMessage(workshop.id, name, payload, "facilitators"))


def stage_author_notice(
    session: Session, workshop: Workshop, participant_id: int, name: str, payload: dict[str, Any]
) -> None:
    """Stage a message for one participant's own sockets only (not recorded)."""
    staged(session).append(
        LiveMessage(workshop.id, name, payload, "author", participant_id=participant_id))


def rewrite_staged(session: Session, workshop_id: int,
                   rewrite: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """Rewrite the payloads of the room events staged for the workshop: they reach the
    log only at the commit, so what scrubs the log (an erasure, a withdrawal) scrubs
    them too."""
    messages = staged(session)
    for index, message in enumerate(messages):
        if message.audience == "room" and message.workshop_id == workshop_id:
            payload = rewrite(message.payload)
            if payload != message.payload:
                messages[index] = replace(message, payload=payload)


def staged(session: Session) -> list[LiveMessage]:
    """The messages staged in the session's current transaction, in order."""
    return session.info.setdefault(STAGED_KEY, [])


def take_staged(session: Session) -> list[LiveMessage]:
    """Remove and return the staged messages (their transaction has committed)."""
    return session.info.pop(STAGED_KEY, None) or []


def discard_staged(session: Session) -> None:
    """Forget the staged messages (their transaction was rolled back)."""
    session.info.pop(STAGED_KEY, None)


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A SAVEPOINT whose rollback also forgets the messages staged inside it."""
    mark = len(staged(session))
    try:
        with session.begin_nested():
            yield
    except BaseException:
        del staged(session)[mark:]
        raise


def events_since(session: Session, workshop: Workshop, seq: int) -> list[WorkshopEvent] | None:
    """The events after ``seq`` in order, or None when a replay cannot bring the client up
    to date (too far behind, or ``seq`` is not a number this workshop has handed out).

    Exact whatever commits meanwhile: the events are read in one statement, and numbers
    are committed in order (the workshop row's lock), so what is read has no hole; an event
    committed after that read reaches the client live, since it joined the room before.
    """
    if seq < 0 or seq > MAX_SEQ:
        return None
    events = list(session.scalars(
        select(WorkshopEvent)
        .where(WorkshopEvent.workshop_id == workshop.id, WorkshopEvent.seq > seq)
        .order_by(WorkshopEvent.seq)
        .limit(MAX_REPLAY + 1)
    ))
    if len(events) > MAX_REPLAY:
        return None
    if [e.seq for e in events] != list(range(seq + 1, seq + 1 + len(events))):
        return None  # the oldest missed events are gone from the log
    if not events:
        # Nothing after seq: fine if the workshop did hand it out (a number from another
        # database, or from the future, gets the whole state).
        current = session.scalar(select(Workshop.last_seq).where(Workshop.id == workshop.id))
        if seq > (current or 0):
            return None
    return events


def events_between(session: Session, workshop_id: int, first: int, stop: int
                   ) -> list[WorkshopEvent]:
    """The logged events numbered ``first`` to ``stop - 1`` (at most MAX_REPLAY), in order:
    what a server process missed of a room (``workshops/live/reorder.py``)."""
    return list(session.scalars(
        select(WorkshopEvent)
        .where(WorkshopEvent.workshop_id == workshop_id, WorkshopEvent.seq >= first,
               WorkshopEvent.seq < stop)
        .order_by(WorkshopEvent.seq)
        .limit(MAX_REPLAY)
    ))
