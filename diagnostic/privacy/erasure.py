"""The right to erasure: a participant's personal data removed, their contributions kept.

:func:`erase_participant` (on a person's request, or by the retention purge with
``reason="retention"``) replaces the display name with :data:`ERASED_NAME`, clears the
organisation and contacts, withdraws the consents and gives the participant a new token
(their phone loses access). Their contributions stay, anonymised: contacts and the scribe's
"on behalf of" cleared, and their name, organisation and contacts replaced by
:data:`REDACTED` inside every free text that may quote them — their own contributions,
the audit entries and live events about them, the synthesis items built from them, their
comments on the restitution page. Votes
and supports stay, so the counts stay right. One audit entry ``participant_erased`` says
it happened without repeating what was erased. The service flushes; the caller commits.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from ..audit import record_audit
from ..errors import N_
from ..live.announce import contribution_updated
from ..live.events import rewrite_staged
from ..models import (
    AuditEntry,
    Contribution,
    Participant,
    RestitutionComment,
    SynthesisAuditEntry,
    SynthesisItem,
    User,
    WorkshopEvent,
)

ERASED_NAME = N_("Participant·e anonymisé·e")
"""The display name an erased participant keeps (stored in French; pages translate it)."""
REDACTED = "[anonymisé]"
"""What replaces a name, organisation or contact inside a free text."""
MIN_LENGTH = 3
"""Shorter strings are not searched for in texts ("Jo" would destroy every "joint")."""
REASONS = ("request", "retention")

# The free texts of a contribution that may quote its author (contact and on_behalf_of
# are cleared outright).
TEXT_FIELDS = ("description", "name", "commune", "website", "refusal_reason")
# Keys of a JSON payload that name a person: emptied, not rewritten, when they match.
PERSON_KEYS = ("author", "on_behalf_of", "contact", "display_name", "organisation")
_PHONE = re.compile(r"^\+?[\d\s.\-()]{6,}$")
_PARTS = re.compile(r"[,;/\n|]+|\s+(?:ou|or|et|and)\s+")


def identifying_strings(participant: Participant,
                        contributions: Iterable[Contribution]) -> list[str]:
    """The strings that identify ``participant``: name, organisation, every contact (whole
    and in parts), longest first; those under :data:`MIN_LENGTH` characters left out."""
    found = [participant.display_name, participant.organisation,
             participant.restitution_contact]
    for contribution in contributions:
        found += [contribution.contact, contribution.on_behalf_of]
    strings: dict[str, None] = {}
    for text in found:
        text = " ".join((text or "").split())
        for piece in [text, *_PARTS.split(text)]:
            piece = piece.strip(" .:-")
            if len(piece) >= MIN_LENGTH:
                strings.setdefault(piece)
    return sorted(strings, key=len, reverse=True)


def _base_letter(char: str) -> str:
    """``char`` without its accent, lower-cased ("É" → "e")."""
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# Every Latin letter with or without an accent, by its bare letter: "e" → "eEéÉèÈêÊëË…".
_VARIANTS: dict[str, str] = {}
for _code in range(0x41, 0x250):
    _base = _base_letter(chr(_code))
    if len(_base) == 1 and _base.isascii() and _base.isalpha():
        _VARIANTS[_base] = _VARIANTS.get(_base, "") + chr(_code)


def _letter(char: str) -> str:
    """A character class matching ``char`` with any accent (or none), else ``char``."""
    variants = _VARIANTS.get(_base_letter(char))
    return f"[{variants}]" if variants else re.escape(char)


def _pattern_of(text: str) -> str:
    """A regular expression matching ``text`` however it is spaced and accented (a phone
    number with or without separators between its digits; "Zelie" for "Zélie")."""
    if _PHONE.match(text) and sum(c.isdigit() for c in text) >= 6:
        digits = [c for c in text if c.isdigit()]
        return r"\+?" + r"[\s.\-()]*".join(digits) if digits else re.escape(text)
    return r"\s+".join("".join(_letter(c) for c in word) for word in text.split())


def redaction_pattern(strings: list[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for all ``strings`` (None: nothing to look for)."""
    if not strings:
        return None
    return re.compile("|".join(_pattern_of(s) for s in strings), re.IGNORECASE)


