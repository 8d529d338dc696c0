"""JSON-able views of workshops and contributions, shared by the live socket and the pages.

Pure functions: no Flask. Interface labels (kind, stage, urgency, horizon, status) are
passed through ``translate`` (the web layer gives ``gettext``); taxonomy terms and stakes
are data entered by staff and are never translated. Personal data stays out: the author's
display name only when they agreed to be named, and never the initiative's contact.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .models import Contribution, Workshop
from .taxonomy import ENUM_LABELS

Translate = Callable[[str], str]


def _identity(text: str) -> str:
    """Default ``translate``: keep the French source text."""
    return text


def _enum_label(value: object, translate: Translate) -> str | None:
    """The translated label of an enum member, or None when the value is absent."""
    if value is None:
        return None
    text = ENUM_LABELS.get(value)
    return translate(text) if text else str(value)


def _value(value: object) -> str | None:
    """The stored value of an optional enum member."""
    return getattr(value, "value", None)


def _term(term: Any) -> str | None:
    """The label of an optional taxonomy term (or the title of a stake)."""
    if term is None:
        return None
    return getattr(term, "label", None) or getattr(term, "title", None)


def serialize_contribution(
    contribution: Contribution, translate: Translate = _identity
) -> dict[str, Any]:
    """A published contribution as the live feed and the board show it (stable keys)."""
    participant = contribution.participant
    author = (
        participant.display_name if participant is not None and participant.agreed_to_be_named
        else None
    )
    return {
        "id": contribution.id,
        "workshop_id": contribution.workshop_id,
        "kind": contribution.kind.value,
        "kind_label": _enum_label(contribution.kind, translate),
        "author": author,
        "name": contribution.name,
        "description": contribution.description,
        "ess_family": _term(contribution.ess_family),
        "activity_sector": _term(contribution.activity_sector),
        "commune": contribution.commune,
        "jobs_fte": contribution.jobs_fte,
        "stage": _value(contribution.stage),
        "stage_label": _enum_label(contribution.stage, translate),
        "website": contribution.website,
        "actor_type": _term(contribution.actor_type),
        "need_category": _term(contribution.need_category),
        "urgency": _value(contribution.urgency),
        "urgency_label": _enum_label(contribution.urgency, translate),
        "stake": _term(contribution.stake),
        "responsible_party": _term(contribution.responsible_party),
        "horizon": _value(contribution.horizon),
        "horizon_label": _enum_label(contribution.horizon, translate),
        "answered_need_ids": [need.id for need in contribution.answered_needs],
        "created_at": contribution.created_at.isoformat() if contribution.created_at else None,
    }


def serialize_workshop(workshop: Workshop, translate: Translate = _identity) -> dict[str, Any]:
    """The public facts of a workshop: title, subject, status and join code."""
    return {
        "id": workshop.id,
        "title": workshop.title,
        "subject": workshop.subject,
        "kind": workshop.kind.value,
        "kind_label": _enum_label(workshop.kind, translate),
        "status": workshop.status.value,
        "status_label": _enum_label(workshop.status, translate),
        "join_code": workshop.join_code,
    }
