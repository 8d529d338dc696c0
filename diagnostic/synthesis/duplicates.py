"""Duplicate suggestions among the units of a diagnostic's synthesis.

A *unit* is a published contribution not merged into another one inside its workshop.
:func:`candidates` reads them as input for the engine (:mod:`.similarity`), and
:func:`suggestions` asks it for likely duplicates, leaving out the pairs staff rejected.
The engine (numpy, rapidfuzz, snowball stemmers) is imported on first use, as the staff
views do, so the application starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Diagnostic,
    RejectedPair,
    Workshop,
)

if TYPE_CHECKING:
    from .similarity import Candidate, Suggestion


def candidates(session: Session, diagnostic: Diagnostic,
               kind: ContributionKind | None = None) -> list[Candidate]:
    """Every unit of the diagnostic (of one kind) as input for the suggestion engine."""
    from .similarity import Candidate  # see the module's docstring
    query = (
        select(Contribution.id, Contribution.kind, Contribution.workshop_id,
               Contribution.description, Contribution.name, Contribution.commune,
               Contribution.synthesis_item_id)
        .join(Workshop, Workshop.id == Contribution.workshop_id)
        .where(Workshop.diagnostic_id == diagnostic.id,
               Contribution.status == ContributionStatus.PUBLISHED,
               Contribution.merged_into_id.is_(None))
        .order_by(Contribution.id)
    )
    if kind is not None:
        query = query.where(Contribution.kind == kind)
    return [
        Candidate(id=row.id, kind=row.kind.value, workshop_id=row.workshop_id,
                  text=row.description, name=row.name, commune=row.commune,
                  group=row.synthesis_item_id)
        for row in session.execute(query)
    ]


def rejected_pairs(session: Session, diagnostic: Diagnostic) -> set[tuple[int, int]]:
    """The pairs staff rejected, as ordered id pairs."""
    return {
        (row.first_id, row.second_id)
        for row in session.execute(
            select(RejectedPair.first_id, RejectedPair.second_id)
            .where(RejectedPair.diagnostic_id == diagnostic.id)
        )
    }


def suggestions(session: Session, diagnostic: Diagnostic,
                kind: ContributionKind | None = None,
                limit: int | None = None) -> list[Suggestion]:
    """Likely duplicates among the units of the diagnostic, best first."""
    from .similarity import suggest  # see the module's docstring
    return suggest(candidates(session, diagnostic, kind),
                   rejected=rejected_pairs(session, diagnostic), limit=limit)
