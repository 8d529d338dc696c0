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

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from .errors import N_
from .models import (
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
    Source,
    StakeInfo,
    Translate,
    WorkshopSummary,
)
from .taxonomy import ENUM_LABELS, KIND_PLURALS

SHORT_TEXT = 120
UNCLASSIFIED = N_("Non classé")
UNSPECIFIED = N_("Non précisé")
RAISED_IN_ONE = N_("Soulevé dans 1 atelier sur %(total)s")
RAISED_IN_MANY = N_("Soulevé dans %(count)s ateliers sur %(total)s")
BY_ONE_ORGANISATION = N_("par 1 structure")
BY_ORGANISATIONS = N_("par %(count)s structures")


def convergence(translate: Translate, workshops: int, total: int, organisations: int) -> str:
    """E.g. "Soulevé dans 5 ateliers sur 7, par 12 structures" (translated)."""
    if workshops == 1:
        text = translate(RAISED_IN_ONE, total=total)
    else:
        text = translate(RAISED_IN_MANY, count=workshops, total=total)
    if organisations == 1:
        return f"{text}, {translate(BY_ONE_ORGANISATION)}"
    if organisations > 1:
        return f"{text}, {translate(BY_ORGANISATIONS, count=organisations)}"
    return text


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


def build_report(session: Session, diagnostic: Diagnostic, translate: Translate, *,
                 with_minutes: bool = True) -> Report:
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
    groups = session.scalars(
        select(SynthesisItem).where(SynthesisItem.diagnostic_id == did)
    ).all()
    builder = _Builder(translate, stakes, terms, workshops, participants, contributions, links,
                       tallies=(supports, dots), groups=groups)
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
        minutes=_minutes(session, builder, translate) if with_minutes else [],
        priorities=[
            item
            for item in (*builder.initiatives, *builder.needs, *builder.recommendations)
            if item.priority
        ],
    )


def _minutes(session: Session, builder: _Builder, translate: Translate) -> list:
    """The minutes of every workshop held, in the order of the method table."""
    from .minutes_build import build_minutes

    return [
        build_minutes(session, builder.workshop_by_id[summary.id], translate)
        for summary in builder.method().workshops
    ]


