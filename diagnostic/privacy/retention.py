"""How long participants' personal data is kept, and the purge that ends it.

A diagnostic keeps its participants' personal data (names, organisations, contacts)
``Diagnostic.retention_months`` months after its report was validated
(``report_validated_on``, set with ``report_status`` *validated*). Until the report is
validated nothing expires: the data is still needed to write it. :func:`purge` (run
daily by ``diagnostic purge``) anonymises every participant of a diagnostic whose period
has passed through :func:`~.erasure.erase_participant`, and clears the names and contacts
typed by the facilitation for people without a phone (scribe entries, which have no
participant to erase) and the names commenters gave on the restitution page.
Contributions, supports and votes stay, anonymised. The logs of
its workshops lose what repeats those names and contacts: the personal fields of the
audit entries' ``before``/``after``, and the live events of its closed workshops (a
phone's catch-up log, whose payloads carry authors' names; a client that reconnects
later gets the whole state instead).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from ..archive.anonymise import PERSONAL_KEYS
from ..models import (
    AuditEntry,
    Contribution,
    Diagnostic,
    Participant,
    ReportStatus,
    RestitutionComment,
    Workshop,
    WorkshopEvent,
    WorkshopStatus,
)
from ..models.base import utcnow
from .erasure import erase_participant


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; a day the target month lacks becomes its
    last day (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_of(diagnostic: Diagnostic) -> date | None:
    """The day its participants' personal data expires, or None (report not validated yet:
    the data is kept)."""
    if diagnostic.report_status != ReportStatus.VALIDATED or diagnostic.report_validated_on is None:
        return None
    return add_months(diagnostic.report_validated_on, diagnostic.retention_months)


def is_expired(diagnostic: Diagnostic, today: date) -> bool:
    """True from the expiry day on."""
    expiry = expiry_of(diagnostic)
    return expiry is not None and expiry <= today


def _expired_ids(session: Session, today: date) -> list[int]:
    """The ids of the diagnostics whose personal data has expired on ``today``."""
    validated = session.scalars(
        select(Diagnostic).where(Diagnostic.report_status == ReportStatus.VALIDATED)
        .order_by(Diagnostic.id))
    return [d.id for d in validated if is_expired(d, today)]


def due_participants(session: Session, today: date) -> list[Participant]:
    """The participants not erased yet whose diagnostic's retention period is over."""
    return _not_erased(session, _expired_ids(session, today))


def _not_erased(session: Session, ids: list[int]) -> list[Participant]:
    """The participants of diagnostics ``ids`` who still hold personal data."""
    if not ids:
        return []
    return list(session.scalars(
        select(Participant).join(Workshop)
        .where(Workshop.diagnostic_id.in_(ids), Participant.erased_at.is_(None))
        .order_by(Participant.id)))


def _scribe_entries(session: Session, diagnostic_id: int) -> list[Contribution]:
    """Contributions typed for someone without a phone that still name or reach them."""
    return list(session.scalars(
        select(Contribution).join(Workshop)
        .where(Workshop.diagnostic_id == diagnostic_id, Contribution.participant_id.is_(None),
               or_(Contribution.on_behalf_of.is_not(None), Contribution.contact.is_not(None)))
        .order_by(Contribution.id)))


def _audit_entries(session: Session, diagnostic_id: int) -> list[AuditEntry]:
    """The audit entries of the diagnostic's workshops whose before/after hold a personal
    field."""
    entries = session.scalars(
        select(AuditEntry).join(Workshop, AuditEntry.workshop_id == Workshop.id)
        .where(Workshop.diagnostic_id == diagnostic_id).order_by(AuditEntry.id))
    return [entry for entry in entries
            if any(PERSONAL_KEYS & set(side or {}) for side in (entry.before, entry.after))]


def _clean_audit(entry: AuditEntry) -> None:
    """Remove the personal fields of ``entry``'s before/after (new dicts: JSON columns)."""
    for side in ("before", "after"):
        value = getattr(entry, side)
        if value:
            setattr(entry, side, {k: v for k, v in value.items() if k not in PERSONAL_KEYS})


def _closed_events(diagnostic_id: int):
    """The live events of the diagnostic's closed workshops (a query's where clause)."""
    closed = select(Workshop.id).where(Workshop.diagnostic_id == diagnostic_id,
                                       Workshop.status == WorkshopStatus.CLOSED)
    return WorkshopEvent.workshop_id.in_(closed)


@dataclass
class DiagnosticPurge:
    """What the purge did (or would do) to one diagnostic."""

    diagnostic_id: int
    title: str
    validated_on: date | None
    expiry: date | None  # None: report not validated, personal data kept
    expired: bool
    anonymised: int = 0  # participants anonymised (dry run: who would be)
    scribe_entries: int = 0  # scribe entries whose name and contact were cleared
    kept: int = 0  # participants not erased whose data is kept (period not over)
    audit_entries: int = 0  # audit entries whose personal fields were removed
    events: int = 0  # live events of closed workshops removed


@dataclass
class PurgeSummary:
    """The purge of every diagnostic, in id order."""

    today: date
    dry_run: bool
    diagnostics: list[DiagnosticPurge] = field(default_factory=list)

    @property
    def anonymised(self) -> int:
        return sum(d.anonymised for d in self.diagnostics)


def purge(session: Session, today: date, *, dry_run: bool,
          at: datetime | None = None) -> PurgeSummary:
    """Anonymise the participants of every diagnostic whose retention period is over.

    ``dry_run`` only counts (nothing is changed); otherwise the changes are flushed in the
    caller's transaction, which commits. Already erased participants are skipped, so a
    second run the same day does nothing. ``at`` is the erasure time (default: now).
    """
    at = at or utcnow()
    summary = PurgeSummary(today=today, dry_run=dry_run)
    for diagnostic in session.scalars(select(Diagnostic).order_by(Diagnostic.id)).all():
        expiry = expiry_of(diagnostic)
        expired = expiry is not None and expiry <= today
        entry = DiagnosticPurge(diagnostic.id, diagnostic.title,
                                diagnostic.report_validated_on if expiry else None,
                                expiry, expired)
        summary.diagnostics.append(entry)
        participants = _not_erased(session, [diagnostic.id])
        if not expired:
            entry.kept = len(participants)
            continue
        entry.anonymised = len(participants)
        scribed = _scribe_entries(session, diagnostic.id)
        entry.scribe_entries = len(scribed)
        audited = _audit_entries(session, diagnostic.id)
        entry.audit_entries = len(audited)
        entry.events = session.scalar(
            select(func.count(WorkshopEvent.id)).where(_closed_events(diagnostic.id))) or 0
        if dry_run:
            continue
        for participant in participants:
            erase_participant(session, participant, user=None, at=at, reason="retention")
        for contribution in scribed:
            contribution.on_behalf_of = None
            contribution.contact = None
        # The names commenters gave on the restitution page (anonymous mode).
        session.execute(update(RestitutionComment)
                        .where(RestitutionComment.diagnostic_id == diagnostic.id,
                               RestitutionComment.author_name.is_not(None))
                        .values(author_name=None).execution_options(synchronize_session=False))
        session.flush()
        for audit in _audit_entries(session, diagnostic.id):  # also those erasure wrote
            _clean_audit(audit)
        session.execute(delete(WorkshopEvent).where(_closed_events(diagnostic.id))
                        .execution_options(synchronize_session=False))
    session.flush()
    return summary
