"""Compose the report of a diagnostic: :func:`compose_report`.

Ten queries whatever the size of the diagnostic (stakes, terms, workshops, participants,
published contributions, recommendation → need links, supports, dots, synthesis groups,
the restitution's approved comments);
everything else is joined in memory through id maps (:mod:`.report_items`), so no
relationship is lazily loaded per row. Each workshop's minutes (the annexes) add the
queries of :func:`~.minutes_build.compose_minutes`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..hours import clock_time
from ..models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Diagnostic,
    Participant,
    Stake,
    Support,
    SynthesisItem,
    Term,
    Vocabulary,
    Vote,
    Workshop,
    WorkshopStatus,
    recommendation_need,
)
from ..restitution.comments import approved_summary
from ..taxonomy import KIND_PLURALS
from ..time_zones import local
from .common import (
    CountRow,
    Translate,
    actor_type_rows,
    aware,
    identity_of,
    identity_translate,
    organisations,
)
from .minutes_build import compose_minutes
from .report import (
    Context,
    ContributionRow,
    Initiative,
    Method,
    Report,
    StakeInfo,
    WorkshopSummary,
)
from .report_items import Loaded, SynthesisItems


def compose_report(
    session: Session, diagnostic: Diagnostic, translate: Translate | None = None,
    *, with_minutes: bool = True,
) -> Report:
    """Compose the report of ``diagnostic`` from all its workshops' published contributions.

    ``translate(message, **params)`` has gettext's signature (e.g. flask_babel.gettext);
    by default the French source strings are used. ``with_minutes=False`` leaves out the
    per-workshop minutes annexes (a few queries per workshop) for pages that only need
    the synthesis.
    """
    translate = translate or identity_translate
    did = diagnostic.id
    loaded = _load(session, did, translate, diagnostic.time_zone)
    method = _method(loaded)
    _count_comments(session, method, did, loaded.time_zone)
    groups = session.scalars(select(SynthesisItem).where(SynthesisItem.diagnostic_id == did))
    items = SynthesisItems(loaded, method.workshop_count, tallies=_tallies(session, did),
                           groups=groups.all())
    return Report(
        diagnostic_id=did,
        generated_at=aware(datetime.now(UTC), loaded.time_zone),
        time_zone=loaded.time_zone,
        context=Context(
            title=diagnostic.title,
            territory=diagnostic.territory,
            period=diagnostic.period,
            description=diagnostic.description,
            is_demo=diagnostic.is_demo,
            identity=identity_of(diagnostic),
            stakes=[StakeInfo(s.id, s.position, s.title, s.description) for s in loaded.stakes],
        ),
        method=method,
        initiatives=items.initiatives,
        needs=items.needs,
        recommendations=items.recommendations,
        initiatives_by_sector=items.group_by_term(
            items.initiatives, Vocabulary.ACTIVITY_SECTOR, "activity_sector_id"
        ),
        initiatives_by_family=items.group_by_term(
            items.initiatives, Vocabulary.ESS_FAMILY, "ess_family_id"
        ),
        needs_by_category=items.group_by_term(
            items.needs, Vocabulary.NEED_CATEGORY, "need_category_id"
        ),
        recommendations_by_stake=items.recommendations_by_stake(),
        organisations=organisations(loaded.participants),
        contributions=_contribution_rows(loaded),
        # One annex per workshop held, in the order of the method table.
        minutes=[compose_minutes(session, loaded.workshop_by_id[summary.id], translate)
                 for summary in method.workshops] if with_minutes else [],
        priorities=items.priorities,
    )


def compose_initiatives(session: Session, diagnostic: Diagnostic,
                        translate: Translate | None = None) -> list[Initiative]:
    """The initiatives of the report's état des lieux, in report order, without the rest
    of the report (the open-data directory, :mod:`diagnostic.opendata`)."""
    translate = translate or identity_translate
    did = diagnostic.id
    loaded = _load(session, did, translate, diagnostic.time_zone)
    groups = session.scalars(select(SynthesisItem).where(SynthesisItem.diagnostic_id == did))
    items = SynthesisItems(loaded, _method(loaded).workshop_count,
                           tallies=_tallies(session, did), groups=groups.all())
    return items.initiatives


def _load(session: Session, did: int, translate: Translate,
          time_zone: str | None = None) -> Loaded:
    """The diagnostic's stakes, terms, workshops, participants, contributions and links."""
    stakes = session.scalars(
        select(Stake).where(Stake.diagnostic_id == did).order_by(Stake.position, Stake.id)
    ).all()
    terms = session.scalars(
        select(Term).where(Term.diagnostic_id == did).order_by(Term.position, Term.id)
    ).all()
    workshops = session.scalars(
        select(Workshop)
        .where(Workshop.diagnostic_id == did)
        .options(joinedload(Workshop.sector), joinedload(Workshop.theme))
    ).all()
    participants = session.scalars(
        select(Participant).join(Workshop).where(Workshop.diagnostic_id == did)
    ).all()
    contributions = session.scalars(
        select(Contribution)
        .join(Workshop)
        .where(
            Workshop.diagnostic_id == did,
            Contribution.status == ContributionStatus.PUBLISHED,
        )
        .order_by(Contribution.id)
    ).all()
    links = session.execute(
        select(recommendation_need.c.recommendation_id, recommendation_need.c.need_id)
        .join(Contribution, Contribution.id == recommendation_need.c.recommendation_id)
        .join(Workshop, Workshop.id == Contribution.workshop_id)
        .where(Workshop.diagnostic_id == did)
        .order_by(recommendation_need.c.need_id)
    ).all()
    return Loaded(translate, stakes, terms, workshops, participants, contributions, links,
                  time_zone)


