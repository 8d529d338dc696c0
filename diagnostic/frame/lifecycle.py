"""The life of a workshop or a diagnostic after planning: duplicate, archive, restore, delete.

The rule is that nothing is lost silently:

- **delete** only what collected nothing: a workshop without participants or contributions,
  a diagnostic none of whose workshops has any and without synthesis work; the person
  confirms by typing the title. Configuration (stakes, sectors, taxonomies, settings) is
  not "collected": it goes with the deletion.
- everything else is **archived**: read-only, hidden from the default lists, restorable,
  still in reports and exports. A workshop must be closed first (an open room would lose
  its participants mid-sentence); a diagnostic, all its workshops closed or in preparation.

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
    SynthesisAuditEntry,
    SynthesisItem,
    User,
    Workshop,
    WorkshopStatus,
)
from .planning import generate_join_code

Clock = Callable[[], datetime]

COPY_SUFFIX = N_(" (copie)")
# Columns a copy takes from its workshop: its subject and settings. Every other column is
# fresh (see RESET_ON_COPY); a test checks each column of the table is in one list, so a new
# setting must say whether a copy keeps it.
COPIED_ON_COPY = (
    "diagnostic_id", "kind", "sector_id", "theme_id", "place", "start_time", "end_time",
    "moderation", "dot_budget", "dot_max_per_item",
)
RESET_ON_COPY = (
    "id", "title", "join_code", "status", "phase", "phase_ends_at", "last_seq", "created_at",
    "archived_at",
    "date",  # a copy is another session: its day is to be set (the form asks for it)
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def duplicate_workshop(session: Session, workshop: Workshop, user: User | None,
                       suffix: str = COPY_SUFFIX) -> Workshop:
    """A draft copy of ``workshop``'s settings and facilitators, with a new join code.

    No participants, contributions, votes or audit entries are copied; the copy is
    recorded in the original's audit log. ``suffix`` is the translated " (copie)".
    """
    copy = Workshop(
        **{name: getattr(workshop, name) for name in COPIED_ON_COPY},
        title=(workshop.title[: 200 - len(suffix)] + suffix),
        join_code=generate_join_code(session),
    )
    copy.facilitators = list(workshop.facilitators)
    session.add(copy)
    session.flush()
    record_audit(session, workshop, user, "duplicate_workshop", None,
                 {"copy_id": copy.id, "title": copy.title})
    return copy


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
    session.delete(diagnostic)
    session.flush()


def _delete_audit_of(workshop_ids: list[int], session: Session) -> None:
    """The audit log of deleted workshops (opening, closing: nothing was collected).

    The foreign key cascades in PostgreSQL; SQLite does not enforce it, and the model has
    no relationship to let the ORM do it.
    """
    if workshop_ids:
        session.execute(delete(AuditEntry).where(AuditEntry.workshop_id.in_(workshop_ids)))
