"""Supports (+1) during collection and dot voting in the vote phase.

Rules (server-enforced, nothing changed on refusal):

- A participant supports a published, non-merged contribution of their own workshop once,
  while the workshop is open and not in the vote or closed phase. A second support is
  acknowledged as already done and stored once. Supporting one's own contribution is
  refused: a +1 says "I share this", which the author already does.
- In the vote phase a participant sets their dots on an item (0 removes them):
  ``0 ≤ dots ≤ dot_max_per_item`` and the sum of their dots over the workshop's published
  items stays ≤ ``dot_budget``. Dots on one's own item are allowed (as with paper dots).
  The total is computed inside the transaction after a write on the participant's row
  (:func:`_serialise_votes`), so two concurrent votes of one participant cannot both pass
  the budget check, on PostgreSQL and on SQLite alike. Taking dots back (fewer than the
  item has) is always allowed, even when the participant is over budget (an item restored
  after a hide brings its dots back into the count).

Each service flushes and stages the item's new tallies for the room; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, literal, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import N_, DomainError, NotFound
from ..models import (
    Contribution,
    ContributionStatus,
    Participant,
    Phase,
    Support,
    Vote,
    Workshop,
)
from ..validation import is_id
from . import announce
from .events import savepoint
from .participation import require_open  # same refusals as contributions (draft / closed)
from .queries import feed, tallies

COLLECTION_CLOSED = (Phase.VOTE, Phase.CLOSED)


@dataclass(frozen=True)
class Ranked:
    """A contribution with its tallies (its own and those of the items merged into it)."""

    contribution: Contribution
    dots: int
    supports: int


def _target(session: Session, participant: Participant, contribution_id: Any) -> Contribution:
    """The published, non-merged contribution of the participant's workshop, or NotFound."""
    if not is_id(contribution_id):
        raise NotFound(N_("Contribution introuvable."))
    contribution = session.get(Contribution, contribution_id)
    if (
        contribution is None
        or contribution.workshop_id != participant.workshop_id
        or contribution.status != ContributionStatus.PUBLISHED
        or contribution.merged_into_id is not None
    ):
        raise NotFound(N_("Contribution introuvable."))
    return contribution


def _require_collection(workshop: Workshop) -> None:
    """Supports are taken while collecting, not during the vote nor once closed."""
    require_open(workshop)
    if workshop.phase in COLLECTION_CLOSED:
        raise DomainError(N_("Les soutiens (+1) sont fermés : place au vote par gommettes."))


def support_contribution(
    session: Session, participant: Participant, contribution_id: Any
) -> tuple[Contribution, bool]:
    """+1 a contribution once; returns (contribution, True when a support was stored)."""
    workshop = participant.workshop
    _require_collection(workshop)
    contribution = _target(session, participant, contribution_id)
    if contribution.participant_id == participant.id:
        raise DomainError(N_("Vous ne pouvez pas soutenir votre propre contribution."))
    if _support_of(session, participant, contribution) is not None:
        return contribution, False
    try:
        with savepoint(session):
            session.add(Support(contribution_id=contribution.id, participant_id=participant.id))
    except IntegrityError:  # the same +1 arrived twice at once: it is stored once
        return contribution, False
    announce.contribution_updated(session, contribution)
    return contribution, True


def withdraw_support(
    session: Session, participant: Participant, contribution_id: Any
) -> tuple[Contribution, bool]:
    """Take a +1 back; returns (contribution, True when a support was removed)."""
    _require_collection(participant.workshop)
    contribution = _target(session, participant, contribution_id)
    support = _support_of(session, participant, contribution)
    if support is None:
        return contribution, False
    session.delete(support)
    announce.contribution_updated(session, contribution)
    return contribution, True


def _support_of(session: Session, participant: Participant, contribution: Contribution):
    """The participant's support of the contribution, if any."""
    return session.scalar(
        select(Support).where(
            Support.contribution_id == contribution.id, Support.participant_id == participant.id
        )
    )


def _dots_used(session: Session, participant: Participant, *, besides: int | None = None) -> int:
    """The participant's dots on the workshop's published items (except item ``besides``)."""
    query = (
        select(func.coalesce(func.sum(Vote.dots), 0))
        .join(Contribution, Contribution.id == Vote.contribution_id)
        .where(
            Vote.participant_id == participant.id,
            Contribution.workshop_id == participant.workshop_id,
            Contribution.status == ContributionStatus.PUBLISHED,
        )
    )
    if besides is not None:
        query = query.where(Vote.contribution_id != besides)
    return int(session.scalar(query) or 0)


