"""The minutes (*compte-rendu*) of one workshop as plain dataclasses.

:func:`~.minutes_build.compose_minutes` reads the database in a fixed number of queries
and returns a :class:`Minutes` that renderers (HTML, PDF, DOCX) turn into bytes without a
session. Every label is already translated and every classification already resolved to
text, so a renderer only lays out data.

What the minutes hold: published contributions only (hidden and pending ones are counted
in :attr:`Minutes.excluded`, never shown); an item merged into another is listed once,
under the item it was merged into, and its supports and dots count for that item; a
participant's display name appears only when they agreed to be named, an initiative's
contact only when its participant agreed to publish it (:mod:`.consent`). The minutes are
meant for staff and the workshop's facilitators, not for publication as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..hours import hours_text
from ..time_zones import DEFAULT_TIME_ZONE
from .common import CountRow, Identity

TOP_LIMIT = 10
"""How many items the top-voted ranking keeps (all kinds together)."""


@dataclass
class Fact:
    """One classification of an item: a translated label and its value (text or number)."""

    label: str
    value: str | int | float


@dataclass
class WorkshopInfo:
    """What, where and when: the heading of the minutes."""

    id: int
    title: str
    diagnostic_id: int
    diagnostic_title: str
    territory: str
    kind: str
    kind_label: str
    subject_label: str
    subject: str
    date: date | None
    place: str
    status: str
    status_label: str
    is_closed: bool
    # Local start and end times ("14:30"; None: not planned), next to the day.
    start_time: str | None = None
    end_time: str | None = None

    @property
    def hours(self) -> str:
        """ "14:00–17:00", "14:00" or "": the times to show next to the date."""
        return hours_text(self.start_time, self.end_time)


@dataclass
class NamedParticipant:
    """A participant who agreed to be named, with their organisation if given."""

    name: str
    organisation: str | None


@dataclass
class Participation:
    """Who came: counts by actor type, organisations, and names only with consent."""

    total: int
    by_actor_type: list[CountRow]
    organisations: list[str]
    named: list[NamedParticipant]


@dataclass(kw_only=True)
class MinutesItem:
    """A published contribution with its classifications and tallies.

    For an item others were merged into, ``supports`` and ``dots`` include theirs and
    ``sources`` lists them (each with its own tallies); a source has no sources.
    """

    id: int
    kind: str
    kind_label: str
    title: str | None
    description: str
    facts: list[Fact]
    author: str | None
    organisation: str | None
    scribe_note: str | None
    supports: int
    dots: int
    created_at: datetime
    sources: list[MinutesItem] = field(default_factory=list)


@dataclass
class KindSection:
    """The items of one kind in the order they were contributed."""

    kind: str
    label: str
    items: list[MinutesItem]
    merged_count: int


@dataclass
class RankedItem:
    """An item of the top-voted ranking; equal dots and supports share a rank."""

    rank: int
    item: MinutesItem


@dataclass
class Excluded:
    """Contributions left out of the minutes, counted so readers know they exist."""

    hidden: int
    pending: int

    @property
    def total(self) -> int:
        """Hidden and pending together."""
        return self.hidden + self.pending


@dataclass
class Minutes:
    """The whole compte-rendu of one workshop."""

    workshop: WorkshopInfo
    generated_at: datetime
    facilitators: list[str]
    participation: Participation
    sections: list[KindSection]
    counts: list[CountRow]
    total: int
    top_voted: list[RankedItem]
    top_limit: int
    excluded: Excluded
    time_zone: str = DEFAULT_TIME_ZONE
    """The diagnostic's IANA zone: ``generated_at`` and every ``created_at`` are in it."""
    identity: Identity = field(default_factory=Identity)
    """Who publishes the minutes (the diagnostic's authority, logo, status)."""

