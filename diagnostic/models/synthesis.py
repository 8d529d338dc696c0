"""Models of the diagnostic-wide synthesis: merged items, rejected suggestions, audit.

A :class:`SynthesisItem` is the canonical entry of the final report that several
contributions (from any workshops of the diagnostic) are folded into; a contribution
points to it through ``Contribution.synthesis_item_id``. A contribution without one
stands alone in the synthesis. Nothing is deleted by merging: the contributions stay as
they were, and leaving a group only clears that pointer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .enums import ContributionKind
from .frame import Stake
from .users import User


class SynthesisItem(Base):
    """A canonical item of the synthesis: an editable title and summary over its sources.

    Staff order items (``position``), mark priorities and, for needs and recommendations,
    assign a stake (for a recommendation, it overrides the stake chosen in the workshop).
    """

    __tablename__ = "synthesis_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(
        ForeignKey("diagnostic.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ContributionKind] = mapped_column(enum_column(ContributionKind, "synthesis_kind"))
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int | None] = mapped_column(Integer)
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    stake_id: Mapped[int | None] = mapped_column(ForeignKey("stake.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    stake: Mapped[Stake | None] = relationship()


class RejectedPair(Base):
    """Two contributions staff said are not duplicates: never proposed again.

    Ids are stored in order. ``origin`` says how: ``reject`` (a suggestion rejected) or
    ``split`` (one taken out of the other's group, or their group undone).
    """

    __tablename__ = "rejected_pair"
    __table_args__ = (
        UniqueConstraint("first_id", "second_id"),
        CheckConstraint("first_id < second_id", name="ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(
        ForeignKey("diagnostic.id", ondelete="CASCADE"), index=True
    )
    first_id: Mapped[int] = mapped_column(ForeignKey("contribution.id", ondelete="CASCADE"))
    second_id: Mapped[int] = mapped_column(ForeignKey("contribution.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(16), default="reject", server_default="reject")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SynthesisAuditEntry(Base):
    """A synthesis action by staff: who, when, what, before and after (JSON)."""

    __tablename__ = "synthesis_audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(
        ForeignKey("diagnostic.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("synthesis_item.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User | None] = relationship()
