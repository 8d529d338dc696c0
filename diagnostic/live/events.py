"""A workshop's live messages: numbered, recorded and staged in the transaction that causes them.

A service that changes what a workshop's room sees *stages* a message on the session:

- a **room event** (:func:`stage_event`) gets the workshop's next sequence number and is
  recorded in the event log in the same transaction, so a client that reconnects can be
  replayed what it missed (:func:`events_since`);
- a **console notice** (:func:`stage_notice`) is for the facilitators' consoles only (an item
  awaiting approval): not numbered, not recorded (consoles redraw on reconnect);
- an **author notice** (:func:`stage_author_notice`) is for one participant's own sockets (their
  item awaiting approval, or refused): not numbered, not recorded (phones get their own
  items again on every connect and sync).

Services never commit. The edge (a request, a socket event, a CLI command) commits once, and
an after-commit hook of the web layer takes the staged messages (:func:`take_staged`) and
sends them; a rollback discards them (:func:`discard_staged`). Stored means announced.

The sequence counter is incremented with one ``UPDATE … RETURNING`` on the workshop row: the
row stays locked until the transaction ends, so numbers are handed out, and committed, in
order, even by several server processes sharing a PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

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


def record_event(session: Session, workshop: Workshop, name: str, payload: dict[str, Any]) -> int:
    """Number and store an event of ``workshop`` in the current transaction; return its seq."""
    seq = session.execute(
        update(Workshop)
        .where(Workshop.id == workshop.id)
        .values(last_seq=Workshop.last_seq + 1)
        .returning(Workshop.last_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(workshop, "last_seq", seq)
    # A plain INSERT, run now: nothing reads the row back, and one object fewer in the
    # session spares the commit a unit-of-work flush (this runs on every live event).
    session.execute(insert(WorkshopEvent).values(
        workshop_id=workshop.id, seq=seq, name=name, payload=payload))
    return seq


def stage_event(session: Session, workshop: Workshop, name: str, payload: dict[str, Any]) -> int:
    """Record a room event and stage it to be sent after the commit; return its seq."""
    seq = record_event(session, workshop, name, payload)
    staged(session).append(LiveMessage(workshop.id, name, {**payload, "seq": seq}, "room", seq))
    return seq


def stage_notice(session: Session, workshop: Workshop, name: str, payload: dict[str, Any]) -> None:
    """Stage a message for the workshop's facilitator consoles only (not recorded)."""
    staged(session).append(LiveMessage(workshop.id, name, payload, "facilitators"))


def stage_author_notice(
    session: Session, workshop: Workshop, participant_id: int, name: str, payload: dict[str, Any]
) -> None:
    """Stage a message for one participant's own sockets only (not recorded)."""
    staged(session).append(
        LiveMessage(workshop.id, name, payload, "author", participant_id=participant_id))


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
