"""Taking part in a live workshop: joining, contributing (opening and closing it: see
:mod:`.lifecycle`).

Every service takes the session first, validates, raises a
:class:`~diagnostic.errors.DomainError` subclass with nothing changed, flushes what it
changed and stages what the room must be told (``announce``). The caller commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import N_, DomainError, Forbidden, NotFound, ValidationError, WorkshopNotOpen
from ..models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Diagnostic,
    ModerationMode,
    Participant,
    Vocabulary,
    Workshop,
    WorkshopStatus,
    utcnow,
)
from ..privacy.consent import clean_restitution_contact, record_consents
from ..privacy.notice import notice_in_force
from ..privacy.pseudonyms import draw_pseudonym
from ..validation import clean_contribution, clean_text
from . import announce
from .events import savepoint
from .queries import workshop_by_code

MAX_DISPLAY_NAME = 80
MAX_ORGANISATION = 200


def find_workshop_by_code(session: Session, code: str) -> Workshop:
    """The workshop with this join code, open to participants, or a clear error."""
    return ensure_joinable(workshop_by_code(session, code), code)


def ensure_joinable(workshop: Workshop | None, code: str) -> Workshop:
    """``workshop`` (found by ``code``) if it is open to participants, or a clear error."""
    if workshop is None:
        raise NotFound(N_("Aucun atelier ne correspond au code « %(code)s »."), code=code)
    require_open(workshop)
    return workshop


def require_open(workshop: Workshop) -> None:
    """Refuse a draft or closed workshop (participants, contributions, votes)."""
    # The message never names the workshop: whoever typed a code of a draft or closed
    # workshop must not learn its title (join codes can be guessed).
    if workshop.status == WorkshopStatus.DRAFT:
        raise WorkshopNotOpen(N_("Cet atelier n'est pas encore ouvert."))
    if workshop.status == WorkshopStatus.CLOSED:
        raise WorkshopNotOpen(N_("Cet atelier est clos : il ne reçoit plus de contributions."))


def _joining_text(errors: dict[str, str], field: str, value: Any, max_length: int) -> str:
    """A join form's text checked like a contribution's (type, control characters, length)."""
    try:
        return clean_text(field, value, max_length) or ""
    except ValidationError as error:
        errors.update(error.errors)
        return ""


def join_workshop(
    session: Session,
    workshop: Workshop,
    *,
    display_name: str = "",
    organisation: str = "",
    actor_type_id: int | None = None,
    agreed_to_be_named: bool = False,
    agreed_to_publish_contact: bool = False,
    agreed_to_be_contacted: bool = False,
    restitution_contact: str | None = None,
    now: datetime | None = None,
) -> Participant:
    """Register a participant in an open workshop; returns it with its token.

    The consents given on the join form are recorded with the notice version in force
    (see :mod:`diagnostic.privacy.consent`). In an anonymous workshop no name nor
    organisation is taken: the participant gets a random pseudonym, never published.
    """
    require_open(workshop)
    errors: dict[str, str] = {}
    if workshop.anonymous:
        name, organisation = _pseudonym(session, workshop), ""
    else:
        name = _joining_text(errors, "display_name", display_name, MAX_DISPLAY_NAME)
        organisation = _joining_text(errors, "organisation", organisation, MAX_ORGANISATION)
        if not name and "display_name" not in errors:
            errors["display_name"] = N_("Indiquez un nom ou un pseudonyme.")
    if actor_type_id is not None and (
        not workshop.diagnostic.has_term(Vocabulary.ACTOR_TYPE, actor_type_id)
    ):
        errors["actor_type_id"] = N_("Choix invalide.")
    clean_restitution_contact(errors, agreed_to_be_contacted, restitution_contact)
    if errors:
        raise ValidationError(errors)
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    version = notice_in_force(session, workshop.diagnostic, now).version
    participant = Participant(
        workshop=workshop,
        display_name=name,
        organisation=organisation,
        actor_type_id=actor_type_id,
        agreed_to_be_named=False,
        agreed_to_publish_contact=False,
        agreed_to_be_contacted=False,
        token=token,
        notice_version=version,
        created_at=now,
    )
    session.add(participant)
    # One flush inserts the participant with its consent flags, then its consent rows.
    record_consents(session, participant, named=bool(agreed_to_be_named),
                    contact=bool(agreed_to_publish_contact),
                    restitution=bool(agreed_to_be_contacted),
                    restitution_contact=restitution_contact, source="join", at=now,
                    notice_version=version, returning=False)
    # The token cannot change: keep it readable after the edge's commit without reloading
    # the row (the join page stores it in the browser's session right after).
    set_committed_value(participant, "token", token)
    return participant


def _pseudonym(session: Session, workshop: Workshop) -> str:
    """A random pseudonym not yet given in ``workshop`` (while draws allow it)."""
    taken = set(session.scalars(
        select(Participant.display_name).where(Participant.workshop_id == workshop.id)))
    return draw_pseudonym(taken)


def participant_by_token(
    session: Session, token: str | None, with_workshop: bool = False
) -> Participant | None:
    """The participant holding ``token``, if any (``with_workshop``: loaded in the query)."""
    if not token or not isinstance(token, str):
        return None
    return session.scalar(_by_token(with_workshop), {"token": token})


@cache
def _by_token(with_workshop: bool):
    """The query of ``participant_by_token``, built once (every phone's join runs it)."""
    query = select(Participant).where(Participant.token == bindparam("token"))
    return query.options(joinedload(Participant.workshop)) if with_workshop else query


def submit_contribution(
    session: Session, participant: Participant, data: Mapping[str, Any]
) -> tuple[Contribution, bool]:
    """Store a participant's contribution once per client id; returns (row, created).

    A resend of an already stored client id returns the stored row with ``created``
    False, so the client's retry is acknowledged without a second row. A new item is
    announced to the room (or, held for approval, to the consoles) in the same transaction.
    """
    workshop = participant.workshop
    # A new id is the common case: no lookup first. A resend is recognised when storing
    # it fails (the unique client id), or when it is refused, e.g. because the workshop
    # closed after the first send was stored: the stored row is then acknowledged.
    try:
        require_open(workshop)
        cleaned = clean_contribution(workshop.diagnostic, data)
        needs = needs_of_diagnostic(session, workshop.diagnostic,
                                    cleaned.pop("answered_need_ids", []))
    except DomainError:
        existing = by_client_id(
            session, data.get("client_id") if isinstance(data, Mapping) else None)
        if existing is not None:
            return _resent(existing, participant)
        raise
    status = (ContributionStatus.PENDING if workshop.moderation == ModerationMode.PRE
              else ContributionStatus.PUBLISHED)  # pre-moderation holds it for approval
    try:
        with savepoint(session):  # a duplicate id undoes this insert only
            contribution = Contribution(
                workshop=workshop, participant=participant, status=status,
                # Nothing is merged into a new item yet: known empty, never lazy-loaded.
                merged_sources=[], answered_needs=needs, **cleaned,
            )
            session.add(contribution)
    except IntegrityError:
        # The id is stored already: by an earlier send (a resend), or by a send that raced.
        existing = by_client_id(session, cleaned["client_id"])
        if existing is None:
            raise
        return _resent(existing, participant)
    announce.contribution_added(session, contribution, new=True)
    return contribution, True


def by_client_id(session: Session, client_id: Any) -> Contribution | None:
    """The contribution stored under this client id, if any."""
    if not isinstance(client_id, str) or not client_id:
        return None
    return session.scalar(select(Contribution).where(Contribution.client_id == client_id))


def _resent(existing: Contribution, participant: Participant) -> tuple[Contribution, bool]:
    if existing.participant_id != participant.id:
        raise Forbidden(N_("Cet identifiant de contribution est déjà utilisé."))
    return existing, False


def needs_of_diagnostic(
    session: Session, diagnostic: Diagnostic, need_ids: list[int]
) -> list[Contribution]:
    """The needs named by id, all of which must be published needs of the diagnostic.

    A hidden or pending need is refused like an unknown one: a link would otherwise let a
    participant probe for items the room may not see.
    """
    if not need_ids:
        return []
    needs = session.scalars(
        select(Contribution)
        .join(Workshop)
        .where(
            Contribution.id.in_(need_ids),
            Contribution.kind == ContributionKind.NEED,
            Contribution.status == ContributionStatus.PUBLISHED,
            Workshop.diagnostic_id == diagnostic.id,
        )
    ).all()
    if len(needs) != len(need_ids):
        raise ValidationError({"answered_need_ids": N_("Liste de besoins invalide.")})
    return sorted(needs, key=lambda need: need.id)


def count_contributions(session: Session, workshop: Workshop) -> dict[ContributionKind, int]:
    """Published contributions per kind in a workshop."""
    rows = session.execute(
        select(Contribution.kind, func.count())
        .where(
            Contribution.workshop_id == workshop.id,
            Contribution.status == ContributionStatus.PUBLISHED,
        )
        .group_by(Contribution.kind)
    ).all()
    counts = dict.fromkeys(ContributionKind, 0)
    counts.update({kind: n for kind, n in rows})
    return counts
