"""Helpers of the paper-form tests: spreadsheets built in memory."""

from __future__ import annotations

import io

import pytest

from diagnostic.paper.columns import HEADERS

STAKE = "Favoriser le développement et la pérennité de cette économie et de ses emplois"
GOOD_ROWS = [
    {"Type": "Initiative", "Nom de la structure ou du projet": "Coopérative Ozon",
     "Description": "Une coopérative d'activité et d'emploi.", "Famille de l'ESS":
     "cooperative", "Commune": "Toulouse", "Emplois (ETP)": "4,5",
     "Stade de développement": "Consolidée"},
    {"Type": "besoin", "Description": "Des locaux partagés à Blagnac.",
     "Catégorie de besoin": "LOCAUX", "Urgence": "Forte"},
    {"Type": "Préconisation", "Description": "Un guichet unique pour les porteurs de projet.",
     "Enjeu": STAKE, "Horizon": "Court terme"},
]


def csv_bytes(rows: list[dict], delimiter: str = ";", bom: bool = True,
              encoding: str = "utf-8") -> bytes:
    """A CSV file of ``rows`` with every template column."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(header, "") for header in HEADERS])
    return (("\ufeff" if bom else "") + out.getvalue()).encode(encoding)


def xlsx_bytes(rows: list[dict], headers=HEADERS) -> bytes:
    """An XLSX workbook of ``rows`` (numbers may be real numbers)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def good_rows():
    return [dict(row) for row in GOOD_ROWS]
