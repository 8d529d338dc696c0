"""What a ``/live`` socket draws from: the workshop's state, a replay, the console's state.

These are sent to one socket (on connect, on ``sync``), translated in its language; room
events, recorded once for everyone, carry the French source labels instead.
"""

from __future__ import annotations

from typing import Any

from diagnostic import audit_queries
from diagnostic.live import events, queries, supports
from diagnostic.live.announce import replay, serialize_items
from diagnostic.live.serialize import public_item, serialize_workshop
from diagnostic.models import Contribution, ContributionKind, Participant, Workshop

from ..extensions import db
from ..i18n import gettext as _


def workshop_state(workshop: Workshop) -> dict[str, Any]:
    """Everything a client needs to (re)draw a workshop: info, counts, published items.

    ``seq`` is the number of the last event the state includes, read before the items: an
    event committed meanwhile is in the items and comes live too (clients apply it once).
    """
    return participant_state(workshop, None)[0]


def participant_state(
    workshop: Workshop, participant: Participant | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """``workshop_state`` and, for a participant, ``my_contributions``, read together: the
    published items, their counts per kind and the participant's own unpublished items
    come from one query (every phone's connection runs it)."""
    queries.reload_workshop(db.session, workshop)
    seq = workshop.last_seq
    published, own = queries.room_and_own(db.session, workshop, participant)
    items = [public_item(item) for item in
             serialize_items(db.session, queries.unmerged(published), _)]
    counts = dict.fromkeys(ContributionKind, 0)  # participation.count_contributions
    for item in published:
        counts[item.kind] += 1
    current = {
        "seq": seq,
        "workshop": serialize_workshop(workshop, _),
        "counts": {kind.value: n for kind, n in counts.items()},
        "contributions": items,
    }
    if participant is None:
        return current, None
    return current, serialize_mine(own)


def missed_events(
    workshop: Workshop, auth: Any, *, full: bool = False
) -> list[dict[str, Any]] | None:
    """The events after the client's ``last_seq``, or None to send the whole state.

    Each event about a contribution carries its current state as the socket may see it
    (``full``: a facilitator's, with the text of hidden and pending items).
    """
    last_seq = auth.get("last_seq") if isinstance(auth, dict) else None
    if not isinstance(last_seq, int) or isinstance(last_seq, bool):
        return None
    recorded = events.events_since(db.session, workshop, last_seq)
    if recorded is None:
        return None
    return replay(db.session, workshop, recorded, full=full)


def logged_events(workshop_id: int, first: int, stop: int) -> list[dict[str, Any]]:
    """The room events ``first`` to ``stop - 1`` from the log, as a replay sends them to
    the room (each item's current public state): a gap a server process fills."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        return []
    return replay(db.session, workshop, events.events_between(db.session, workshop_id,
                                                              first, stop))


def console_state(workshop: Workshop) -> dict[str, Any]:
    """What the console draws: the workshop and every item, whatever its status."""
    contributions = audit_queries.console_contributions(db.session, workshop)
    # No ``seq``: clients apply a numbered event only once, and this one is per socket.
    return {"workshop": serialize_workshop(workshop, _),
            "contributions": serialize_items(db.session, contributions, _)}


def my_votes(participant: Participant) -> dict[str, Any]:
    """A participant's +1s, dots and dots left (``my_votes``)."""
    return supports.participant_votes(db.session, participant)


def my_contributions(participant: Participant) -> dict[str, Any]:
    """A participant's own items awaiting approval or refused, in full (``my_contributions``):
    sent on every connect and sync, since the notices about them are not replayed."""
    return serialize_mine(queries.own_unpublished(db.session, participant))


def serialize_mine(own: list[Contribution]) -> dict[str, Any]:
    """``my_contributions`` of a participant's own unpublished items (``own_unpublished``)."""
    return {"contributions": serialize_items(db.session, own, _)}


def item(contribution: Contribution) -> dict[str, Any]:
    """One contribution as an ack shows it, with its tallies, in this socket's language."""
    return serialize_items(db.session, [contribution], _)[0]
