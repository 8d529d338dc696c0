"""JSON-able views of workshops and contributions, shared by the live socket and the pages.

Pure functions: no Flask. Interface labels (kind, stage, urgency, horizon, status) are
passed through ``translate`` (the web layer gives ``gettext``); taxonomy terms and stakes
are data entered by staff and are never translated. Personal data stays out: the author's
display name only when they agreed to be named, and never the initiative's contact.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ..models import Contribution, Workshop
from ..taxonomy import PHASE_KIND, PHASE_PROMPTS, enum_label

Translate = Callable[[str], str]


def identity(text: str) -> str:
    """Default ``translate``: keep the French source text."""
    return text


def _enum_label(value: object, translate: Translate) -> str | None:
    """The translated label of an enum member, or None when the value is absent."""
    if value is None:
        return None
    text = enum_label(value)
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
    contribution: Contribution,
    translate: Translate = identity,
    supports: int = 0,
    dots: int = 0,
) -> dict[str, Any]:
    """A contribution as the live feed and the board show it (stable keys).

    ``supports`` and ``dots`` are the tallies of the item and of the items merged into it
    (see ``live_queries.tallies``). Items merged into this one are listed briefly.
    """
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
        "status": contribution.status.value,
        "supports": supports,
        "dots": dots,
        "scribe": contribution.scribe_id is not None,
        "paper": contribution.paper_import_id is not None,
        "on_behalf_of": contribution.on_behalf_of,
        "merged_into_id": contribution.merged_into_id,
        "merged_sources": [
            {"id": source.id, "name": source.name, "description": source.description,
             "status": source.status.value}
            for source in contribution.merged_sources
        ],
        "split_from_id": contribution.split_from_id,
        "created_at": _iso(contribution.created_at),
        # Pre-moderation's answer to the author (only they and the consoles get it: a
        # refused item is hidden, so the room's version empties both).
        "refused": contribution.refused_at is not None,
        "refusal_reason": contribution.refusal_reason,
        # Withdrawn by its author (its text is gone): every client removes it for good.
        "withdrawn": contribution.withdrawn_at is not None,
    }


# What a participant or a board may still learn of an item it may not see (hidden, pending,
# or gone): which item, that it left, and why; never its text, author nor links.
PUBLIC_WHEN_WITHDRAWN = ("id", "workshop_id", "kind", "kind_label", "status",
                         "merged_into_id", "split_from_id", "created_at", "withdrawn")


def public_item(item: dict[str, Any]) -> dict[str, Any]:
    """A serialized contribution as the room may see it NOW.

    A published item keeps its text, without the text of merged sources that are not
    published themselves. Any other item is *withdrawn*: every key is still there (clients
    rely on them), text, author and links emptied, tallies zero, and ``"redacted": true``
    (clients remove it; a console ignores it, it has the full item from its own channel).
    """
    if item.get("status") == "published":
        return {**item, "merged_sources": [
            source for source in item.get("merged_sources") or []
            if source.get("status") == "published"]}
    withdrawn: dict[str, Any] = {}
    for key, value in item.items():
        if key in PUBLIC_WHEN_WITHDRAWN:
            withdrawn[key] = value
        elif isinstance(value, list):
            withdrawn[key] = []
        elif isinstance(value, bool):
            withdrawn[key] = False
        elif key in ("supports", "dots"):
            withdrawn[key] = 0
        else:
            withdrawn[key] = None
    withdrawn["redacted"] = True
    return withdrawn


def serialize_workshop(workshop: Workshop, translate: Translate = identity) -> dict[str, Any]:
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
        "phase": workshop.phase.value,
        "phase_label": _enum_label(workshop.phase, translate),
        "phase_prompt": translate(PHASE_PROMPTS[workshop.phase]),
        "phase_kind": _value(PHASE_KIND.get(workshop.phase)),
        "phase_ends_at": _iso(workshop.phase_ends_at),
        "moderation": workshop.moderation.value,
        "dot_budget": workshop.dot_budget,
        "dot_max_per_item": workshop.dot_max_per_item,
    }


def _iso(moment: datetime | None) -> str | None:
    """An aware timestamp in ISO 8601 (UTC assumed for naive values from SQLite)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()