def _tallies(session: Session, did: int) -> tuple[dict[int, int], dict[int, int]]:
    """Supports and dots per contribution of the diagnostic (any status)."""
    in_diagnostic = (
        select(Contribution.id).join(Workshop).where(Workshop.diagnostic_id == did)
    ).scalar_subquery()
    supports = dict(session.execute(
        select(Support.contribution_id, func.count())
        .where(Support.contribution_id.in_(in_diagnostic))
        .group_by(Support.contribution_id)
    ).all())
    dots = dict(session.execute(
        select(Vote.contribution_id, func.sum(Vote.dots))
        .where(Vote.contribution_id.in_(in_diagnostic))
        .group_by(Vote.contribution_id)
    ).all())
    return supports, dots


def _method(loaded: Loaded) -> Method:
    """Workshops held (any not left in draft, or with data), participation and totals."""
    people = Counter(p.workshop_id for p in loaded.participants)
    per_kind = Counter((c.workshop_id, c.kind) for c in loaded.contributions)
    workshops = sorted(
        (
            w
            for w in loaded.workshop_by_id.values()
            if w.status != WorkshopStatus.DRAFT
            or people[w.id]
            or any(per_kind[w.id, k] for k in ContributionKind)
        ),
        key=lambda w: (w.date is None, w.date, w.id),
    )
    summaries = [
        WorkshopSummary(
            id=w.id, title=w.title, kind=w.kind.value, kind_label=loaded.label(w.kind),
            subject=w.subject, date=w.date, place=w.place, status=w.status.value,
            status_label=loaded.label(w.status), participants=people[w.id],
            contributions=_kind_rows(loaded, lambda k, w=w: per_kind[w.id, k]),
            total_contributions=sum(per_kind[w.id, k] for k in ContributionKind),
            start_time=clock_time(w.start_time), end_time=clock_time(w.end_time),
        )
        for w in workshops
    ]
    kinds = Counter(c.kind for c in loaded.contributions)
    return Method(
        workshops=summaries,
        workshop_count=len(summaries),
        participant_count=len(loaded.participants),
        contribution_count=len(loaded.contributions),
        contributions_by_kind=_kind_rows(loaded, lambda k: kinds[k]),
        participants_by_actor_type=actor_type_rows(loaded.participants, loaded.terms,
                                                   loaded._),
    )


def _count_comments(session: Session, method: Method, did: int, time_zone: str | None) -> None:
    """The approved comments of the restitution, and the days they span (local)."""
    summary = approved_summary(session, did)
    method.comment_count = summary.count
    if summary.count:
        method.comments_from = local(summary.first, time_zone).date()
        method.comments_to = local(summary.last, time_zone).date()


def _kind_rows(loaded: Loaded, count: Callable[[ContributionKind], int]) -> list[CountRow]:
    """One count row per contribution kind, in the kinds' order."""
    return [CountRow(k.value, loaded._(KIND_PLURALS[k]), count(k)) for k in ContributionKind]


def _contribution_rows(loaded: Loaded) -> list[ContributionRow]:
    """Every published contribution, oldest first, with labels resolved (CSV/JSON)."""
    rows = []
    for c in loaded.contributions:
        common = loaded.common(c)
        del common["workshop_ids"]
        rows.append(ContributionRow(
            **common, kind=c.kind.value, kind_label=loaded.label(c.kind), name=c.name,
            ess_family=loaded.term(c.ess_family_id),
            activity_sector=loaded.term(c.activity_sector_id), commune=c.commune,
            jobs_fte=c.jobs_fte, stage=c.stage.value if c.stage else None,
            stage_label=loaded.label(c.stage), contact=loaded.contact(c), website=c.website,
            actor_type=loaded.term(c.actor_type_id),
            need_category=loaded.term(c.need_category_id),
            urgency=c.urgency.value if c.urgency else None,
            urgency_label=loaded.label(c.urgency),
            stake_id=c.stake_id if c.stake_id in loaded.stake_by_id else None,
            stake=loaded.stake(c.stake_id), responsible_party=loaded.term(c.responsible_party_id),
            horizon=c.horizon.value if c.horizon else None,
            horizon_label=loaded.label(c.horizon),
            answered_need_ids=list(loaded.need_ids[c.id]),
        ))
    return rows
