"""Check a whole archive document before anything is written: :func:`parse_archive`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..errors import N_, ValidationError
from .document import text_errors
from .rules import check_live_rules
from .schema import DIAGNOSTIC, SCHEMA, SECTIONS, USERS, VERSION, Section, archived_columns
from .values import Invalid, decoder, default_value, may_be_omitted

MAX_ERRORS = 50


class ArchiveInvalid(ValidationError):
    """A refused archive: its first ``errors`` (path → msgid) and how many were ``omitted``."""

    def __init__(self, errors: dict[str, str], omitted: int = 0) -> None:
        super().__init__(errors)
        self.omitted = omitted


class Errors:
    """The problems of a document: the first per field, the first ``limit`` fields kept.

    Past the limit, problems are only counted: a document with a million bad values costs
    a counter, not a million messages. Set like a dict: ``errors[path] = message``.
    """

    def __init__(self, limit: int) -> None:
        self.limit = max(limit, 1)
        self.kept: dict[str, str] = {}
        self.omitted = 0

    def __setitem__(self, path: str, message: str) -> None:
        if path in self.kept:
            return
        if len(self.kept) < self.limit:
            self.kept[path] = message
        else:
            self.omitted += 1

    def __contains__(self, path: str) -> bool:
        return path in self.kept

    def __bool__(self) -> bool:
        return bool(self.kept)

    def refuse(self) -> None:
        """Raise :class:`ArchiveInvalid` if any problem was found."""
        if self.kept:
            raise ArchiveInvalid(self.kept, self.omitted)


def parse_archive(data: Any, *, max_errors: int = MAX_ERRORS) -> dict[str, list[dict[str, Any]]]:
    """Check a whole archive document; its rows by section, values converted.

    Rows map column names to values; references still hold archive ids (and e-mail
    addresses for users). Every text is checked for forbidden characters, every column
    against its type and length, and the rows people typed (contributions, participants)
    against the rules of live input (:mod:`.rules`). Raises :class:`ArchiveInvalid` with
    the first ``max_errors`` problems found and the count of the others.
    """
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValidationError({"schema": N_("Ce fichier n'est pas une archive de diagnostic.")})
    version = data.get("version")
    if type(version) is not int or version != VERSION:
        raise ValidationError(
            {"version": N_("Cette version d'archive n'est pas prise en charge.")})
    errors = Errors(max_errors)
    known = {"schema", "version", *(section.key for section in SECTIONS)}
    for key in data:
        if key not in known:
            errors[str(key)] = N_("Section inconnue.")
    text_errors(data, "", errors.__setitem__)
    parsed = {section.key: _parse_section(section, data, errors) for section in SECTIONS}
    _check_references(parsed, errors)
    if not errors:
        check_live_rules(data, parsed, errors.__setitem__)
    errors.refuse()
    return parsed


def _parse_section(section: Section, data: dict, errors: Errors) -> list[dict]:
    """The checked rows of one section (errors recorded under their path)."""
    if section.key not in data:
        if section.optional:
            return []
        errors[section.key] = N_("Ce champ est obligatoire.")
        return []
    raw = data[section.key]
    if section.key == DIAGNOSTIC:
        raw = [raw]
    if not isinstance(raw, list):
        errors[section.key] = N_("Valeur invalide.")
        return []
    columns = archived_columns(section)
    names = {name for name, _column in columns}
    decoders = {column.name: _decoder(section, column) for _name, column in columns}
    rows = []
    for index, row in enumerate(raw):
        path = section.key if section.key == DIAGNOSTIC else f"{section.key}[{index}]"
        if not isinstance(row, dict):
            errors[path] = N_("Valeur invalide.")
            continue
        for key in row:
            if key not in names:
                errors[f"{path}.{key}"] = N_("Champ inconnu.")
        values: dict[str, Any] = {}
        for name, column in columns:
            if name not in row:
                if may_be_omitted(column) and not column.primary_key:
                    values[column.name] = default_value(column)
                else:
                    errors[f"{path}.{name}"] = N_("Ce champ est obligatoire.")
                continue
            try:
                values[column.name] = decoders[column.name](row[name])
            except Invalid as exc:
                errors[f"{path}.{name}"] = exc.message
        rows.append(values)
    for name, column in columns:
        if column.unique or (column.primary_key and section.has_id):
            counts = Counter(row.get(column.name) for row in rows)
            for index, row in enumerate(rows):
                if row.get(column.name) is not None and counts[row.get(column.name)] > 1:
                    errors[f"{section.key}[{index}].{name}"] = N_("Valeur en double.")
    return rows


def _decoder(section: Section, column):
    """How to read one field: an e-mail address for a user reference, else its column's."""
    if section.refs.get(column.name) != USERS:
        return decoder(column)
    nullable = column.nullable

    def decode_email(value: Any) -> str | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str) or not value or len(value) > 254:
            raise Invalid(N_("Valeur invalide."))
        return value.strip().lower()

    return decode_email


def _check_references(parsed: dict[str, list[dict]], errors: Errors) -> None:
    """Every reference must name a row of the section it points to."""
    ids = {key: {row.get("id") for row in rows} for key, rows in parsed.items()}
    for section in SECTIONS:
        for index, row in enumerate(parsed[section.key]):
            for column, target in section.refs.items():
                if target in (DIAGNOSTIC, USERS):
                    continue
                value = row.get(column)
                if value is not None and value not in ids[target]:
                    errors[f"{section.key}[{index}].{column}"] = N_("Référence inconnue.")
