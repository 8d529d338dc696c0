"""Moderation of a workshop's contributions by its facilitators, each action audited.

Approve / reject (pre-moderation queue), hide / restore, edit (reformulate, validated
like a submission), split in two, merge into another item and undo, and scribe entry
for someone without a device. Each service takes the session first, raises a
DomainError with nothing changed, records an AuditEntry (changed fields before/after),
flushes and stages what the room (or the consoles) must be told; the caller commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..audit import jsonable, record_audit, snapshot
from ..errors import N_, DomainError, Forbidden, NotFound, ValidationError
from ..frame.archiving import require_not_archived
from ..models import Contribution, ContributionStatus, User, Workshop, utcnow
from ..validation import MAX_DESCRIPTION, clean_contribution, clean_text, is_id
from . import announce
from .participation import by_client_id, needs_of_diagnostic, require_open

# Every typed field a facilitator may reformulate (the kind and the author never change).
EDITABLE = (
    "description", "name", "ess_family_id", "activity_sector_id", "commune", "jobs_fte",
    "stage", "contact", "website", "actor_type_id", "need_category_id", "urgency",
    "stake_id", "responsible_party_id", "horizon",
)
MAX_ON_BEHALF_OF = 120
MAX_REFUSAL_REASON = 200  # a line on a phone, not a letter (Contribution.refusal_reason)
PENDING, PUBLISHED, HIDDEN = (
    ContributionStatus.PENDING, ContributionStatus.PUBLISHED, ContributionStatus.HIDDEN
)


def contribution_of(session: Session, workshop: Workshop, contribution_id: Any) -> Contribution:
    """The contribution ``contribution_id`` of this workshop, or NotFound; one its author
    withdrew is refused to every action (nothing is left of it to publish or edit)."""
    if not is_id(contribution_id):
        raise NotFound(N_("Contribution introuvable."))
    contribution = session.get(Contribution, contribution_id)
    if contribution is None or contribution.workshop_id != workshop.id:
        raise NotFound(N_("Contribution introuvable."))
    if contribution.withdrawn_at is not None:
        raise DomainError(N_("Cette contribution a été retirée par son auteur·e : "
                             "elle ne peut être ni rétablie, ni validée, ni modifiée."))
    return contribution


def _change_status(session, workshop, user, contribution_id, action, allowed, status, message):
    """Move an item from one of the ``allowed`` statuses to ``status``, audited."""
    contribution = contribution_of(session, workshop, contribution_id)
    if contribution.status not in allowed:
        raise DomainError(message)
    was_pending = contribution.status == PENDING
    before = snapshot(contribution, ("status",))
    contribution.status = status
    record_audit(session, workshop, user, action, before, snapshot(contribution, ("status",)),
                 contribution)
    if was_pending and status == PUBLISHED:
        announce.contribution_added(session, contribution)  # the room sees it for the first time
    else:  # hidden: the room knew it, and now withdraws it
        announce.contribution_updated(session, contribution, was_public=not was_pending)
    return contribution


def approve(session: Session, workshop: Workshop, user: User | None, cid: Any) -> Contribution:
    """Publish an item held for approval."""
    require_not_archived(workshop)
    return _change_status(session, workshop, user, cid, "approve", {PENDING}, PUBLISHED,
                          N_("Cette contribution n'est pas en attente de validation."))


def reject(
    session: Session, workshop: Workshop, user: User | None, cid: Any, reason: Any = None,
    *, now: datetime | None = None,
) -> Contribution:
    """Refuse an item held for approval, with an optional short ``reason``: it stays hidden
    from the room (and may be restored), and its author is told, with the reason."""
    require_not_archived(workshop)
    contribution = contribution_of(session, workshop, cid)
    if contribution.status != PENDING:
        raise DomainError(N_("Cette contribution n'est pas en attente de validation."))
    reason = clean_text("reason", reason, MAX_REFUSAL_REASON)
    before = snapshot(contribution, ("status",))
    contribution.status = HIDDEN
    contribution.refused_at = now or utcnow()
    contribution.refusal_reason = reason
    after = snapshot(contribution, ("status",))
    if reason:
        after["refusal_reason"] = reason
    record_audit(session, workshop, user, "reject", before, after, contribution)
    # The room never saw it: the consoles, and its author, hear of it (announce).
    announce.contribution_updated(session, contribution, was_public=False)
    return contribution


def hide(session: Session, workshop: Workshop, user: User | None, cid: Any) -> Contribution:
    """Take a published item off the board and the phones, its author's too: hiding after
    publication is a decision for the room, not a refusal the author is told of."""
    require_not_archived(workshop)
    return _change_status(session, workshop, user, cid, "hide", {PUBLISHED}, HIDDEN,
                          N_("Seule une contribution publiée peut être masquée."))


def restore(session: Session, workshop: Workshop, user: User | None, cid: Any) -> Contribution:
    """Publish a hidden item again (a refused one too: it is then no longer refused)."""
    require_not_archived(workshop)
    contribution = contribution_of(session, workshop, cid)
    if contribution.status != HIDDEN:
        raise DomainError(N_("Seule une contribution masquée peut être rétablie."))
    fields = ("status", "refusal_reason") if contribution.is_refused else ("status",)
    before = snapshot(contribution, fields)
    contribution.status = PUBLISHED
    contribution.refused_at = contribution.refusal_reason = None
    record_audit(session, workshop, user, "restore", before, snapshot(contribution, fields),
                 contribution)
    announce.contribution_updated(session, contribution)
    return contribution


def _current_fields(contribution: Contribution) -> dict[str, Any]:
    """The editable fields of an item as a submission would carry them."""
    return {field: jsonable(getattr(contribution, field)) for field in EDITABLE}


def edit(
    session: Session, workshop: Workshop, user: User | None, cid: Any, fields: Any
) -> Contribution:
    """Reformulate an item: ``fields`` go through the same validation as a submission."""
    require_not_archived(workshop)
    contribution = contribution_of(session, workshop, cid)
    if not isinstance(fields, Mapping) or not fields:
        raise ValidationError({"fields": N_("Indiquez les champs à modifier.")})
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise ValidationError({name: N_("Ce champ ne peut pas être modifié.") for name in unknown})
    data = {**_current_fields(contribution), **fields,
            "kind": contribution.kind.value, "client_id": contribution.client_id}
    cleaned = clean_contribution(workshop.diagnostic, data)
    before, after = {}, {}
    for field in EDITABLE:
        if field in cleaned and cleaned[field] != getattr(contribution, field):
            before[field] = jsonable(getattr(contribution, field))
            after[field] = jsonable(cleaned[field])
            setattr(contribution, field, cleaned[field])
    if after:
        record_audit(session, workshop, user, "edit", before, after, contribution)
    announce.contribution_updated(session, contribution, was_public=contribution.is_published)
    return contribution


def split(
    session: Session, workshop: Workshop, user: User | None, cid: Any, parts: Any
) -> tuple[Contribution, Contribution]:
    """Cut an item in two: it keeps the first description, a copy gets the second."""
    require_not_archived(workshop)
    contribution = contribution_of(session, workshop, cid)
    if contribution.merged_into_id is not None:
        raise DomainError(N_("Défusionnez d'abord cette contribution."))
    if not isinstance(parts, list | tuple) or len(parts) != 2:
        raise ValidationError({"parts": N_("Indiquez deux descriptions.")})
    texts, errors = [], {}
    for index, text in enumerate(parts):
        try:
            texts.append(clean_text(f"parts.{index}", text, MAX_DESCRIPTION, required=True))
        except ValidationError as error:
            errors.update(error.errors)
    if errors:
        raise ValidationError(errors)
    copied = {field: getattr(contribution, field) for field in EDITABLE}
    part = Contribution(
        **{**copied, "description": texts[1]},
        workshop=workshop, kind=contribution.kind, status=contribution.status,
        participant_id=contribution.participant_id, scribe_id=contribution.scribe_id,
        on_behalf_of=contribution.on_behalf_of, split_from_id=contribution.id,
        client_id="split-" + uuid.uuid4().hex,
    )
    session.add(part)
    part.answered_needs = list(contribution.answered_needs)
    before = {"description": contribution.description}
    contribution.description = texts[0]
    session.flush()
    record_audit(session, workshop, user, "split", before,
                 {"description": texts[0], "new_id": part.id, "new_description": texts[1]},
                 contribution)
    announce.contribution_updated(session, contribution, was_public=contribution.is_published)
    announce.contribution_added(session, part, new=True)
    return contribution, part


def merge(
    session: Session, workshop: Workshop, user: User | None, source_id: Any, target_id: Any
) -> tuple[Contribution, Contribution]:
    """Show ``source`` inside ``target`` (same workshop and kind, no chain); undoable."""
    require_not_archived(workshop)
    source = contribution_of(session, workshop, source_id)
    target = contribution_of(session, workshop, target_id)
    if source.id == target.id:
        raise DomainError(N_("Une contribution ne peut pas être fusionnée avec elle-même."))
    if source.kind != target.kind:
        raise DomainError(N_("Seules des contributions du même type peuvent être fusionnées."))
    if source.merged_into_id is not None:
        raise DomainError(N_("Cette contribution est déjà fusionnée dans une autre."))
    if target.merged_into_id is not None:
        raise DomainError(N_("La contribution cible est elle-même fusionnée dans une autre."))
    if source.merged_sources:
        raise DomainError(N_("Défusionnez d'abord les contributions regroupées dans celle-ci."))
    if target.status != PUBLISHED:
        raise DomainError(N_("La contribution cible doit être publiée."))
    source.merged_into = target
    record_audit(session, workshop, user, "merge", {"merged_into_id": None},
                 {"merged_into_id": target.id}, source)
    session.flush()
    session.expire(target, ["merged_sources"])
    announce.contribution_updated(session, source, was_public=source.is_published)
    announce.contribution_updated(session, target)
    return source, target


def unmerge(
    session: Session, workshop: Workshop, user: User | None, cid: Any
) -> tuple[Contribution, Contribution]:
    """Undo a merge: the source stands on its own again; returns (source, former target)."""
    require_not_archived(workshop)
    source = contribution_of(session, workshop, cid)
    target = source.merged_into
    if target is None:
        raise DomainError(N_("Cette contribution n'est fusionnée dans aucune autre."))
    source.merged_into = None
    record_audit(session, workshop, user, "unmerge", {"merged_into_id": target.id},
                 {"merged_into_id": None}, source)
    session.flush()
    session.expire(target, ["merged_sources"])
    announce.contribution_updated(session, source, was_public=source.is_published)
    announce.contribution_updated(session, target, was_public=target.is_published)
    return source, target


def scribe_contribution(
    session: Session, workshop: Workshop, user: User, data: Any
) -> tuple[Contribution, bool]:
    """Enter a contribution for someone without a device, published and labelled as such.

    Validated like a participant's submission; a resend of the same ``client_id`` by the
    same facilitator returns the stored row with ``created`` False.
    """
    require_not_archived(workshop)
    if not isinstance(data, Mapping):
        raise ValidationError({"__all__": N_("Contribution illisible.")})
    existing = by_client_id(session, data.get("client_id"))
    if existing is not None:
        if existing.scribe_id != user.id or existing.workshop_id != workshop.id:
            raise Forbidden(N_("Cet identifiant de contribution est déjà utilisé."))
        return existing, False
    require_open(workshop)
    errors = {}
    try:
        on_behalf_of = clean_text("on_behalf_of", data.get("on_behalf_of"), MAX_ON_BEHALF_OF)
    except ValidationError as error:
        errors, on_behalf_of = error.errors, None
    try:
        cleaned = clean_contribution(workshop.diagnostic, data)
    except ValidationError as error:
        error.errors.update(errors)
        raise
    if errors:
        raise ValidationError(errors)
    needs = needs_of_diagnostic(session, workshop.diagnostic, cleaned.pop("answered_need_ids", []))
    contribution = Contribution(workshop=workshop, participant_id=None, scribe_id=user.id,
                                on_behalf_of=on_behalf_of, status=PUBLISHED, **cleaned)
    contribution.answered_needs = needs
    session.add(contribution)
    session.flush()
    record_audit(session, workshop, user, "scribe", None,
                 {"kind": contribution.kind.value, "on_behalf_of": contribution.on_behalf_of,
                  "description": contribution.description}, contribution)
    announce.contribution_added(session, contribution, new=True)
    return contribution, True

