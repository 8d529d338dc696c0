"""The text of a generated document, whatever its format: to search it for what must (not) be
there. Office formats also give their raw XML parts, tags removed (runs may split a text)."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import openpyxl
from pypdf import PdfReader


def zipped_text(data: bytes) -> str:
    """Every XML part of an office document, tags removed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [archive.read(name).decode("utf-8", errors="replace")
                 for name in archive.namelist() if name.endswith(".xml")]
    return re.sub(r"<[^>]+>", "", "\n".join(parts))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts) + "\n" + zipped_text(data)


def xlsx_text(data: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(cell) for sheet in workbook.worksheets
                     for row in sheet.iter_rows(values_only=True) for cell in row
                     if cell is not None)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


TEXT_OF = {
    "html": lambda data: data.decode("utf-8"),
    "json": lambda data: data.decode("utf-8"),
    "csv": lambda data: data.decode("utf-8-sig"),
    "xlsx": xlsx_text,
    "docx": docx_text,
    "odt": zipped_text,
    "pdf": pdf_text,
}
"""Format → the function giving a document's text."""
