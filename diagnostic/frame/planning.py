"""Planning a diagnostic: creating it with its stakes and taxonomies, planning its workshops.

Every function takes the SQLAlchemy session first, validates, raises a
:class:`~diagnostic.errors.DomainError` subclass with nothing changed, and flushes; the
caller commits. Running a workshop live is in :mod:`diagnostic.live`.
"""

from __future__ import annotations

import secrets
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import record_audit
from ..errors import N_, ValidationError
from ..models import (
    Diagnostic,
    Stake,
    Term,
    User,
    Workshop,
    WorkshopKind,
)
from ..taxonomy import DEFAULT_TERMS
from ..time_zones import DEFAULT_TIME_ZONE, INVALID_ZONE, is_valid_zone
from .archiving import require_not_archived

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or off a projector is never ambiguous.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 6

COPY_SUFFIX = N_(" (copie)")
# Columns a copy takes from its workshop: its subject and settings. Every other column is
# fresh (see RESET_ON_COPY); a test checks each column of the table is in one list, so a new
# setting must say whether a copy keeps it.
COPIED_ON_COPY = (
    "diagnostic_id", "kind", "sector_id", "theme_id", "place", "start_time", "end_time",
    "moderation", "dot_budget", "dot_max_per_item", "anonymous",
)
RESET_ON_COPY = (
    "id", "title", "join_code", "status", "phase", "phase_ends_at", "last_seq", "created_at",
    "archived_at",
    "date",  # a copy is another session: its day is to be set (the form asks for it)
)


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
    time_zone: str = DEFAULT_TIME_ZONE,
) -> Diagnostic:
    """Create a diagnostic, its ordered stakes and a copy of the default ESS taxonomies."""
    errors = {}
    if not is_valid_zone(time_zone):
        errors["time_zone"] = INVALID_ZONE
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
        time_zone=time_zone,
    )
    for position, text in enumerate(stakes or []):
        diagnostic.stakes.append(Stake(position=position, title=text))
    if with_default_terms:
        for vocabulary, labels in DEFAULT_TERMS.items():
            for position, label in enumerate(labels):
                diagnostic.terms.append(Term(vocabulary=vocabulary, position=position, label=label))
    session.add(diagnostic)
    session.flush()
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
    start_time: time | None = None,
    end_time: time | None = None,
    anonymous: bool = False,
) -> Workshop:
    """Plan a workshop (status draft) about a sector (territorial) or a theme (thematic);
    ``anonymous``: participants give no name and get a random pseudonym."""
    require_not_archived(diagnostic)
    fields = _clean_workshop_fields(diagnostic, kind, title, sector_id, theme_id, date, place,
                                    start_time, end_time)
    fields["anonymous"] = bool(anonymous)
    workshop = Workshop(diagnostic=diagnostic, join_code=generate_join_code(session), **fields)
    session.add(workshop)
    session.flush()
    return workshop


def duplicate_workshop(session: Session, workshop: Workshop, user: User | None,
                       suffix: str = COPY_SUFFIX) -> Workshop:
    """A draft copy of ``workshop``'s settings and facilitators, with a new join code.

    No participants, contributions, votes or audit entries are copied; the copy is
    recorded in the original's audit log. ``suffix`` is the translated " (copie)". An
    archived workshop may be copied (reading its settings changes nothing), but not into
    an archived diagnostic.
    """
    require_not_archived(workshop.diagnostic)
    copy = Workshop(
        **{name: getattr(workshop, name) for name in COPIED_ON_COPY},
        title=(workshop.title[: 200 - len(suffix)] + suffix),
        join_code=generate_join_code(session),
    )
    copy.facilitators = list(workshop.facilitators)
    session.add(copy)
    session.flush()
    record_audit(session, workshop, user, "duplicate_workshop", None,
                 {"copy_id": copy.id, "title": copy.title})
    return copy


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
    start_time: time | None = None,
    end_time: time | None = None,
    anonymous: bool | None = None,
) -> Workshop:
    """Change a workshop's subject, title, date, times, place or anonymity (None: kept).

    Anonymity is fixed once someone joined: the people already in joined under the other
    rule (named, or with a pseudonym)."""
    require_not_archived(workshop)
    fields = _clean_workshop_fields(
        workshop.diagnostic, kind, title, sector_id, theme_id, date, place, start_time, end_time
    )
    if anonymous is not None and bool(anonymous) != workshop.anonymous:
        if workshop.participants:
            raise ValidationError({"anonymous": N_(
                "Des participant·es ont déjà rejoint l'atelier : sa participation anonyme "
                "ne peut plus changer.")})
        fields["anonymous"] = bool(anonymous)
    for name, value in fields.items():
        setattr(workshop, name, value)
    session.flush()
    return workshop


def _clean_workshop_fields(diagnostic, kind, title, sector_id, theme_id, day, place,
                           start_time=None, end_time=None) -> dict:
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
    if end_time is not None and start_time is None:
        errors["start_time"] = N_("Indiquez l'heure de début avant l'heure de fin.")
    elif end_time is not None and end_time <= start_time:
        errors["end_time"] = N_("L'heure de fin doit être après l'heure de début.")
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "title": title.strip(),
        "sector_id": sector_id,
        "theme_id": theme_id,
        "date": day,
        "place": (place or "").strip(),
        "start_time": start_time,
        "end_time": end_time,
    }
