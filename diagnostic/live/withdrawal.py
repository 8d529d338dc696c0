"""A participant withdraws their own contribution while the workshop is open (RGPD).

The row stays as a *tombstone*: hidden, its typed text cleared, ``withdrawn_at`` set, so
that a resend of its client id is acknowledged and never stored again
(``participation.submit_contribution``). Everything that pointed to it lets go: supports
and dots (given back to their owners), need links, the merge into another item and the
items merged into it (which stand on their own again), its synthesis group. Its text is
scrubbed from the workshop's event log and from the audit entries about it, so no replay
nor log page shows it again. Like every service: nothing changed on refusal, flushes and
stages what clients must be told, the caller commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..audit import record_audit
from ..errors import N_, Forbidden, NotFound
from ..models import (
    AuditEntry,
    Contribution,
    ContributionStatus,
    Participant,
    Support,
    SynthesisAuditEntry,
    SynthesisItem,
    Vote,
    WorkshopEvent,
    recommendation_need,
)
from ..validation import is_id
from . import announce
from .events import rewrite_staged, stage_author_notice
from .participation import require_open
from .serialize import public_item
from .supports import participant_votes

# What the person typed or chose, cleared (the kind and the author's link stay: the
# tombstone must still be recognised as theirs on a resend).
CLEARED = (
    "name", "ess_family_id", "activity_sector_id", "commune", "jobs_fte", "stage", "contact",
    "website", "actor_type_id", "need_category_id", "urgency", "stake_id",
    "responsible_party_id", "horizon", "on_behalf_of", "refused_at", "refusal_reason",
)
# Texts an audit entry may hold about an item (edit, split, scribe, refusal).
AUDIT_TEXTS = ("description", "name", "commune", "contact", "website", "on_behalf_of",
               "jobs_fte", "new_description", "refusal_reason")
LIVE_EVENTS = ("contribution_added", "contribution_updated")


def own_contribution(session: Session, participant: Participant, contribution_id: Any
                     ) -> Contribution:
    """The participant's own contribution ``contribution_id``, or a clear refusal."""
    contribution = session.get(Contribution, contribution_id) if is_id(contribution_id) else None
    if contribution is None or contribution.workshop_id != participant.workshop_id:
        raise NotFound(N_("Contribution introuvable."))
    if contribution.participant_id != participant.id:
        raise Forbidden(N_("Vous ne pouvez retirer que vos propres contributions."))
    return contribution


def withdraw_contribution(
    session: Session, participant: Participant, contribution_id: Any, *, at: datetime
) -> tuple[Contribution, bool]:
    """Withdraw the participant's own item; returns (tombstone, True when withdrawn now).

    Only while the workshop is open (any phase). Withdrawing again changes nothing.
    """
    require_open(participant.workshop)
    contribution = own_contribution(session, participant, contribution_id)
    if contribution.withdrawn_at is not None:
        return contribution, False
    workshop = contribution.workshop
    was_public = contribution.is_published
    before = {"status": contribution.status.value}
    target = contribution.merged_into
    released = list(contribution.merged_sources)
    answering = _recommendations_answering(session, contribution)
    voters = _let_go(session, contribution)
    contribution.merged_into = None
    for source in released:
        source.merged_into = None
    contribution.description = ""
    for field in CLEARED:
        setattr(contribution, field, None)
    contribution.status = ContributionStatus.HIDDEN
    contribution.withdrawn_at = at
    session.flush()
    session.expire(contribution, ["answered_needs"])  # its links were deleted in SQL
    if target is not None:
        session.expire(target, ["merged_sources"])
    for recommendation in answering:
        session.expire(recommendation, ["answered_needs"])
    _scrub_log(session, contribution)
    after: dict[str, Any] = {"status": contribution.status.value}
    if released:
        after["released"] = [source.id for source in released]
    record_audit(session, workshop, None, "contribution_withdrawn", before, after, contribution)
    announce.contribution_withdrawn(session, contribution, was_public=was_public)
    for item in [*released, *answering, *([target] if target is not None else [])]:
        # Released sources stand on their own again; a target and recommendations lose
        # a link or tallies. The room gets each again if it may see it.
        announce.contribution_updated(session, item, was_public=item.is_published)
    for voter in voters:  # their dots came back: their phones show the new budget
        stage_author_notice(session, workshop, voter.id, "my_votes",
                            participant_votes(session, voter))
    return contribution, True


