"""Checking each row of a paper-form spreadsheet with the live contributions' validator.

A row's cells become the payload a phone would send (taxonomy labels turned into their
ids, matched whatever their case and accents), with a deterministic client id; then
:func:`diagnostic.validation.clean_contribution` decides, exactly as for a live item.
Its errors are told per line and column ("Ligne 4, colonne « Commune » : …").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..errors import N_, ValidationError
from ..models import ContributionKind, Workshop
from ..validation import clean_contribution
from .columns import BY_FIELD, COLUMNS, TYPE_HEADER, fold, kind_of, lookup
from .parse import Sheet

UNKNOWN_KIND = N_("Type inconnu : écrivez Initiative, Besoin ou Préconisation.")
UNKNOWN_CHOICE = N_("« %(value)s » ne figure pas dans la liste des choix.")
PENDING_ID = "paper-row"
NOT_FOR_KIND = N_("Cette colonne ne concerne pas ce type de contribution : laissez-la vide.")


@dataclass
class CellError:
    """One problem: the column's French header, the (untranslated) message, its values."""

    header: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Row:
    """A data line: what it holds, what is wrong with it, what would be stored."""

    line: int
    kind: ContributionKind | None
    cells: dict[str, str]  # header → text as shown in the preview
    errors: list[CellError] = field(default_factory=list)
    client_id: str | None = None
    cleaned: dict[str, Any] | None = None
    duplicate_of: int | None = None  # the earlier line of the file holding the same item
    already_imported: bool = False


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a needless ".0", dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)


def row_client_id(workshop: Workshop, cleaned: dict[str, Any]) -> str:
    """The client id of a clean row: the same workshop, kind and values (texts compared
    whatever their case and spacing, labels by the term they name) give the same id, so
    a row imported once is recognised when a file is sent again."""
    values = sorted(
        (name, " ".join(value.split()).casefold() if isinstance(value, str) else str(value))
        for name, value in cleaned.items()
        if name != "client_id" and value not in (None, "", []))
    key = json.dumps([workshop.id, values], ensure_ascii=False)
    return "paper-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def check_rows(workshop: Workshop, sheet: Sheet) -> list[Row]:
    """Every row of ``sheet`` checked for ``workshop``'s diagnostic (nothing stored)."""
    diagnostic = workshop.diagnostic
    tables = lookup(diagnostic)
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for line, cells in sheet.rows:
        row = _check(workshop, tables, line, cells)
        if row.client_id is not None and not row.errors:
            if row.client_id in seen:
                row.duplicate_of = seen[row.client_id]
            else:
                seen[row.client_id] = line
        rows.append(row)
    return rows


def _check(workshop: Workshop, tables: dict, line: int, cells: dict[str, Any]) -> Row:
    texts = {name: cell_text(value).strip() for name, value in cells.items()}
    shown = {TYPE_HEADER: texts.get("kind", "")}
    shown.update({BY_FIELD[name].header: text for name, text in texts.items()
                  if name != "kind"})
    kind = kind_of(texts.get("kind", ""))
    row = Row(line, kind, shown)
    if kind is None:
        row.errors.append(CellError(TYPE_HEADER, UNKNOWN_KIND))
        return row
    # The row's id depends on its checked values: a stand-in passes the validator first.
    payload: dict[str, Any] = {"kind": kind.value, "client_id": PENDING_ID}
    for column in COLUMNS:
        text = texts.get(column.field, "")
        if kind not in column.kinds:
            if text:
                row.errors.append(CellError(column.header, NOT_FOR_KIND))
            continue
        if column.reader == "text":
            raw = cells.get(column.field)
            # A number typed in a spreadsheet's cell reaches the validator as a number
            # (the jobs), every other cell as text.
            payload[column.field] = (raw if column.field == "jobs_fte"
                                     and isinstance(raw, int | float) else text)
        elif text:
            value = tables[column.field].get(fold(text))
            if value is None:
                row.errors.append(CellError(column.header, UNKNOWN_CHOICE, {"value": text}))
                continue
            payload[column.field] = value
    try:
        row.cleaned = clean_contribution(workshop.diagnostic, payload)
        row.client_id = row.cleaned["client_id"] = row_client_id(workshop, row.cleaned)
    except ValidationError as error:
        reported = {e.header for e in row.errors}
        for name, message in error.errors.items():
            header = BY_FIELD[name].header if name in BY_FIELD else TYPE_HEADER
            if header not in reported:
                row.errors.append(CellError(header, message))
    if row.errors:
        row.cleaned = None
        order = [TYPE_HEADER, *(c.header for c in COLUMNS)]
        row.errors.sort(key=lambda e: order.index(e.header))
    return row
