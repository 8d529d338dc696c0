"""Read helpers of the live workshop pages and socket (queries only, no mutation)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import Contribution, ContributionKind, ContributionStatus, Workshop
from .services import normalise_join_code

# Everything serialize_contribution reads, loaded in a few queries instead of one per row.
_FEED_OPTIONS = (
    selectinload(Contribution.participant),
    selectinload(Contribution.ess_family),
    selectinload(Contribution.activity_sector),
    selectinload(Contribution.actor_type),
    selectinload(Contribution.need_category),
    selectinload(Contribution.stake),
    selectinload(Contribution.responsible_party),
    selectinload(Contribution.answered_needs),
)


def workshop_by_code(session: Session, code: str) -> Workshop | None:
    """The workshop with this join code whatever its status, or None."""
    normalised = normalise_join_code(code)
    if not normalised:
        return None
    return session.scalar(select(Workshop).where(Workshop.join_code == normalised))


def feed(session: Session, workshop: Workshop) -> list[Contribution]:
    """The workshop's published contributions, oldest first, ready to serialize."""
    return list(
        session.scalars(
            select(Contribution)
            .where(
                Contribution.workshop_id == workshop.id,
                Contribution.status == ContributionStatus.PUBLISHED,
            )
            .order_by(Contribution.id)
            .options(*_FEED_OPTIONS)
        )
    )


def published_needs(session: Session, workshop: Workshop) -> list[Contribution]:
    """The workshop's published needs, oldest first (what a recommendation may answer)."""
    return list(
        session.scalars(
            select(Contribution)
            .where(
                Contribution.workshop_id == workshop.id,
                Contribution.kind == ContributionKind.NEED,
                Contribution.status == ContributionStatus.PUBLISHED,
            )
            .order_by(Contribution.id)
        )
    )