def _recommendations_answering(session: Session, need: Contribution) -> list[Contribution]:
    """The recommendations that say they answer ``need``."""
    return list(session.scalars(
        select(Contribution)
        .join(recommendation_need, recommendation_need.c.recommendation_id == Contribution.id)
        .where(recommendation_need.c.need_id == need.id)
        .order_by(Contribution.id)
    ))


def _let_go(session: Session, contribution: Contribution) -> list[Participant]:
    """Remove the item's supports, dots, need links and synthesis link; returns who had
    put dots on it (their budget changes)."""
    voters = list(session.scalars(
        select(Participant).join(Vote, Vote.participant_id == Participant.id)
        .where(Vote.contribution_id == contribution.id).order_by(Participant.id)
    ))
    session.execute(delete(Vote).where(Vote.contribution_id == contribution.id))
    session.execute(delete(Support).where(Support.contribution_id == contribution.id))
    session.execute(delete(recommendation_need).where(
        (recommendation_need.c.recommendation_id == contribution.id)
        | (recommendation_need.c.need_id == contribution.id)))
    group = (session.get(SynthesisItem, contribution.synthesis_item_id)
             if contribution.synthesis_item_id is not None else None)
    if group is not None:
        contribution.synthesis_item_id = None
        session.flush()
        _forget_title(session, group, contribution.name)
        left = session.scalar(select(func.count(Contribution.id))
                              .where(Contribution.synthesis_item_id == group.id))
        if not left:  # a group of it alone goes, as when staff take its last member out
            session.delete(group)
    return voters


def _forget_title(session: Session, group: SynthesisItem, name: str | None) -> None:
    """A group titled by default with the initiative's name (``synthesis.editing``) loses
    that title, in its synthesis log too: those were the author's words."""
    if not name:
        return
    if group.title == name:
        group.title = ""
    for entry in session.scalars(select(SynthesisAuditEntry).where(
            SynthesisAuditEntry.item_id == group.id)):
        entry.before, entry.after = _untitled(entry.before, name), _untitled(entry.after, name)


def _untitled(state: dict | None, name: str) -> dict | None:
    """A synthesis log state (an item, or ``items``) without ``name`` as a title."""
    if not isinstance(state, dict):
        return state
    state = {**state, "title": ""} if state.get("title") == name else state
    if isinstance(state.get("items"), list):
        state = {**state, "items": [_untitled(i, name) for i in state["items"]]}
    return state


def _scrub_log(session: Session, contribution: Contribution) -> None:
    """Take the item's text out of the workshop's event log and its audit entries."""
    cid = contribution.id
    public = public_item(announce.serialize_items(session, [contribution])[0])

    def scrubbed(payload: dict | None) -> dict | None:
        """An event's payload without the item's text (the same payload if it has none)."""
        if not payload:
            return payload
        if payload.get("id") == cid:
            return public
        if any(s.get("id") == cid for s in payload.get("merged_sources") or []
               if isinstance(s, dict)):
            return {**payload, "merged_sources": [
                s for s in payload["merged_sources"]
                if not (isinstance(s, dict) and s.get("id") == cid)]}
        return payload

    for event in session.scalars(select(WorkshopEvent).where(
            WorkshopEvent.workshop_id == contribution.workshop_id,
            WorkshopEvent.name.in_(LIVE_EVENTS))):
        if (payload := scrubbed(event.payload)) != event.payload:
            event.payload = payload
    # Events staged earlier in this transaction reach the log only at its commit.
    rewrite_staged(session, contribution.workshop_id, scrubbed)
    for entry in session.scalars(select(AuditEntry).where(
            AuditEntry.workshop_id == contribution.workshop_id)):
        if entry.contribution_id == cid:
            entry.before, entry.after = _scrubbed(entry.before), _scrubbed(entry.after)
        elif isinstance(entry.after, dict) and entry.after.get("new_id") == cid:
            # A split that cut this item out of another: its second part was this text.
            entry.after = {**entry.after, "new_description": None}


def _scrubbed(values: dict | None) -> dict | None:
    """An audit entry's values with their texts removed."""
    if not isinstance(values, dict):
        return values
    return {key: None if key in AUDIT_TEXTS else value for key, value in values.items()}
