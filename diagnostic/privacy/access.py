"""The right of access: find a participant, and everything stored about them as JSON.

:func:`find_participants` is the staff search (name, organisation, contacts);
:func:`participant_data` gathers every row that concerns one participant into JSON
builtins (the document staff hand over, see ``docs/PRIVACY.md``). Both only read.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    AuditEntry,
    ConsentRecord,
    Contribution,
    Diagnostic,
    Participant,
    RestitutionComment,
    Support,
    Vote,
    Workshop,
    WorkshopEvent,
)
from ..queries import Paged
from ..time_zones import local
from .erasure import identifying_strings

SCHEMA = "diagnostic-participant-data"
VERSION = 1
"""Schema name and version of :func:`participant_data`'s document (bumped on change)."""

PER_PAGE = 25


def fold(text: str | None) -> str:
    """``text`` for matching: accents removed, case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@dataclass
class ParticipantMatch:
    """One participant found: the row, its workshop and the contacts of their items."""

    participant: Participant
    workshop: Workshop
    contacts: list[str]


@dataclass
class ParticipantPage(Paged):
    """One page of participants found."""

    items: list[ParticipantMatch]
    total: int
    page: int
    per_page: int


def find_participants(session: Session, diagnostic: Diagnostic, *,
                      workshop_id: int | None = None, query: str = "",
                      page: int = 1, per_page: int = PER_PAGE) -> ParticipantPage:
    """The diagnostic's participants whose display name, organisation, restitution contact
    or contribution contact contains ``query`` (accents and case ignored), by id.

    Matching is done in Python on the few text columns: SQLite's ``lower()`` folds ASCII
    only and PostgreSQL needs the ``unaccent`` extension for accents, so the same rule
    holds on both. A diagnostic has hundreds, at most a few thousand, participants.
    """
    conditions = [Workshop.diagnostic_id == diagnostic.id]
    if workshop_id is not None:
        conditions.append(Participant.workshop_id == workshop_id)
    rows = session.execute(
        select(Participant.id, Participant.display_name, Participant.organisation,
               Participant.restitution_contact)
        .join(Workshop, Participant.workshop_id == Workshop.id)
        .where(*conditions).order_by(Participant.id)
    ).all()
    contacts: dict[int, list[str]] = {}
    for participant_id, contact in session.execute(
        select(Contribution.participant_id, Contribution.contact)
        .join(Workshop, Contribution.workshop_id == Workshop.id)
        .where(Workshop.diagnostic_id == diagnostic.id, Contribution.participant_id.is_not(None),
               Contribution.contact.is_not(None), Contribution.contact != "")
        .order_by(Contribution.id)
    ):
        contacts.setdefault(participant_id, []).append(contact)
    wanted = fold(query)
    ids = [
        row.id for row in rows
        if not wanted or any(wanted in fold(text) for text in (
            row.display_name, row.organisation, row.restitution_contact,
            *contacts.get(row.id, [])))
    ]
    per_page = max(1, per_page)
    pages = max(1, -(-len(ids) // per_page))
    page = min(max(1, page), pages)
    chosen = ids[(page - 1) * per_page:page * per_page]
    found = {p.id: p for p in session.scalars(
        select(Participant).where(Participant.id.in_(chosen)))} if chosen else {}
    items = [ParticipantMatch(found[i], found[i].workshop, list(dict.fromkeys(contacts.get(i, []))))
             for i in chosen]
    return ParticipantPage(items, len(ids), page, per_page)


def participant_in(session: Session, diagnostic: Diagnostic,
                   participant_id: int) -> Participant | None:
    """The participant ``participant_id`` if they took part in ``diagnostic``."""
    participant = session.get(Participant, participant_id)
    if participant is None or participant.workshop.diagnostic_id != diagnostic.id:
        return None
    return participant


def _value(value: Any, zone: str | None) -> Any:
    """A stored value as a JSON builtin: times with their offset, enums by value."""
    if isinstance(value, datetime):
        return local(value, zone).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _row(obj: Any, zone: str | None, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every column of an ORM row (but ``skip``) as JSON builtins."""
    return {column.key: _value(getattr(obj, column.key), zone)
            for column in obj.__table__.columns if column.key not in skip}


def mentions(value: Any, needles: set[str], ids: set[int]) -> bool:
    """Whether a JSON value names one of ``needles`` (folded strings) or holds one of the
    contribution ``ids`` under an ``id``-like key."""
    if isinstance(value, str):
        text = fold(value)
        return any(needle in text for needle in needles)
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("id", "contribution_id") and isinstance(item, int) and item in ids:
                return True
            if mentions(item, needles, ids):
                return True
        return False
    if isinstance(value, list):
        return any(mentions(item, needles, ids) for item in value)
    return False


def participant_data(session: Session, participant: Participant) -> dict[str, Any]:
    """Everything stored about ``participant``, as JSON builtins (schema :data:`SCHEMA`).

    The token (the secret of their phone) is left out: it is a credential, not data
    about them.
    """
    workshop = participant.workshop
    zone = workshop.diagnostic.time_zone
    contributions = list(session.scalars(
        select(Contribution).where(Contribution.participant_id == participant.id)
        .order_by(Contribution.id)))
    ids = {c.id for c in contributions}
    needles = {fold(s) for s in identifying_strings(participant, contributions)}
    consents = session.scalars(select(ConsentRecord).where(
        ConsentRecord.participant_id == participant.id).order_by(ConsentRecord.id))
    supports = session.scalars(select(Support).where(
        Support.participant_id == participant.id).order_by(Support.id))
    votes = session.scalars(select(Vote).where(
        Vote.participant_id == participant.id).order_by(Vote.id))
    audit = session.scalars(select(AuditEntry).where(
        AuditEntry.contribution_id.in_(ids)).order_by(AuditEntry.id)) if ids else []
    events = [e for e in session.scalars(select(WorkshopEvent).where(
        WorkshopEvent.workshop_id == workshop.id).order_by(WorkshopEvent.seq))
        if mentions(e.payload, needles, ids)]
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "participant": _row(participant, zone, skip=("token",)),
        "actor_type": participant.actor_type.label if participant.actor_type else None,
        "consents": [
            {"purpose": _value(c.purpose, zone), "granted": c.granted,
             "notice_version": c.notice_version, "at": _value(c.at, zone), "source": c.source}
            for c in consents
        ],
        "workshop": {
            "id": workshop.id, "title": workshop.title, "date": _value(workshop.date, zone),
            "place": workshop.place, "diagnostic_id": workshop.diagnostic_id,
            "diagnostic": workshop.diagnostic.title,
        },
        "contributions": [
            {**_row(c, zone), "answered_need_ids": [n.id for n in c.answered_needs]}
            for c in contributions
        ],
        "supports": [_row(s, zone) for s in supports],
        "votes": [_row(v, zone) for v in votes],
        "audit_entries": [
            {**_row(a, zone, skip=("user_id",)), "user": a.user.name if a.user else None}
            for a in audit
        ],
        "live_events": [_row(e, zone) for e in events],
        "restitution_comments": [
            _row(c, zone, skip=("moderated_by_id",)) for c in session.scalars(
                select(RestitutionComment).where(
                    RestitutionComment.participant_id == participant.id)
                .order_by(RestitutionComment.id))
        ],
    }
