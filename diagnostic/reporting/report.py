"""The diagnostic report as plain dataclasses, composed from every workshop of a diagnostic.

:func:`~.report_build.compose_report` reads the database and returns a :class:`Report`
that the renderers of :mod:`exports` turn into bytes without a session. Only published
contributions count; a participant's display name appears only when they agreed to be
named, and the contact of their initiatives only when they agreed to publish it
(:mod:`.consent`).

The synthesis items (:class:`Initiative`, :class:`Need`, :class:`Recommendation`) carry
``mentions``, ``workshop_ids`` and ``sources`` so that duplicate merging can later fold
several contributions into one item; :attr:`Report.contributions` stays the raw, unmerged
list (the open-data annex).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar

from ..hours import hours_text
from ..time_zones import DEFAULT_TIME_ZONE
from .common import CountRow, Identity
from .minutes import Minutes


@dataclass
class StakeInfo:
    """A stake (*enjeu*) of the diagnostic, in display order."""

    id: int
    position: int
    title: str
    description: str


@dataclass
class Context:
    """What the diagnostic is about, and who publishes its report."""

    title: str
    territory: str
    period: str
    description: str
    is_demo: bool
    stakes: list[StakeInfo]
    identity: Identity = field(default_factory=Identity)


@dataclass
class WorkshopSummary:
    """A workshop held, with its participation and published contributions per kind."""

    id: int
    title: str
    kind: str
    kind_label: str
    subject: str
    date: date | None
    place: str
    status: str
    status_label: str
    participants: int
    contributions: list[CountRow]
    total_contributions: int
    # Local start and end times ("14:30"; None: not planned), next to the day.
    start_time: str | None = None
    end_time: str | None = None

    @property
    def hours(self) -> str:
        """ "14:00–17:00", "14:00" or "": the times to show next to the date."""
        return hours_text(self.start_time, self.end_time)


@dataclass
class Method:
    """How the diagnostic was made: workshops held, participation, totals."""

    workshops: list[WorkshopSummary]
    workshop_count: int
    participant_count: int
    contribution_count: int
    contributions_by_kind: list[CountRow]
    participants_by_actor_type: list[CountRow]
    comment_count: int = 0
    """Approved comments of the restitution (participants' return on the draft)."""
    comments_from: date | None = None
    """Day of the first and last of them, in the diagnostic's zone."""
    comments_to: date | None = None


@dataclass
class Source:
    """A contribution folded into a synthesis item (merged in a workshop or across them)."""

    contribution_id: int
    workshop_id: int
    workshop_title: str
    description: str
    name: str | None = None
    author: str | None = None
    organisation: str | None = None


@dataclass(kw_only=True)
class Item:
    """One entry of the synthesis: a contribution alone, or a merged group of them.

    ``id`` is the id of the group's first contribution (the contribution itself when it
    stands alone), so links between items (a recommendation's answered needs) use it.
    ``title`` and ``description`` are the canonical texts (edited by staff for a group).
    ``mentions`` counts every contribution folded in (also those merged inside a
    workshop), ``workshop_ids`` the distinct workshops, ``organisation_count`` the
    distinct organisations of their authors; ``supports`` and ``dots`` are summed.
    ``sources`` lists the folded contributions when there are several (empty otherwise).
    """

    id: int
    description: str
    workshop_id: int
    workshop_title: str
    author: str | None
    organisation: str | None
    created_at: datetime
    title: str = ""
    synthesis_id: int | None = None
    priority: bool = False
    position: int | None = None
    mentions: int = 1
    workshop_ids: list[int] = field(default_factory=list)
    organisation_count: int = 0
    supports: int = 0
    dots: int = 0
    sources: list[Source] = field(default_factory=list)


@dataclass(kw_only=True)
class Initiative(Item):
    """An initiative of the état des lieux."""

    name: str
    ess_family: str | None
    activity_sector: str | None
    commune: str | None
    jobs_fte: float | None
    stage: str | None
    stage_label: str | None
    contact: str | None
    website: str | None


@dataclass(kw_only=True)
class Need(Item):
    """A need expressed by actors of the territory."""

    actor_type: str | None
    category: str | None
    urgency: str | None
    urgency_label: str | None
    convergence: str = ""
    """E.g. "raised in 5 of 7 workshops by 12 organisations", already translated."""


@dataclass
class NeedRef:
    """A need answered by a recommendation: its id and a short text."""

    id: int
    text: str


@dataclass(kw_only=True)
class Recommendation(Item):
    """A recommendation (*préconisation*) for public policy."""

    stake_id: int | None
    stake: str | None
    responsible_party: str | None
    horizon: str | None
    horizon_label: str | None
    answered_needs: list[NeedRef] = field(default_factory=list)


T = TypeVar("T", bound=Item)


@dataclass
class Group(Generic[T]):
    """Items sharing a classification; ``key`` is None for the "unclassified" group."""

    key: int | None
    label: str
    items: list[T]


@dataclass
class ContributionRow:
    """One published contribution with every typed field, labels resolved (CSV/JSON)."""

    id: int
    kind: str
    kind_label: str
    workshop_id: int
    workshop_title: str
    description: str
    name: str | None
    ess_family: str | None
    activity_sector: str | None
    commune: str | None
    jobs_fte: float | None
    stage: str | None
    stage_label: str | None
    contact: str | None
    website: str | None
    actor_type: str | None
    need_category: str | None
    urgency: str | None
    urgency_label: str | None
    stake_id: int | None
    stake: str | None
    responsible_party: str | None
    horizon: str | None
    horizon_label: str | None
    answered_need_ids: list[int]
    author: str | None
    organisation: str | None
    created_at: datetime


@dataclass
class Report:
    """The whole report of one diagnostic."""

    diagnostic_id: int
    generated_at: datetime
    context: Context
    method: Method
    initiatives: list[Initiative]
    needs: list[Need]
    recommendations: list[Recommendation]
    initiatives_by_sector: list[Group[Initiative]]
    initiatives_by_family: list[Group[Initiative]]
    needs_by_category: list[Group[Need]]
    recommendations_by_stake: list[Group[Recommendation]]
    organisations: list[str]
    contributions: list[ContributionRow]
    minutes: list[Minutes] = field(default_factory=list)
    """One annex per workshop held: its minutes (compte-rendu)."""
    priorities: list[Item] = field(default_factory=list)
    """Items staff marked as priorities, all kinds, in synthesis order."""
    time_zone: str = DEFAULT_TIME_ZONE
    """The diagnostic's IANA zone: ``generated_at`` and every ``created_at`` are in it."""

