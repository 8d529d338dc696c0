"""Read helpers for the staff pages: diagnostics with counts, paginated contributions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .models import (
    Contribution,
    ContributionKind,
    Diagnostic,
    Participant,
    User,
    Workshop,
    WorkshopStatus,
)

PER_PAGE = 50


# Every relation a contribution is displayed with (serialize_contribution, staff table),
# loaded in a few queries instead of one per row.
CONTRIBUTION_DETAILS = (
    selectinload(Contribution.participant),
    selectinload(Contribution.ess_family),
    selectinload(Contribution.activity_sector),
    selectinload(Contribution.actor_type),
    selectinload(Contribution.need_category),
    selectinload(Contribution.stake),
    selectinload(Contribution.responsible_party),
    selectinload(Contribution.answered_needs),
)


@dataclass(frozen=True)
class DiagnosticSummary:
    """A diagnostic with the counts shown on its card."""

    diagnostic: Diagnostic
    workshop_count: int
    contribution_count: int


class Paged:
    """What a pager needs of one page of results (``total``, ``page``, ``per_page``)."""

    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Number of pages (at least one, even when empty)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class ContributionPage(Paged):
    """One page of contributions."""

    items: list[Contribution]
    total: int
    page: int
    per_page: int


def list_diagnostics(session: Session, *, archived: bool = False) -> list[DiagnosticSummary]:
    """The current (or the archived) diagnostics, newest first, with their counts."""
    workshops = (
        select(func.count(Workshop.id))
        .where(Workshop.diagnostic_id == Diagnostic.id)
        .scalar_subquery()
    )
    contributions = (
        select(func.count(Contribution.id))
        .join(Workshop, Contribution.workshop_id == Workshop.id)
        .where(Workshop.diagnostic_id == Diagnostic.id, Contribution.withdrawn_at.is_(None))
        .scalar_subquery()
    )
    shown = Diagnostic.archived_at.is_not(None) if archived else Diagnostic.archived_at.is_(None)
    rows = session.execute(
        select(Diagnostic, workshops, contributions).where(shown).order_by(
            Diagnostic.created_at.desc(), Diagnostic.id.desc()
        )
    ).all()
    return [DiagnosticSummary(d, w, c) for d, w, c in rows]


def archived_diagnostic_count(session: Session) -> int:
    """How many diagnostics are archived (the list's "Archivés" filter)."""
    return session.scalar(select(func.count(Diagnostic.id))
                          .where(Diagnostic.archived_at.is_not(None))) or 0


def contributions_page(
    session: Session,
    diagnostic: Diagnostic,
    *,
    workshop_id: int | None = None,
    kind: ContributionKind | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> ContributionPage:
    """A page of the diagnostic's contributions (all statuses), oldest first, filtered.

    ``page`` beyond the last page is brought back to the last one. Contributions their
    authors withdrew are left out: nothing is left of them to show.
    """
    conditions = [Workshop.diagnostic_id == diagnostic.id, Contribution.withdrawn_at.is_(None)]
    if workshop_id is not None:
        conditions.append(Contribution.workshop_id == workshop_id)
    if kind is not None:
        conditions.append(Contribution.kind == kind)
    total = session.scalar(
        select(func.count(Contribution.id)).join(Contribution.workshop).where(*conditions)
    )
    page = min(max(page, 1), max(1, -(-total // per_page)))
    items = session.scalars(
        select(Contribution)
        .join(Contribution.workshop)
        .where(*conditions)
        .options(selectinload(Contribution.workshop), *CONTRIBUTION_DETAILS)
        .order_by(Contribution.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return ContributionPage(list(items), total, page, per_page)


def participant_count(session: Session, workshop: Workshop) -> int:
    """How many participants joined the workshop."""
    return session.scalar(
        select(func.count(Participant.id)).where(Participant.workshop_id == workshop.id)
    )


def workshops_to_facilitate(session: Session, user: User) -> list[Workshop]:
    """The workshops ``user`` may run: all for staff, the assigned ones for a facilitator.

    Open ones first, then planned ones by date, then closed ones (for their minutes).
    Archived workshops, and those of archived diagnostics, are left out.
    """
    query = (select(Workshop).options(selectinload(Workshop.diagnostic))
             .join(Diagnostic, Workshop.diagnostic_id == Diagnostic.id)
             .where(Workshop.archived_at.is_(None), Diagnostic.archived_at.is_(None)))
    if not user.is_staff:
        query = query.where(Workshop.facilitators.any(User.id == user.id))
    rows = session.scalars(
        query.order_by(Workshop.date.is_(None), Workshop.date, Workshop.id)
    ).all()
    order = {WorkshopStatus.OPEN: 0, WorkshopStatus.DRAFT: 1, WorkshopStatus.CLOSED: 2}
    return sorted(rows, key=lambda w: order[w.status])


def user_by_email(session: Session, email: str) -> User | None:
    """The account with this e-mail address, compared case-insensitively."""
    normalised = (email or "").strip().lower()
    return session.scalar(select(User).where(func.lower(User.email) == normalised))
