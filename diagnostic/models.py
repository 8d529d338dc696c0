"""Typed SQLAlchemy 2.0 models of a collaborative territorial diagnostic.

The models are plain SQLAlchemy (no Flask import) so the domain runs from the CLI,
batch exports and tests without an application; ``workshops.extensions`` binds them
to Flask-SQLAlchemy through :class:`Base`.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timezone-aware now, stored as UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base shared by every model; constraint names are stable for migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column storing the member *values* (VARCHAR + CHECK, no native type)."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class Role(enum.StrEnum):
    STAFF = "staff"
    FACILITATOR = "facilitator"


class Vocabulary(enum.StrEnum):
    """The editable taxonomies of a diagnostic."""

    ESS_FAMILY = "ess_family"
    ACTIVITY_SECTOR = "activity_sector"
    NEED_CATEGORY = "need_category"
    ACTOR_TYPE = "actor_type"
    RESPONSIBLE_PARTY = "responsible_party"


class WorkshopKind(enum.StrEnum):
    TERRITORIAL = "territorial"
    THEMATIC = "thematic"


class WorkshopStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ContributionKind(enum.StrEnum):
    INITIATIVE = "initiative"
    NEED = "need"
    RECOMMENDATION = "recommendation"


class ContributionStatus(enum.StrEnum):
    PUBLISHED = "published"
    HIDDEN = "hidden"


class Stage(enum.StrEnum):
    EMERGING = "emerging"
    DEVELOPING = "developing"
    ESTABLISHED = "established"


class Urgency(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Horizon(enum.StrEnum):
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


class User(Base):
    """A staff member or facilitator account (participants never have one)."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"), default=Role.STAFF)
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password``."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    # The four attributes Flask-Login expects, without importing it into the domain.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF


class Diagnostic(Base):
    """A collaborative territorial diagnostic: its frame, taxonomies and workshops."""

    __tablename__ = "diagnostic"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    territory: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    stakes: Mapped[list[Stake]] = relationship(
        back_populates="diagnostic", order_by="Stake.position", cascade="all, delete-orphan"
    )
    sectors: Mapped[list[Sector]] = relationship(
        back_populates="diagnostic", order_by="Sector.position", cascade="all, delete-orphan"
    )
    themes: Mapped[list[Theme]] = relationship(
        back_populates="diagnostic", order_by="Theme.position", cascade="all, delete-orphan"
    )
    terms: Mapped[list[Term]] = relationship(
        back_populates="diagnostic",
        order_by="(Term.vocabulary, Term.position)",
        cascade="all, delete-orphan",
    )
    workshops: Mapped[list[Workshop]] = relationship(
        back_populates="diagnostic",
        order_by="(Workshop.date, Workshop.id)",
        cascade="all, delete-orphan",
    )

    def terms_of(self, vocabulary: Vocabulary) -> list[Term]:
        """The terms of one vocabulary, in display order."""
        return [t for t in self.terms if t.vocabulary == vocabulary]


