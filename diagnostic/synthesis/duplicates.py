"""Duplicate suggestions among the units of a diagnostic's synthesis.

A *unit* is a published contribution not merged into another one inside its workshop.
:func:`candidates` reads them as input for the engine (:mod:`.similarity`),
:func:`context` the diagnostic's thesaurus and place names, :func:`refused_pairs` the
pairs staff rejected or split apart. :func:`suggestions` reads the likely duplicates of
one kind from this process's cached index (:mod:`.index`), brought up to date first;
:func:`similar` lists the closest units of one unit, whatever the threshold.
The engine (numpy, rapidfuzz, simplemma, snowball stemmers) is imported on first use, as
the staff views do, so the application starts without it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import N_, NotFound
from ..models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Diagnostic,
    RejectedPair,
    Sector,
    Workshop,
)

if TYPE_CHECKING:
    from .scoring import Context
    from .similarity import Candidate, Reason, Suggestion


def _units(diagnostic: Diagnostic):
    """The conditions of a unit of ``diagnostic`` (for a query joined to Workshop)."""
    return (Workshop.diagnostic_id == diagnostic.id,
            Contribution.status == ContributionStatus.PUBLISHED,
            Contribution.merged_into_id.is_(None))


def unit_counts(session: Session, diagnostic: Diagnostic) -> dict[ContributionKind, int]:
    """How many units of each kind the diagnostic has (every kind, 0 included)."""
    counts = dict.fromkeys(ContributionKind, 0)
    counts.update((kind, count) for kind, count in session.execute(
        select(Contribution.kind, func.count())
        .join(Workshop, Workshop.id == Contribution.workshop_id)
        .where(*_units(diagnostic)).group_by(Contribution.kind)
    ))
    return counts


def group_sizes(session: Session, units: Iterable[Candidate]) -> dict[int, int]:
    """The number of members of the synthesis groups of ``units``, by group id."""
    groups = {c.group for c in units if c.group is not None}
    if not groups:
        return {}
    return {group: count for group, count in session.execute(
        select(Contribution.synthesis_item_id, func.count())
        .where(Contribution.synthesis_item_id.in_(groups))
        .group_by(Contribution.synthesis_item_id)
    )}


def candidates(session: Session, diagnostic: Diagnostic,
               kind: ContributionKind | None = None,
               ids: Collection[int] | None = None) -> list[Candidate]:
    """Every unit of the diagnostic (of one kind, among ``ids``), ordered by id, as
    engine input."""
    from .similarity import Candidate  # see the module's docstring
    query = (
        select(Contribution.id, Contribution.kind, Contribution.workshop_id,
               Contribution.description, Contribution.name, Contribution.commune,
               Contribution.synthesis_item_id, Contribution.split_from_id)
        .join(Workshop, Workshop.id == Contribution.workshop_id)
        .where(*_units(diagnostic))
        .order_by(Contribution.id)
    )
    if kind is not None:
        query = query.where(Contribution.kind == kind)
    if ids is not None:
        if not ids:
            return []
        query = query.where(Contribution.id.in_(sorted(ids)))
    return [
        Candidate(id=row.id, kind=row.kind.value, workshop_id=row.workshop_id,
                  text=row.description, name=row.name, commune=row.commune,
                  group=row.synthesis_item_id, origin=row.split_from_id)
        for row in session.execute(query)
    ]


def places(session: Session, diagnostic: Diagnostic) -> tuple[str, ...]:
    """The diagnostic's own place names: its territory, its sectors and their communes."""
    names = [diagnostic.territory or ""]
    for sector_name, communes in session.execute(
            select(Sector.name, Sector.communes).where(Sector.diagnostic_id == diagnostic.id)):
        names.append(sector_name)
        names.extend(part for line in (communes or "").splitlines()
                     for part in line.split(","))
    return tuple(sorted({" ".join(n.split()) for n in names if n and n.strip()}))


def context(session: Session, diagnostic: Diagnostic) -> Context:
    """What the matcher knows of this diagnostic: its thesaurus and its place names."""
    from . import thesaurus
    from .scoring import Context
    return Context(thesaurus.of_text(diagnostic.thesaurus).concepts,
                   places(session, diagnostic))


def refused_pairs(session: Session, diagnostic: Diagnostic) -> set[tuple[int, int]]:
    """The pairs staff rejected or split apart, as ordered id pairs."""
    return {
        (row.first_id, row.second_id)
        for row in session.execute(
            select(RejectedPair.first_id, RejectedPair.second_id)
            .where(RejectedPair.diagnostic_id == diagnostic.id)
        )
    }


rejected_pairs = refused_pairs  # the name earlier callers know


def _index(session: Session, diagnostic: Diagnostic, kind: ContributionKind):
    """This process's index of the diagnostic and kind, up to date with the database."""
    from .index import index_for
    index = index_for(diagnostic.id, kind.value, context(session, diagnostic))
    items = candidates(session, diagnostic, kind)
    with index.lock:
        index.refresh(items)
    return index


def suggestion_page(session: Session, diagnostic: Diagnostic, kind: ContributionKind, *,
                    same_workshop: bool = False, start: int = 0,
                    limit: int | None = None) -> tuple[int, int, list[Suggestion]]:
    """How many likely duplicates there are among the units of one kind, the rank the
    list given starts from, and the ``limit`` best from rank ``start`` (with their
    reasons). A ``start`` beyond the end starts the last ``limit`` block.

    Across workshops only unless ``same_workshop``; never a pair of one group, rejected
    or split apart (:func:`.similarity.select`).
    """
    from .similarity import ranked, select
    index = _index(session, diagnostic, kind)
    with index.lock:
        items, engine, found = index.items, index.engine, index.pairs()
        keep = select(items, found, refused=refused_pairs(session, diagnostic),
                      same_workshop=same_workshop)
        total = int(keep.sum())
        if limit and start >= total:
            start = max(0, (total - 1) // limit * limit)
        return total, start, ranked(items, kind.value, found, keep, engine.explain,
                                    limit=limit, start=start)


def suggestions(session: Session, diagnostic: Diagnostic, kind: ContributionKind, *,
                same_workshop: bool = False, limit: int | None = None) -> list[Suggestion]:
    """Likely duplicates among the units of one kind, best first (see
    :func:`suggestion_page`)."""
    return suggestion_page(session, diagnostic, kind, same_workshop=same_workshop,
                           limit=limit)[2]


def similar(session: Session, diagnostic: Diagnostic, contribution_id: int,
            count: int | None = None) -> tuple[Candidate, list[tuple[Candidate, float,
                                                                      tuple[Reason, ...]]]]:
    """A unit and its closest units of the same kind from any workshop, best first."""
    from .similarity import NEAREST, nearest
    contribution = session.get(Contribution, contribution_id)
    workshop = session.get(Workshop, contribution.workshop_id) if contribution else None
    if workshop is None or workshop.diagnostic_id != diagnostic.id:
        raise NotFound(N_("Contribution introuvable."))
    index = _index(session, diagnostic, contribution.kind)
    with index.lock:
        positions = {c.id: p for p, c in enumerate(index.items)}
        if contribution_id not in positions:
            raise NotFound(N_("Cette contribution n'entre pas dans la synthèse."))
        position = positions[contribution_id]
        return index.items[position], nearest(index.items, position, index.engine,
                                              count=count or NEAREST)
