"""Queries and builders behind :func:`diagnostic.report.compose_report`.

Six queries whatever the size of the diagnostic (stakes, terms, workshops, participants,
published contributions, recommendation → need links); everything else is joined in
memory through id maps, so no relationship is lazily loaded per row.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .errors import N_
from .models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Diagnostic,
    Participant,
    Stake,
    Term,
    Vocabulary,
    Workshop,
    WorkshopStatus,
    recommendation_need,
)
from .report import (
    Context,
    ContributionRow,
    CountRow,
    Group,
    Initiative,
    Item,
    Method,
    Need,
    NeedRef,
    Recommendation,
    Report,
    StakeInfo,
    Translate,
    WorkshopSummary,
)
from .taxonomy import ENUM_LABELS, KIND_PLURALS

SHORT_TEXT = 120
UNCLASSIFIED = N_("Non classé")
UNSPECIFIED = N_("Non précisé")


def actor_type_rows(participants, terms, translate: Translate) -> list[CountRow]:
    """Participants per actor type, in taxonomy order, unspecified (or unknown) last."""
    actor_types = [t for t in terms if t.vocabulary == Vocabulary.ACTOR_TYPE]
    known = {t.id for t in actor_types}
    counts = Counter(p.actor_type_id if p.actor_type_id in known else None for p in participants)
    rows = [CountRow(t.id, t.label, counts[t.id]) for t in actor_types if counts[t.id]]
    if counts[None]:
        rows.append(CountRow(None, translate(UNSPECIFIED), counts[None]))
    return rows


def sort_key(text: str) -> str:
    """Accent- and case-insensitive key, so "Élan" sorts beside "Elan", not after "Z"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def short(text: str, limit: int = SHORT_TEXT) -> str:
    """``text`` on one line, cut at ``limit`` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def aware(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime (SQLite hands back naive ones)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def build_report(session: Session, diagnostic: Diagnostic, translate: Translate) -> Report:
    """Load the diagnostic's data in a fixed number of queries and compose the report."""
    did = diagnostic.id
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
    builder = _Builder(translate, stakes, terms, workshops, participants, contributions, links)
    return Report(
        diagnostic_id=did,
        generated_at=datetime.now(UTC),
        context=Context(
            title=diagnostic.title,
            territory=diagnostic.territory,
            period=diagnostic.period,
            description=diagnostic.description,
            is_demo=diagnostic.is_demo,
            stakes=[StakeInfo(s.id, s.position, s.title, s.description) for s in stakes],
        ),
        method=builder.method(),
        initiatives=builder.initiatives,
        needs=builder.needs,
        recommendations=builder.recommendations,
        initiatives_by_sector=builder.group_by_term(
            builder.initiatives, Vocabulary.ACTIVITY_SECTOR, "activity_sector_id"
        ),
        initiatives_by_family=builder.group_by_term(
            builder.initiatives, Vocabulary.ESS_FAMILY, "ess_family_id"
        ),
        needs_by_category=builder.group_by_term(
            builder.needs, Vocabulary.NEED_CATEGORY, "need_category_id"
        ),
        recommendations_by_stake=builder.recommendations_by_stake(),
        organisations=builder.organisations(),
        contributions=builder.rows(),
    )


