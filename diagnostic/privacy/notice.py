"""The privacy notice of a diagnostic: its French default, its versions and their history.

Every change staff save is a new :class:`~diagnostic.models.PrivacyNotice` row (the
highest version is in force), so a consent can always name the exact text that was shown.
Until staff save one, the notice shown is a default built from the diagnostic (an unsaved
object, version None); :func:`notice_in_force` stores it as version 1 the first time a
consent is recorded.

The notice is the authority's document: its texts are data (French, as typed by staff),
not interface strings. Services validate, raise with nothing changed, and flush; the
caller commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import N_, ValidationError
from ..frame.archiving import require_not_archived
from ..models import Diagnostic, PrivacyNotice, User, utcnow
from ..validation import CONTROL_MESSAGE, CONTROL_RE

RETENTION_MIN, RETENTION_MAX = 1, 120
"""Allowed retention periods, in months after the report's validation."""
TEXT_FIELDS = ("controller", "purpose", "legal_basis", "dpo_contact", "rights")
MAX_LENGTHS = {"controller": 300, "purpose": 2000, "legal_basis": 2000, "dpo_contact": 500,
               "rights": 4000}
SPACES = re.compile(r"[ \t]+")
TO_COMPLETE = "à compléter"
"""Marks a default text staff must replace (the data-protection officer's contact)."""
DPO_PLACEHOLDER = ("À compléter : contact du délégué ou de la déléguée à la protection des "
                   "données de la collectivité (adresse électronique ou postale).")


def default_fields(diagnostic: Diagnostic) -> dict[str, str | int]:
    """The French default notice of ``diagnostic`` (its authority, title and retention);
    no-break spaces keep French punctuation with its word on a narrow phone."""
    authority = (diagnostic.report_authority or "").strip()
    controller = authority or (
        "La collectivité ou l'organisme qui conduit le diagnostic "
        f"«\u00a0{diagnostic.title}\u00a0»")
    return {
        "controller": controller,
        "purpose": (
            f"Conduire le diagnostic territorial collaboratif «\u00a0{diagnostic.title}\u00a0»"
            f"{f' ({diagnostic.territory})' if diagnostic.territory else ''}\u00a0: recueillir "
            "les contributions des ateliers, en faire la synthèse et publier le rapport. "
            "Le nom de votre structure, si vous l'indiquez, figure dans la liste des "
            "structures participantes du rapport ; votre nom et vos coordonnées, "
            "seulement avec votre accord."),
        "legal_basis": (
            "Mission d'intérêt public (article 6.1.e du RGPD) pour la participation aux "
            "ateliers et le traitement de vos contributions. Votre consentement (article "
            "6.1.a du RGPD) pour publier votre nom ou vos coordonnées dans le rapport et "
            "pour vous recontacter lors de la restitution ; vous pouvez le retirer à tout "
            "moment, sans conséquence sur votre participation."),
        "dpo_contact": DPO_PLACEHOLDER,
        "rights": (
            "Vous pouvez accéder aux données qui vous concernent, les faire rectifier ou "
            "effacer, vous opposer à leur traitement ou en demander la limitation, et "
            "retirer à tout moment un consentement donné. Depuis votre téléphone, la page "
            "« Mes données » de l'atelier montre vos consentements et permet de les "
            "modifier. Pour toute autre demande, écrivez au contact du délégué ou de la "
            "déléguée à la protection des données indiqué ci-dessus. Si vous estimez que "
            "vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la "
            "CNIL (www.cnil.fr)."),
        "retention_months": diagnostic.retention_months or 12,
    }


def default_notice(diagnostic: Diagnostic) -> PrivacyNotice:
    """An unsaved notice holding the defaults (version None: never stored)."""
    return PrivacyNotice(diagnostic_id=diagnostic.id, version=None, created_by=None,
                         **default_fields(diagnostic))


def latest_notice(session: Session, diagnostic: Diagnostic) -> PrivacyNotice | None:
    """The stored version in force (the highest), if any."""
    return session.scalar(_latest(), {"diagnostic_id": diagnostic.id})


@cache
def _latest():
    """The query of ``latest_notice``, built once (every phone's join runs it)."""
    return (select(PrivacyNotice).where(PrivacyNotice.diagnostic_id == bindparam("diagnostic_id"))
            .order_by(PrivacyNotice.version.desc()).limit(1))


