"""Staff publish or withdraw a diagnostic's directory of initiatives as open data.

Publishing stamps :attr:`~diagnostic.models.Diagnostic.open_data_published_at`;
withdrawing clears it (the public page and files answer 404 again). Each change is one
entry of the diagnostic's audit log (the synthesis log, the log of diagnostic-wide staff
actions, see :func:`diagnostic.audit.record_diagnostic_audit`). Services flush; the
caller commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import record_diagnostic_audit
from ..errors import N_, DomainError
from ..frame.archiving import require_not_archived
from ..models import Diagnostic, User, utcnow

Clock = Callable[[], datetime]


def publish_open_data(session: Session, diagnostic: Diagnostic, user: User | None,
                      now: Clock = utcnow) -> Diagnostic:
    """Publish the directory of initiatives of ``diagnostic`` (audited)."""
    require_not_archived(diagnostic)
    if diagnostic.open_data_published_at is not None:
        raise DomainError(N_("Le répertoire des initiatives est déjà publié."))
    diagnostic.open_data_published_at = now()
    record_diagnostic_audit(session, diagnostic.id, user, "open_data_published",
                            {"published": False}, {"published": True})
    session.flush()
    return diagnostic


def unpublish_open_data(session: Session, diagnostic: Diagnostic,
                        user: User | None) -> Diagnostic:
    """Withdraw the published directory: its pages and files are gone at once (audited).

    Allowed on an archived diagnostic too: taking data offline never waits for a restore.
    """
    if diagnostic.open_data_published_at is None:
        raise DomainError(N_("Le répertoire des initiatives n'est pas publié."))
    diagnostic.open_data_published_at = None
    record_diagnostic_audit(session, diagnostic.id, user, "open_data_unpublished",
                            {"published": True}, {"published": False})
    session.flush()
    return diagnostic


def published_diagnostics(session: Session) -> list[Diagnostic]:
    """Every diagnostic whose directory is published, the latest publication first."""
    return list(session.scalars(
        select(Diagnostic).where(Diagnostic.open_data_published_at.is_not(None))
        .order_by(Diagnostic.open_data_published_at.desc(), Diagnostic.id.desc())
    ))


def published_diagnostic(session: Session, diagnostic_id: int) -> Diagnostic | None:
    """The diagnostic ``diagnostic_id`` if its directory is published, else None."""
    diagnostic = session.get(Diagnostic, diagnostic_id) if 0 < diagnostic_id < 2**31 else None
    if diagnostic is None or diagnostic.open_data_published_at is None:
        return None
    return diagnostic
