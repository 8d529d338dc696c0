"""Read helpers of the live workshop pages and socket (queries only, no mutation).

The queries every phone's join runs are built once per process, with bound parameters
(``@cache`` functions below): building a ``select`` and its cache key at each call cost
more than SQLAlchemy's execution of the cached statement (docs/PERFORMANCE.md, issue 18).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from sqlalchemy import bindparam, func, null, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from ..frame.planning import normalise_join_code
from ..models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Participant,
    Stake,
    Support,
    Term,
    Vocabulary,
    Vote,
    Workshop,
)
from ..queries import CONTRIBUTION_DETAILS


def workshop_by_code(session: Session, code: str) -> Workshop | None:
    """The workshop with this join code whatever its status, or None; with its diagnostic
    in the same query (a join's pages read it: the privacy notice, the archive check)."""
    normalised = normalise_join_code(code)
    if not normalised:
        return None
    return session.scalar(_workshop_by_code(), {"code": normalised})


@cache
def _workshop_by_code():
    return (select(Workshop).where(Workshop.join_code == bindparam("code"))
            .options(joinedload(Workshop.diagnostic)))


def reload_workshop(session: Session, workshop: Workshop) -> None:
    """``session.refresh(workshop)``'s columns read again (a connection's state reads them
    after joining the room), with a statement built once."""
    if session.scalar(_reload_workshop(), {"workshop_id": workshop.id}) is None:
        session.refresh(workshop)  # gone meanwhile: refresh's own error


@cache
def _reload_workshop():
    return (select(Workshop).where(Workshop.id == bindparam("workshop_id"))
            .execution_options(populate_existing=True))


def workshop_and_participant(
    session: Session, code: str, tokens: Mapping[str, str] | None
) -> tuple[Workshop | None, Participant | None]:
    """``workshop_by_code`` and, in the same query, the participant of that workshop whose
    token ``tokens`` (a browser's workshop id -> participant token) holds for it, if any."""
    wanted = [t for t in (tokens or {}).values() if isinstance(t, str) and t]
    if not wanted:
        return workshop_by_code(session, code), None
    normalised = normalise_join_code(code)
    if not normalised:
        return None, None
    rows = session.execute(_workshop_and_participants(),
                           {"code": normalised, "tokens": wanted}).all()
    if not rows:
        return None, None
    workshop = rows[0][0]
    token = (tokens or {}).get(str(workshop.id))
    found = [p for _w, p in rows if p is not None and p.token == token]
    return workshop, (found[0] if found else None)


@cache
def _workshop_and_participants():
    return (select(Workshop, Participant)
            .outerjoin(Participant, (Participant.workshop_id == Workshop.id)
                       & Participant.token.in_(bindparam("tokens", expanding=True)))
            .where(Workshop.join_code == bindparam("code"))
            .options(joinedload(Workshop.diagnostic)))


def term_choices(
    session: Session, diagnostic_id: int, vocabulary: Vocabulary | None = None
) -> dict[Vocabulary, list[tuple[int, str]]]:
    """(id, label) of the diagnostic's terms per vocabulary, in display order.

    Plain rows, not ORM objects: every phone that joins renders these lists.
    """
    choices: dict[Vocabulary, list[tuple[int, str]]] = {v: [] for v in Vocabulary}
    rows = (session.execute(_terms(), {"diagnostic_id": diagnostic_id}) if vocabulary is None
            else session.execute(_terms_of(), {"diagnostic_id": diagnostic_id,
                                               "vocabulary": vocabulary}))
    for term_vocabulary, term_id, label in rows:
        choices[term_vocabulary].append((term_id, label))
    return choices


@cache
def _terms():
    return (select(Term.vocabulary, Term.id, Term.label)
            .where(Term.diagnostic_id == bindparam("diagnostic_id"))
            .order_by(Term.vocabulary, Term.position))


@cache
def _terms_of():
    return (select(Term.vocabulary, Term.id, Term.label)
            .where(Term.diagnostic_id == bindparam("diagnostic_id"),
                   Term.vocabulary == bindparam("vocabulary", type_=Term.vocabulary.type))
            .order_by(Term.position))


def stake_choices(session: Session, diagnostic_id: int) -> list[tuple[int, str]]:
    """(id, title) of the diagnostic's stakes, in order."""
    return [tuple(row) for row in session.execute(
        select(Stake.id, Stake.title).where(Stake.diagnostic_id == diagnostic_id)
        .order_by(Stake.position)
    )]


def term_and_stake_choices(
    session: Session, diagnostic_id: int
) -> tuple[dict[Vocabulary, list[tuple[int, str]]], list[tuple[int, str]]]:
    """``term_choices`` (every vocabulary) and ``stake_choices`` in one query (the
    contribute page of every phone shows both)."""
    choices: dict[Vocabulary, list[tuple[int, str]]] = {v: [] for v in Vocabulary}
    stakes: list[tuple[int, str]] = []
    for term_vocabulary, row_id, label, _position in session.execute(
        _terms_and_stakes(), {"diagnostic_id": diagnostic_id}
    ):
        if term_vocabulary is None:  # a stake
            stakes.append((row_id, label))
        else:
            choices[term_vocabulary].append((row_id, label))
    return choices, stakes


@cache
def _terms_and_stakes():
    terms = select(Term.vocabulary, Term.id, Term.label, Term.position).where(
        Term.diagnostic_id == bindparam("diagnostic_id"))
    stakes = select(null(), Stake.id, Stake.title, Stake.position).where(
        Stake.diagnostic_id == bindparam("diagnostic_id"))
    union = union_all(terms, stakes).subquery()
    # Stakes (no vocabulary) and each vocabulary's terms in their display order.
    return select(*union.c).order_by(union.c[0], union.c[3], union.c[1])


def _published(workshop: Workshop, *conditions):
    """Select the workshop's published contributions matching ``conditions``, oldest first."""
    return (
        select(Contribution)
        .where(
            Contribution.workshop_id == workshop.id,
            Contribution.status == ContributionStatus.PUBLISHED,
            *conditions,
        )
        .order_by(Contribution.id)
    )


def feed(session: Session, workshop: Workshop) -> list[Contribution]:
    """The workshop's published contributions not merged into another, oldest first."""
    query = _published(workshop, Contribution.merged_into_id.is_(None)).options(
        *CONTRIBUTION_DETAILS, selectinload(Contribution.merged_sources)
    )
    return list(session.scalars(query))


def unmerged(published: list[Contribution]) -> list[Contribution]:
    """``room_and_own``'s published items as ``feed`` lists them (not merged into another)."""
    return [item for item in published if item.merged_into_id is None]


def room_and_own(
    session: Session, workshop: Workshop, participant: Participant | None = None
) -> tuple[list[Contribution], list[Contribution]]:
    """The workshop's published contributions, merged ones included (``feed`` keeps those
    with no ``merged_into_id``), and ``participant``'s ``own_unpublished`` items, each list
    oldest first: one query with the details for what a phone's page or connection sends."""
    rows = (session.scalars(_room(), {"workshop_id": workshop.id}) if participant is None
            else session.scalars(_room_and_own(), {"workshop_id": workshop.id,
                                                   "participant_id": participant.id}))
    published: list[Contribution] = []
    own: list[Contribution] = []
    for row in rows:
        (published if row.status == ContributionStatus.PUBLISHED else own).append(row)
    return published, own


def _room_query(shown):
    return (select(Contribution)
            .where(Contribution.workshop_id == bindparam("workshop_id"), shown)
            .order_by(Contribution.id)
            .options(*CONTRIBUTION_DETAILS, selectinload(Contribution.merged_sources)))


@cache
def _room():
    return _room_query(Contribution.status == ContributionStatus.PUBLISHED)


@cache
def _room_and_own():
    return _room_query((Contribution.status == ContributionStatus.PUBLISHED)
                       | ((Contribution.participant_id == bindparam("participant_id"))
                          & _own_unpublished_condition()))


def _own_unpublished_condition():
    """An author's item the room does not see but they do (with their id): awaiting
    approval, or refused, and not withdrawn (``announce.author_may_see``)."""
    return (Contribution.withdrawn_at.is_(None)
            & ((Contribution.status == ContributionStatus.PENDING)
               | ((Contribution.status == ContributionStatus.HIDDEN)
                  & Contribution.refused_at.is_not(None))))


def own_unpublished(session: Session, participant: Participant) -> list[Contribution]:
    """A participant's own items the room does not see but they do: awaiting approval, or
    refused (``announce.author_may_see``), oldest first."""
    query = (
        select(Contribution)
        .where(
            Contribution.participant_id == participant.id,
            Contribution.workshop_id == participant.workshop_id,
            _own_unpublished_condition(),
        )
        .order_by(Contribution.id)
        .options(*CONTRIBUTION_DETAILS, selectinload(Contribution.merged_sources))
    )
    return list(session.scalars(query))


def tallies(session: Session, contributions: list[Contribution]) -> dict[int, tuple[int, int]]:
    """(supports, dots) of each contribution, counting the items merged into it."""
    ids = [c.id for c in contributions]
    owner = {c.id: c.id for c in contributions}
    for contribution in contributions:
        for source in contribution.merged_sources:
            owner[source.id] = contribution.id
            ids.append(source.id)
    result = {c.id: [0, 0] for c in contributions}
    if not ids:
        return {}
    supports = session.execute(
        select(Support.contribution_id, func.count())
        .where(Support.contribution_id.in_(ids))
        .group_by(Support.contribution_id)
    )
    for contribution_id, count in supports:
        result[owner[contribution_id]][0] += count
    dots = session.execute(
        select(Vote.contribution_id, func.sum(Vote.dots))
        .where(Vote.contribution_id.in_(ids))
        .group_by(Vote.contribution_id)
    )
    for contribution_id, total in dots:
        result[owner[contribution_id]][1] += int(total or 0)
    return {key: (value[0], value[1]) for key, value in result.items()}


def published_needs(session: Session, workshop: Workshop) -> list[Contribution]:
    """The workshop's published needs, oldest first (what a recommendation may answer)."""
    return list(session.scalars(_published(workshop, Contribution.kind == ContributionKind.NEED)))


def participant_for_submit(session: Session, participant_id: int) -> Participant | None:
    """A participant with its workshop and diagnostic, in one query (a submission needs all
    three)."""
    return session.get(Participant, participant_id, options=[
        joinedload(Participant.workshop).joinedload(Workshop.diagnostic)])


def has_client_id(session: Session, participant_id: int, client_id: object) -> bool:
    """Whether this participant already stored a contribution with ``client_id`` (a resend)."""
    if not isinstance(client_id, str) or not client_id:
        return False
    found = session.scalar(
        select(Contribution.id).where(
            Contribution.client_id == client_id, Contribution.participant_id == participant_id
        )
    )
    return found is not None
