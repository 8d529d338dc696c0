"""The frame of a diagnostic: the diagnostic itself, its stakes, sectors, themes and terms."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from ..time_zones import DEFAULT_TIME_ZONE
from .base import Base, enum_column, utcnow
from .enums import ReportStatus, Vocabulary


class Diagnostic(Base):
    """A collaborative territorial diagnostic: its frame, taxonomies and workshops."""

    __tablename__ = "diagnostic"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    territory: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    time_zone: Mapped[str] = mapped_column(
        String(64), default=DEFAULT_TIME_ZONE, server_default=DEFAULT_TIME_ZONE
    )
    """IANA zone every page, document and export shows this diagnostic's times in."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When staff archived it (None: not archived): read-only, hidden from the default list.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # The report's identity, printed on the cover of every format (set through
    # diagnostic/frame/identity.py, which validates the logo).
    report_authority: Mapped[str] = mapped_column(String(200), default="", server_default="")
    """The authority publishing the report (e.g. "Communauté urbaine du Grand Toulouse")."""
    report_subtitle: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # The logo as uploaded (PNG, or SVG checked safe), its MIME type and a PNG rendering
    # for the formats that cannot embed SVG (DOCX, ODT). Deferred: a diagnostic is loaded
    # on every live submission, its logo only by the report and the settings page.
    report_logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True,
                                                      deferred_group="report_logo")
    report_logo_type: Mapped[str | None] = mapped_column(String(32))
    report_logo_png: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True,
                                                          deferred_group="report_logo")
    report_status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus, "report_status"), default=ReportStatus.DRAFT,
        server_default=ReportStatus.DRAFT.value,
    )
    report_validated_on: Mapped[date | None] = mapped_column(Date)
    """The day the version was validated (set when ``report_status`` is validated)."""
    report_version_date: Mapped[date | None] = mapped_column(Date)
    """The version date printed on the cover (None: the day the document is generated)."""
    download_stem: Mapped[str | None] = mapped_column(String(60))
    """Start of every download's file name (None: a slug of the title, see
    :func:`diagnostic.frame.identity.file_stem`)."""
    thesaurus: Mapped[str | None] = mapped_column(Text, deferred=True)
    """The diagnostic's own thesaurus for the duplicate suggestions, as text (None: the
    default one, see diagnostic.synthesis.thesaurus)."""
    retention_months: Mapped[int] = mapped_column(Integer, default=12, server_default="12")
    """How long participants' personal data is kept after the report is validated (months);
    ``diagnostic purge`` anonymises them afterwards (see diagnostic.privacy)."""
    open_data_published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When staff published the directory of initiatives as open data (None: not published;
    the public pages and files answer 404). See diagnostic.opendata."""

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
    # Named, not imported: the workshop module builds on this one (imports run one way),
    # and SQLAlchemy finds the class by its name when the mappers are configured.
    workshops: Mapped[list[Workshop]] = relationship(  # noqa: F821
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
    vocabulary: Mapped[Vocabulary] = mapped_column(enum_column(Vocabulary, "term_vocabulary"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200))

    diagnostic: Mapped[Diagnostic] = relationship(back_populates="terms")

