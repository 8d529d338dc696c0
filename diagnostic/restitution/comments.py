"""Comments on a restitution page: submitting, moderating, and what the pages show.

A comment names a need or recommendation by the contribution the page showed (its
synthesis item is looked up here) or nothing (the whole report). A resend with the same
``client_id`` is acknowledged and stored once. Comments wait for moderation; only
approved ones are shown on the public page and counted in the report's method section.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit import record_diagnostic_audit
from ..errors import N_, DomainError, Forbidden, NotFound, ValidationError
from ..frame.archiving import require_not_archived
from ..models import (
    CommentStatus,
    Contribution,
    ContributionKind,
    ContributionStatus,
    Diagnostic,
    IdentificationMode,
    Participant,
    Restitution,
    RestitutionComment,
    User,
    Workshop,
)
from ..validation import clean_client_id, clean_text
from .publishing import is_open

MAX_COMMENT = 2000
MAX_AUTHOR = 80
COMMENTABLE = (ContributionKind.NEED, ContributionKind.RECOMMENDATION)

CLOSED = N_("Les commentaires sont clos.")
NOT_A_PARTICIPANT = N_("Seules les personnes qui ont participé à un atelier de ce diagnostic "
                       "peuvent commenter, depuis le téléphone ou l'ordinateur avec lequel "
                       "elles l'ont rejoint.")
UNKNOWN_TARGET = N_("Cet élément du rapport n'existe pas ou plus.")
NOT_YOURS = N_("Ce commentaire n'appartient pas à ce diagnostic.")


class CommentsClosed(DomainError):
    """The page is unpublished or past its closing date."""


def submit_comment(
    session: Session, restitution: Restitution, *, text: object, client_id: object,
    target_id: int | None = None, participant: Participant | None = None,
    author_name: object = None, now: datetime | None = None,
) -> tuple[RestitutionComment, bool]:
    """Store a comment (pending moderation); returns it and whether it is new.

    ``target_id`` is the contribution the page showed for a need or recommendation (None:
    the whole report). In "participant" mode ``participant`` must be one of the
    diagnostic's workshops' (the caller finds it from the browser's session).
    """
    client = clean_client_id(client_id)
    existing = session.scalar(select(RestitutionComment)
                              .where(RestitutionComment.client_id == client))
    if existing is not None:
        if existing.diagnostic_id != restitution.diagnostic_id:
            raise ValidationError({"client_id": N_("Identifiant de commentaire invalide.")})
        return existing, False
    if not is_open(restitution, now):
        raise CommentsClosed(CLOSED)
    did = restitution.diagnostic_id
    if restitution.identification == IdentificationMode.PARTICIPANT:
        if (participant is None or participant.is_erased
                or participant.workshop.diagnostic_id != did):
            raise Forbidden(NOT_A_PARTICIPANT)
        name = None
    else:
        participant = None
        name = clean_text("author_name", author_name, MAX_AUTHOR)
    body = clean_text("text", text, MAX_COMMENT, required=True)
    contribution = _target(session, did, target_id)
    comment = RestitutionComment(
        diagnostic_id=did, text=body, client_id=client, author_name=name,
        participant_id=participant.id if participant is not None else None,
        contribution_id=contribution.id if contribution is not None else None,
        synthesis_item_id=contribution.synthesis_item_id if contribution is not None else None,
        status=CommentStatus.PENDING, created_at=now or datetime.now(UTC),
    )
    try:
        with session.begin_nested():  # a racing resend: stored once, by the other request
            session.add(comment)
    except IntegrityError:
        found = session.scalar(select(RestitutionComment)
                               .where(RestitutionComment.client_id == client))
        if found is None:
            raise
        return found, False
    return comment, True


def _target(session: Session, diagnostic_id: int, target_id: int | None) -> Contribution | None:
    """The published need or recommendation of the diagnostic a comment concerns."""
    if target_id is None:
        return None
    if not isinstance(target_id, int) or isinstance(target_id, bool) or not 0 < target_id < 2**31:
        raise NotFound(UNKNOWN_TARGET)
    found = session.scalar(
        select(Contribution).join(Workshop)
        .where(Contribution.id == target_id, Workshop.diagnostic_id == diagnostic_id,
               Contribution.status == ContributionStatus.PUBLISHED,
               Contribution.kind.in_(COMMENTABLE))
    )
    if found is None:
        raise NotFound(UNKNOWN_TARGET)
    return found


def moderate(session: Session, comment: RestitutionComment, diagnostic: Diagnostic,
             user: User | None, status: CommentStatus | str,
             now: datetime | None = None) -> RestitutionComment:
    """Approve or reject a comment (or put it back in the queue); audited."""
    if comment.diagnostic_id != diagnostic.id:
        raise NotFound(NOT_YOURS)
    require_not_archived(diagnostic)
    diagnostic_id = diagnostic.id
    try:
        new = CommentStatus(status)
    except ValueError:
        raise ValidationError({"status": N_("Valeur invalide.")}) from None
    before = comment.status
    if new == before:
        return comment
    comment.status = new
    comment.moderated_by_id = user.id if user is not None else None
    comment.moderated_at = now or datetime.now(UTC)
    record_diagnostic_audit(session, diagnostic_id, user, f"comment_{new.value}",
                            {"comment": comment.id, "status": before.value},
                            {"comment": comment.id, "status": new.value},
                            item_id=comment.synthesis_item_id)
    session.flush()
    return comment


# ---------------------------------------------------------------- queries


def comments_of(session: Session, diagnostic_id: int,
                status: CommentStatus | None = None) -> list[RestitutionComment]:
    """The diagnostic's comments, oldest first (of one status, if given)."""
    query = (select(RestitutionComment)
             .where(RestitutionComment.diagnostic_id == diagnostic_id)
             .order_by(RestitutionComment.created_at, RestitutionComment.id))
    if status is not None:
        query = query.where(RestitutionComment.status == status)
    return list(session.scalars(query))


def status_counts(session: Session, diagnostic_id: int) -> dict[CommentStatus, int]:
    """How many comments of each status the diagnostic has."""
    rows = session.execute(
        select(RestitutionComment.status, func.count())
        .where(RestitutionComment.diagnostic_id == diagnostic_id)
        .group_by(RestitutionComment.status)
    ).all()
    counts = Counter({status: 0 for status in CommentStatus})
    counts.update(dict(rows))
    return dict(counts)


@dataclass(frozen=True)
class ApprovedSummary:
    """Approved comments of a diagnostic: how many, the first and last moments (UTC)."""

    count: int
    first: datetime | None
    last: datetime | None


def approved_summary(session: Session, diagnostic_id: int) -> ApprovedSummary:
    """What the report's method section says of the comments received."""
    count, first, last = session.execute(
        select(func.count(), func.min(RestitutionComment.created_at),
               func.max(RestitutionComment.created_at))
        .where(RestitutionComment.diagnostic_id == diagnostic_id,
               RestitutionComment.status == CommentStatus.APPROVED)
    ).one()
    return ApprovedSummary(count, first, last)


def by_item(items: list, comments: list[RestitutionComment]
            ) -> dict[int | None, list[RestitutionComment]]:
    """``comments`` grouped by the report item (its ``id``) they concern; None: the whole
    report (also a comment whose item no longer exists).

    ``items`` are report items (needs, recommendations): a comment follows its synthesis
    item, else the contribution it named wherever that contribution is now folded in.
    """
    by_group: dict[int, int] = {}
    by_contribution: dict[int, int] = {}
    for item in items:
        if item.synthesis_id is not None:
            by_group[item.synthesis_id] = item.id
        by_contribution[item.id] = item.id
        for source in item.sources:
            by_contribution[source.contribution_id] = item.id
    grouped: dict[int | None, list[RestitutionComment]] = {}
    for comment in comments:
        key = by_group.get(comment.synthesis_item_id) if comment.synthesis_item_id else None
        if key is None and comment.contribution_id is not None:
            key = by_contribution.get(comment.contribution_id)
        grouped.setdefault(key, []).append(comment)
    return grouped


def participant_among(session: Session, diagnostic_id: int,
                      tokens: dict | None) -> Participant | None:
    """The participant of one of the diagnostic's workshops whose token a browser holds
    (``tokens``: workshop id -> participant token, as its session keeps them), if any."""
    values = [t for t in (tokens or {}).values() if isinstance(t, str) and t][:50]
    if not values:
        return None
    return session.scalar(
        select(Participant).join(Workshop)
        .where(Participant.token.in_(values), Workshop.diagnostic_id == diagnostic_id,
               Participant.erased_at.is_(None))
        .order_by(Participant.id).limit(1)
    )


def authors_of(session: Session, comments: list[RestitutionComment]) -> dict[int, Participant]:
    """The participants who wrote ``comments`` ("participant" mode), by id."""
    ids = sorted({c.participant_id for c in comments if c.participant_id is not None})
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Participant).where(Participant.id.in_(ids)))}
