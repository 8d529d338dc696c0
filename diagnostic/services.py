"""Mutations of the live part of a diagnostic: workshops, participants, contributions.

Every function takes the SQLAlchemy session first, validates, raises a
:class:`~diagnostic.errors.DomainError` subclass with nothing changed, and commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from .errors import N_, DomainError, Forbidden, NotFound, ValidationError, WorkshopNotOpen
from .models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Diagnostic,
    ModerationMode,
    Participant,
    Stake,
    Term,
    Vocabulary,
    Workshop,
    WorkshopKind,
    WorkshopStatus,
)
from .taxonomy import DEFAULT_TERMS
from .validation import clean_contribution

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or off a projector is never ambiguous.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 6
MAX_DISPLAY_NAME = 80
MAX_ORGANISATION = 200


def normalise_join_code(code: str) -> str:
    """Upper-case ``code`` and drop spaces and dashes, as people type it."""
    return "".join(ch for ch in (code or "").upper() if ch not in " -\t")


def generate_join_code(session: Session) -> str:
    """A fresh random join code not used by any workshop."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if session.scalar(select(Workshop.id).where(Workshop.join_code == code)) is None:
            return code


def create_diagnostic(
    session: Session,
    *,
    title: str,
    territory: str,
    period: str = "",
    description: str = "",
    stakes: list[str] | None = None,
    with_default_terms: bool = True,
    is_demo: bool = False,
) -> Diagnostic:
    """Create a diagnostic, its ordered stakes and a copy of the default ESS taxonomies."""
    errors = {}
    if not title.strip():
        errors["title"] = N_("Ce champ est obligatoire.")
    if not territory.strip():
        errors["territory"] = N_("Ce champ est obligatoire.")
    if errors:
        raise ValidationError(errors)
    diagnostic = Diagnostic(
        title=title.strip(),
        territory=territory.strip(),
        period=period.strip(),
        description=description.strip(),
        is_demo=is_demo,
    )
    for position, text in enumerate(stakes or []):
        diagnostic.stakes.append(Stake(position=position, title=text))
    if with_default_terms:
        for vocabulary, labels in DEFAULT_TERMS.items():
            for position, label in enumerate(labels):
                diagnostic.terms.append(Term(vocabulary=vocabulary, position=position, label=label))
    session.add(diagnostic)
    session.commit()
    return diagnostic


def create_workshop(
    session: Session,
    diagnostic: Diagnostic,
    *,
    kind: WorkshopKind | str,
    title: str,
    sector_id: int | None = None,
    theme_id: int | None = None,
    date: date | None = None,
    place: str = "",
) -> Workshop:
    """Plan a workshop (status draft) about a sector (territorial) or a theme (thematic)."""
    fields = _clean_workshop_fields(diagnostic, kind, title, sector_id, theme_id, date, place)
    workshop = Workshop(diagnostic=diagnostic, join_code=generate_join_code(session), **fields)
    session.add(workshop)
    session.commit()
    return workshop


def update_workshop(
    session: Session,
    workshop: Workshop,
    *,
    kind: WorkshopKind | str,
    title: str,
    sector_id: int | None = None,
    theme_id: int | None = None,
    date: date | None = None,
    place: str = "",
) -> Workshop:
    """Change a workshop's subject, title, date or place."""
    fields = _clean_workshop_fields(
        workshop.diagnostic, kind, title, sector_id, theme_id, date, place
    )
    for name, value in fields.items():
        setattr(workshop, name, value)
    session.commit()
    return workshop


def _clean_workshop_fields(diagnostic, kind, title, sector_id, theme_id, day, place) -> dict:
    """Validate the editable fields of a workshop; return them or raise ValidationError."""
    errors = {}
    try:
        kind = WorkshopKind(kind)
    except ValueError:
        raise ValidationError({"kind": N_("Type d'atelier inconnu.")}) from None
    if not (title or "").strip():
        errors["title"] = N_("Ce champ est obligatoire.")
    elif len(title.strip()) > 200:
        errors["title"] = N_("Ce texte est trop long.")
    if kind == WorkshopKind.TERRITORIAL:
        if sector_id not in {s.id for s in diagnostic.sectors}:
            errors["sector_id"] = N_("Choisissez le secteur territorial de l'atelier.")
        theme_id = None
    else:
        if theme_id not in {t.id for t in diagnostic.themes}:
            errors["theme_id"] = N_("Choisissez le thème de l'atelier.")
        sector_id = None
    if len((place or "").strip()) > 200:
        errors["place"] = N_("Ce texte est trop long.")
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "title": title.strip(),
        "sector_id": sector_id,
        "theme_id": theme_id,
        "date": day,
        "place": (place or "").strip(),
    }


def open_workshop(session: Session, workshop: Workshop) -> Workshop:
    """Open a draft or closed workshop to participants."""
    workshop.status = WorkshopStatus.OPEN
    session.commit()
    return workshop


def close_workshop(session: Session, workshop: Workshop) -> Workshop:
    """Close a workshop: it accepts no more participants nor contributions."""
    workshop.status = WorkshopStatus.CLOSED
    session.commit()
    return workshop


def find_workshop_by_code(session: Session, code: str) -> Workshop:
    """The workshop with this join code, open to participants, or a clear error."""
    workshop = session.scalar(
        select(Workshop).where(Workshop.join_code == normalise_join_code(code))
    )
    return ensure_joinable(workshop, code)


