"""The entries of the report, made in memory from the rows :mod:`.report_build` loaded.

:class:`Loaded` holds those rows by id and resolves what an entry shows (labels, terms,
stakes, authors); :class:`SynthesisItems` folds the published contributions into the
units of the synthesis (a staff group, or a top-level item with what was merged into it
inside its workshop) and makes each unit an :class:`Initiative`, :class:`Need` or
:class:`Recommendation`, sorted and grouped as the report shows them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..errors import N_
from ..models import Contribution, ContributionKind, SynthesisItem, Vocabulary
from ..taxonomy import enum_label
from ..time_zones import DEFAULT_TIME_ZONE
from .common import Translate, aware, short, sort_key
from .consent import published_contact
from .report import Group, Initiative, Item, Need, NeedRef, Recommendation, Source

UNCLASSIFIED = N_("Non classé")
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


class Loaded:
    """The rows loaded for one report, by id, and the texts an entry shows from them."""

    def __init__(self, translate: Translate, stakes, terms, workshops, participants,
                 contributions, links, time_zone: str | None = None) -> None:
        self._ = translate
        self.time_zone = time_zone or DEFAULT_TIME_ZONE
        """The diagnostic's zone: every moment of the report is given in it."""
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

    def label(self, value: object) -> str | None:
        """Translated label of an enum member, None for None."""
        return None if value is None else self._(enum_label(value))

    def term(self, term_id: int | None) -> str | None:
        """The label of a taxonomy term, None when unset or deleted."""
        term = self.term_by_id.get(term_id) if term_id is not None else None
        return term.label if term else None

    def stake(self, stake_id: int | None) -> str | None:
        """The title of a stake, None when unset or deleted."""
        stake = self.stake_by_id.get(stake_id) if stake_id is not None else None
        return stake.title if stake else None

    def author(self, c: Contribution) -> tuple[str | None, str | None]:
        """The author's name (only if they agreed to be named) and organisation."""
        participant = self.participant_by_id.get(c.participant_id)
        if participant is None:
            return None, None
        name = participant.display_name if participant.agreed_to_be_named else None
        return name, participant.organisation or None

    def contact(self, c: Contribution) -> str | None:
        """The initiative's contact, only if its participant agreed to publish it."""
        return published_contact(c, self.participant_by_id.get(c.participant_id))

    def common(self, c: Contribution) -> dict[str, Any]:
        """The fields every entry made from ``c`` starts with."""
        author, organisation = self.author(c)
        return {
            "id": c.id,
            "description": c.description,
            "workshop_id": c.workshop_id,
            "workshop_title": self.workshop_by_id[c.workshop_id].title,
            "author": author,
            "organisation": organisation,
            "created_at": aware(c.created_at, self.time_zone),
            "workshop_ids": [c.workshop_id],
        }


