"""The numbered live events of a workshop, so a client that reconnects can catch up.

Every state change broadcast to a workshop's room is first recorded here with the
workshop's next sequence number. The counter is incremented with one atomic
``UPDATE … RETURNING`` on the workshop row, so several server processes sharing a
PostgreSQL database never hand out the same number twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .models import Workshop, WorkshopEvent

# A client further behind than this gets the whole state again instead of a replay.
MAX_REPLAY = 500


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


def events_since(session: Session, workshop: Workshop, seq: int) -> list[WorkshopEvent] | None:
    """The events after ``seq`` in order, or None when a replay cannot bring the client up
    to date (too far behind, or ``seq`` is not a number this workshop has handed out)."""
    current = session.scalar(select(Workshop.last_seq).where(Workshop.id == workshop.id)) or 0
    if seq < 0 or seq > current or current - seq > MAX_REPLAY:
        return None
    events = list(
        session.scalars(
            select(WorkshopEvent)
            .where(WorkshopEvent.workshop_id == workshop.id, WorkshopEvent.seq > seq)
            .order_by(WorkshopEvent.seq)
        )
    )
    if [e.seq for e in events] != list(range(seq + 1, current + 1)):
        return None
    return events
