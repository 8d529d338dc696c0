"""Reading an uploaded paper-form spreadsheet: CSV (``;`` or ``,``, UTF-8 or Windows-1252)
or XLSX, into rows of text keyed by field.

Every problem with the file as a whole (too large, unknown type, unreadable, empty, a
required column missing, too many rows) raises :class:`FileRefused` with a French
message; problems of one row are the validator's (:mod:`.validate`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from ..errors import N_, DomainError
from .columns import BY_FIELD, COLUMNS, REQUIRED_HEADERS, TYPE_HEADER, fold

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
XLSX_MAGIC = b"PK\x03\x04"
TOO_LARGE = N_("Le fichier dépasse la taille maximale (%(megabytes)s Mo).")


class FileRefused(DomainError):
    """The file cannot be read as a paper-form spreadsheet (nothing is previewed)."""


@dataclass
class Sheet:
    """The data rows of a file: (line number as the spreadsheet shows it, {field: cell})."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the fields present, "kind" first


def read_upload(filename: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> Sheet:
    """The rows of an uploaded CSV or XLSX file, or :class:`FileRefused`."""
    if len(data) > max_bytes:
        raise FileRefused(TOO_LARGE, megabytes=f"{max_bytes / 1_048_576:.3g}")
    if not data.strip(b"\xef\xbb\xbf \r\n\t;,"):
        raise FileRefused(N_("Le fichier est vide."))
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(XLSX_MAGIC) or suffix == "xlsx":
        table = _xlsx_table(data)
    elif suffix in ("csv", "txt", ""):
        table = _csv_table(data)
    else:
        raise FileRefused(N_("Type de fichier inconnu : envoyez un fichier CSV ou XLSX "
                             "(le modèle à télécharger)."))
    return _sheet(table)


def _csv_table(data: bytes) -> list[list[Any]]:
    """The cells of a CSV file; its separator is ``;`` or ``,`` (the header line decides)."""
    if b"\x00" in data:
        raise FileRefused(N_("Fichier illisible : ce n'est pas un fichier CSV ou XLSX valide."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise FileRefused(N_("Fichier illisible : ce n'est pas un fichier CSV ou XLSX "
                             "valide.")) from None


def _xlsx_table(data: bytes) -> list[list[Any]]:
    """The cells of the "Contributions" sheet, else the first (at most MAX_ROWS + 50 read)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged workbook
        raise FileRefused(N_("Fichier illisible : ce n'est pas un fichier CSV ou XLSX "
                             "valide.")) from None
    try:
        # The template's data sheet, wherever it was moved; else the first sheet.
        sheet = (workbook["Contributions"] if "Contributions" in workbook.sheetnames
                 else workbook.worksheets[0])
        table = []
        for values in sheet.iter_rows(values_only=True):
            table.append(list(values))
            if len(table) > MAX_ROWS + 50:  # enough to refuse; blank lines aside
                break
        return table
    except Exception:
        raise FileRefused(N_("Fichier illisible : ce n'est pas un fichier CSV ou XLSX "
                             "valide.")) from None
    finally:
        workbook.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet(table: list[list[Any]]) -> Sheet:
    """The header line mapped to fields; the data lines below it (blank lines skipped)."""
    header_index = next((i for i, line in enumerate(table)
                         if not all(_blank(cell) for cell in line)), None)
    if header_index is None:
        raise FileRefused(N_("Le fichier est vide."))
    known = {fold(TYPE_HEADER): "kind", **{fold(c.header): c.field for c in COLUMNS}}
    positions: dict[str, int] = {}
    for position, cell in enumerate(table[header_index]):
        name = known.get(fold(cell))
        if name is not None and name not in positions:
            positions[name] = position
    missing = [header for header in REQUIRED_HEADERS
               if _field_of(header) not in positions]
    if missing:
        raise FileRefused(N_("Colonnes obligatoires absentes : %(columns)s. Partez du modèle "
                             "à télécharger."),
                          columns=", ".join(f"« {header} »" for header in missing))
    sheet = Sheet(columns=list(positions))
    for index in range(header_index + 1, len(table)):
        line = table[index]
        if all(_blank(cell) for cell in line):
            continue
        if len(sheet.rows) >= MAX_ROWS:
            raise FileRefused(N_("Le fichier compte plus de %(count)s lignes : "
                                 "découpez-le en plusieurs fichiers."), count=MAX_ROWS)
        cells = {name: line[position] if position < len(line) else None
                 for name, position in positions.items()}
        sheet.rows.append((index + 1, cells))
    if not sheet.rows:
        raise FileRefused(N_("Le fichier ne contient aucune ligne de contribution."))
    return sheet


def _field_of(header: str) -> str:
    return "kind" if header == TYPE_HEADER else next(
        c.field for c in COLUMNS if c.header == header)


__all__ = ["BY_FIELD", "MAX_BYTES", "TOO_LARGE", "MAX_ROWS", "FileRefused", "Sheet", "read_upload"]