def ensure_joinable(workshop: Workshop | None, code: str) -> Workshop:
    """``workshop`` (found by ``code``) if it is open to participants, or a clear error."""
    if workshop is None:
        raise NotFound(N_("Aucun atelier ne correspond au code « %(code)s »."), code=code)
    _require_open(workshop)
    return workshop


def _require_open(workshop: Workshop) -> None:
    if workshop.status == WorkshopStatus.DRAFT:
        raise WorkshopNotOpen(
            N_("L'atelier « %(title)s » n'est pas encore ouvert."), title=workshop.title
        )
    if workshop.status == WorkshopStatus.CLOSED:
        raise WorkshopNotOpen(
            N_("L'atelier « %(title)s » est clos : il ne reçoit plus de contributions."),
            title=workshop.title,
        )


def join_workshop(
    session: Session,
    workshop: Workshop,
    *,
    display_name: str,
    organisation: str = "",
    actor_type_id: int | None = None,
    agreed_to_be_named: bool = False,
) -> Participant:
    """Register an anonymous participant in an open workshop; returns it with its token."""
    _require_open(workshop)
    errors = {}
    name = (display_name or "").strip()
    organisation = (organisation or "").strip()
    if not name:
        errors["display_name"] = N_("Indiquez un nom ou un pseudonyme.")
    elif len(name) > MAX_DISPLAY_NAME:
        errors["display_name"] = N_("Ce texte est trop long.")
    if len(organisation) > MAX_ORGANISATION:
        errors["organisation"] = N_("Ce texte est trop long.")
    if actor_type_id is not None and (
        not workshop.diagnostic.has_term(Vocabulary.ACTOR_TYPE, actor_type_id)
    ):
        errors["actor_type_id"] = N_("Choix invalide.")
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    participant = Participant(
        workshop=workshop,
        display_name=name,
        organisation=organisation,
        actor_type_id=actor_type_id,
        agreed_to_be_named=bool(agreed_to_be_named),
        token=token,
    )
    session.add(participant)
    session.commit()
    # The token cannot have changed: keep it readable without reloading the row (the
    # join page stores it in the browser's session right after).
    set_committed_value(participant, "token", token)
    return participant


def participant_by_token(
    session: Session, token: str | None, with_workshop: bool = False
) -> Participant | None:
    """The participant holding ``token``, if any (``with_workshop``: loaded in the query)."""
    if not token or not isinstance(token, str):
        return None
    query = select(Participant).where(Participant.token == token)
    if with_workshop:
        query = query.options(joinedload(Participant.workshop))
    return session.scalar(query)


def submit_contribution(
    session: Session,
    participant: Participant,
    data: Mapping[str, Any],
    before_commit: Callable[[Contribution], None] | None = None,
) -> tuple[Contribution, bool]:
    """Store a participant's contribution once per client id; returns (row, created).

    A resend of an already stored client id returns the stored row with ``created``
    False, so the client's retry is acknowledged without a second row. ``before_commit``
    runs on the flushed new row inside the same transaction (the live layer records the
    numbered event there, so the row and its event are stored together or not at all).
    """
    workshop = participant.workshop
    # A new id is the common case: no lookup first. A resend is recognised when storing
    # it fails (the unique client id), or when it is refused, e.g. because the workshop
    # closed after the first send was stored: the stored row is then acknowledged.
    try:
        _require_open(workshop)
        cleaned = clean_contribution(workshop.diagnostic, data)
        need_ids = cleaned.pop("answered_need_ids", [])
        needs = _needs_of_diagnostic(session, workshop.diagnostic, need_ids)
    except DomainError:
        existing = _by_client_id(
            session, data.get("client_id") if isinstance(data, Mapping) else None)
        if existing is not None:
            return _resent(existing, participant)
        raise
    contribution = Contribution(
        workshop=workshop,
        participant=participant,
        # Pre-moderation holds the item until a facilitator approves it.
        status=ContributionStatus.PENDING if workshop.moderation == ModerationMode.PRE
        else ContributionStatus.PUBLISHED,
        # Nothing is merged into a new item yet: known empty, never lazy-loaded.
        merged_sources=[],
        **cleaned,
    )
    contribution.answered_needs = needs
    session.add(contribution)
    try:
        session.flush()
        if before_commit is not None:
            before_commit(contribution)
        session.commit()
    except IntegrityError:
        # The id is stored already: by an earlier send (a resend), or by a send that raced.
        session.rollback()
        existing = _by_client_id(session, cleaned["client_id"])
        if existing is None:
            raise
        return _resent(existing, participant)
    return contribution, True


def _by_client_id(session: Session, client_id: Any) -> Contribution | None:
    if not isinstance(client_id, str) or not client_id:
        return None
    return session.scalar(select(Contribution).where(Contribution.client_id == client_id))


def _resent(existing: Contribution, participant: Participant) -> tuple[Contribution, bool]:
    if existing.participant_id != participant.id:
        raise Forbidden(N_("Cet identifiant de contribution est déjà utilisé."))
    return existing, False


def _needs_of_diagnostic(
    session: Session, diagnostic: Diagnostic, need_ids: list[int]
) -> list[Contribution]:
    """The needs named by id, all of which must belong to the diagnostic."""
    if not need_ids:
        return []
    needs = session.scalars(
        select(Contribution)
        .join(Workshop)
        .where(
            Contribution.id.in_(need_ids),
            Contribution.kind == ContributionKind.NEED,
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
