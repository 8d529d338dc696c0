"""Publishing a diagnostic's restitution page and validating its report.

The page is reached by an unguessable token (``secrets.token_urlsafe(32)``); a new token
makes the old link answer 404. Every change is audited (:func:`record_diagnostic_audit`).
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import jsonable, record_diagnostic_audit, snapshot
from ..errors import N_, ValidationError
from ..frame.archiving import require_not_archived
from ..models import Diagnostic, IdentificationMode, ReportStatus, Restitution, User
from ..time_zones import local

SETTINGS = ("closes_at", "identification")
CLOSES_NAIVE = N_("La date de clôture doit préciser son fuseau horaire.")
BAD_MODE = N_("Mode d'identification inconnu.")


def new_token() -> str:
    """An unguessable token for the public link (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def restitution_of(session: Session, diagnostic: Diagnostic) -> Restitution | None:
    """The restitution of ``diagnostic``, if staff ever set one up."""
    return session.scalar(select(Restitution).where(Restitution.diagnostic_id == diagnostic.id))


def by_token(session: Session, token: str) -> Restitution | None:
    """The *published* restitution reached by ``token`` (None: unknown or unpublished)."""
    if not isinstance(token, str) or not 0 < len(token) <= 64:
        return None
    found = session.scalar(select(Restitution).where(Restitution.token == token))
    return found if found is not None and found.is_published else None


def ensure_restitution(session: Session, diagnostic: Diagnostic) -> Restitution:
    """The restitution of ``diagnostic``, created (unpublished, anonymous) if needed."""
    found = restitution_of(session, diagnostic)
    if found is None:
        found = Restitution(diagnostic_id=diagnostic.id, token=new_token(),
                            identification=IdentificationMode.ANONYMOUS)
        session.add(found)
        session.flush()
    return found


def is_open(restitution: Restitution, now: datetime | None = None) -> bool:
    """Whether comments are accepted: published, before the closing date, and the
    diagnostic not archived (read-only)."""
    if not restitution.is_published or restitution.diagnostic.archived_at is not None:
        return False
    closes = restitution.closes_at
    if closes is None:
        return True
    if closes.tzinfo is None:  # SQLite returns naive UTC
        closes = closes.replace(tzinfo=UTC)
    return (now or datetime.now(UTC)) < closes


def publish(session: Session, diagnostic: Diagnostic, user: User | None,
            now: datetime | None = None) -> Restitution:
    """Publish the page (the link answers); publishing again changes nothing."""
    require_not_archived(diagnostic)
    restitution = ensure_restitution(session, diagnostic)
    if not restitution.is_published:
        restitution.published_at = now or datetime.now(UTC)
        record_diagnostic_audit(session, diagnostic.id, user, "restitution_publish",
                                {"published": False}, {"published": True})
        session.flush()
    return restitution


def unpublish(session: Session, diagnostic: Diagnostic, user: User | None) -> Restitution:
    """Withdraw the page (the link answers 404; comments are kept)."""
    require_not_archived(diagnostic)
    restitution = ensure_restitution(session, diagnostic)
    if restitution.is_published:
        restitution.published_at = None
        record_diagnostic_audit(session, diagnostic.id, user, "restitution_unpublish",
                                {"published": True}, {"published": False})
        session.flush()
    return restitution


def regenerate_token(session: Session, diagnostic: Diagnostic, user: User | None) -> Restitution:
    """A new token: the old link stops working at once."""
    require_not_archived(diagnostic)
    restitution = ensure_restitution(session, diagnostic)
    restitution.token = new_token()
    record_diagnostic_audit(session, diagnostic.id, user, "restitution_new_link", None, None)
    session.flush()
    return restitution


def configure(session: Session, diagnostic: Diagnostic, user: User | None, *,
              closes_at: datetime | None, identification: IdentificationMode | str
              ) -> Restitution:
    """Set the closing date (aware, or None: no date) and who may comment."""
    require_not_archived(diagnostic)
    errors = {}
    if closes_at is not None and closes_at.tzinfo is None:
        errors["closes_at"] = CLOSES_NAIVE
    try:
        mode = IdentificationMode(identification)
    except ValueError:
        errors["identification"] = BAD_MODE
    if errors:
        raise ValidationError(errors)
    restitution = ensure_restitution(session, diagnostic)
    before = snapshot(restitution, SETTINGS)
    restitution.closes_at = closes_at.astimezone(UTC) if closes_at is not None else None
    restitution.identification = mode
    after = snapshot(restitution, SETTINGS)
    if after != before:
        record_diagnostic_audit(session, diagnostic.id, user, "restitution_settings",
                                before, after)
    session.flush()
    return restitution


def mark_validated(session: Session, diagnostic: Diagnostic, user: User | None,
                   now: datetime | None = None) -> date:
    """Mark the report validated today (in the diagnostic's zone): the cover of every
    document then reads "Version validée le …". Returns the day."""
    require_not_archived(diagnostic)
    today = local(now or datetime.now(UTC), diagnostic.time_zone).date()
    before = {"report_status": jsonable(diagnostic.report_status),
              "report_validated_on": jsonable(diagnostic.report_validated_on)}
    diagnostic.report_status = ReportStatus.VALIDATED
    diagnostic.report_validated_on = today
    record_diagnostic_audit(session, diagnostic.id, user, "report_validated", before,
                            {"report_status": ReportStatus.VALIDATED.value,
                             "report_validated_on": today.isoformat()})
    session.flush()
    return today
