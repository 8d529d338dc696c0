"""JSON export of the whole report, documented field by field in ``docs/report-json.md``.

Full fidelity: every field of :class:`~diagnostic.reporting.report.Report` is written, in the
declaration order of the dataclasses (a stable key order), dates in ISO 8601. Items
appear once, in ``initiatives`` / ``needs`` / ``recommendations``; the groupings refer
to them by id (``item_ids``) rather than repeating them.

With ``archive`` (:func:`diagnostic.archive.dump.dump_diagnostic`), the document also holds
every row of the diagnostic under ``"archive"``, from which ``diagnostic import``
restores it. The archive holds participants' personal data: such a file is staff-only.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import json
import math
from datetime import UTC, date, datetime
from typing import Any

from diagnostic.errors import N_, ValidationError
from diagnostic.reporting.report import Group, Report

SCHEMA = "diagnostic-report"
VERSION = 2


def to_data(value: Any) -> Any:
    """``value`` (a report dataclass, list, date...) as JSON-ready builtins."""
    if isinstance(value, Group):
        return {
            "key": value.key,
            "label": value.label,
            "count": len(value.items),
            "item_ids": [item.id for item in value.items],
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_data(item) for key, item in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime) and value.tzinfo is not None:
        # The report gives moments in the diagnostic's zone (``time_zone``); the JSON keeps
        # UTC, with offset, whatever the zone (docs/report-json.md).
        return value.astimezone(UTC).isoformat()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):  # the identity's logo: base64 (docs/report-json.md)
        return base64.b64encode(value).decode("ascii")
    return value


def report_data(report: Report, archive: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON document as a dict: schema header first, the report's fields, the archive."""
    data = {"schema": SCHEMA, "version": VERSION, **to_data(report)}
    if archive is not None:
        data["archive"] = archive
    return data


def render_report_json(report: Report, archive: dict[str, Any] | None = None) -> bytes:
    """The report as UTF-8 JSON bytes (non-ASCII kept as is, indented, ends with newline).

    ``archive`` (JSON builtins, see :mod:`diagnostic.archive`) is written under
    ``"archive"`` when given.
    """
    text = json.dumps(report_data(report, archive), ensure_ascii=False, indent=2,
                      allow_nan=False)
    # A lone surrogate cannot be encoded: replace it rather than fail the whole export.
    return (text + "\n").encode("utf-8", errors="replace")


def archive_of(document: Any) -> Any:
    """The archive inside a report document, or ``document`` itself (a bare archive).

    A report without an archive raises :class:`~diagnostic.errors.ValidationError`.
    """
    if isinstance(document, dict) and document.get("schema") == SCHEMA:
        if document.get("archive") is None:
            raise ValidationError(
                {"archive": N_("Ce rapport JSON ne contient pas l'archive du diagnostic.")})
        return document["archive"]
    return document