class SynthesisItems:
    """The synthesis units of a diagnostic as report items, in report order.

    ``held_workshops`` is the denominator of a need's convergence ("in 5 of 7
    workshops"); ``tallies`` are the supports and dots per contribution id; ``groups``
    the diagnostic's :class:`SynthesisItem` rows.
    """

    def __init__(self, loaded: Loaded, held_workshops: int, *, tallies=({}, {}),
                 groups: Iterable[SynthesisItem] = ()) -> None:
        self.loaded = loaded
        self.held_workshops = held_workshops
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
        by_id = self.loaded.by_id
        seen = {c.id}
        while c.merged_into_id is not None and c.merged_into_id in by_id:
            c = by_id[c.merged_into_id]
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
        for c in self.loaded.contributions:
            root = self._root(c)
            gid = root.synthesis_item_id
            key = ("g", gid) if gid in self.group_by_id else ("c", root.id)
            units[key].append(c)
        for members in units.values():
            members.sort(key=lambda c: (c.merged_into_id is not None, c.id))
        return units

    def _units_of(self, kind: ContributionKind) -> Iterable[list[Contribution]]:
        return (m for m in self.units.values() if m[0].kind == kind)

    def _unit_fields(self, members: list[Contribution]) -> dict[str, Any]:
        """The fields of a synthesis item folded from ``members`` (representative first)."""
        first = members[0]
        fields = self.loaded.common(first)
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
            for org in (self.loaded.author(c)[1] for c in members) if org and org.strip()
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
        author, organisation = self.loaded.author(c)
        return Source(
            contribution_id=c.id, workshop_id=c.workshop_id,
            workshop_title=self.loaded.workshop_by_id[c.workshop_id].title,
            description=c.description, name=c.name, author=author, organisation=organisation,
        )

    def _initiative(self, members: list[Contribution]) -> Initiative:
        c, loaded = members[0], self.loaded
        return Initiative(
            **self._unit_fields(members), name=c.name or "",
            ess_family=loaded.term(c.ess_family_id),
            activity_sector=loaded.term(c.activity_sector_id), commune=c.commune,
            jobs_fte=c.jobs_fte, stage=c.stage.value if c.stage else None,
            stage_label=loaded.label(c.stage), contact=loaded.contact(c), website=c.website,
        )

    def _need(self, members: list[Contribution]) -> Need:
        c, loaded = members[0], self.loaded
        fields = self._unit_fields(members)
        return Need(
            **fields, actor_type=loaded.term(c.actor_type_id),
            category=loaded.term(c.need_category_id),
            urgency=c.urgency.value if c.urgency else None,
            urgency_label=loaded.label(c.urgency),
            convergence=convergence(loaded._, len(fields["workshop_ids"]),
                                    self.held_workshops, fields["organisation_count"]),
        )

    def _recommendation(self, members: list[Contribution]) -> Recommendation:
        c, loaded = members[0], self.loaded
        fields = self._unit_fields(members)
        group = self.group_by_id.get(c.synthesis_item_id)
        stake_id = group.stake_id if group is not None and group.stake_id else c.stake_id
        need_ids: list[int] = []
        for member in members:
            for need_id in loaded.need_ids[member.id]:
                representative = self.representative.get(need_id, need_id)
                if representative not in need_ids:
                    need_ids.append(representative)
        return Recommendation(
            **fields, stake_id=stake_id if stake_id in loaded.stake_by_id else None,
            stake=loaded.stake(stake_id), responsible_party=loaded.term(c.responsible_party_id),
            horizon=c.horizon.value if c.horizon else None,
            horizon_label=loaded.label(c.horizon),
            answered_needs=[NeedRef(i, self._need_text(i)) for i in need_ids],
        )

    def _need_text(self, need_id: int) -> str:
        """The short canonical text of the need unit ``need_id`` stands for."""
        c = self.loaded.by_id[need_id]
        group = self.group_by_id.get(self._root(c).synthesis_item_id)
        if group is not None and group.title:
            return short(group.title)
        if group is not None and group.summary:
            return short(group.summary)
        return short(c.description)

    @property
    def priorities(self) -> list[Item]:
        """The items staff marked as priorities, all kinds, in report order."""
        return [item for item in (*self.initiatives, *self.needs, *self.recommendations)
                if item.priority]

    def group_by_term(self, items: list, vocabulary: Vocabulary, attribute: str) -> list[Group]:
        """Groups in taxonomy order, then the unclassified group; empty groups omitted."""
        loaded = self.loaded
        buckets: dict[int | None, list[Item]] = defaultdict(list)
        for item in items:
            term_id = getattr(loaded.by_id[item.id], attribute)
            buckets[term_id if term_id in loaded.term_by_id else None].append(item)
        groups = [
            Group(t.id, t.label, buckets[t.id])
            for t in loaded.terms
            if t.vocabulary == vocabulary and buckets.get(t.id)
        ]
        if buckets.get(None):
            groups.append(Group(None, loaded._(UNCLASSIFIED), buckets[None]))
        return groups

    def recommendations_by_stake(self) -> list[Group[Recommendation]]:
        """Recommendations under their stake, in stake order; unclassified last."""
        buckets: dict[int | None, list[Recommendation]] = defaultdict(list)
        for item in self.recommendations:
            buckets[item.stake_id].append(item)
        groups = [Group(s.id, s.title, buckets[s.id])
                  for s in self.loaded.stakes if buckets.get(s.id)]
        if buckets.get(None):
            groups.append(Group(None, self.loaded._(UNCLASSIFIED), buckets[None]))
        return groups


def _manual(item: Item) -> tuple[bool, int]:
    """Items staff ranked by hand come first, in their rank order."""
    return (item.position is None, item.position or 0)


def _convergence_key(item: Item) -> tuple:
    """Most widely shared first: workshops, organisations, supports, dots, mentions."""
    return (-len(item.workshop_ids), -item.organisation_count, -item.supports, -item.dots,
            -item.mentions, item.id)
