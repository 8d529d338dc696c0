"""A workshop of a diagnostic, its anonymous participants and its numbered live events."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..hours import clock_time, hours_text
from .base import Base, enum_column, utcnow
from .enums import ModerationMode, Phase, WorkshopKind, WorkshopStatus
from .frame import Diagnostic, Sector, Term, Theme
from .users import User

workshop_facilitator = Table(
    "workshop_facilitator",
    Base.metadata,
    Column("workshop_id", ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class Workshop(Base):
    """A territorial (→ a sector) or thematic (→ a theme) workshop, joined by a code."""

    __tablename__ = "workshop"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'territorial' AND sector_id IS NOT NULL)"
            " OR (kind = 'thematic' AND theme_id IS NOT NULL)",
            name="subject",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(ForeignKey("diagnostic.id", ondelete="CASCADE"))
    kind: Mapped[WorkshopKind] = mapped_column(enum_column(WorkshopKind, "workshop_kind"))
    title: Mapped[str] = mapped_column(String(200))
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id", ondelete="RESTRICT"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="RESTRICT"))
    date: Mapped[date | None] = mapped_column(Date)
    # Local wall-clock times on ``date`` in the diagnostic's place, like the day itself:
    # a planned "14:00" stays 14:00 whatever the time zone setting says.
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[WorkshopStatus] = mapped_column(
        enum_column(WorkshopStatus, "workshop_status"), default=WorkshopStatus.DRAFT
    )
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    phase: Mapped[Phase] = mapped_column(
        enum_column(Phase, "workshop_phase"), default=Phase.WELCOME
    )
    # When the current phase's timer ends (None: no timer).
    phase_ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    moderation: Mapped[ModerationMode] = mapped_column(
        enum_column(ModerationMode, "workshop_moderation"), default=ModerationMode.POST
    )
    # Anonymous participation: no name or organisation asked, a random pseudonym shown.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    dot_budget: Mapped[int] = mapped_column(Integer, default=5)
    dot_max_per_item: Mapped[int] = mapped_column(Integer, default=3)
    # Sequence number of the last live event of this workshop (see WorkshopEvent).
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When staff archived it (None: not archived): read-only, hidden from default lists.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    diagnostic: Mapped[Diagnostic] = relationship(back_populates="workshops")
    facilitators: Mapped[list[User]] = relationship(
        secondary=workshop_facilitator, order_by="User.name"
    )
    # Joined: every live page and socket shows the workshop's subject (its sector or theme).
    sector: Mapped[Sector | None] = relationship(lazy="joined")
    theme: Mapped[Theme | None] = relationship(lazy="joined")
    participants: Mapped[list[Participant]] = relationship(
        back_populates="workshop", order_by="Participant.id", cascade="all, delete-orphan"
    )
    # Named, not imported: the contribution module builds on this one (see Diagnostic).
    contributions: Mapped[list[Contribution]] = relationship(  # noqa: F821
        back_populates="workshop", order_by="Contribution.id", cascade="all, delete-orphan",
    )
    # Deleted with the workshop by the ORM: SQLite does not enforce the foreign key's cascade.
    events: Mapped[list[WorkshopEvent]] = relationship(cascade="all, delete-orphan")

    @property
    def subject(self) -> str:
        """The sector or theme name the workshop is about."""
        target = self.sector if self.kind == WorkshopKind.TERRITORIAL else self.theme
        return target.name if target else ""

    @property
    def is_open(self) -> bool:
        return self.status == WorkshopStatus.OPEN

    @property
    def hours(self) -> str:
        """Its start and end times, "14:00–17:00" (see :func:`hours_text`)."""
        return hours_text(clock_time(self.start_time), clock_time(self.end_time))

    @property
    def is_archived(self) -> bool:
        """Archived itself or with its diagnostic: read-only, never opened nor joined."""
        return self.archived_at is not None or self.diagnostic.archived_at is not None

    def can_facilitate(self, user: User | None) -> bool:
        """Staff, and the facilitators assigned to this workshop, may run it."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return user.is_staff or any(f.id == user.id for f in self.facilitators)


class Participant(Base):
    """An anonymous participant of one workshop: a display name, no account."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    display_name: Mapped[str] = mapped_column(String(80))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    actor_type_id: Mapped[int | None] = mapped_column(ForeignKey("term.id", ondelete="SET NULL"))
    agreed_to_be_named: Mapped[bool] = mapped_column(Boolean, default=False)
    # Consent to publish the contacts (e-mail, phone) given with their initiatives in the
    # report and its exports, and when it was given (None: never given). Without it the
    # contacts stay for staff only (see diagnostic.reporting.consent).
    agreed_to_publish_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Consent to be contacted for the restitution (the draft report, the minutes) at
    # ``restitution_contact`` (an e-mail address); None when not given.
    agreed_to_be_contacted: Mapped[bool] = mapped_column(Boolean, default=False,
                                                         server_default=false())
    restitution_contact: Mapped[str | None] = mapped_column(String(200))
    # The version of the diagnostic's privacy notice shown when joining (None: joined
    # before notices existed). Every consent given is kept in ConsentRecord.
    notice_version: Mapped[int | None] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When their personal data was erased (on request or by the retention purge): the
    # name, organisation and contacts are gone and they show as "Participant·e anonymisé·e".
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    workshop: Mapped[Workshop] = relationship(back_populates="participants")
    actor_type: Mapped[Term | None] = relationship()

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None



class WorkshopEvent(Base):
    """A live event of a workshop, numbered per workshop so clients can catch up."""

    __tablename__ = "workshop_event"
    __table_args__ = (UniqueConstraint("workshop_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


