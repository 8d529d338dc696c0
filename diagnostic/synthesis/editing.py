"""Staff actions on the synthesis: merge, split, dissolve, reject a pair, edit an item,
move an item to a stake (the affinity board).

Each service takes the session first, raises a DomainError with nothing changed, and
flushes: the caller (a staff view) commits. Every action is a
:class:`SynthesisAuditEntry` (:func:`audit_log` reads them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..audit import jsonable
from ..errors import N_, DomainError, NotFound, ValidationError
from ..frame.archiving import require_not_archived
from ..models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Diagnostic,
    RejectedPair,
    Stake,
    SynthesisAuditEntry,
    SynthesisItem,
    User,
    Workshop,
)
from ..validation import CONTROL_MESSAGE, CONTROL_RE

MAX_TITLE = 300
MAX_SUMMARY = 5000
MAX_POSITION = 100_000
ITEM_FIELDS = ("title", "summary", "position", "priority", "stake_id")
STAKED = (ContributionKind.NEED, ContributionKind.RECOMMENDATION)
"""The kinds a synthesis item can be put under a stake (an initiative is not)."""


def _record(session: Session, diagnostic: Diagnostic, user: User | None, action: str,
            item: SynthesisItem | None, before: dict | None, after: dict | None) -> None:
    session.flush()
    session.add(SynthesisAuditEntry(
        diagnostic_id=diagnostic.id, item_id=item.id if item is not None else None,
        user_id=user.id if user is not None else None, action=action,
        before=before, after=after,
    ))


def _item_state(item: SynthesisItem, members: Iterable[Contribution]) -> dict[str, Any]:
    state = {name: jsonable(getattr(item, name)) for name in ITEM_FIELDS}
    state["id"] = item.id
    state["kind"] = item.kind.value
    state["members"] = sorted(c.id for c in members)
    return state


def _members(session: Session, item: SynthesisItem) -> list[Contribution]:
    return list(session.scalars(
        select(Contribution).where(Contribution.synthesis_item_id == item.id)
        .order_by(Contribution.id)
    ))


def unit(session: Session, diagnostic: Diagnostic, contribution_id: Any) -> Contribution:
    """The published, top-level contribution ``contribution_id`` of this diagnostic."""
    if isinstance(contribution_id, bool) or not isinstance(contribution_id, int):
        raise NotFound(N_("Contribution introuvable."))
    contribution = session.get(Contribution, contribution_id)
    if contribution is None:
        raise NotFound(N_("Contribution introuvable."))
    workshop = session.get(Workshop, contribution.workshop_id)
    if workshop is None or workshop.diagnostic_id != diagnostic.id:
        raise NotFound(N_("Contribution introuvable."))
    if contribution.status != ContributionStatus.PUBLISHED:
        raise DomainError(N_("Seule une contribution publiée entre dans la synthèse."))
    if contribution.merged_into_id is not None:
        raise DomainError(N_(
            "Cette contribution est déjà fusionnée dans son atelier : "
            "agissez sur celle qui la regroupe."
        ))
    return contribution


def item_of(session: Session, diagnostic: Diagnostic, item_id: Any) -> SynthesisItem:
    """The synthesis item ``item_id`` of this diagnostic, or NotFound."""
    if isinstance(item_id, bool) or not isinstance(item_id, int):
        raise NotFound(N_("Élément de synthèse introuvable."))
    item = session.get(SynthesisItem, item_id)
    if item is None or item.diagnostic_id != diagnostic.id:
        raise NotFound(N_("Élément de synthèse introuvable."))
    return item


def _default_title(contribution: Contribution) -> str:
    if contribution.kind == ContributionKind.INITIATIVE and contribution.name:
        return contribution.name[:MAX_TITLE]
    return ""


def merge(session: Session, diagnostic: Diagnostic, user: User | None,
          contribution_ids: Iterable[Any]) -> SynthesisItem:
    """Fold the given units (and the groups they belong to) into one synthesis item.

    The group with the lowest id among theirs is kept (its texts and settings win, gaps
    are filled from the others); the other groups are emptied into it and removed.
    """
    require_not_archived(diagnostic)
    ids = list(dict.fromkeys(contribution_ids))
    if len(ids) < 2:
        raise DomainError(N_("Choisissez au moins deux contributions à regrouper."))
    units = [unit(session, diagnostic, cid) for cid in ids]
    kinds = {c.kind for c in units}
    if len(kinds) > 1:
        raise DomainError(N_("On ne regroupe que des contributions de même nature."))
    group_ids = sorted({c.synthesis_item_id for c in units if c.synthesis_item_id is not None})
    if len(group_ids) == 1 and all(c.synthesis_item_id == group_ids[0] for c in units):
        raise DomainError(N_("Ces contributions sont déjà regroupées."))
    groups = [session.get(SynthesisItem, gid) for gid in group_ids]
    before = {"items": [_item_state(g, _members(session, g)) for g in groups]}
    if groups:
        target, others = groups[0], groups[1:]
    else:
        target = SynthesisItem(diagnostic_id=diagnostic.id, kind=units[0].kind,
                               title=_default_title(units[0]), summary="", priority=False)
        session.add(target)
        session.flush()
        others = []
    for other in others:
        target.title = target.title or other.title
        target.summary = target.summary or other.summary
        target.priority = target.priority or other.priority
        if target.stake_id is None:
            target.stake_id = other.stake_id
        if other.position is not None and (target.position is None
                                           or other.position < target.position):
            target.position = other.position
        for member in _members(session, other):
            member.synthesis_item_id = target.id
    for contribution in units:
        contribution.synthesis_item_id = target.id
    session.flush()
    for other in others:
        session.delete(other)
    _record(session, diagnostic, user, "merge", target, before,
            _item_state(target, _members(session, target)))
    session.flush()
    return target


def _keep_apart(session: Session, diagnostic: Diagnostic, user: User | None,
                pairs: Iterable[tuple[int, int]]) -> None:
    """Record that staff took these pairs apart: they are never suggested again."""
    wanted = {(min(a, b), max(a, b)) for a, b in pairs if a != b}
    if not wanted:
        return
    ids = {i for pair in wanted for i in pair}
    known = {tuple(row) for row in session.execute(
        select(RejectedPair.first_id, RejectedPair.second_id)
        .where(RejectedPair.first_id.in_(ids), RejectedPair.second_id.in_(ids))
    )}
    for low, high in sorted(wanted - known):
        session.add(RejectedPair(diagnostic_id=diagnostic.id, first_id=low, second_id=high,
                                 user_id=user.id if user is not None else None,
                                 origin="split"))


def split(session: Session, diagnostic: Diagnostic, user: User | None,
          contribution_id: Any) -> Contribution:
    """Take one unit out of its group: it stands alone again (an emptied group goes).

    It is never suggested again with the members it leaves.
    """
    require_not_archived(diagnostic)
    contribution = unit(session, diagnostic, contribution_id)
    if contribution.synthesis_item_id is None:
        raise DomainError(N_("Cette contribution n'est regroupée avec aucune autre."))
    item = session.get(SynthesisItem, contribution.synthesis_item_id)
    before = _item_state(item, _members(session, item))
    contribution.synthesis_item_id = None
    session.flush()
    remaining = _members(session, item)
    _keep_apart(session, diagnostic, user, ((contribution.id, m.id) for m in remaining))
    _record(session, diagnostic, user, "split", item, before,
            {**_item_state(item, remaining), "removed": contribution.id})
    if not remaining:
        session.delete(item)
    session.flush()
    return contribution


def dissolve(session: Session, diagnostic: Diagnostic, user: User | None,
             item_id: Any) -> list[Contribution]:
    """Undo a group: every member stands alone again; the texts stay in the audit log.

    Its members are never suggested again with one another.
    """
    require_not_archived(diagnostic)
    item = item_of(session, diagnostic, item_id)
    members = _members(session, item)
    _keep_apart(session, diagnostic, user,
                ((a.id, b.id) for k, a in enumerate(members) for b in members[k + 1:]))
    _record(session, diagnostic, user, "dissolve", item, _item_state(item, members), None)
    for member in members:
        member.synthesis_item_id = None
    session.flush()
    session.delete(item)
    session.flush()
    return members


def reject_pair(session: Session, diagnostic: Diagnostic, user: User | None,
                first_id: Any, second_id: Any) -> RejectedPair:
    """Record that two contributions are not duplicates: never suggested again."""
    require_not_archived(diagnostic)
    first = unit(session, diagnostic, first_id)
    second = unit(session, diagnostic, second_id)
    if first.id == second.id:
        raise DomainError(N_("Une contribution ne peut pas être comparée à elle-même."))
    low, high = sorted((first.id, second.id))
    existing = session.scalar(
        select(RejectedPair).where(RejectedPair.first_id == low, RejectedPair.second_id == high)
    )
    if existing is not None:
        return existing
    pair = RejectedPair(diagnostic_id=diagnostic.id, first_id=low, second_id=high,
                        user_id=user.id if user is not None else None)
    session.add(pair)
    _record(session, diagnostic, user, "reject", None, None, {"pair": [low, high]})
    session.flush()
    return pair


def _stake(session: Session, diagnostic: Diagnostic, stake_id: Any) -> Stake | None:
    """The stake ``stake_id`` of this diagnostic, None for another's or junk."""
    if isinstance(stake_id, bool) or not isinstance(stake_id, int):
        return None
    stake = session.get(Stake, stake_id)
    return stake if stake is not None and stake.diagnostic_id == diagnostic.id else None


