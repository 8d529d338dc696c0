"""The audit log of a workshop: every facilitation and moderation action, before and after;
and :func:`record_diagnostic_audit` for staff actions on a whole diagnostic.

Entries are added to the caller's transaction (the service commits). ``before`` and
``after`` hold only the changed fields, as JSON-able values.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from .models import AuditEntry, Contribution, SynthesisAuditEntry, User, Workshop


def jsonable(value: Any) -> Any:
    """A stored value as JSON: enums by value, dates in ISO 8601."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of ``obj`` as a JSON-able dict."""
    return {field: jsonable(getattr(obj, field)) for field in fields}


def record_audit(
    session: Session,
    workshop: Workshop,
    user: User | None,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    contribution: Contribution | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (committed by the caller)."""
    entry = AuditEntry(
        workshop_id=workshop.id,
        contribution_id=contribution.id if contribution is not None else None,
        user_id=user.id if user is not None else None,
        action=action,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


def record_diagnostic_audit(
    session: Session,
    diagnostic_id: int,
    user: User | None,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    item_id: int | None = None,
) -> SynthesisAuditEntry:
    """Add an audit entry about a whole diagnostic (its synthesis, report or restitution)
    to the current transaction; ``item_id`` names the synthesis item it concerns, if any."""
    entry = SynthesisAuditEntry(diagnostic_id=diagnostic_id, item_id=item_id,
                                user_id=user.id if user is not None else None,
                                action=action, before=before, after=after)
    session.add(entry)
    return entry
