"""Full-fidelity archive of one diagnostic: dump it as JSON builtins, restore it elsewhere.

:func:`dump_diagnostic` writes every row of every table of a diagnostic (see
:mod:`diagnostic.archive_schema` for the sections and the column walk); rows keep their
database ids, which are the archive's own ids: references between rows use them.
:func:`restore_diagnostic` checks the whole document first, then inserts everything in
one transaction with new ids, references remapped, and commits once; on any error it
raises :class:`~diagnostic.errors.ValidationError` and nothing is written.

What changes on restore (documented in ``docs/report-json.md``):

- ids are new; JSON payloads (audit ``before``/``after``, live event payloads) are kept
  verbatim, so ids inside them still name the rows of the original database;
- a join code already taken gets a new random one (codes are unique);
- a contribution's ``client_id`` already taken becomes ``r<new diagnostic id>-<the first
  48 hex digits of the SHA-256 of the original>`` (deterministic, unique per restore);
- participants get a new secret token (the old one is never archived);
- rows written while the dump runs may be cut (see :func:`_consistent`);
- accounts are never created: references to users (facilitators, scribes, audit
  authors) are e-mail addresses, matched case-insensitively; an unknown address is
  dropped (the reference becomes null, a facilitator assignment is skipped).
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .archive_schema import (
    DIAGNOSTIC,
    SCHEMA,
    SECTIONS,
    USERS,
    VERSION,
    Invalid,
    Section,
    archived_columns,
    decoder,
    default_value,
    encoder,
    may_be_omitted,
)
from .errors import N_, ValidationError
from .models import Contribution, Diagnostic, User, Workshop
from .services import generate_join_code, normalise_join_code

MAX_ERRORS = 50
MAX_TITLE = Diagnostic.__table__.c.title.type.length
CHUNK = 500


def dump_diagnostic(session: Session, diagnostic: Diagnostic) -> dict[str, Any]:
    """Every row of ``diagnostic`` as a JSON-ready dict (schema ``diagnostic-archive``)."""
    document: dict[str, Any] = {"schema": SCHEMA, "version": VERSION}
    emails = {row.id: row.email for row in session.execute(select(User.id, User.email))}
    scopes: dict[str, Any] = {}
    captured: dict[str, set[int]] = {}
    for section in SECTIONS:
        table = section.table
        if section.parent is None:
            where = table.c.id == diagnostic.id
        elif section.refs[section.parent] == DIAGNOSTIC:
            where = table.c[section.parent] == diagnostic.id
        else:
            where = table.c[section.parent].in_(scopes[section.refs[section.parent]])
        if section.has_id:
            scopes[section.key] = select(table.c.id).where(where)
        fields = [
            (name, position, emails.get if section.refs.get(column.name) == USERS
             else encoder(column))
            for name, column in archived_columns(section)
            for position in [list(table.columns).index(column)]
        ]
        query = select(table).where(where).order_by(*table.primary_key.columns)
        rows = [{name: convert(record[position]) for name, position, convert in fields}
                for record in session.execute(query)]
        rows = _consistent(section, rows, captured)
        if section.has_id:
            captured[section.key] = {row["id"] for row in rows}
        document[section.key] = rows[0] if section.key == DIAGNOSTIC else rows
    return document


def _consistent(section: Section, rows: list[dict], captured: dict[str, set[int]]) -> list[dict]:
    """``rows`` whose references all name archived rows, so the archive always restores.

    Sections are read one query after the other: a row written meanwhile may point to a
    row read before it existed (and SQLite, without foreign-key enforcement, may keep a
    reference to a deleted row). As the database's ON DELETE rules would, a nullable
    reference to a missing row becomes null and a row with a required one is left out.
    """
    refs = [(column, target) for column, target in section.refs.items()
            if target not in (DIAGNOSTIC, USERS)]
    if not refs:
        return rows
    captured = {**captured, section.key: {row["id"] for row in rows}} if section.has_id \
        else captured
    nullable = {column.name for column in section.table.columns if column.nullable}
    kept = []
    for row in rows:
        missing = [column for column, target in refs
                   if row[column] is not None and row[column] not in captured[target]]
        if any(column not in nullable for column in missing):
            continue
        kept.append(row)
        for column in missing:
            row[column] = None
    return kept


def restore_diagnostic(
    session: Session, data: Any, *, title: str | None = None
) -> Diagnostic:
    """Create a new diagnostic from an archive; ``title`` replaces the archived title.

    Raises :class:`ValidationError` (field paths such as ``contributions[3].stake_id``
    mapped to French messages) on a document that is not a valid archive; nothing is
    written then.
    """
    parsed = parse_archive(data)
    if title is not None:
        title = title.strip()
        if not title:
            raise ValidationError({"title": N_("Ce champ est obligatoire.")})
        if len(title) > MAX_TITLE:
            raise ValidationError({"title": N_("Ce texte est trop long.")})
        parsed[DIAGNOSTIC][0]["title"] = title
    try:
        diagnostic_id = _Restorer(session, parsed).run()
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise ValidationError(
            {"archive": N_("L'archive contredit les règles de la base de données.")}
        ) from exc
    except BaseException:
        session.rollback()
        raise
    diagnostic = session.get(Diagnostic, diagnostic_id)
    assert diagnostic is not None
    return diagnostic


def parse_archive(data: Any) -> dict[str, list[dict[str, Any]]]:
    """Check a whole archive document; its rows by section, values converted.

    Rows map column names to values; references still hold archive ids (and e-mail
    addresses for users). Raises :class:`ValidationError` listing the problems found.
    """
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValidationError({"schema": N_("Ce fichier n'est pas une archive de diagnostic.")})
    version = data.get("version")
    if type(version) is not int or version != VERSION:
        raise ValidationError(
            {"version": N_("Cette version d'archive n'est pas prise en charge.")})
    errors: dict[str, str] = {}
    known = {"schema", "version", *(section.key for section in SECTIONS)}
    for key in data.keys() - known:
        errors[str(key)] = N_("Section inconnue.")
    parsed = {section.key: _parse_section(section, data, errors) for section in SECTIONS}
    _check_references(parsed, errors)
    if errors:
        raise ValidationError(dict(list(errors.items())[:MAX_ERRORS]))
    return parsed


def _parse_section(section: Section, data: dict, errors: dict[str, str]) -> list[dict]:
    """The checked rows of one section (errors recorded under their path)."""
    if section.key not in data:
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
        for key in row.keys() - names:
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


def _check_references(parsed: dict[str, list[dict]], errors: dict[str, str]) -> None:
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


class _Restorer:
    """Inserts the parsed sections in order, mapping archive ids to new ids."""

    def __init__(self, session: Session, parsed: dict[str, list[dict]]) -> None:
        self.session = session
        self.parsed = parsed
        self.ids: dict[str, dict[int, int]] = {}
        self.diagnostic_id = 0
        self.users = self._users()
        self.used_codes: set[str] = set()

    def run(self) -> int:
        """Insert every section; the new diagnostic's id."""
        for section in SECTIONS:
            self._insert(section)
            if section.key == DIAGNOSTIC:
                self.diagnostic_id = next(iter(self.ids[DIAGNOSTIC].values()))
                self.taken_codes = self._existing(
                    Workshop.join_code, [w["join_code"] for w in self.parsed["workshops"]])
                self.taken_client_ids = self._existing(
                    Contribution.client_id, [c["client_id"] for c in self.parsed["contributions"]])
        return self.diagnostic_id

    def _users(self) -> dict[str, int]:
        """Accounts named in the document, by lower-case e-mail address."""
        emails = {
            row[column] for section in SECTIONS for column, target in section.refs.items()
            if target == USERS for row in self.parsed[section.key] if row.get(column)
        }
        found: dict[str, int] = {}
        for chunk in _chunks(sorted(emails)):
            query = select(func.lower(User.email), User.id).where(
                func.lower(User.email).in_(chunk))
            found.update((email, user_id) for email, user_id in self.session.execute(query))
        return found

    def _existing(self, column, values: list[str]) -> set[str]:
        """Which of ``values`` the database already holds in ``column``."""
        found: set[str] = set()
        for chunk in _chunks(values):
            found.update(self.session.scalars(select(column).where(column.in_(chunk))))
        return found

    def _insert(self, section: Section) -> None:
        """Insert one section's rows (self-references set afterwards, in a second pass)."""
        table = section.table
        params, kept = [], []
        for values in self.parsed[section.key]:
            row, self_refs = self._row(section, values)
            if row is None:
                continue
            fix = getattr(self, f"_fix_{section.key}", None)
            if fix is not None:
                fix(row)
            params.append(row)
            kept.append((values.get("id"), self_refs))
        self.ids[section.key] = {}
        if not params:
            return
        if not section.has_id:
            self.session.execute(insert(table), params)
            return
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        new_ids = self.session.execute(statement, params).scalars().all()
        mapping = self.ids[section.key] = {old: new for (old, _), new in zip(kept, new_ids,
                                                                             strict=True)}
        self._set_self_references(section, params, kept, mapping)

    def _row(self, section: Section, values: dict) -> tuple[dict | None, dict]:
        """The insert parameters of one row (None: dropped) and its pending self-references."""
        row: dict[str, Any] = {}
        self_refs: dict[str, int] = {}
        for column in section.table.columns:
            name, target = column.name, section.refs.get(column.name)
            value = values.get(name)
            if name == "id" and section.has_id:
                continue
            if target == DIAGNOSTIC:
                value = self.diagnostic_id
            elif target == USERS:
                value = self.users.get(value) if value else None
                if value is None and not column.nullable:
                    return None, {}
            elif target == section.key:
                if value is not None:
                    self_refs[name] = value
                value = None
            elif target is not None and value is not None:
                value = self.ids[target][value]
            row[name] = value
        return row, self_refs

    def _set_self_references(self, section, params, kept, mapping) -> None:
        """Second pass: references to rows of the same section, now that all have ids."""
        table = section.table
        columns = [c.name for c in table.columns if section.refs.get(c.name) == section.key]
        # Columns refreshed on UPDATE (updated_at) keep their archived value.
        stamped = [c.name for c in table.columns if c.onupdate is not None]
        updates = []
        for row, (old, self_refs) in zip(params, kept, strict=True):
            if self_refs:
                update_row = {"_id": mapping[old]}
                for name in columns:
                    ref = self_refs.get(name)
                    update_row[f"_{name}"] = None if ref is None else mapping[ref]
                update_row.update({f"_{name}": row[name] for name in stamped})
                updates.append(update_row)
        if updates:
            statement = update(table).where(table.c.id == bindparam("_id")).values(
                {name: bindparam(f"_{name}") for name in columns + stamped})
            self.session.execute(statement, updates,
                                 execution_options={"synchronize_session": False})

    def _fix_workshops(self, row: dict) -> None:
        """Keep the join code when it is free, else draw a new one."""
        code = row["join_code"]
        if code in self.taken_codes or code in self.used_codes \
                or not code or normalise_join_code(code) != code:
            code = generate_join_code(self.session)
            while code in self.used_codes:
                code = generate_join_code(self.session)
        self.used_codes.add(code)
        row["join_code"] = code

    def _fix_participants(self, row: dict) -> None:
        """A new secret token (tokens are never archived)."""
        row["token"] = secrets.token_urlsafe(32)

    def _fix_contributions(self, row: dict) -> None:
        """Keep the client id when it is free, else derive one from it and the new id."""
        original = row["client_id"]
        if original in self.taken_client_ids:
            digest = hashlib.sha256(original.encode("utf-8")).hexdigest()[:48]
            row["client_id"] = f"r{self.diagnostic_id}-{digest}"

    def _fix_rejected_pairs(self, row: dict) -> None:
        """Pairs are stored with the smaller id first; new ids may swap them."""
        if row["first_id"] > row["second_id"]:
            row["first_id"], row["second_id"] = row["second_id"], row["first_id"]


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    """``values`` in lists of at most CHUNK (bounded IN clauses)."""
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]
