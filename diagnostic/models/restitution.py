"""Models of the restitution: the participant page of a diagnostic and its comments.

A :class:`Restitution` is the public, read-only page staff publish once the draft report
is ready (one per diagnostic, reached by an unguessable token); participants comment on
its needs and recommendations, and on the report as a whole, until ``closes_at``. A
:class:`RestitutionComment` names what it concerns by the synthesis item *and* the
contribution the page showed (a lone contribution has no synthesis item; a group keeps
its comments if it is later split or merged): both NULL is a comment on the whole report.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .enums import CommentStatus, IdentificationMode
from .frame import Diagnostic


class Restitution(Base):
    """The participant page of a diagnostic: its token, publication and closing date."""

    __tablename__ = "restitution"

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(
        ForeignKey("diagnostic.id", ondelete="CASCADE"), unique=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When it was (last) published; None: not published, the link answers 404."""
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When comments close (None: open while published)."""
    identification: Mapped[IdentificationMode] = mapped_column(
        enum_column(IdentificationMode, "identification_mode"),
        default=IdentificationMode.ANONYMOUS,
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    diagnostic: Mapped[Diagnostic] = relationship()

    @property
    def is_published(self) -> bool:
        """Whether the public link answers."""
        return self.published_at is not None


class RestitutionComment(Base):
    """A participant's comment on a need, a recommendation or the whole report."""

    __tablename__ = "restitution_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(
        ForeignKey("diagnostic.id", ondelete="CASCADE"), index=True
    )
    synthesis_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("synthesis_item.id", ondelete="SET NULL"), index=True
    )
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution.id", ondelete="SET NULL"), index=True
    )
    """The contribution the page showed (the item's first one); None: the whole report."""
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus, "comment_status"), default=CommentStatus.PENDING
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL")
    )
    author_name: Mapped[str | None] = mapped_column(String(80))
    """A name the commenter chose to give (anonymous mode only); never published."""
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    moderated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def on_report(self) -> bool:
        """Whether the comment concerns the report as a whole."""
        return self.contribution_id is None and self.synthesis_item_id is None