def _clean_item_fields(session: Session, diagnostic: Diagnostic, kind: ContributionKind,
                       data: dict[str, Any]) -> dict[str, Any]:
    """Validate an edit of a synthesis item's texts and settings (French messages)."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    title = data.get("title", "")
    title = " ".join(str(title or "").split())
    if CONTROL_RE.search(title):
        errors["title"] = CONTROL_MESSAGE
    elif len(title) > MAX_TITLE:
        errors["title"] = N_("Le titre ne doit pas dépasser 300 caractères.")
    cleaned["title"] = title
    summary = str(data.get("summary") or "").strip()
    if CONTROL_RE.search(summary):
        errors["summary"] = CONTROL_MESSAGE
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = N_("Le texte de synthèse ne doit pas dépasser 5000 caractères.")
    cleaned["summary"] = summary
    position = data.get("position")
    if position in (None, ""):
        cleaned["position"] = None
    else:
        try:
            position = int(position)
        except (TypeError, ValueError):
            position = 0
        if not 1 <= position <= MAX_POSITION:
            errors["position"] = N_("Le rang doit être un nombre entier positif.")
        cleaned["position"] = position
    cleaned["priority"] = bool(data.get("priority"))
    stake_id = data.get("stake_id")
    if stake_id in (None, "") or kind not in STAKED:
        cleaned["stake_id"] = None
    else:
        if _stake(session, diagnostic, stake_id) is None:
            errors["stake_id"] = N_("Choisissez un enjeu de ce diagnostic.")
        cleaned["stake_id"] = stake_id
    if errors:
        raise ValidationError(errors)
    return cleaned


def _group_of(session: Session, diagnostic: Diagnostic, contribution: Contribution
              ) -> tuple[SynthesisItem, dict | None]:
    """The unit's group and its state before a change (a new group of one: None)."""
    item = (session.get(SynthesisItem, contribution.synthesis_item_id)
            if contribution.synthesis_item_id is not None else None)
    if item is not None:
        return item, _item_state(item, _members(session, item))
    item = SynthesisItem(diagnostic_id=diagnostic.id, kind=contribution.kind,
                         title="", summary="", priority=False)
    session.add(item)
    session.flush()
    contribution.synthesis_item_id = item.id
    return item, None


