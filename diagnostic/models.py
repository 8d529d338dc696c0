"""Typed SQLAlchemy 2.0 models of a collaborative territorial diagnostic.

The models are plain SQLAlchemy (no Flask import) so the domain runs from the CLI,
batch exports and tests without an application; ``workshops.extensions`` binds them
to Flask-SQLAlchemy through :class:`Base`.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
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
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, object_session, relationship
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
    # Held for approval in a pre-moderated workshop.
    PENDING = "pending"


class Phase(enum.StrEnum):
    """The steps a facilitator moves a workshop through (in any order, some skipped)."""

    WELCOME = "welcome"
    INITIATIVES = "initiatives"
    NEEDS = "needs"
    RECOMMENDATIONS = "recommendations"
    VOTE = "vote"
    CLOSED = "closed"


class ModerationMode(enum.StrEnum):
    POST = "post"  # published at once, may be hidden afterwards
    PRE = "pre"  # held in a queue until a facilitator approves it


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

    def has_term(self, vocabulary: Vocabulary, term_id: int) -> bool:
        """Whether ``term_id`` is a term of this diagnostic in ``vocabulary``.

        Validation runs on every live submission: unless the terms are already loaded,
        one primary-key lookup is the cheapest check, and it leaves the term in the
        session, where serializing the new item then finds it without another query.
        """
        if not _is_row_id(term_id):  # never ask the database for an impossible key
            return False
        session = object_session(self)
        if session is None or "terms" not in inspect(self).unloaded:
            return any(t.id == term_id for t in self.terms_of(vocabulary))
        term = session.get(Term, term_id)
        if term is None or term.diagnostic_id != self.id or term.vocabulary != vocabulary:
            return False
        # The session's identity map holds objects weakly: keep the term referenced while
        # this diagnostic is, so the new item's ``need_category`` (say) is found there.
        self.__dict__.setdefault("_checked_terms", []).append(term)
        return True

    def has_stake(self, stake_id: int) -> bool:
        """Whether ``stake_id`` is one of this diagnostic's stakes (see ``has_term``)."""
        if not _is_row_id(stake_id):
            return False
        session = object_session(self)
        if session is None or "stakes" not in inspect(self).unloaded:
            return any(s.id == stake_id for s in self.stakes)
        stake = session.get(Stake, stake_id)
        return stake is not None and stake.diagnostic_id == self.id


def _is_row_id(value: object) -> bool:
    """Whether ``value`` can be a primary key (PostgreSQL refuses integers past 2**31 - 1)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


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
    phase: Mapped[Phase] = mapped_column(_enum(Phase, "workshop_phase"), default=Phase.WELCOME)
    # When the current phase's timer ends (None: no timer).
    phase_ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    moderation: Mapped[ModerationMode] = mapped_column(
        _enum(ModerationMode, "workshop_moderation"), default=ModerationMode.POST
    )
    dot_budget: Mapped[int] = mapped_column(Integer, default=5)
    dot_max_per_item: Mapped[int] = mapped_column(Integer, default=3)
    # Sequence number of the last live event of this workshop (see WorkshopEvent).
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

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
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="workshop", order_by="Contribution.id", cascade="all, delete-orphan"
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

    # Scribe mode: entered by a facilitator for someone without a device.
    scribe_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    on_behalf_of: Mapped[str | None] = mapped_column(String(120))
    # Merge inside a workshop: this item is shown within the one it was merged into.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution.id", ondelete="SET NULL")
    )
    # Split: this item was cut out of another one.
    split_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution.id", ondelete="SET NULL")
    )

    # Synthesis across workshops: the canonical item this contribution is folded into
    # (None: the contribution stands alone in the synthesis). See diagnostic.synthesis.
    synthesis_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("synthesis_item.id", ondelete="SET NULL"), index=True
    )

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    workshop: Mapped[Workshop] = relationship(back_populates="contributions")
    scribe: Mapped[User | None] = relationship()
    merged_into: Mapped[Contribution | None] = relationship(
        remote_side=lambda: Contribution.id, foreign_keys=lambda: Contribution.merged_into_id,
        back_populates="merged_sources",
    )
    merged_sources: Mapped[list[Contribution]] = relationship(
        foreign_keys=lambda: Contribution.merged_into_id, back_populates="merged_into",
        order_by=lambda: Contribution.id,
    )
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


class Support(Base):
    """A participant's +1 on a contribution during collection (once per participant)."""

    __tablename__ = "support"
    __table_args__ = (UniqueConstraint("contribution_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contribution.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Vote(Base):
    """The dots a participant put on a contribution in the vote phase."""

    __tablename__ = "vote"
    __table_args__ = (
        UniqueConstraint("contribution_id", "participant_id"),
        CheckConstraint("dots > 0", name="positive_dots"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contribution.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    dots: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class AuditEntry(Base):
    """A moderation or facilitation action: who, when, what, before and after."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User | None] = relationship()


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


# The synthesis models live in their own module; importing them here registers them on
# Base.metadata wherever the models are used.
from .synthesis_models import (  # noqa: E402, F401
    RejectedPair,
    SynthesisAuditEntry,
    SynthesisItem,
)
