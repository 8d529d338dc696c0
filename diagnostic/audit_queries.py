"""Read helpers of the facilitator console and the staff audit log (queries only)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import AuditEntry, Contribution, Role, User, Workshop
from .queries import CONTRIBUTION_DETAILS


def console_contributions(session: Session, workshop: Workshop) -> list[Contribution]:
    """Every contribution of the workshop, whatever its status or merge, oldest first
    (except those their authors withdrew: nothing is left of them to moderate)."""
    return list(session.scalars(
        select(Contribution)
        .where(Contribution.workshop_id == workshop.id, Contribution.withdrawn_at.is_(None))
        .options(*CONTRIBUTION_DETAILS, selectinload(Contribution.merged_sources))
        .order_by(Contribution.id)
    ))


def audit_log(session: Session, workshop: Workshop, limit: int = 500) -> list[AuditEntry]:
    """The workshop's audit entries, newest first, with their author."""
    return list(session.scalars(
        select(AuditEntry)
        .where(AuditEntry.workshop_id == workshop.id)
        .options(selectinload(AuditEntry.user))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    ))


def facilitator_accounts(session: Session) -> list[User]:
    """Active facilitator accounts, by name (to assign to a workshop)."""
    return list(session.scalars(
        select(User).where(User.role == Role.FACILITATOR, User.active.is_(True))
        .order_by(User.name, User.id)
    ))