def update_item(session: Session, diagnostic: Diagnostic, user: User | None,
                contribution_id: Any, data: dict[str, Any]) -> SynthesisItem:
    """Edit the synthesis entry a unit belongs to (a group of one is made if needed).

    ``data`` holds ``title``, ``summary`` (empty: the contribution's own text is used),
    ``position`` (manual rank, empty for the automatic order), ``priority`` and, for a
    need or a recommendation, ``stake_id`` (empty: none, or for a recommendation the
    stake chosen in the workshop).
    """
    require_not_archived(diagnostic)
    contribution = unit(session, diagnostic, contribution_id)
    cleaned = _clean_item_fields(session, diagnostic, contribution.kind, data)
    item, before = _group_of(session, diagnostic, contribution)
    for name, value in cleaned.items():
        setattr(item, name, value)
    session.flush()
    _record(session, diagnostic, user, "edit", item, before,
            _item_state(item, _members(session, item)))
    session.flush()
    return item


def _representative(session: Session, contribution: Contribution) -> Contribution:
    """The member whose workshop choices stand for the group (the lowest id, as in the
    report), the contribution itself when it stands alone."""
    if contribution.synthesis_item_id is None:
        return contribution
    return session.scalars(
        select(Contribution).where(Contribution.synthesis_item_id
                                   == contribution.synthesis_item_id,
                                   Contribution.merged_into_id.is_(None))
        .order_by(Contribution.id).limit(1)
    ).one()


