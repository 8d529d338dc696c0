"""Personal data under the RGPD: the privacy notice of a diagnostic and the consents given.

A diagnostic's notice is versioned: every change stores a new :class:`PrivacyNotice` row,
and every consent a participant gives or withdraws is a :class:`ConsentRecord` naming the
version they were shown, so the authority can prove what each person agreed to and when.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .frame import Diagnostic
from .users import User
from .workshop import Participant


class ConsentPurpose(enum.StrEnum):
    """What a participant may agree to."""

    NAME = "name"  # their display name printed in the report and minutes
    CONTACT = "contact"  # the contacts given with their initiatives published
    RESTITUTION = "restitution"  # be contacted for the restitution of the diagnostic


class PrivacyNotice(Base):
    """One version of a diagnostic's privacy notice (the highest version is in force)."""

    __tablename__ = "privacy_notice"
    __table_args__ = (UniqueConstraint("diagnostic_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(
        ForeignKey("diagnostic.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    controller: Mapped[str] = mapped_column(Text)  # the data controller (the authority)
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    dpo_contact: Mapped[str] = mapped_column(Text)  # the data-protection officer's contact
    rights: Mapped[str] = mapped_column(Text)  # how to exercise one's rights
    retention_months: Mapped[int] = mapped_column(Integer)  # as stated in this version
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    diagnostic: Mapped[Diagnostic] = relationship()
    created_by: Mapped[User | None] = relationship()


class ConsentRecord(Base):
    """A consent given (or withdrawn) by a participant: when, and under which notice."""

    __tablename__ = "consent_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[ConsentPurpose] = mapped_column(
        enum_column(ConsentPurpose, "consent_purpose")
    )
    granted: Mapped[bool] = mapped_column()
    notice_version: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Where it was given: "join" (the join form), "phone" (changed later by the
    # participant), "import" (restored from an archive). Never a name, contact or free text.
    source: Mapped[str] = mapped_column(String(16), default="join", server_default="join")

    participant: Mapped[Participant] = relationship()
