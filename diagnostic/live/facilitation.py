"""Running a workshop live: phase timer, moderation mode, dot-vote settings, facilitators.

Status and phase changes live in :mod:`.lifecycle` (the workshop's state machine).

Each service takes the session first, validates, records an audit entry (who, what,
before/after), flushes and stages what the room must be told; the caller commits. Nothing
changes when it raises a DomainError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit import record_audit, snapshot
from ..errors import N_, DomainError, ValidationError
from ..frame.archiving import require_not_archived
from ..models import (
    Contribution,
    ModerationMode,
    Role,
    User,
    Vote,
    Workshop,
    utcnow,
)
from . import announce
from .lifecycle import require_running

MAX_TIMER_SECONDS = 7200
MAX_DOT_BUDGET = 20


def _as_int(value: Any) -> int | None:
    """An int from an int (never a bool), or None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def set_timer(
    session: Session, workshop: Workshop, user: User | None, seconds: Any,
    now: Callable[[], datetime] = utcnow,
) -> Workshop:
    """Give the current phase a countdown of ``seconds`` from ``now()`` (0 or None: none).

    Only an open workshop has a running phase, hence a timer (see :mod:`.lifecycle`).
    """
    require_not_archived(workshop)
    if seconds is None:
        seconds = 0
    seconds = _as_int(seconds)
    if seconds is None or not 0 <= seconds <= MAX_TIMER_SECONDS:
        raise ValidationError({"seconds": N_("Indiquez une durée entre 0 et 120 minutes.")})
    require_running(workshop)
    before = snapshot(workshop, ("phase_ends_at",))
    workshop.phase_ends_at = now() + timedelta(seconds=seconds) if seconds else None
    record_audit(session, workshop, user, "set_timer", before,
                 snapshot(workshop, ("phase_ends_at",)))
    announce.workshop_updated(session, workshop)
    return workshop


def set_moderation(session: Session, workshop: Workshop, user: User | None, mode: Any) -> Workshop:
    """Choose post-moderation (published at once) or pre-moderation (held for approval).

    Switching back to post-moderation leaves the items already pending in the queue.
    """
    require_not_archived(workshop)
    try:
        mode = ModerationMode(mode)
    except ValueError:
        raise ValidationError({"mode": N_("Mode de modération inconnu.")}) from None
    before = snapshot(workshop, ("moderation",))
    workshop.moderation = mode
    record_audit(session, workshop, user, "set_moderation", before,
                 snapshot(workshop, ("moderation",)))
    announce.workshop_updated(session, workshop)
    return workshop


def set_vote_settings(
    session: Session, workshop: Workshop, user: User | None, dot_budget: Any, dot_max_per_item: Any
) -> Workshop:
    """Set the dots each participant has and the most they may put on one item.

    Allowed at any time, votes or not, as long as no participant has already used more
    dots than the new budget, or more than the new maximum on one item: raising is always
    possible, lowering only down to what has been spent.
    """
    require_not_archived(workshop)
    budget, per_item = _as_int(dot_budget), _as_int(dot_max_per_item)
    errors = {}
    if budget is None or not 1 <= budget <= MAX_DOT_BUDGET:
        errors["dot_budget"] = N_("Indiquez un nombre de gommettes entre 1 et 20.")
    elif per_item is None or not 1 <= per_item <= budget:
        errors["dot_max_per_item"] = N_(
            "Le maximum par contribution doit être compris entre 1 et le nombre de gommettes."
        )
    if errors:
        raise ValidationError(errors)
    spent_total, spent_item = _dots_spent(session, workshop)
    if spent_total > budget or spent_item > per_item:
        raise DomainError(
            N_("Des participant·es ont déjà utilisé %(total)s gommettes (dont %(item)s sur une "
               "même contribution) : impossible de descendre en dessous."),
            total=spent_total, item=spent_item,
        )
    before = snapshot(workshop, ("dot_budget", "dot_max_per_item"))
    workshop.dot_budget, workshop.dot_max_per_item = budget, per_item
    record_audit(session, workshop, user, "set_vote_settings", before,
                 snapshot(workshop, ("dot_budget", "dot_max_per_item")))
    announce.workshop_updated(session, workshop)
    return workshop


def _dots_spent(session: Session, workshop: Workshop) -> tuple[int, int]:
    """(most dots one participant spent in total, most dots put on one item by anyone)."""
    votes = (
        select(Vote.participant_id, Vote.dots)
        .join(Contribution, Contribution.id == Vote.contribution_id)
        .where(Contribution.workshop_id == workshop.id)
        .subquery()
    )
    per_item = session.scalar(select(func.max(votes.c.dots))) or 0
    totals = select(func.sum(votes.c.dots).label("total")).group_by(votes.c.participant_id)
    total = session.scalar(select(func.max(totals.subquery().c.total))) or 0
    return int(total), int(per_item)


def set_facilitators(
    session: Session, workshop: Workshop, user: User | None, user_ids: Iterable[int]
) -> Workshop:
    """Assign the facilitator accounts (by id) who may run this workshop.

    A deactivated account may stay assigned but is never assigned anew.
    """
    require_not_archived(workshop)
    ids = sorted(set(user_ids))
    assigned = {f.id for f in workshop.facilitators}
    accounts = list(session.scalars(
        select(User).where(User.id.in_(ids), User.role == Role.FACILITATOR)
    )) if ids else []
    if len(accounts) != len(ids):
        raise ValidationError({"facilitator_ids": N_("Choix invalide.")})
    if any(not a.active and a.id not in assigned for a in accounts):
        raise ValidationError({"facilitator_ids": N_("Un compte désactivé ne peut pas être "
                                                     "chargé d'animer un atelier.")})
    before = {"facilitators": [f.id for f in workshop.facilitators]}
    workshop.facilitators = accounts
    after = {"facilitators": sorted(a.id for a in accounts)}
    if before != after:
        record_audit(session, workshop, user, "set_facilitators", before, after)
    session.flush()
    return workshop
