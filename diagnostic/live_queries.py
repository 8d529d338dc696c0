"""Read helpers of the live workshop pages and socket (queries only, no mutation)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Contribution, ContributionKind, ContributionStatus, Workshop
from .queries import CONTRIBUTION_DETAILS
from .services import normalise_join_code


def workshop_by_code(session: Session, code: str) -> Workshop | None:
    """The workshop with this join code whatever its status, or None."""
    normalised = normalise_join_code(code)
    if not normalised:
        return None
    return session.scalar(select(Workshop).where(Workshop.join_code == normalised))


def _published(workshop: Workshop, *conditions):
    """Select the workshop's published contributions matching ``conditions``, oldest first."""
    return (
        select(Contribution)
        .where(
            Contribution.workshop_id == workshop.id,
            Contribution.status == ContributionStatus.PUBLISHED,
            *conditions,
        )
        .order_by(Contribution.id)
    )


def feed(session: Session, workshop: Workshop) -> list[Contribution]:
    """The workshop's published contributions, oldest first, ready to serialize."""
    return list(session.scalars(_published(workshop).options(*CONTRIBUTION_DETAILS)))


def published_needs(session: Session, workshop: Workshop) -> list[Contribution]:
    """The workshop's published needs, oldest first (what a recommendation may answer)."""
    return list(session.scalars(_published(workshop, Contribution.kind == ContributionKind.NEED)))