class _Builder:
    """Turns the loaded rows into report dataclasses through in-memory id maps."""

    def __init__(self, translate, stakes, terms, workshops, participants, contributions, links,
                 *, tallies=({}, {}), groups=()):
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
        self.supports, self.dots = tallies
        self.group_by_id = {g.id: g for g in groups}
        self.units = self._units()
        self.representative = {
            c.id: members[0].id for members in self.units.values() for c in members
        }
        self.initiatives = sorted(
            (self._initiative(m) for m in self._units_of(ContributionKind.INITIATIVE)),
            key=lambda item: (*_manual(item), sort_key(item.title), item.id),
        )
        self.needs = sorted(
            (self._need(m) for m in self._units_of(ContributionKind.NEED)),
            key=lambda item: (*_manual(item), *_convergence_key(item)),
        )
        self.recommendations = sorted(
            (self._recommendation(m) for m in self._units_of(ContributionKind.RECOMMENDATION)),
            key=lambda item: (*_manual(item), *_convergence_key(item)),
        )

    def _root(self, c: Contribution) -> Contribution:
        """The published item ``c`` is merged into inside its workshop (``c`` itself)."""
        seen = {c.id}
        while c.merged_into_id is not None and c.merged_into_id in self.by_id:
            c = self.by_id[c.merged_into_id]
            if c.id in seen:  # a cycle cannot be made by the services; never loop anyway
                break
            seen.add(c.id)
        return c

    def _units(self) -> dict[tuple[str, int], list[Contribution]]:
        """Contributions folded per synthesis unit: a group, or a top-level item alone.

        Each unit's list starts with its representative (the lowest id among the
        top-level members), then every other member by id.
        """
        units: dict[tuple[str, int], list[Contribution]] = defaultdict(list)
        for c in self.contributions:
            root = self._root(c)
            gid = root.synthesis_item_id
            key = ("g", gid) if gid in self.group_by_id else ("c", root.id)
            units[key].append(c)
        for members in units.values():
            members.sort(key=lambda c: (c.merged_into_id is not None, c.id))
        return units

    def _units_of(self, kind: ContributionKind) -> Iterable[list[Contribution]]:
        return (m for m in self.units.values() if m[0].kind == kind)

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

    def _author(self, c: Contribution) -> tuple[str | None, str | None]:
        participant = self.participant_by_id.get(c.participant_id)
        if participant is None:
            return None, None
        name = participant.display_name if participant.agreed_to_be_named else None
        return name, participant.organisation or None

    def _common(self, c: Contribution) -> dict:
        author, organisation = self._author(c)
        return {
            "id": c.id,
            "description": c.description,
            "workshop_id": c.workshop_id,
            "workshop_title": self.workshop_by_id[c.workshop_id].title,
            "author": author,
            "organisation": organisation,
            "created_at": aware(c.created_at),
            "workshop_ids": [c.workshop_id],
        }

    def _unit_fields(self, members: list[Contribution]) -> dict:
        """The fields of a synthesis item folded from ``members`` (representative first)."""
        first = members[0]
        fields = self._common(first)
        group = self.group_by_id.get(first.synthesis_item_id)
        if first.merged_into_id is None and group is not None:
            fields.update(synthesis_id=group.id, priority=group.priority,
                          position=group.position)
            if group.summary:
                fields["description"] = group.summary
            if group.title:
                fields["title"] = group.title
        fields.setdefault("title", first.name if first.name else short(first.description))
        organisations = {
            " ".join(org.split()).casefold()
            for org in (self._author(c)[1] for c in members) if org and org.strip()
        }
        fields.update(
            mentions=len(members),
            workshop_ids=sorted({c.workshop_id for c in members}),
            organisation_count=len(organisations),
            supports=sum(self.supports.get(c.id, 0) for c in members),
            dots=sum(int(self.dots.get(c.id, 0) or 0) for c in members),
            sources=[self._source(c) for c in members] if len(members) > 1 else [],
        )
        return fields

    def _source(self, c: Contribution) -> Source:
        author, organisation = self._author(c)
        return Source(
            contribution_id=c.id, workshop_id=c.workshop_id,
            workshop_title=self.workshop_by_id[c.workshop_id].title,
            description=c.description, name=c.name, author=author, organisation=organisation,
        )

    def _initiative(self, members: list[Contribution]) -> Initiative:
        c = members[0]
        return Initiative(
            **self._unit_fields(members), name=c.name or "",
            ess_family=self.term(c.ess_family_id),
            activity_sector=self.term(c.activity_sector_id), commune=c.commune,
            jobs_fte=c.jobs_fte, stage=c.stage.value if c.stage else None,
            stage_label=self.label(c.stage), contact=c.contact, website=c.website,
        )

    def _need(self, members: list[Contribution]) -> Need:
        c = members[0]
        fields = self._unit_fields(members)
        return Need(
            **fields, actor_type=self.term(c.actor_type_id),
            category=self.term(c.need_category_id),
            urgency=c.urgency.value if c.urgency else None, urgency_label=self.label(c.urgency),
            convergence=convergence(self._, len(fields["workshop_ids"]),
                                    self.held_workshops(), fields["organisation_count"]),
        )

    def held_workshops(self) -> int:
        """How many workshops the method counts (the denominator of convergence)."""
        return self.method().workshop_count

    def _recommendation(self, members: list[Contribution]) -> Recommendation:
        c = members[0]
        fields = self._unit_fields(members)
        group = self.group_by_id.get(c.synthesis_item_id)
        stake_id = group.stake_id if group is not None and group.stake_id else c.stake_id
        need_ids: list[int] = []
        for member in members:
            for need_id in self.need_ids[member.id]:
                representative = self.representative.get(need_id, need_id)
                if representative not in need_ids:
                    need_ids.append(representative)
        return Recommendation(
            **fields, stake_id=stake_id if stake_id in self.stake_by_id else None,
            stake=self.stake(stake_id), responsible_party=self.term(c.responsible_party_id),
            horizon=c.horizon.value if c.horizon else None, horizon_label=self.label(c.horizon),
            answered_needs=[NeedRef(i, self._need_text(i)) for i in need_ids],
        )

    def _need_text(self, need_id: int) -> str:
        """The short canonical text of the need unit ``need_id`` stands for."""
        c = self.by_id[need_id]
        group = self.group_by_id.get(self._root(c).synthesis_item_id)
        if group is not None and group.title:
            return short(group.title)
        if group is not None and group.summary:
            return short(group.summary)
        return short(c.description)

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
        if not hasattr(self, "_method"):
            self._method = self._compute_method()
        return self._method

    def _compute_method(self) -> Method:
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


def _manual(item: Item) -> tuple[bool, int]:
    """Items staff ranked by hand come first, in their rank order."""
    return (item.position is None, item.position or 0)


def _convergence_key(item: Item) -> tuple:
    """Most widely shared first: workshops, organisations, supports, dots, mentions."""
    return (-len(item.workshop_ids), -item.organisation_count, -item.supports, -item.dots,
            -item.mentions, item.id)