def scrub(value: Any, pattern: re.Pattern[str] | None) -> Any:
    """``value`` (a JSON value) with every match of ``pattern`` replaced, recursively;
    a person-naming key (:data:`PERSON_KEYS`) that matches is emptied (None)."""
    if pattern is None:
        return value
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, list):
        return [scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: (None if key in PERSON_KEYS and isinstance(item, str)
                      and pattern.search(item) else scrub(item, pattern))
                for key, item in value.items()}
    return value


def _scrub_json(rows: Iterable[Any], fields: tuple[str, ...],
                pattern: re.Pattern[str] | None) -> None:
    """Scrub the JSON columns ``fields`` of ``rows`` in place (flagged when changed)."""
    for row in rows:
        for field in fields:
            old = getattr(row, field)
            new = scrub(old, pattern)
            if new != old:
                setattr(row, field, new)
                flag_modified(row, field)


def erase_participant(session: Session, participant: Participant, *, user: User | None,
                      at: datetime, reason: str = "request") -> bool:
    """Erase ``participant``'s personal data (see the module); False when already erased.

    ``user`` is the staff member acting (None for the retention purge), ``reason``
    ``"request"`` or ``"retention"``. Flushes, never commits.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown erasure reason {reason!r}")
    if participant.is_erased:
        return False
    workshop = participant.workshop
    contributions = list(session.scalars(
        select(Contribution).where(Contribution.participant_id == participant.id)
        .order_by(Contribution.id)))
    pattern = redaction_pattern(identifying_strings(participant, contributions))
    ids = [c.id for c in contributions]

    for contribution in contributions:
        for field in TEXT_FIELDS:
            text = getattr(contribution, field)
            if text and pattern is not None:
                setattr(contribution, field, pattern.sub(REDACTED, text))
        contribution.contact = None
        contribution.on_behalf_of = None
    if ids:
        _scrub_json(session.scalars(select(AuditEntry).where(
            AuditEntry.contribution_id.in_(ids))), ("before", "after"), pattern)
        items = list(session.scalars(select(SynthesisItem).where(SynthesisItem.id.in_(
            [c.synthesis_item_id for c in contributions if c.synthesis_item_id]))))
        for item in items:  # staff may have copied the text into the item's wording
            item.title = scrub(item.title, pattern)
            item.summary = scrub(item.summary, pattern)
        if items:
            _scrub_json(session.scalars(select(SynthesisAuditEntry).where(
                SynthesisAuditEntry.item_id.in_([i.id for i in items]))),
                ("before", "after"), pattern)
    for comment in session.scalars(select(RestitutionComment).where(
            RestitutionComment.participant_id == participant.id)):
        comment.text = scrub(comment.text, pattern)  # the restitution page's comments
    _scrub_json(session.scalars(select(WorkshopEvent).where(
        WorkshopEvent.workshop_id == workshop.id)), ("payload",), pattern)
    rewrite_staged(session, workshop.id, lambda payload: scrub(payload, pattern))

    # The actor type stays: it is a category (association, elected official…) shared by
    # many, not personal data, and the participation counts by actor type stay right.
    participant.display_name = ERASED_NAME
    participant.organisation = ""
    participant.restitution_contact = None
    participant.agreed_to_be_named = False
    participant.agreed_to_publish_contact = False
    participant.agreed_to_be_contacted = False
    participant.contact_consent_at = None
    # A new secret: the phone that held the old one can no longer act as this participant.
    participant.token = secrets.token_urlsafe(32)
    participant.erased_at = at
    # The consent register (ConsentRecord) is kept: purposes, times and notice versions,
    # no personal data, and the proof of what was agreed to before the erasure.
    record_audit(session, workshop, user, "participant_erased", None,
                 {"participant": participant.id, "reason": reason})
    session.flush()
    if workshop.is_open:  # phones and boards in the room drop the old author name
        for contribution in contributions:
            if contribution.is_published:
                contribution_updated(session, contribution)
    return True