class _Builder:
    """Turns the loaded rows into report dataclasses through in-memory id maps."""

    def __init__(self, translate, stakes, terms, workshops, participants, contributions, links):
        self._ = translate
        self.stakes = list(stakes)
        self.stake_by_id = {s.id: s for s in stakes}
        self.terms = list(terms)
        self.term_by_id = {t.id: t for t in terms}
        self.workshop_by_id = {w.id: w for w in workshops}
        self.participants = list(participants)
        self.participant_by_id = {p.id: p for p in participants}
        self.contributions = list(contributions)
        self.by_id = {c.id: c for c in contributions}
        self.need_ids: dict[int, list[int]] = defaultdict(list)
        for recommendation_id, need_id in links:
            need = self.by_id.get(need_id)
            if need is not None and need.kind == ContributionKind.NEED:
                self.need_ids[recommendation_id].append(need_id)
        self.initiatives = sorted(
            (self._initiative(c) for c in self._of(ContributionKind.INITIATIVE)),
            key=lambda item: (sort_key(item.name), item.id),
        )
        self.needs = [self._need(c) for c in self._of(ContributionKind.NEED)]
        self.recommendations = [
            self._recommendation(c) for c in self._of(ContributionKind.RECOMMENDATION)
        ]

    def _of(self, kind: ContributionKind) -> Iterable[Contribution]:
        return (c for c in self.contributions if c.kind == kind)

    def label(self, value: object) -> str | None:
        """Translated label of an enum member, None for None."""
        return None if value is None else self._(ENUM_LABELS[value])

    def term(self, term_id: int | None) -> str | None:
        term = self.term_by_id.get(term_id) if term_id is not None else None
        return term.label if term else None

    def stake(self, stake_id: int | None) -> str | None:
        stake = self.stake_by_id.get(stake_id) if stake_id is not None else None
        return stake.title if stake else None

    def _common(self, c: Contribution) -> dict:
        participant = self.participant_by_id.get(c.participant_id)
        workshop = self.workshop_by_id[c.workshop_id]
        return {
            "id": c.id,
            "description": c.description,
            "workshop_id": c.workshop_id,
            "workshop_title": workshop.title,
            "author": participant.display_name
            if participant and participant.agreed_to_be_named
            else None,
            "organisation": (participant.organisation or None) if participant else None,
            "created_at": aware(c.created_at),
            "workshop_ids": [c.workshop_id],
        }

    def _initiative(self, c: Contribution) -> Initiative:
        return Initiative(
            **self._common(c), name=c.name or "", ess_family=self.term(c.ess_family_id),
            activity_sector=self.term(c.activity_sector_id), commune=c.commune,
            jobs_fte=c.jobs_fte, stage=c.stage.value if c.stage else None,
            stage_label=self.label(c.stage), contact=c.contact, website=c.website,
        )

    def _need(self, c: Contribution) -> Need:
        return Need(
            **self._common(c), actor_type=self.term(c.actor_type_id),
            category=self.term(c.need_category_id),
            urgency=c.urgency.value if c.urgency else None, urgency_label=self.label(c.urgency),
        )

    def _recommendation(self, c: Contribution) -> Recommendation:
        return Recommendation(
            **self._common(c), stake_id=c.stake_id if c.stake_id in self.stake_by_id else None,
            stake=self.stake(c.stake_id), responsible_party=self.term(c.responsible_party_id),
            horizon=c.horizon.value if c.horizon else None, horizon_label=self.label(c.horizon),
            answered_needs=[
                NeedRef(i, short(self.by_id[i].description)) for i in self.need_ids[c.id]
            ],
        )

    def group_by_term(self, items: list, vocabulary: Vocabulary, attribute: str) -> list[Group]:
        """Groups in taxonomy order, then the unclassified group; empty groups omitted."""
        buckets: dict[int | None, list[Item]] = defaultdict(list)
        for item in items:
            term_id = getattr(self.by_id[item.id], attribute)
            buckets[term_id if term_id in self.term_by_id else None].append(item)
        groups = [
            Group(t.id, t.label, buckets[t.id])
            for t in self.terms
            if t.vocabulary == vocabulary and buckets.get(t.id)
        ]
        if buckets.get(None):
            groups.append(Group(None, self._(UNCLASSIFIED), buckets[None]))
        return groups

    def recommendations_by_stake(self) -> list[Group[Recommendation]]:
        """Recommendations under their stake, in stake order; unclassified last."""
        buckets: dict[int | None, list[Recommendation]] = defaultdict(list)
        for item in self.recommendations:
            buckets[item.stake_id].append(item)
        groups = [Group(s.id, s.title, buckets[s.id]) for s in self.stakes if buckets.get(s.id)]
        if buckets.get(None):
            groups.append(Group(None, self._(UNCLASSIFIED), buckets[None]))
        return groups

    def method(self) -> Method:
        """Workshops held (any not left in draft, or with data), participation and totals."""
        people = Counter(p.workshop_id for p in self.participants)
        per_kind = Counter((c.workshop_id, c.kind) for c in self.contributions)
        workshops = sorted(
            (
                w
                for w in self.workshop_by_id.values()
                if w.status != WorkshopStatus.DRAFT
                or people[w.id]
                or any(per_kind[w.id, k] for k in ContributionKind)
            ),
            key=lambda w: (w.date is None, w.date, w.id),
        )
        summaries = [
            WorkshopSummary(
                id=w.id, title=w.title, kind=w.kind.value, kind_label=self.label(w.kind),
                subject=w.subject, date=w.date, place=w.place, status=w.status.value,
                status_label=self.label(w.status), participants=people[w.id],
                contributions=self._kind_rows(lambda k, w=w: per_kind[w.id, k]),
                total_contributions=sum(per_kind[w.id, k] for k in ContributionKind),
            )
            for w in workshops
        ]
        kinds = Counter(c.kind for c in self.contributions)
        return Method(
            workshops=summaries,
            workshop_count=len(summaries),
            participant_count=len(self.participants),
            contribution_count=len(self.contributions),
            contributions_by_kind=self._kind_rows(lambda k: kinds[k]),
            participants_by_actor_type=self._actor_type_rows(),
        )

    def _kind_rows(self, count: Callable[[ContributionKind], int]) -> list[CountRow]:
        return [CountRow(k.value, self._(KIND_PLURALS[k]), count(k)) for k in ContributionKind]

    def _actor_type_rows(self) -> list[CountRow]:
        return actor_type_rows(self.participants, self.terms, self._)

    def organisations(self) -> list[str]:
        """Distinct non-empty organisation names (case-insensitive), sorted."""
        names: dict[str, str] = {}
        for p in self.participants:
            name = " ".join((p.organisation or "").split())
            if name:
                names.setdefault(name.casefold(), name)
        return sorted(names.values(), key=lambda n: (sort_key(n), n))

    def rows(self) -> list[ContributionRow]:
        """Every published contribution, oldest first, with labels resolved."""
        rows = []
        for c in self.contributions:
            common = self._common(c)
            del common["workshop_ids"]
            rows.append(ContributionRow(
                **common, kind=c.kind.value, kind_label=self.label(c.kind), name=c.name,
                ess_family=self.term(c.ess_family_id),
                activity_sector=self.term(c.activity_sector_id), commune=c.commune,
                jobs_fte=c.jobs_fte, stage=c.stage.value if c.stage else None,
                stage_label=self.label(c.stage), contact=c.contact, website=c.website,
                actor_type=self.term(c.actor_type_id), need_category=self.term(c.need_category_id),
                urgency=c.urgency.value if c.urgency else None, urgency_label=self.label(c.urgency),
                stake_id=c.stake_id if c.stake_id in self.stake_by_id else None,
                stake=self.stake(c.stake_id), responsible_party=self.term(c.responsible_party_id),
                horizon=c.horizon.value if c.horizon else None, horizon_label=self.label(c.horizon),
                answered_need_ids=list(self.need_ids[c.id]),
            ))
        return rows
