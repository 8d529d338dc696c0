"""The open-data files of a directory of initiatives: CSV and JSON (:mod:`diagnostic.opendata`).

Unlike the report's CSV (French Excel: ``;``, BOM, decimal commas) these files follow the
conventions of open data portals (schema.data.gouv.fr): UTF-8 *without* a BOM, ``,`` as
delimiter, one header row of snake_case English names, the columns of
``initiatives.tableschema.json``. Every cell still goes through the formula-injection
guard of :mod:`exports.csv` (a leading ``'`` before ``= + - @``). The JSON is an object
with the metadata and the list of initiatives, as ``initiatives.schema.json`` describes.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from diagnostic.opendata.directory import Directory, Entry

from ._common import clean_text
from .csv import guard_cell

CSV_COLUMNS = ("id", "name", "ess_family", "activity_sector", "commune", "website",
               "description", "workshops", "diagnostic", "territory")
"""The CSV's header, in the order of the Table Schema's fields."""
WORKSHOP_SEPARATOR = " | "


def _iso(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 in UTC (stored moments may come back naive from SQLite)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _row(entry: Entry, directory: Directory) -> list[str]:
    values = {
        "id": str(entry.id),
        "name": entry.name,
        "ess_family": entry.ess_family or "",
        "activity_sector": entry.activity_sector or "",
        "commune": entry.commune or "",
        "website": entry.website or "",
        "description": entry.description,
        "workshops": WORKSHOP_SEPARATOR.join(entry.workshops),
        "diagnostic": directory.diagnostic,
        "territory": directory.territory,
    }
    return [guard_cell(values[column]) for column in CSV_COLUMNS]


def directory_csv(directory: Directory) -> bytes:
    """The directory as CSV bytes (UTF-8, ``,``, CRLF line ends as RFC 4180 says)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in directory.entries:
        writer.writerow(_row(entry, directory))
    return buffer.getvalue().encode("utf-8")


def directory_document(directory: Directory) -> dict:
    """The JSON document of the directory, as builtins."""
    return {
        "schema_version": directory.schema_version,
        "diagnostic": {
            "id": directory.diagnostic_id,
            "title": clean_text(directory.diagnostic),
            "territory": clean_text(directory.territory),
            "authority": clean_text(directory.authority),
        },
        "licence": {"name": directory.licence, "url": directory.licence_url},
        "generated_at": _iso(directory.generated_at),
        "published_at": _iso(directory.published_at or directory.generated_at),
        "count": len(directory.entries),
        "initiatives": [
            {
                "id": e.id,
                "name": clean_text(e.name),
                "ess_family": e.ess_family,
                "activity_sector": e.activity_sector,
                "commune": e.commune,
                "website": e.website,
                "description": clean_text(e.description),
                "workshops": list(e.workshops),
            }
            for e in directory.entries
        ],
    }


def directory_json(directory: Directory) -> bytes:
    """The directory as indented UTF-8 JSON bytes."""
    return json.dumps(directory_document(directory), ensure_ascii=False,
                      indent=2).encode("utf-8")
