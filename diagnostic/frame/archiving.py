"""Archiving, restoring and deleting a workshop or a diagnostic; archived means read-only.

The rule is that nothing is lost silently:

- **delete** only what collected nothing: a workshop without participants or contributions,
  a diagnostic none of whose workshops has any and without synthesis work; the person
  confirms by typing the title. Configuration (stakes, sectors, taxonomies, settings) is
  not "collected": it goes with the deletion.
- everything else is **archived**: read-only, hidden from the default lists, restorable,
  still in reports and exports. A workshop must be closed first (an open room would lose
  its participants mid-sentence); a diagnostic, all its workshops closed or in preparation.

Archived means read-only everywhere: every service that changes a diagnostic, its frame,
its synthesis or one of its workshops calls :func:`require_not_archived` first, so the
staff pages, the console's socket events and the command line refuse alike.

Services validate, raise a :class:`~diagnostic.errors.DomainError` with nothing changed,
flush and audit; the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..audit import record_audit
from ..errors import N_, DomainError
from ..models import (
    AuditEntry,
    Contribution,
    Diagnostic,
    Participant,
    Restitution,
    RestitutionComment,
    SynthesisAuditEntry,
    SynthesisItem,
    User,
    Workshop,
    WorkshopStatus,
)

Clock = Callable[[], datetime]

ARCHIVED_DIAGNOSTIC = N_("Ce diagnostic est archivé : restaurez-le pour le modifier.")
ARCHIVED_WORKSHOP = N_("Cet atelier est archivé : restaurez-le pour le modifier.")


class ArchivedError(DomainError):
    """The diagnostic or workshop is archived, hence read-only: nothing was changed."""


def require_not_archived(subject: Diagnostic | Workshop) -> None:
    """Refuse any change to an archived diagnostic or workshop (or a workshop of an
    archived diagnostic): the one check every mutating service calls first."""
    diagnostic = subject if isinstance(subject, Diagnostic) else subject.diagnostic
    if diagnostic.archived_at is not None:
        raise ArchivedError(ARCHIVED_DIAGNOSTIC)
    if isinstance(subject, Workshop) and subject.archived_at is not None:
        raise ArchivedError(ARCHIVED_WORKSHOP)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def is_read_only(subject: Diagnostic | Workshop) -> bool:
    """Whether :func:`require_not_archived` would refuse (for pages hiding their controls)."""
    try:
        require_not_archived(subject)
    except ArchivedError:
        return True
    return False

# ---------------------------------------------------------------- what would be lost


def _count(session: Session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def workshop_holdings(session: Session, workshop: Workshop) -> dict[str, int]:
    """What a workshop collected: its participants and contributions."""
    return {
        "participants": _count(session, Participant, Participant.workshop_id == workshop.id),
        "contributions": _count(session, Contribution, Contribution.workshop_id == workshop.id),
    }


def diagnostic_holdings(session: Session, diagnostic: Diagnostic) -> dict[str, int]:
    """What a diagnostic collected: participants, contributions, synthesis items."""
    ids = select(Workshop.id).where(Workshop.diagnostic_id == diagnostic.id)
    return {
        "participants": _count(session, Participant, Participant.workshop_id.in_(ids)),
        "contributions": _count(session, Contribution, Contribution.workshop_id.in_(ids)),
        "synthesis_items": _count(session, SynthesisItem,
                                  SynthesisItem.diagnostic_id == diagnostic.id),
    }


def may_delete(holdings: dict[str, int]) -> bool:
    """Whether nothing was collected (see :func:`workshop_holdings`)."""
    return not any(holdings.values())


def _same_title(expected: str, typed: str | None) -> bool:
    """The typed confirmation matches the title (case and spacing aside)."""
    def norm(text: str) -> str:
        return " ".join((text or "").split()).casefold()
    return bool(typed) and norm(expected) == norm(typed)


# ---------------------------------------------------------------- workshops


def _require_closed(workshop: Workshop) -> None:
    if workshop.status == WorkshopStatus.OPEN:
        raise DomainError(N_("Clôturez d'abord l'atelier : il est ouvert aux participant·es."))


def archive_workshop(session: Session, workshop: Workshop, user: User | None,
                     now: Clock = _utcnow) -> Workshop:
    """Archive a closed or draft workshop: read-only, hidden, restorable (audited)."""
    if workshop.archived_at is not None:
        raise DomainError(N_("Cet atelier est déjà archivé."))
    _require_closed(workshop)
    workshop.archived_at = now()
    session.flush()
    record_audit(session, workshop, user, "archive_workshop", {"archived": False},
                 {"archived": True})
    return workshop


def restore_workshop(session: Session, workshop: Workshop, user: User | None) -> Workshop:
    """Bring an archived workshop back to the lists, editable again (audited)."""
    if workshop.archived_at is None:
        raise DomainError(N_("Cet atelier n'est pas archivé."))
    if workshop.diagnostic.archived_at is not None:
        raise DomainError(N_("Restaurez d'abord le diagnostic de cet atelier."))
    workshop.archived_at = None
    session.flush()
    record_audit(session, workshop, user, "restore_workshop", {"archived": True},
                 {"archived": False})
    return workshop


def delete_workshop(session: Session, workshop: Workshop, confirmation: str | None) -> None:
    """Delete a workshop that collected nothing, once its title is typed back."""
    _require_closed(workshop)
    if not may_delete(workshop_holdings(session, workshop)):
        raise DomainError(N_("Cet atelier a des participant·es ou des contributions : "
                             "archivez-le plutôt que de le supprimer."))
    if not _same_title(workshop.title, confirmation):
        raise DomainError(N_("Recopiez le titre de l'atelier pour confirmer la suppression."))
    _delete_audit_of([workshop.id], session)
    session.delete(workshop)
    session.flush()


# ---------------------------------------------------------------- diagnostics


def _require_no_open_workshop(diagnostic: Diagnostic) -> None:
    if any(w.status == WorkshopStatus.OPEN for w in diagnostic.workshops):
        raise DomainError(N_("Clôturez d'abord les ateliers ouverts de ce diagnostic."))


def archive_diagnostic(session: Session, diagnostic: Diagnostic,
                       now: Clock = _utcnow) -> Diagnostic:
    """Archive a diagnostic whose workshops are all closed or in preparation."""
    if diagnostic.archived_at is not None:
        raise DomainError(N_("Ce diagnostic est déjà archivé."))
    _require_no_open_workshop(diagnostic)
    diagnostic.archived_at = now()
    session.flush()
    return diagnostic


def restore_diagnostic(session: Session, diagnostic: Diagnostic) -> Diagnostic:
    """Bring an archived diagnostic back to the list, editable again."""
    if diagnostic.archived_at is None:
        raise DomainError(N_("Ce diagnostic n'est pas archivé."))
    diagnostic.archived_at = None
    session.flush()
    return diagnostic


def delete_diagnostic(session: Session, diagnostic: Diagnostic,
                      confirmation: str | None) -> None:
    """Delete a diagnostic that collected nothing, once its title is typed back."""
    _require_no_open_workshop(diagnostic)
    if not may_delete(diagnostic_holdings(session, diagnostic)):
        raise DomainError(N_("Ce diagnostic a des participant·es, des contributions ou une "
                             "synthèse : archivez-le plutôt que de le supprimer."))
    if not _same_title(diagnostic.title, confirmation):
        raise DomainError(N_("Recopiez le titre du diagnostic pour confirmer la suppression."))
    _delete_audit_of([w.id for w in diagnostic.workshops], session)
    session.execute(delete(SynthesisAuditEntry)
                    .where(SynthesisAuditEntry.diagnostic_id == diagnostic.id))
    for model in (RestitutionComment, Restitution):  # SQLite does not cascade either
        session.execute(delete(model).where(model.diagnostic_id == diagnostic.id))
    session.delete(diagnostic)
    session.flush()


def _delete_audit_of(workshop_ids: list[int], session: Session) -> None:
    """The audit log of deleted workshops (opening, closing: nothing was collected).

    The foreign key cascades in PostgreSQL; SQLite does not enforce it, and the model has
    no relationship to let the ORM do it.
    """
    if workshop_ids:
        session.execute(delete(AuditEntry).where(AuditEntry.workshop_id.in_(workshop_ids)))