def move(session: Session, diagnostic: Diagnostic, user: User | None,
         contribution_id: Any, stake_id: int | None) -> SynthesisItem:
    """Put the unit's group (a group of one is made if needed) under ``stake_id``, or
    under no stake (``None``): the affinity board's "drop on a column".

    A recommendation's stake chosen in its workshop stands when its group has none, so
    such a recommendation can go to another stake but not to "no stake".
    """
    require_not_archived(diagnostic)
    contribution = unit(session, diagnostic, contribution_id)
    if contribution.kind not in STAKED:
        raise DomainError(N_("Seuls les besoins et les préconisations se classent par enjeu."))
    if stake_id is not None and _stake(session, diagnostic, stake_id) is None:
        raise NotFound(N_("Choisissez un enjeu de ce diagnostic."))
    own = _representative(session, contribution).stake_id
    own = own if own is not None and _stake(session, diagnostic, own) is not None else None
    group = (session.get(SynthesisItem, contribution.synthesis_item_id)
             if contribution.synthesis_item_id is not None else None)
    current = (group.stake_id if group is not None else None) or own
    if current == stake_id:
        raise DomainError(N_("Cet élément est déjà sous cet enjeu.") if stake_id is not None
                          else N_("Cet élément n'est déjà sous aucun enjeu."))
    if stake_id is None and own is not None:
        raise DomainError(N_(
            "Cette préconisation garde l'enjeu choisi en atelier tant qu'aucun autre ne "
            "lui est donné : choisissez un autre enjeu."
        ))
    item, before = _group_of(session, diagnostic, contribution)
    item.stake_id = stake_id
    session.flush()
    _record(session, diagnostic, user, "move", item, before,
            _item_state(item, _members(session, item)))
    session.flush()
    return item


def audit_log(session: Session, diagnostic: Diagnostic, limit: int = 200
              ) -> list[SynthesisAuditEntry]:
    """The latest synthesis actions, newest first."""
    return list(session.scalars(
        select(SynthesisAuditEntry)
        .where(SynthesisAuditEntry.diagnostic_id == diagnostic.id)
        .options(selectinload(SynthesisAuditEntry.user))
        .order_by(SynthesisAuditEntry.id.desc())
        .limit(limit)
    ))