class Stake(Base):
    """An *enjeu*: a stake that frames the recommendations, in a fixed order."""

    __tablename__ = "stake"

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(ForeignKey("diagnostic.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")

    diagnostic: Mapped[Diagnostic] = relationship(back_populates="stakes")


class Sector(Base):
    """A territorial sector of the territory (one territorial workshop each, usually)."""

    __tablename__ = "sector"
    __table_args__ = (UniqueConstraint("diagnostic_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(ForeignKey("diagnostic.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    communes: Mapped[str] = mapped_column(Text, default="")

    diagnostic: Mapped[Diagnostic] = relationship(back_populates="sectors")


class Theme(Base):
    """A theme of the thematic workshops (e.g. *entrepreneuriat solidaire*)."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("diagnostic_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(ForeignKey("diagnostic.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    diagnostic: Mapped[Diagnostic] = relationship(back_populates="themes")


class Term(Base):
    """A term of an editable taxonomy (ESS family, activity sector, need category...)."""

    __tablename__ = "term"
    __table_args__ = (UniqueConstraint("diagnostic_id", "vocabulary", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(ForeignKey("diagnostic.id", ondelete="CASCADE"))
    vocabulary: Mapped[Vocabulary] = mapped_column(_enum(Vocabulary, "term_vocabulary"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200))

    diagnostic: Mapped[Diagnostic] = relationship(back_populates="terms")


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
    kind: Mapped[WorkshopKind] = mapped_column(_enum(WorkshopKind, "workshop_kind"))
    title: Mapped[str] = mapped_column(String(200))
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id", ondelete="RESTRICT"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="RESTRICT"))
    date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[WorkshopStatus] = mapped_column(
        _enum(WorkshopStatus, "workshop_status"), default=WorkshopStatus.DRAFT
    )
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    diagnostic: Mapped[Diagnostic] = relationship(back_populates="workshops")
    sector: Mapped[Sector | None] = relationship()
    theme: Mapped[Theme | None] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="workshop", order_by="Participant.id", cascade="all, delete-orphan"
    )
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="workshop", order_by="Contribution.id", cascade="all, delete-orphan"
    )

    @property
    def subject(self) -> str:
        """The sector or theme name the workshop is about."""
        target = self.sector if self.kind == WorkshopKind.TERRITORIAL else self.theme
        return target.name if target else ""

    @property
    def is_open(self) -> bool:
        return self.status == WorkshopStatus.OPEN


class Participant(Base):
    """An anonymous participant of one workshop: a display name, no account."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    display_name: Mapped[str] = mapped_column(String(80))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    actor_type_id: Mapped[int | None] = mapped_column(ForeignKey("term.id", ondelete="SET NULL"))
    agreed_to_be_named: Mapped[bool] = mapped_column(Boolean, default=False)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    workshop: Mapped[Workshop] = relationship(back_populates="participants")
    actor_type: Mapped[Term | None] = relationship()


recommendation_need = Table(
    "recommendation_need",
    Base.metadata,
    Column(
        "recommendation_id",
        ForeignKey("contribution.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("need_id", ForeignKey("contribution.id", ondelete="CASCADE"), primary_key=True),
)


class Contribution(Base):
    """An initiative, need or recommendation; typed fields per kind, one row per client id."""

    __tablename__ = "contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL")
    )
    kind: Mapped[ContributionKind] = mapped_column(_enum(ContributionKind, "contribution_kind"))
    status: Mapped[ContributionStatus] = mapped_column(
        _enum(ContributionStatus, "contribution_status"), default=ContributionStatus.PUBLISHED
    )
    # Generated by the client so that a resend is recognised and never stored twice.
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(Text)

    # Initiative
    name: Mapped[str | None] = mapped_column(String(200))
    ess_family_id: Mapped[int | None] = mapped_column(ForeignKey("term.id", ondelete="SET NULL"))
    activity_sector_id: Mapped[int | None] = mapped_column(
        ForeignKey("term.id", ondelete="SET NULL")
    )
    commune: Mapped[str | None] = mapped_column(String(120))
    jobs_fte: Mapped[float | None] = mapped_column(Float)
    stage: Mapped[Stage | None] = mapped_column(_enum(Stage, "initiative_stage"))
    contact: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))

    # Need
    actor_type_id: Mapped[int | None] = mapped_column(ForeignKey("term.id", ondelete="SET NULL"))
    need_category_id: Mapped[int | None] = mapped_column(
        ForeignKey("term.id", ondelete="SET NULL")
    )
    urgency: Mapped[Urgency | None] = mapped_column(_enum(Urgency, "need_urgency"))

    # Recommendation
    stake_id: Mapped[int | None] = mapped_column(ForeignKey("stake.id", ondelete="SET NULL"))
    responsible_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("term.id", ondelete="SET NULL")
    )
    horizon: Mapped[Horizon | None] = mapped_column(_enum(Horizon, "recommendation_horizon"))

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    workshop: Mapped[Workshop] = relationship(back_populates="contributions")
    participant: Mapped[Participant | None] = relationship()
    ess_family: Mapped[Term | None] = relationship(foreign_keys=[ess_family_id])
    activity_sector: Mapped[Term | None] = relationship(foreign_keys=[activity_sector_id])
    actor_type: Mapped[Term | None] = relationship(foreign_keys=[actor_type_id])
    need_category: Mapped[Term | None] = relationship(foreign_keys=[need_category_id])
    stake: Mapped[Stake | None] = relationship()
    responsible_party: Mapped[Term | None] = relationship(foreign_keys=[responsible_party_id])
    answered_needs: Mapped[list[Contribution]] = relationship(
        secondary=recommendation_need,
        primaryjoin=lambda: Contribution.id == recommendation_need.c.recommendation_id,
        secondaryjoin=lambda: Contribution.id == recommendation_need.c.need_id,
        order_by=lambda: Contribution.id,
    )

    @property
    def is_published(self) -> bool:
        return self.status == ContributionStatus.PUBLISHED
