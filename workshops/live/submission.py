"""A participant's contribution at the edge: one path for the socket and the HTTP fallback.

Both spend the same per-participant ``submit`` token (``ratelimit``), then call the one
service; the caller commits. A resend of an item already stored is never refused, and
costs nothing: the outbox must hear that it arrived. Withdrawing one's own item spends a
``support`` token (a small action on one item, like a +1), on both paths too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from diagnostic.live import queries
from diagnostic.live.participation import submit_contribution
from diagnostic.live.withdrawal import withdraw_contribution
from diagnostic.models import Contribution, ContributionStatus, Participant, utcnow

from ..extensions import db
from . import ratelimit
from .acks import Refusal


def submit(participant: Participant, data: Mapping[str, Any]) -> tuple[Contribution, bool]:
    """Store ``data`` for ``participant`` within its rate limit; returns (row, created)."""
    client = ratelimit.participant_key(participant.id)
    try:
        ratelimit.spend("submit", client)
        spent = True
    except Refusal:
        if not queries.has_client_id(db.session, participant.id, data.get("client_id")):
            raise
        spent = False
    contribution, created = submit_contribution(db.session, participant, data)
    if spent and not created:
        ratelimit.give_back("submit", client)
    return contribution, created


def withdraw(participant: Participant, contribution_id: Any) -> tuple[Contribution, bool]:
    """Withdraw one of ``participant``'s own items within its rate limit; returns
    (tombstone, True when withdrawn now)."""
    ratelimit.spend("support", ratelimit.participant_key(participant.id))
    return withdraw_contribution(db.session, participant, contribution_id, at=utcnow())


def submitted_ack(contribution: Contribution) -> dict[str, Any]:
    """The socket's ack of a stored contribution (``pending``: awaiting approval;
    ``withdrawn``: a resend of an item its author has withdrawn since, not stored again)."""
    ack: dict[str, Any] = {"ok": True, "id": contribution.id, "client_id": contribution.client_id}
    if contribution.withdrawn_at is not None:
        ack["withdrawn"] = True
    elif contribution.status == ContributionStatus.PENDING:
        ack["pending"] = True
    return ack
