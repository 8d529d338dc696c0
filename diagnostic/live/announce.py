"""What a workshop's room (or its consoles) is told when a service changes what they see.

Each function stages a message on the session (``events.stage_event`` or ``stage_notice``),
to be sent after the edge commits. Payloads carry the French source labels: the same event
is recorded once and replayed to every client whatever its language, and each page shows
the labels of its own language from its configuration (the payload's are a fallback).

What goes to the room (and so to its event log) is what the room may see: an item that
is hidden or pending is *withdrawn* (``serialize.public_item``: no text), and its full
version goes to the consoles only, and to its author while it awaits approval or after it
was refused (:func:`author_may_see`: they are told what became of it). A replay
(:func:`replay`) sends each item's current public state, never the words an old event
recorded.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import Contribution, ContributionStatus, Workshop, WorkshopEvent
from ..queries import CONTRIBUTION_DETAILS
from .events import stage_author_notice, stage_event, stage_notice
from .queries import tallies
from .serialize import (
    PUBLIC_WHEN_WITHDRAWN,
    Translate,
    identity,
    public_item,
    serialize_contribution,
    serialize_workshop,
)

CONTRIBUTION_EVENTS = ("contribution_added", "contribution_updated")
AUTHOR_EVENT = "my_contribution"  # one of the author's own items the room may not see


def author_may_see(contribution: Contribution) -> bool:
    """Whether the item's author gets its full text though the room does not: it awaits
    approval, or was refused. A published item they see like everyone; one hidden after
    publication they no longer see (hiding is no refusal, see ``moderation.hide``)."""
    return contribution.participant_id is not None and (
        contribution.status == ContributionStatus.PENDING
        or (contribution.status == ContributionStatus.HIDDEN and contribution.is_refused))


def _tell_author(session: Session, contribution: Contribution, item: dict[str, Any]) -> None:
    """Stage the item's full version for its author's own sockets, if they may see it."""
    if author_may_see(contribution):
        stage_author_notice(session, contribution.workshop, contribution.participant_id,
                            AUTHOR_EVENT, item)


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
        stage_event(session, contribution.workshop, "contribution_added", public_item(item))
    else:
        stage_notice(session, contribution.workshop, "contribution_pending", item)
        _tell_author(session, contribution, item)


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
        public = public_item(item)
        stage_event(session, contribution.workshop, "contribution_updated", public)
        if public != item:  # the room's version lacks text the consoles show
            stage_notice(session, contribution.workshop, "contribution_updated", item)
    else:
        stage_notice(session, contribution.workshop, "contribution_updated", item)
        _tell_author(session, contribution, item)


def contribution_withdrawn(
    session: Session, contribution: Contribution, *, was_public: bool
) -> None:
    """An item its author withdrew: every board, phone and console removes it for good.

    The room hears of it if it knew it (``withdrawn``, no text); the consoles and the
    author's own phones always do (it may have been pending, or refused).
    """
    session.flush()
    item = serialize_items(session, [contribution])[0]
    if was_public:
        stage_event(session, contribution.workshop, "contribution_updated", public_item(item))
    stage_notice(session, contribution.workshop, "contribution_updated", item)
    if contribution.participant_id is not None:
        stage_author_notice(session, contribution.workshop, contribution.participant_id,
                            AUTHOR_EVENT, item)


def replay(
    session: Session, workshop: Workshop, recorded: list[WorkshopEvent], *, full: bool = False
) -> list[dict[str, Any]]:
    """The recorded events as a reconnecting client gets them, one per seq, in order.

    An event about a contribution carries the item's CURRENT state instead of the one it
    recorded: a reworded item its current wording, an item the room may no longer see a
    withdrawn ``contribution_updated`` without text (``full``: a console's replay, which
    keeps the text facilitators see). Sequence numbers are unchanged.
    """
    ids = {e.payload.get("id") for e in recorded if e.name in CONTRIBUTION_EVENTS}
    contributions = list(session.scalars(
        select(Contribution)
        .where(Contribution.id.in_([i for i in ids if isinstance(i, int)]),
               Contribution.workshop_id == workshop.id)
        .options(*CONTRIBUTION_DETAILS, selectinload(Contribution.merged_sources))
    )) if ids else []
    current = {item["id"]: item for item in serialize_items(session, contributions)}
    result = []
    for event in recorded:
        name, payload = event.name, event.payload
        if name in CONTRIBUTION_EVENTS:
            payload = current.get(payload.get("id")) or {
                **{key: payload.get(key) for key in PUBLIC_WHEN_WITHDRAWN}, "status": "deleted"}
            if not full or payload["status"] == "deleted":
                payload = public_item(payload)
            if payload["status"] != "published" or payload.get("merged_into_id") is not None:
                name = "contribution_updated"  # clients take it out of the columns
        result.append({"name": name, "seq": event.seq, "payload": {**payload, "seq": event.seq}})
    return result


def workshop_updated(session: Session, workshop: Workshop) -> None:
    """The workshop's phase, timer or settings changed."""
    session.flush()
    stage_event(session, workshop, "workshop_updated", serialize_workshop(workshop))


def workshop_status(session: Session, workshop: Workshop) -> None:
    """The workshop opened, closed or reopened: the whole workshop, status and phase
    together (clients show both from the same event, never one without the other)."""
    session.flush()
    stage_event(session, workshop, "workshop_status",
                {"workshop_id": workshop.id, **serialize_workshop(workshop)})
