"""What the diagnostic archive holds: one section per table, walked column by column.

Every table of a diagnostic is a :class:`Section` of the archive; its rows are written
with *every* column of the table (``Table.columns``), so a column added to a model is
archived without touching this module. Foreign keys are the only columns that need a
decision, and :func:`check_spec` refuses a foreign key that no section declares
(``refs``): a new reference must say which section it points to before an archive can
be made. Columns left out on purpose are listed in ``excluded`` with the reason. The
format is documented in ``docs/report-json.md`` (section *Archive*).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table

from ..models import (
    AuditEntry,
    Base,
    ConsentRecord,
    Contribution,
    Diagnostic,
    PaperImport,
    Participant,
    PrivacyNotice,
    RejectedPair,
    Restitution,
    RestitutionComment,
    Sector,
    Stake,
    Support,
    SynthesisAuditEntry,
    SynthesisItem,
    Term,
    Theme,
    Vote,
    Workshop,
    WorkshopEvent,
    recommendation_need,
    workshop_facilitator,
)

SCHEMA = "diagnostic-archive"
VERSION = 1

DIAGNOSTIC = "diagnostic"
"""Section key of the diagnostic row; references to it are implicit (not written)."""
USERS = "users"
"""Pseudo-section of accounts: never archived, referenced by e-mail address."""

NOT_ARCHIVED_TABLES = {
    "user": "accounts are not part of a diagnostic; rows refer to them by e-mail",
    "login_session": "the logins of accounts, which are not archived either",
    "account_link": "one-time invitation and reset links of accounts, not archived either",
}


@dataclass(frozen=True)
class Section:
    """One table of the archive.

    ``parent`` is the column tying a row to the diagnostic (directly or through its
    workshop or contribution): it selects the rows to archive. ``refs`` maps every
    foreign-key column to the section it points to (:data:`DIAGNOSTIC`, :data:`USERS`
    or another section's key, which must come earlier or be this one).
    """

    key: str
    table: Table
    parent: str | None
    refs: dict[str, str]
    excluded: dict[str, str] = field(default_factory=dict)
    # Added after version 1 was published: an archive without it restores with no rows.
    optional: bool = False

    @property
    def has_id(self) -> bool:
        """True when rows have their own ``id`` (association tables have none)."""
        return "id" in self.table.c


def _t(model: Any) -> Table:
    return model.__table__


_D = {"diagnostic_id": DIAGNOSTIC}

SECTIONS: tuple[Section, ...] = (
    Section(DIAGNOSTIC, _t(Diagnostic), None, {},
            excluded={"report_logo_png": "derived from the logo: rendered again on import",
                      "open_data_published_at": "publishing is a choice made on each "
                      "server: an imported diagnostic starts unpublished"}),
    Section("privacy_notices", _t(PrivacyNotice), "diagnostic_id",
            {**_D, "created_by_id": USERS}, optional=True),
    Section("stakes", _t(Stake), "diagnostic_id", _D),
    Section("sectors", _t(Sector), "diagnostic_id", _D),
    Section("themes", _t(Theme), "diagnostic_id", _D),
    Section("terms", _t(Term), "diagnostic_id", _D),
    Section("workshops", _t(Workshop), "diagnostic_id",
            {**_D, "sector_id": "sectors", "theme_id": "themes"}),
    Section("workshop_facilitators", workshop_facilitator, "workshop_id",
            {"workshop_id": "workshops", "user_id": USERS}),
    Section("participants", _t(Participant), "workshop_id",
            {"workshop_id": "workshops", "actor_type_id": "terms"},
            excluded={"token": "a secret: the restored participant gets a new one"}),
    Section("consent_records", _t(ConsentRecord), "participant_id",
            {"participant_id": "participants"}, optional=True),
    Section("paper_imports", _t(PaperImport), "workshop_id",
            {"workshop_id": "workshops", "user_id": USERS}, optional=True,
            excluded={"content": "the uploaded file, which may hold contacts: emptied once "
                                 "imported, never archived"}),
    Section("synthesis_items", _t(SynthesisItem), "diagnostic_id", {**_D, "stake_id": "stakes"}),
    Section("contributions", _t(Contribution), "workshop_id", {
        "workshop_id": "workshops", "participant_id": "participants",
        "ess_family_id": "terms", "activity_sector_id": "terms", "actor_type_id": "terms",
        "need_category_id": "terms", "stake_id": "stakes", "responsible_party_id": "terms",
        "scribe_id": USERS, "merged_into_id": "contributions",
        "split_from_id": "contributions", "synthesis_item_id": "synthesis_items",
        "paper_import_id": "paper_imports",
    }),
    Section("recommendation_needs", recommendation_need, "recommendation_id",
            {"recommendation_id": "contributions", "need_id": "contributions"}),
    Section("supports", _t(Support), "contribution_id",
            {"contribution_id": "contributions", "participant_id": "participants"}),
    Section("votes", _t(Vote), "contribution_id",
            {"contribution_id": "contributions", "participant_id": "participants"}),
    Section("audit_entries", _t(AuditEntry), "workshop_id",
            {"workshop_id": "workshops", "contribution_id": "contributions",
             "user_id": USERS}),
    Section("workshop_events", _t(WorkshopEvent), "workshop_id", {"workshop_id": "workshops"}),
    Section("rejected_pairs", _t(RejectedPair), "diagnostic_id",
            {**_D, "first_id": "contributions", "second_id": "contributions",
             "user_id": USERS}),
    Section("synthesis_audit_entries", _t(SynthesisAuditEntry), "diagnostic_id",
            {**_D, "item_id": "synthesis_items", "user_id": USERS}),
    Section("restitutions", _t(Restitution), "diagnostic_id", _D,
            excluded={"token": "a secret: the restored page gets a new link"}, optional=True),
    Section("restitution_comments", _t(RestitutionComment), "diagnostic_id",
            {**_D, "synthesis_item_id": "synthesis_items", "contribution_id": "contributions",
             "participant_id": "participants", "moderated_by_id": USERS}, optional=True),
)
BY_KEY = {section.key: section for section in SECTIONS}


def field_name(section: Section, column: Column) -> str:
    """The key of ``column`` in an archived row (``scribe_id`` → ``scribe_email``)."""
    if section.refs.get(column.name) == USERS:
        return column.name.removesuffix("_id") + "_email"
    return column.name


def archived_columns(section: Section) -> list[tuple[str, Column]]:
    """(field name, column) of every archived column of ``section``, in table order.

    References to the diagnostic are implicit (a document holds one diagnostic) and the
    ``excluded`` columns are left out.
    """
    return [
        (field_name(section, column), column)
        for column in section.table.columns
        if section.refs.get(column.name) != DIAGNOSTIC and column.name not in section.excluded
    ]


def check_spec() -> None:
    """Raise ``RuntimeError`` if a table or a foreign key is not handled by the archive."""
    seen: set[str] = set()
    tables = {section.table.name for section in SECTIONS}
    for table in Base.metadata.tables.values():
        if table.name not in tables and table.name not in NOT_ARCHIVED_TABLES:
            raise RuntimeError(f"table {table.name!r} is not in the diagnostic archive")
    for section in SECTIONS:
        foreign = {c.name for c in section.table.columns if c.foreign_keys}
        if foreign != set(section.refs):
            raise RuntimeError(f"archive section {section.key!r}: foreign keys {foreign}"
                               f" but refs {set(section.refs)}")
        for column, target in section.refs.items():
            if target not in (USERS, section.key) and target not in seen:
                raise RuntimeError(f"{section.key}.{column} points to a later section")
        unknown = set(section.excluded) - {c.name for c in section.table.columns}
        if unknown:
            raise RuntimeError(f"archive section {section.key!r} excludes unknown {unknown}")
        seen.add(section.key)
