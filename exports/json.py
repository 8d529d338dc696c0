"""JSON export of the whole report, documented field by field in ``docs/report-json.md``.

Full fidelity: every field of :class:`~diagnostic.report.Report` is written, in the
declaration order of the dataclasses (a stable key order), dates in ISO 8601. Items
appear once, in ``initiatives`` / ``needs`` / ``recommendations``; the groupings refer
to them by id (``item_ids``) rather than repeating them.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
from datetime import date, datetime
from typing import Any

from diagnostic.report import Group, Report

SCHEMA = "diagnostic-report"
VERSION = 1


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
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def report_data(report: Report) -> dict[str, Any]:
    """The JSON document as a dict: schema header first, then the report's fields."""
    return {"schema": SCHEMA, "version": VERSION, **to_data(report)}


def render_report_json(report: Report) -> bytes:
    """The report as UTF-8 JSON bytes (non-ASCII kept as is, indented, ends with newline)."""
    text = json.dumps(report_data(report), ensure_ascii=False, indent=2, allow_nan=False)
    # A lone surrogate cannot be encoded: replace it rather than fail the whole export.
    return (text + "\n").encode("utf-8", errors="replace")
