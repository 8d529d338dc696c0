"""What the diagnostic archive holds: one section per table, walked column by column.

Every table of a diagnostic is a :class:`Section` of the archive; its rows are written
with *every* column of the table (``Table.columns``), so a column added to a model is
archived without touching this module. Foreign keys are the only columns that need a
decision, and :func:`check_spec` refuses a foreign key that no section declares
(``refs``): a new reference must say which section it points to before an archive can
be made. Columns left out on purpose are listed in ``excluded`` with the reason.

Values are JSON builtins: dates and moments in ISO 8601 (moments in UTC, with offset),
enums by value, JSON columns as they are. :func:`decode_value` checks a value read back
from a document against its column (type, length, null, enum member) and converts it.
The format is documented in ``docs/report-json.md`` (section *Archive*).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    String,
    Table,
)

from .errors import N_
from .models import (
    AuditEntry,
    Base,
    Contribution,
    Diagnostic,
    Participant,
    RejectedPair,
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

    @property
    def has_id(self) -> bool:
        """True when rows have their own ``id`` (association tables have none)."""
        return "id" in self.table.c


def _t(model: Any) -> Table:
    return model.__table__


_D = {"diagnostic_id": DIAGNOSTIC}

SECTIONS: tuple[Section, ...] = (
    Section(DIAGNOSTIC, _t(Diagnostic), None, {}),
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
    Section("synthesis_items", _t(SynthesisItem), "diagnostic_id", {**_D, "stake_id": "stakes"}),
    Section("contributions", _t(Contribution), "workshop_id", {
        "workshop_id": "workshops", "participant_id": "participants",
        "ess_family_id": "terms", "activity_sector_id": "terms", "actor_type_id": "terms",
        "need_category_id": "terms", "stake_id": "stakes", "responsible_party_id": "terms",
        "scribe_id": USERS, "merged_into_id": "contributions",
        "split_from_id": "contributions", "synthesis_item_id": "synthesis_items",
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


def _utc_iso(moment: datetime) -> str:
    # SQLite gives naive datetimes back: they are stored in UTC.
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat()


@cache
def encoder(column: Column) -> Callable[[Any], Any]:
    """The function turning a stored value of ``column`` into a JSON builtin."""
    if isinstance(column.type, DateTime):
        convert: Callable[[Any], Any] = _utc_iso
    elif isinstance(column.type, Date):
        convert = date.isoformat
    elif isinstance(column.type, Enum):
        def convert(value):
            return value.value if isinstance(value, enum.Enum) else value
    else:
        return lambda value: value
    return lambda value: None if value is None else convert(value)


class Invalid(Exception):
    """A document value does not fit its column; ``message`` is a French msgid."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@cache
def decoder(column: Column) -> Callable[[Any], Any]:
    """The function checking a document value against ``column`` and converting it.

    It raises :class:`Invalid` on a wrong type, a text too long, an unknown enum value or
    null in a column that takes none.
    """
    check = _checker(column)
    nullable = column.nullable

    def decode(value: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise Invalid(N_("Ce champ est obligatoire."))
        return check(value)

    return decode


def _checker(column: Column) -> Callable[[Any], Any]:
    """Type check and conversion of a non-null value of ``column``."""
    kind = column.type
    if isinstance(kind, Enum):
        members = {member.value: member for member in kind.enum_class}  # type: ignore[union-attr]

        def check(value):
            if not isinstance(value, str) or value not in members:
                raise Invalid(N_("Choix invalide."))
            return members[value]
    elif isinstance(kind, Boolean):
        def check(value):
            if not isinstance(value, bool):
                raise Invalid(N_("Valeur invalide."))
            return value
    elif isinstance(kind, Integer):
        def check(value):
            if not isinstance(value, int) or isinstance(value, bool):
                raise Invalid(N_("Valeur invalide."))
            return value
    elif isinstance(kind, Float):
        def check(value):
            if not isinstance(value, int | float) or isinstance(value, bool) \
                    or not math.isfinite(value):
                raise Invalid(N_("Valeur invalide."))
            return float(value)
    elif isinstance(kind, String):
        length = kind.length

        def check(value):
            if not isinstance(value, str):
                raise Invalid(N_("Valeur invalide."))
            if length is not None and len(value) > length:
                raise Invalid(N_("Ce texte est trop long."))
            return value
    elif isinstance(kind, DateTime):
        def check(value):
            moment = _parse(datetime.fromisoformat, value)
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None \
                else moment.astimezone(UTC)
    elif isinstance(kind, Date):
        def check(value):
            day = _parse(date.fromisoformat, value)
            if isinstance(day, datetime):
                raise Invalid(N_("Valeur invalide."))
            return day
    elif isinstance(kind, JSON):
        def check(value):
            return value
    else:
        raise RuntimeError(f"no archive codec for column {column} ({kind!r})")
    return check


def _parse(parser, value: Any):
    if not isinstance(value, str):
        raise Invalid(N_("Valeur invalide."))
    try:
        return parser(value)
    except ValueError as exc:
        raise Invalid(N_("Valeur invalide.")) from exc


def default_value(column: Column) -> Any:
    """The value of an omitted field: the column's default, else None (nullable columns)."""
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)  # type: ignore[operator]
    return default.arg  # type: ignore[attr-defined]


def may_be_omitted(column: Column) -> bool:
    """A field may be left out of a row when its column has a default or takes null."""
    return column.default is not None or column.nullable
