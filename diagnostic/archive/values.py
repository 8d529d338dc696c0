"""The values of an archive: stored values as JSON builtins, and back with checks.

Dates and moments are written in ISO 8601 (moments in UTC, with offset), enums by value,
binary columns (a report's logo) in base64, JSON columns as they are. :func:`decoder`
checks a value read back from a document against its column (type, length, null, enum
member) and converts it.
"""

from __future__ import annotations

import base64
import binascii
import enum
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Time,
)

from ..errors import N_

MAX_TEXT = 10_000
"""Longest value of a text column without a length (``Text``): the longest any page takes
(a diagnostic's description; contributions are held to their own, shorter, limit)."""


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
    elif isinstance(column.type, Time):  # a local wall-clock time: no offset
        convert = time.isoformat
    elif isinstance(column.type, Enum):
        def convert(value):
            return value.value if isinstance(value, enum.Enum) else value
    elif isinstance(column.type, LargeBinary):
        def convert(value):
            return base64.b64encode(bytes(value)).decode("ascii")
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
        # What the column holds in PostgreSQL (and SQLite, 64 bits): a larger number would
        # fail in the database, not here.
        bits = 64 if isinstance(kind, BigInteger) else 16 if isinstance(kind, SmallInteger) \
            else 32
        lowest, highest = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

        def check(value):
            if not isinstance(value, int) or isinstance(value, bool):
                raise Invalid(N_("Valeur invalide."))
            if not lowest <= value <= highest:
                raise Invalid(N_("Valeur invalide."))
            return value
    elif isinstance(kind, Float):
        def check(value):
            if not isinstance(value, int | float) or isinstance(value, bool) \
                    or not math.isfinite(value):
                raise Invalid(N_("Valeur invalide."))
            return float(value)
    elif isinstance(kind, String):
        length = kind.length if kind.length is not None else MAX_TEXT

        def check(value):
            if not isinstance(value, str):
                raise Invalid(N_("Valeur invalide."))
            if len(value) > length:
                raise Invalid(N_("Ce texte est trop long."))
            return value
    elif isinstance(kind, DateTime):
        def check(value):
            moment = _parse(datetime.fromisoformat, value)
            if moment.tzinfo is None:
                return moment.replace(tzinfo=UTC)
            try:
                return moment.astimezone(UTC)
            except OverflowError:  # year 9999 west of UTC, year 1 east of it
                raise Invalid(N_("Valeur invalide.")) from None
    elif isinstance(kind, Date):
        def check(value):
            day = _parse(date.fromisoformat, value)
            if isinstance(day, datetime):
                raise Invalid(N_("Valeur invalide."))
            return day
    elif isinstance(kind, Time):
        def check(value):
            moment = _parse(time.fromisoformat, value)
            if moment.tzinfo is not None:  # local times carry no offset
                raise Invalid(N_("Valeur invalide."))
            return moment
    elif isinstance(kind, JSON):
        def check(value):
            return value
    elif isinstance(kind, LargeBinary):
        def check(value):
            if not isinstance(value, str):
                raise Invalid(N_("Valeur invalide."))
            try:
                return base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise Invalid(N_("Valeur invalide (base64 attendu).")) from None
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
