"""Compose the minutes of one workshop: :func:`compose_minutes`.

Six queries whatever the size of the workshop (terms, stakes, participants, contributions,
supports, dots); everything else is joined in memory through id maps.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import N_
from ..hours import clock_time
from ..models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Participant,
    Stake,
    Support,
    Term,
    Vote,
    Workshop,
    WorkshopKind,
    WorkshopStatus,
)
from ..taxonomy import KIND_PLURALS, enum_label
from ..time_zones import DEFAULT_TIME_ZONE
from .common import (
    CountRow,
    Translate,
    actor_type_rows,
    aware,
    identity_of,
    identity_translate,
    organisations,
    sort_key,
)
from .consent import published_contact
from .minutes import (
    TOP_LIMIT,
    Excluded,
    Fact,
    KindSection,
    Minutes,
    MinutesItem,
    NamedParticipant,
    Participation,
    RankedItem,
    WorkshopInfo,
)

SCRIBE = N_("Saisie par l'animation")
SCRIBE_FOR = N_("Saisie par l'animation pour %(name)s")
PAPER = N_("Saisie papier")


def compose_minutes(
    session: Session, workshop: Workshop, translate: Translate | None = None
) -> Minutes:
    """Compose the minutes of ``workshop`` from its published contributions and tallies.

    ``translate(message, **params)`` has gettext's signature (e.g. flask_babel.gettext);
    by default the French source strings are used.
    """
    did, wid = workshop.diagnostic_id, workshop.id
    terms = session.scalars(select(Term).where(Term.diagnostic_id == did)).all()
    stakes = session.scalars(select(Stake).where(Stake.diagnostic_id == did)).all()
    participants = session.scalars(
        select(Participant).where(Participant.workshop_id == wid).order_by(Participant.id)
    ).all()
    contributions = session.scalars(  # withdrawn ones are not even counted as hidden
        select(Contribution)
        .where(Contribution.workshop_id == wid, Contribution.withdrawn_at.is_(None))
        .order_by(Contribution.id)
    ).all()
    supports = dict(session.execute(
        select(Support.contribution_id, func.count())
        .join(Contribution, Contribution.id == Support.contribution_id)
        .where(Contribution.workshop_id == wid)
        .group_by(Support.contribution_id)
    ).all())
    dots = dict(session.execute(
        select(Vote.contribution_id, func.sum(Vote.dots))
        .join(Contribution, Contribution.id == Vote.contribution_id)
        .where(Contribution.workshop_id == wid)
        .group_by(Vote.contribution_id)
    ).all())
    builder = _Builder(translate or identity_translate, terms, stakes, participants,
                       supports, dots, workshop.diagnostic.time_zone)
    return builder.minutes(workshop, contributions)


class _Builder:
    """Turns the loaded rows into minutes dataclasses through in-memory id maps."""

    def __init__(self, translate, terms, stakes, participants, supports, dots,
                 time_zone=None):
        self._ = translate
        self.time_zone = time_zone or DEFAULT_TIME_ZONE
        self.terms = sorted(terms, key=lambda t: (t.position, t.id))
        self.term_by_id = {t.id: t for t in terms}
        self.stake_by_id = {s.id: s for s in stakes}
        self.participants = list(participants)
        self.participant_by_id = {p.id: p for p in participants}
        self.supports = {key: int(value) for key, value in supports.items()}
        self.dots = {key: int(value or 0) for key, value in dots.items()}

    def label(self, value: object) -> str | None:
        """Translated label of an enum member, None for None."""
        return None if value is None else self._(enum_label(value))

    def term(self, term_id: int | None) -> str | None:
        """The label of a taxonomy term, None when unset or deleted."""
        term = self.term_by_id.get(term_id) if term_id is not None else None
        return term.label if term else None

    def minutes(self, workshop: Workshop, contributions) -> Minutes:
        """The minutes of ``workshop`` from all its contributions (any status)."""
        published = [c for c in contributions if c.status == ContributionStatus.PUBLISHED]
        top = [c for c in published if c.merged_into_id is None]
        top_ids = {c.id for c in top}
        sources: dict[int, list[Contribution]] = defaultdict(list)
        for c in contributions:
            if c.merged_into_id in top_ids:
                sources[c.merged_into_id].append(c)
        items = [self.item(c, sources[c.id]) for c in top]
        status = Counter(c.status for c in contributions)
        sections = [
            KindSection(
                kind=kind.value, label=self._(KIND_PLURALS[kind]),
                items=[i for i in items if i.kind == kind.value],
                merged_count=sum(len(i.sources) for i in items if i.kind == kind.value),
            )
            for kind in ContributionKind
        ]
        return Minutes(
            workshop=self.info(workshop),
            generated_at=aware(datetime.now(UTC), self.time_zone),
            time_zone=self.time_zone,
            identity=identity_of(workshop.diagnostic),
            facilitators=[user.name for user in workshop.facilitators],
            participation=self.participation(),
            sections=sections,
            counts=[CountRow(s.kind, s.label, len(s.items)) for s in sections],
            total=len(items),
            top_voted=rank(items),
            top_limit=TOP_LIMIT,
            excluded=Excluded(
                hidden=status[ContributionStatus.HIDDEN],
                pending=status[ContributionStatus.PENDING],
            ),
        )

    def info(self, workshop: Workshop) -> WorkshopInfo:
        """The heading: title, diagnostic, kind, sector or theme, date, place, status."""
        territorial = workshop.kind == WorkshopKind.TERRITORIAL
        return WorkshopInfo(
            id=workshop.id, title=workshop.title, diagnostic_id=workshop.diagnostic_id,
            diagnostic_title=workshop.diagnostic.title,
            territory=workshop.diagnostic.territory, kind=workshop.kind.value,
            kind_label=self.label(workshop.kind) or "",
            subject_label=self._(N_("Secteur territorial") if territorial else N_("Thème")),
            subject=workshop.subject, date=workshop.date, place=workshop.place,
            status=workshop.status.value, status_label=self.label(workshop.status) or "",
            is_closed=workshop.status == WorkshopStatus.CLOSED,
            start_time=clock_time(workshop.start_time), end_time=clock_time(workshop.end_time),
        )

    def participation(self) -> Participation:
        """Counts by actor type (taxonomy order, unspecified last), organisations, names."""
        rows = actor_type_rows(self.participants, self.terms, self._)
        named = [
            NamedParticipant(p.display_name, p.organisation or None)
            for p in self.participants
            if p.agreed_to_be_named
        ]
        return Participation(
            total=len(self.participants),
            by_actor_type=rows,
            organisations=organisations(self.participants),
            named=sorted(named, key=lambda n: (sort_key(n.name), n.name)),
        )

    def item(self, c: Contribution, sources: list[Contribution]) -> MinutesItem:
        """A published contribution; the published sources merged into it listed under it."""
        shown = [self.item(s, []) for s in sources if s.status == ContributionStatus.PUBLISHED]
        participant = self.participant_by_id.get(c.participant_id)
        scribe_note = None
        if c.paper_import_id is not None:
            scribe_note = self._(PAPER)
        elif c.scribe_id is not None or (c.participant_id is None and c.on_behalf_of):
            scribe_note = (self._(SCRIBE_FOR, name=c.on_behalf_of) if c.on_behalf_of
                           else self._(SCRIBE))
        return MinutesItem(
            id=c.id, kind=c.kind.value, kind_label=self.label(c.kind) or "",
            title=c.name or None, description=c.description, facts=self.facts(c),
            author=participant.display_name
            if participant and participant.agreed_to_be_named else None,
            organisation=(participant.organisation or None) if participant else None,
            scribe_note=scribe_note,
            # Merged sources count for their item, as on the board (whatever their status).
            supports=self.supports.get(c.id, 0) + sum(self.supports.get(s.id, 0) for s in sources),
            dots=self.dots.get(c.id, 0) + sum(self.dots.get(s.id, 0) for s in sources),
            created_at=aware(c.created_at, self.time_zone), sources=shown,
        )

    def facts(self, c: Contribution) -> list[Fact]:
        """The item's classifications for its kind, unset ones left out."""
        stake = self.stake_by_id.get(c.stake_id) if c.stake_id is not None else None
        by_kind = {
            ContributionKind.INITIATIVE: [
                (N_("Famille de l'ESS"), self.term(c.ess_family_id)),
                (N_("Secteur d'activité"), self.term(c.activity_sector_id)),
                (N_("Commune"), c.commune),
                (N_("Emplois (ETP)"), c.jobs_fte),
                (N_("Stade"), self.label(c.stage)),
                (N_("Contact"),
                 published_contact(c, self.participant_by_id.get(c.participant_id))),
                (N_("Site web"), c.website),
            ],
            ContributionKind.NEED: [
                (N_("Exprimé par"), self.term(c.actor_type_id)),
                (N_("Catégorie de besoin"), self.term(c.need_category_id)),
                (N_("Urgence"), self.label(c.urgency)),
            ],
            ContributionKind.RECOMMENDATION: [
                (N_("Enjeu"), stake.title if stake else None),
                (N_("Mise en œuvre"), self.term(c.responsible_party_id)),
                (N_("Échéance"), self.label(c.horizon)),
            ],
        }
        return [
            Fact(self._(label), value)
            for label, value in by_kind[c.kind]
            if value is not None and value != ""
        ]


def rank(items: list[MinutesItem], limit: int = TOP_LIMIT) -> list[RankedItem]:
    """The ``limit`` items with most dots, then supports; equal tallies share a rank."""
    voted = sorted(
        (i for i in items if i.dots or i.supports), key=lambda i: (-i.dots, -i.supports, i.id)
    )[:limit]
    ranked: list[RankedItem] = []
    for position, item in enumerate(voted, start=1):
        tied = bool(ranked) and (ranked[-1].item.dots, ranked[-1].item.supports) == (
            item.dots, item.supports)
        ranked.append(RankedItem(ranked[-1].rank if tied else position, item))
    return ranked
