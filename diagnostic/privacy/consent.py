"""The consent register: each consent a participant gives or withdraws, with its time and
the version of the notice in force, kept in sync with the participant's flags.

Three purposes (:class:`~diagnostic.models.ConsentPurpose`): their name printed in the
report (``agreed_to_be_named``), the contacts given with their initiatives published
(``agreed_to_publish_contact`` and ``contact_consent_at``), being contacted for the
restitution at an e-mail address (``agreed_to_be_contacted`` and ``restitution_contact``,
cleared when withdrawn). In an anonymous workshop the name is never published: that
consent is neither offered nor recorded.

Services validate, raise with nothing changed, and flush; the caller commits.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..errors import N_, Forbidden, ValidationError
from ..models import ConsentPurpose, ConsentRecord, Participant, utcnow
from ..validation import CONTROL_RE
from .notice import notice_in_force

MAX_CONTACT = 200
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
BAD_EMAIL = N_("Indiquez une adresse électronique valide (par exemple nom@exemple.fr).")
SOURCES = ("join", "phone", "import")


def clean_restitution_contact(errors: dict[str, str], wanted: bool, value: object,
                              field: str = "restitution_contact") -> str | None:
    """The e-mail address for the restitution when that consent is given (None otherwise);
    an invalid one is reported in ``errors``."""
    if not wanted:
        return None
    text = value.strip() if isinstance(value, str) else ""
    if (not text or len(text) > MAX_CONTACT or CONTROL_RE.search(text)
            or not EMAIL_RE.match(text)):
        errors[field] = BAD_EMAIL
        return None
    return text


def consents_of(participant: Participant) -> dict[ConsentPurpose, bool]:
    """The participant's current consents, from their flags."""
    return {
        ConsentPurpose.NAME: bool(participant.agreed_to_be_named),
        ConsentPurpose.CONTACT: bool(participant.agreed_to_publish_contact),
        ConsentPurpose.RESTITUTION: bool(participant.agreed_to_be_contacted),
    }


def record_consents(
    session: Session, participant: Participant, *, named: bool | None = None,
    contact: bool | None = None, restitution: bool | None = None,
    restitution_contact: str | None = None, source: str = "join",
    at: datetime | None = None, only_changes: bool = False,
    notice_version: int | None = None, returning: bool = True,
) -> list[ConsentRecord]:
    """Record a consent row per purpose given (None: not asked) and set the flags.

    ``only_changes`` records only what differs from the participant's current consents
    (a new restitution address counts as a change). The restitution consent needs a valid
    e-mail address; an erased participant is refused; nothing changes on error.
    ``notice_version``: the version in force when the caller already read it (a join).
    ``returning=False``: the rows are inserted in one statement without ORM objects, and
    nothing is returned (a join, which every phone of the room runs, does not use them).
    """
    if participant.is_erased:  # nothing left to consent about; never re-filled
        raise Forbidden(N_("Les données de cette participation ont été effacées."))
    errors: dict[str, str] = {}
    address = clean_restitution_contact(errors, bool(restitution), restitution_contact)
    if source not in SOURCES:
        errors["source"] = N_("Choix invalide.")
    if errors:
        raise ValidationError(errors)
    if participant.workshop.anonymous:
        named = None  # never published: not offered, not recorded
    at = at or utcnow()
    current = consents_of(participant)
    wanted = {ConsentPurpose.NAME: named, ConsentPurpose.CONTACT: contact,
              ConsentPurpose.RESTITUTION: restitution}
    changed = {purpose: bool(value) for purpose, value in wanted.items()
               if value is not None and not (only_changes and bool(value) == current[purpose])}
    if (only_changes and restitution and current[ConsentPurpose.RESTITUTION]
            and address != participant.restitution_contact):
        changed[ConsentPurpose.RESTITUTION] = True
    if not changed:
        return []
    version = notice_version if notice_version is not None else notice_in_force(
        session, participant.workshop.diagnostic, at).version
    _apply(participant, changed, address, at)
    if not returning:
        session.flush()  # the participant's id
        session.connection().execute(insert(ConsentRecord.__table__), [
            {"participant_id": participant.id, "purpose": purpose, "granted": granted,
             "notice_version": version, "at": at, "source": source}
            for purpose, granted in changed.items()])
        return []
    records = [ConsentRecord(participant=participant, purpose=purpose, granted=granted,
                             notice_version=version, at=at, source=source)
               for purpose, granted in changed.items()]
    session.add_all(records)
    session.flush()
    return records


def _apply(participant: Participant, changed: dict[ConsentPurpose, bool],
           address: str | None, at: datetime) -> None:
    """Keep the participant's flags in step with the consents just recorded."""
    if ConsentPurpose.NAME in changed:
        participant.agreed_to_be_named = changed[ConsentPurpose.NAME]
    if ConsentPurpose.CONTACT in changed:
        granted = changed[ConsentPurpose.CONTACT]
        participant.agreed_to_publish_contact = granted
        participant.contact_consent_at = at if granted else None
    if ConsentPurpose.RESTITUTION in changed:
        granted = changed[ConsentPurpose.RESTITUTION]
        participant.agreed_to_be_contacted = granted
        participant.restitution_contact = address if granted else None


def consent_history(session: Session, participant: Participant) -> list[ConsentRecord]:
    """Every consent the participant gave or withdrew, oldest first."""
    return list(session.scalars(
        select(ConsentRecord).where(ConsentRecord.participant_id == participant.id)
        .order_by(ConsentRecord.at, ConsentRecord.id)))


def latest_consents(session: Session,
                    participant: Participant) -> dict[ConsentPurpose, ConsentRecord]:
    """The last record of each purpose (when it was given or withdrawn)."""
    return {record.purpose: record for record in consent_history(session, participant)}