def current_notice(session: Session, diagnostic: Diagnostic) -> PrivacyNotice:
    """The notice to show: the highest stored version, or the unsaved default."""
    return latest_notice(session, diagnostic) or default_notice(diagnostic)


def notice_in_force(session: Session, diagnostic: Diagnostic,
                    now: datetime | None = None) -> PrivacyNotice:
    """The stored notice in force, storing the defaults as version 1 when there is none
    (so that a consent always names a real version)."""
    notice = latest_notice(session, diagnostic)
    if notice is not None:
        return notice
    notice = PrivacyNotice(diagnostic_id=diagnostic.id, version=1, created_at=now or utcnow(),
                           created_by=None, **default_fields(diagnostic))
    try:
        # The whole room joins at once: two first joins may both store version 1. The
        # unique version makes the second fail; its join goes on under the stored one.
        with session.begin_nested():
            session.add(notice)
    except IntegrityError:
        notice = latest_notice(session, diagnostic)
        if notice is None:
            raise
    return notice


def notice_history(session: Session, diagnostic: Diagnostic) -> list[PrivacyNotice]:
    """Every stored version, newest first."""
    return list(session.scalars(
        select(PrivacyNotice).where(PrivacyNotice.diagnostic_id == diagnostic.id)
        .order_by(PrivacyNotice.version.desc())))


def dpo_missing(notice: PrivacyNotice) -> bool:
    """Whether the data-protection officer's contact is still to be filled in."""
    contact = (notice.dpo_contact or "").strip()
    return not contact or TO_COMPLETE in contact.lower()


def _clean(errors: dict[str, str], field: str, value: object) -> str:
    """A notice text: paragraphs kept, spaces trimmed, required, bounded."""
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    if CONTROL_RE.search(value):
        errors[field] = CONTROL_MESSAGE
        return ""
    # Runs of spaces and tabs only: the no-break spaces of French punctuation stay.
    lines = [SPACES.sub(" ", line).strip(" \t")
             for line in value.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    if not text:
        errors[field] = N_("Ce champ est obligatoire.")
    elif len(text) > MAX_LENGTHS[field]:
        errors[field] = N_("Ce texte est trop long.")
    return text


def _months(errors: dict[str, str], value: object) -> int:
    try:
        months = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        months = 0
    if isinstance(value, bool) or not RETENTION_MIN <= months <= RETENTION_MAX:
        errors["retention_months"] = N_(
            "Indiquez une durée de conservation entre 1 et 120 mois.")
    return months


@dataclass(frozen=True)
class NoticeSaved:
    """What :func:`set_notice` did: the notice in force and whether a version was added."""

    notice: PrivacyNotice
    created: bool


def set_notice(
    session: Session, diagnostic: Diagnostic, user: User | None, *,
    controller: str, purpose: str, legal_basis: str, dpo_contact: str, rights: str,
    retention_months: int, now: datetime | None = None,
) -> NoticeSaved:
    """Store a new version of the notice when something changed (the first save always
    stores version 1) and set the diagnostic's retention period; nothing changes on error.

    Raises :class:`ValidationError` (field → French msgid) or, on an archived diagnostic,
    the archive's refusal.
    """
    require_not_archived(diagnostic)
    errors: dict[str, str] = {}
    values: dict[str, str | int] = {
        "controller": _clean(errors, "controller", controller),
        "purpose": _clean(errors, "purpose", purpose),
        "legal_basis": _clean(errors, "legal_basis", legal_basis),
        "dpo_contact": _clean(errors, "dpo_contact", dpo_contact),
        "rights": _clean(errors, "rights", rights),
        "retention_months": _months(errors, retention_months),
    }
    if errors:
        raise ValidationError(errors)
    latest = latest_notice(session, diagnostic)
    diagnostic.retention_months = values["retention_months"]
    if latest is not None and all(getattr(latest, k) == v for k, v in values.items()):
        session.flush()
        return NoticeSaved(latest, False)
    version = (session.scalar(select(func.max(PrivacyNotice.version))
                              .where(PrivacyNotice.diagnostic_id == diagnostic.id)) or 0) + 1
    notice = PrivacyNotice(diagnostic=diagnostic, version=version, created_by=user,
                           created_at=now or utcnow(), **values)
    session.add(notice)
    session.flush()
    return NoticeSaved(notice, True)