def set_dots(
    session: Session, participant: Participant, contribution_id: Any, dots: Any
) -> tuple[Contribution, int, bool]:
    """Put ``dots`` on an item (0 removes); returns (contribution, dots left, changed)."""
    workshop = participant.workshop
    require_open(workshop)
    if workshop.phase != Phase.VOTE:
        raise DomainError(N_("Le vote n'est pas ouvert : attendez que l'animation le lance."))
    if not isinstance(dots, int) or isinstance(dots, bool) or dots < 0:
        raise DomainError(N_("Indiquez un nombre de gommettes positif ou nul."))
    if dots > workshop.dot_max_per_item:
        raise DomainError(N_("Au plus %(max)s gommettes sur une même contribution."),
                          max=workshop.dot_max_per_item)
    contribution = _target(session, participant, contribution_id)
    _serialise_votes(session, participant)
    others = _dots_used(session, participant, besides=contribution.id)
    vote = session.scalar(
        select(Vote).where(
            Vote.contribution_id == contribution.id, Vote.participant_id == participant.id
        )
    )
    taking_back = dots <= (vote.dots if vote else 0)
    if not taking_back and others + dots > workshop.dot_budget:
        left = max(workshop.dot_budget - _dots_used(session, participant), 0)
        raise DomainError(
            N_("Pas assez de gommettes : vous en avez %(budget)s en tout, "
               "il vous en reste %(left)s."),
            budget=workshop.dot_budget, left=left,
        )
    changed = (vote.dots if vote else 0) != dots
    if vote is not None and dots == 0:
        session.delete(vote)
    elif vote is not None:
        vote.dots = dots
    elif dots > 0:
        session.add(Vote(contribution_id=contribution.id, participant_id=participant.id,
                         dots=dots))
    if changed:
        announce.contribution_updated(session, contribution)
    return contribution, max(workshop.dot_budget - others - dots, 0), changed


def _serialise_votes(session: Session, participant: Participant) -> None:
    """Make the vote's transaction a writer of the participant's row before it reads.

    A no-op UPDATE of the row: PostgreSQL holds its row lock until the transaction ends,
    and on SQLite the first write takes the database's write lock (Python's sqlite3 only
    opens the transaction before a data-changing statement, so ``SELECT … FOR UPDATE``
    would lock nothing there). Either way a second vote of the same participant waits
    here until the first has committed, then reads its dots.
    """
    session.execute(
        update(Participant)
        .where(Participant.id == participant.id)
        .values(id=Participant.id)
        .execution_options(synchronize_session=False)
    )


def participant_votes(session: Session, participant: Participant) -> dict[str, Any]:
    """What a participant's phone needs after a reload: their +1s, dots and dots left.

    One query (every phone that joins or reconnects runs it): the +1s, the dots on
    published items and the participant's own items, each row tagged with its list.
    """
    workshop = participant.workshop
    rows = session.execute(_participant_votes(), {"participant_id": participant.id}).all()
    supported: list[int] = []
    own: list[int] = []
    votes: list[tuple[int, int]] = []
    for tag, contribution_id, dots in rows:
        if tag == "votes":
            votes.append((contribution_id, dots))
        else:
            (supported if tag == "supported" else own).append(contribution_id)
    # A participant only votes in their own workshop: these are exactly the dots used.
    dots = {str(contribution_id): n for contribution_id, n in sorted(votes)}
    return {
        "supported": sorted(supported),
        "votes": dots,
        "own": sorted(own),
        "dots_left": max(workshop.dot_budget - sum(dots.values()), 0),
        "dot_budget": workshop.dot_budget,
        "dot_max_per_item": workshop.dot_max_per_item,
    }


@cache
def _participant_votes():
    """The query of ``participant_votes``, built once (every phone's join runs it)."""
    participant_id = bindparam("participant_id")
    return union_all(
        select(literal("supported"), Support.contribution_id, literal(0))
        .where(Support.participant_id == participant_id),
        select(literal("votes"), Vote.contribution_id, Vote.dots)
        .join(Contribution, Contribution.id == Vote.contribution_id)
        .where(Vote.participant_id == participant_id,
               Contribution.status == ContributionStatus.PUBLISHED),
        select(literal("own"), Contribution.id, literal(0))
        .where(Contribution.participant_id == participant_id,
               Contribution.withdrawn_at.is_(None)),
    )


def top_voted(session: Session, workshop: Workshop, limit: int | None = 10) -> list[Ranked]:
    """The workshop's shown items ranked by dots, then supports, then age (top ``limit``)."""
    items = feed(session, workshop)
    counts = tallies(session, items)
    ranked = [Ranked(c, counts.get(c.id, (0, 0))[1], counts.get(c.id, (0, 0))[0]) for c in items]
    ranked.sort(key=lambda r: (-r.dots, -r.supports, r.contribution.id))
    return ranked[:limit] if limit is not None else ranked

