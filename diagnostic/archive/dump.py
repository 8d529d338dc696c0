"""Dump one diagnostic as JSON builtins: :func:`dump_diagnostic`.

Every row of every table of the diagnostic is written, section by section (see
:mod:`.schema`); rows keep their database ids, which are the archive's own ids:
references between rows use them. References to accounts are e-mail addresses.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Diagnostic, User
from .schema import DIAGNOSTIC, SCHEMA, SECTIONS, USERS, VERSION, Section, archived_columns
from .values import encoder


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
