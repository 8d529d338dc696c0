"""What a workshop's room (or its consoles) is told when a service changes what they see.

Each function stages a message on the session (``events.stage_event`` or ``stage_notice``),
to be sent after the edge commits. Payloads carry the French source labels: the same event
is recorded once and replayed to every client whatever its language, and each page shows
the labels of its own language from its configuration (the payload's are a fallback).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import Contribution, Workshop
from .events import stage_event, stage_notice
from .queries import tallies
from .serialize import Translate, identity, serialize_contribution, serialize_workshop


def serialize_items(
    session: Session, contributions: list[Contribution], translate: Translate = identity
) -> list[dict]:
    """Contributions as clients show them, with their current supports and dots."""
    counts = tallies(session, contributions)
    return [serialize_contribution(c, translate, *counts.get(c.id, (0, 0)))
            for c in contributions]


def contribution_added(session: Session, contribution: Contribution, *, new: bool = False) -> None:
    """An item appears: to the whole room when published, else to the consoles as pending.

    ``new``: the item was just created, so it has no supports, dots nor merged sources yet
    (its payload is built without a query).
    """
    session.flush()  # a new item needs its id
    item = (serialize_contribution(contribution) if new
            else serialize_items(session, [contribution])[0])
    if contribution.is_published:
        stage_event(session, contribution.workshop, "contribution_added", item)
    else:
        stage_notice(session, contribution.workshop, "contribution_pending", item)


def contribution_updated(
    session: Session, contribution: Contribution, *, was_public: bool = True
) -> None:
    """A changed item: to the room if the room knew it or may see it now, else the consoles.

    Clients replace the item with the same id; one that is no longer published, or is
    merged into another (``merged_into_id``), leaves the columns.
    """
    session.flush()
    item = serialize_items(session, [contribution])[0]
    if was_public or contribution.is_published:
        stage_event(session, contribution.workshop, "contribution_updated", item)
    else:
        stage_notice(session, contribution.workshop, "contribution_updated", item)


def workshop_updated(session: Session, workshop: Workshop) -> None:
    """The workshop's phase, timer or settings changed."""
    session.flush()
    stage_event(session, workshop, "workshop_updated", serialize_workshop(workshop))


def workshop_status(session: Session, workshop: Workshop) -> None:
    """The workshop opened or closed."""
    stage_event(session, workshop, "workshop_status",
                {"workshop_id": workshop.id, "status": workshop.status.value})
