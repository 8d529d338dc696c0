"""The workshop audit log as the staff page shows it: one sentence per entry.

Builds the :class:`diagnostic.audit_text.Context` of a request (its language, the
diagnostic's time zone, the names of the accounts, terms and stakes the entries refer to)
and turns the entries into lines for ``templates/facilitate/_audit_log.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from diagnostic.audit_text import Context, describe, details
from diagnostic.models import AuditEntry, User, Workshop

from .i18n import gettext


@dataclass
class AuditLine:
    """One entry of the log, readable: when, the sentence, and the lines of its details."""

    entry: AuditEntry
    sentence: str
    details: list[str]


def _account_ids(entries: list[AuditEntry]) -> set[int]:
    ids: set[int] = set()
    for entry in entries:
        for state in (entry.before or {}, entry.after or {}):
            for key in ("facilitators", "users"):
                ids.update(i for i in state.get(key) or [] if isinstance(i, int))
            if isinstance(state.get("user_id"), int):
                ids.add(state["user_id"])
    return ids


def audit_context(session: Session, workshop: Workshop, entries: list[AuditEntry]) -> Context:
    """The request's language and the diagnostic's zone and names, for :func:`describe`."""
    diagnostic = workshop.diagnostic
    ids = _account_ids(entries)
    rows = session.execute(select(User.id, User.name).where(User.id.in_(ids))) if ids else []
    users = {user_id: name for user_id, name in rows}
    return Context(
        translate=gettext, time_zone=diagnostic.time_zone, lang=str(get_locale() or "fr"),
        users=users, terms={t.id: t.label for t in diagnostic.terms},
        stakes={s.id: s.title for s in diagnostic.stakes},
    )


def audit_lines(session: Session, workshop: Workshop, entries: list[AuditEntry]
                ) -> list[AuditLine]:
    """The entries of ``workshop``'s log in words, in the order given."""
    ctx = audit_context(session, workshop, entries)
    return [AuditLine(entry, describe(entry, ctx), details(entry, ctx)) for entry in entries]
