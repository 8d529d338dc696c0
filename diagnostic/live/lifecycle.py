"""A workshop's life: the only way to change its status or its phase.

::

    draft ──open──▶ open (welcome ⇄ initiatives ⇄ needs ⇄ recommendations ⇄ vote) ──close──▶ closed
                      ▲                                                                  │
                      └──────────────────────────────reopen──────────────────────────────┘

- **open** (draft → open): participants may join; the workshop keeps the phase it was
  prepared with (``welcome`` for a new workshop).
- **set_phase** (open only): any phase but ``closed``, in any order; a new phase clears the
  timer. A draft or closed workshop refuses it (nothing changed).
- **close** (open → closed): the phase becomes ``closed`` and the timer is cleared;
  participants can no longer join, contribute, support or vote.
- **reopen** (closed → open): back to the phase the workshop had when it was closed (read
  from the ``before`` snapshot of its last ``close_workshop`` audit entry; ``welcome`` when
  there is none, e.g. a workshop closed before this module existed), without a timer.

Invariant: the phase is ``closed`` exactly when the status is ``closed``
(:func:`consistent_phase`), and only an open workshop has a timer. Each transition is
allowed to staff and to the facilitators assigned to the workshop (``user`` None: the
command line or a test), records one audit entry (``open_workshop``, ``close_workshop``,
``reopen_workshop``, ``set_phase``, with ``status``, ``phase`` and ``phase_ends_at`` before
and after) and stages one room event carrying the whole workshop, status and phase
together, so phones, boards and consoles never see one without the other: ``workshop_status``
for a status change, ``workshop_updated`` for a phase change. The caller commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import record_audit, snapshot
from ..errors import N_, DomainError, Forbidden, ValidationError
from ..frame.archiving import require_not_archived
from ..models import AuditEntry, Phase, User, Workshop, WorkshopStatus
from . import announce

FIELDS = ("status", "phase", "phase_ends_at")

# What each action does, by name: the staff page and the console's HTTP fallback take one.
ACTIONS = ("open", "close", "reopen")


class WorkshopStateError(DomainError):
    """The transition is not possible from the workshop's current status."""


def consistent_phase(status: WorkshopStatus | str, phase: Phase | str) -> Phase:
    """The phase a workshop of ``status`` may have, given the one it has.

    A closed workshop is in the ``closed`` phase; any other is not (a stray ``closed``
    phase, left by an older version, becomes ``welcome``).
    """
    if WorkshopStatus(status) == WorkshopStatus.CLOSED:
        return Phase.CLOSED
    phase = Phase(phase)
    return Phase.WELCOME if phase == Phase.CLOSED else phase


def open_workshop(session: Session, workshop: Workshop, user: User | None) -> Workshop:
    """Open a workshop in preparation to participants, in its prepared phase."""
    _allowed(workshop, user)
    require_not_archived(workshop)
    if workshop.status == WorkshopStatus.OPEN:
        raise WorkshopStateError(N_("L'atelier est déjà ouvert."))
    if workshop.status == WorkshopStatus.CLOSED:
        raise WorkshopStateError(
            N_("L'atelier est clos : rouvrez-le pour que les participant·es puissent "
               "à nouveau contribuer."))
    return _change(session, workshop, user, "open_workshop", WorkshopStatus.OPEN,
                   consistent_phase(WorkshopStatus.OPEN, workshop.phase))


def close_workshop(session: Session, workshop: Workshop, user: User | None) -> Workshop:
    """Close an open workshop: no more joining, contributions, supports nor votes."""
    _allowed(workshop, user)
    require_not_archived(workshop)
    if workshop.status == WorkshopStatus.DRAFT:
        raise WorkshopStateError(
            N_("L'atelier est en préparation : il n'a pas encore été ouvert, il ne peut "
               "pas être clos."))
    if workshop.status == WorkshopStatus.CLOSED:
        raise WorkshopStateError(N_("L'atelier est déjà clos."))
    return _change(session, workshop, user, "close_workshop", WorkshopStatus.CLOSED,
                   Phase.CLOSED)


def reopen_workshop(session: Session, workshop: Workshop, user: User | None) -> Workshop:
    """Open a closed workshop again, in the phase it had when it was closed."""
    _allowed(workshop, user)
    require_not_archived(workshop)
    if workshop.status != WorkshopStatus.CLOSED:
        raise WorkshopStateError(N_("Seul un atelier clos peut être rouvert."))
    return _change(session, workshop, user, "reopen_workshop", WorkshopStatus.OPEN,
                   phase_before_closing(session, workshop))


def change_status(session: Session, workshop: Workshop, user: User | None,
                  action: str) -> Workshop:
    """Apply ``action`` (one of :data:`ACTIONS`): the shared path of the web routes."""
    transitions = {"open": open_workshop, "close": close_workshop,
                   "reopen": reopen_workshop}
    if action not in transitions:
        raise ValidationError({"action": N_("Action inconnue.")})
    return transitions[action](session, workshop, user)


def set_phase(session: Session, workshop: Workshop, user: User | None, phase: Any) -> Workshop:
    """Move an open workshop to ``phase`` (any order); a new phase clears the timer."""
    _allowed(workshop, user)
    require_not_archived(workshop)
    try:
        phase = Phase(phase)
    except ValueError:
        raise ValidationError({"phase": N_("Phase inconnue.")}) from None
    if phase == Phase.CLOSED:
        raise WorkshopStateError(
            N_("Pour terminer l'atelier, utilisez « Clore l'atelier »."))
    require_running(workshop)
    before = snapshot(workshop, FIELDS)
    workshop.phase = phase
    workshop.phase_ends_at = None
    record_audit(session, workshop, user, "set_phase", before, snapshot(workshop, FIELDS))
    announce.workshop_updated(session, workshop)
    return workshop


def require_running(workshop: Workshop) -> None:
    """Refuse a phase or timer change unless the workshop is open."""
    if workshop.status == WorkshopStatus.DRAFT:
        raise WorkshopStateError(
            N_("L'atelier est en préparation : ouvrez-le avant de changer de phase ou de "
               "lancer le minuteur."))
    if workshop.status == WorkshopStatus.CLOSED:
        raise WorkshopStateError(
            N_("L'atelier est clos : rouvrez-le avant de changer de phase ou de lancer "
               "le minuteur."))


def phase_before_closing(session: Session, workshop: Workshop) -> Phase:
    """The phase of the workshop just before its last closing (``welcome`` if unknown)."""
    before = session.scalar(
        select(AuditEntry.before)
        .where(AuditEntry.workshop_id == workshop.id, AuditEntry.action == "close_workshop")
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    try:
        return consistent_phase(WorkshopStatus.OPEN, (before or {}).get("phase"))
    except ValueError:
        return Phase.WELCOME


def _allowed(workshop: Workshop, user: User | None) -> None:
    """Staff and the workshop's facilitators only (``None``: the command line)."""
    if user is not None and not workshop.can_facilitate(user):
        raise Forbidden(N_("Seule l'animation de l'atelier peut faire cela."))


def _change(session: Session, workshop: Workshop, user: User | None, action: str,
            status: WorkshopStatus, phase: Phase) -> Workshop:
    """Set status and phase together (no timer), audit it and tell the room."""
    before = snapshot(workshop, FIELDS)
    workshop.status = status
    workshop.phase = phase
    workshop.phase_ends_at = None
    record_audit(session, workshop, user, action, before, snapshot(workshop, FIELDS))
    announce.workshop_status(session, workshop)
    return workshop
