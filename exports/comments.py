"""The restitution's comments as CSV and XLSX: a header row and plain rows.

Pure renderers (no Flask, no database): the caller gives translated headers and rows of
text, numbers and local (naive) datetimes. Text cells go through the CSV's formula guard
in both formats, so a comment starting with "=" is never run by a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .csv import guard_cell

MAX_CELL = 32_767


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return guard_cell(value)[:MAX_CELL]
    return value


def render_comments_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a BOM (spreadsheets open it in the right encoding)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime)
                               else v) if v is not None else "" for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_comments_xlsx(header: Sequence[str], rows: Sequence[Sequence[Any]],
                         title: str) -> bytes:
    """One sheet named ``title``: the header row in bold, frozen, wrapped comment texts."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = guard_cell(title)[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "1"
    sheet.append([_cell(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
