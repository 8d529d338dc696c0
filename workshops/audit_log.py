"""The audit logs as the staff pages show them: one sentence per entry.

Builds the :class:`diagnostic.audit_text.Context` of a request (its language, the
diagnostic's time zone, the names of the accounts, terms, stakes and contributions the
entries refer to) and turns the entries into lines: the workshop's for
``templates/facilitate/_audit_log.html``, the synthesis's for
``templates/staff/synthesis_audit.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from diagnostic.audit_text import SYNTHESIS, Context, describe, details
from diagnostic.models import (
    AuditEntry,
    Contribution,
    Diagnostic,
    SynthesisAuditEntry,
    User,
    Workshop,
)

from .i18n import gettext


@dataclass
class AuditLine:
    """One entry of the log, readable: when, the sentence, and the lines of its details."""

    entry: AuditEntry | SynthesisAuditEntry
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


def _contribution_ids(entries: list[SynthesisAuditEntry]) -> set[int]:
    ids: set[int] = set()
    for entry in entries:
        for state in (entry.before or {}, entry.after or {}):
            for group in [state, *(state.get("items") or [])]:
                for key in ("members", "pair"):
                    ids.update(i for i in group.get(key) or [] if isinstance(i, int))
            if isinstance(state.get("removed"), int):
                ids.add(state["removed"])
    return ids


def synthesis_audit_lines(session: Session, diagnostic: Diagnostic,
                          entries: list[SynthesisAuditEntry]) -> list[AuditLine]:
    """The synthesis log's entries in words, in the order given.

    Contributions are named as the report titles them: their name, else their text.
    """
    ids = _contribution_ids(entries)
    rows = session.execute(
        select(Contribution.id, Contribution.name, Contribution.description)
        .where(Contribution.id.in_(ids))
    ) if ids else []
    ctx = Context(
        translate=gettext, time_zone=diagnostic.time_zone, lang=str(get_locale() or "fr"),
        stakes={s.id: s.title for s in diagnostic.stakes},
        contributions={cid: name or description for cid, name, description in rows},
    )
    return [AuditLine(entry, describe(entry, ctx, SYNTHESIS), details(entry, ctx, SYNTHESIS))
            for entry in entries]
