"""XLSX export of the report (openpyxl): one sheet per kind of item, and the raw data.

Sheets: initiatives, needs and recommendations (every field of the synthesis items:
mentions, workshops, organisations, supports, dots, priority, stake...), the sources of
merged items (item → each contribution folded in, with its workshop), the workshops
(the method table) and every published contribution (the CSV's columns). Each sheet has
a bold, frozen header row, an autofilter and column widths fitted to its content.

No cell is ever a formula: text starting with ``= + - @``, a tab or a carriage return is
stored as a string with Excel's "quote prefix" (shown as text, kept as text when edited),
and characters a spreadsheet refuses are removed, so odd text never crashes the export.
openpyxl writes the workbook (sheets, header rows and their style, widths, frozen panes,
filters, properties); the data rows are emitted as SpreadsheetML text and spliced into
the saved package, as openpyxl's per-cell objects take ~15 s on 20,000 rows.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.xml.functions import tostring

from diagnostic.errors import N_
from diagnostic.reporting.report import Item, Report

from ._common import Translate, translator
from .csv import COLUMNS as CONTRIBUTION_COLUMNS
from .csv import FORMULA_TRIGGERS, header_text, in_zone
from .docx import language_tag
from .outline import text

MAX_CELL = 32_767
"""Excel's limit on the characters of one cell."""
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DBE5F1")
WRAP = Alignment(wrap_text=True, vertical="top")

Column = tuple[str, Callable[[Any], Any]]
"""A column: its header (a French msgid) and how to get its value from a row object."""


def cell_value(value: Any) -> Any:
    """``value`` as a cell value: text cleaned and cut to Excel's limit, dates without zone.

    A moment keeps its wall-clock time (the report gives it in the diagnostic's zone,
    which the column's header names): spreadsheets have no zones.
    """
    if type(value) is str:  # the common case first
        return text(value)[:MAX_CELL]
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    # text() drops every character openpyxl's ILLEGAL_CHARACTERS_RE refuses, and more.
    return text(value)[:MAX_CELL]


def is_formula_like(raw: str) -> bool:
    """True when spreadsheet software could read ``raw`` as a formula."""
    return raw.startswith(FORMULA_TRIGGERS) or raw.lstrip().startswith(FORMULA_TRIGGERS)


class _SheetWriter:
    """One sheet: openpyxl writes its header, widths, frozen pane and filter; the data rows
    are emitted as SpreadsheetML text by :meth:`rows_xml` and spliced in after saving."""

    def __init__(self, workbook: Workbook, title: str) -> None:
        self.sheet = workbook.create_sheet(title)
        self.rows: list[list[Any]] = []

    def write(self, headers: list[str], rows: list[list[Any]]) -> None:
        self.rows = rows
        first = [[cell_value(value) for value in row] for row in rows[:300]]
        for index, header in enumerate(headers, start=1):
            sample = [len(str(row[index - 1])) for row in first if row[index - 1] is not None]
            width = max([len(header) + 2, *(min(n, 60) + 1 for n in sample)])
            letter = get_column_letter(index)
            self.sheet.column_dimensions[letter].width = max(8, min(width, 60))
        self.sheet.freeze_panes = "A2"
        last = get_column_letter(max(len(headers), 1))
        self.sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, value=cell_value(header))
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            cell.data_type = "s"
            header_cells.append(cell)
        self.sheet.append(header_cells)

    def rows_xml(self, styles: dict[str, int]) -> str:
        """The data rows (from row 2) as ``<row>`` elements, with the given style ids."""
        width = max((len(row) for row in self.rows), default=0)
        letters = [get_column_letter(index) for index in range(1, width + 1)]
        out = []
        for number, row in enumerate(self.rows, start=2):
            cells = "".join(_cell_xml(f"{letter}{number}", raw, styles)
                            for letter, raw in zip(letters, row, strict=False)
                            if raw is not None)
            out.append(f'<row r="{number}">{cells}</row>')
        return "".join(out)


def _cell_xml(ref: str, raw: Any, styles: dict[str, int]) -> str:
    """One ``<c>`` for the report value ``raw``: a number, boolean, date or inline string
    (never a formula: formula-like text gets the quote-prefix text style)."""
    value = cell_value(raw)
    if type(value) is str:
        if not value:
            return ""
        guarded = is_formula_like(raw) if isinstance(raw, str) else False
        style = f' s="{styles["text"]}"' if guarded or value.startswith(FORMULA_TRIGGERS) else ""
        return (f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">'
                f"{escape(value)}</t></is></c>")
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>' if math.isfinite(value) else ""
    if isinstance(value, date):
        kind = "datetime" if isinstance(value, datetime) else "date"
        return f'<c r="{ref}" s="{styles[kind]}"><v>{to_excel(value)!r}</v></c>'
    return ""


def _splice(package: bytes, sheets: list[_SheetWriter], core_xml: bytes | None = None
            ) -> bytes:
    """Add the data cell styles to styles.xml and each sheet's rows to its sheetData.

    ``core_xml`` replaces the document properties (openpyxl stamps "modified" with the
    time of saving; the report's is its generation time).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        styles_xml = source.read("xl/styles.xml").decode("utf-8")
        match = re.search(r'<cellXfs count="(\d+)">', styles_xml)
        if match is None:  # pragma: no cover - openpyxl always writes cellXfs
            raise ValueError("styles.xml without cellXfs")
        first = int(match.group(1))
        styles = {"text": first, "date": first + 1, "datetime": first + 2}
        styles_xml = styles_xml.replace(match.group(0), f'<cellXfs count="{first + 3}">', 1)
        styles_xml = styles_xml.replace("</cellXfs>", (
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>'
            '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/></cellXfs>'), 1)
        # openpyxl names the sheet parts sheet1.xml, sheet2.xml... in workbook order.
        parts = {f"xl/worksheets/sheet{n}.xml": s for n, s in enumerate(sheets, start=1)}
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/styles.xml":
                data = styles_xml.encode("utf-8")
            elif info.filename == "docProps/core.xml" and core_xml is not None:
                data = core_xml
            elif info.filename in parts:
                xml = data.decode("utf-8")
                rows = parts[info.filename].rows_xml(styles)
                data = xml.replace("</sheetData>", rows + "</sheetData>", 1).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def _sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique sheet name (Excel: at most 31 characters, no ``[]:*?/\\``)."""
    base = SHEET_NAME_FORBIDDEN.sub(" ", text(name)).strip(" '")[:31] or "Feuille"
    title, number = base, 2
    while title.casefold() in used:
        suffix = f" ({number})"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    used.add(title.casefold())
    return title


def _synthesis_columns(workshop_titles: dict[int, str]) -> list[Column]:
    """The provenance and tallies every synthesis item has."""
    return [
        (N_("Mentions"), lambda i: i.mentions),
        (N_("Nombre d'ateliers"), lambda i: len(set(i.workshop_ids)) or 1),
        (N_("Ateliers"), lambda i: [workshop_titles.get(w, w) for w in dict.fromkeys(
            i.workshop_ids or [i.workshop_id])]),
        (N_("Structures distinctes"), lambda i: i.organisation_count),
        (N_("Soutiens"), lambda i: i.supports),
        (N_("Gommettes"), lambda i: i.dots),
        (N_("Priorité"), lambda i: i.priority),
        (N_("Position"), lambda i: i.position),
        (N_("Identifiant du regroupement"), lambda i: i.synthesis_id),
        (N_("Contributions regroupées"), lambda i: [s.contribution_id for s in i.sources]),
        (N_("Atelier d'origine"), lambda i: i.workshop_title),
        (N_("Auteur·e"), lambda i: i.author),
        (N_("Structure"), lambda i: i.organisation),
        (N_("Date (%(zone)s)"), lambda i: i.created_at),
    ]


def _item_sheets(report: Report) -> list[tuple[str, list[Column], Sequence[Item]]]:
    """Title, columns and items of the initiatives, needs and recommendations sheets."""
    titles = {w.id: w.title for w in report.method.workshops}
    rank = {id(need): number for number, need in enumerate(report.needs, start=1)}
    common = _synthesis_columns(titles)
    ident: list[Column] = [(N_("Identifiant"), lambda i: i.id), (N_("Titre"), lambda i: i.title)]
    return [
        (N_("Initiatives"), [
            *ident, (N_("Nom de la structure ou du projet"), lambda i: i.name),
            (N_("Description"), lambda i: i.description),
            (N_("Famille de l'ESS"), lambda i: i.ess_family),
            (N_("Secteur d'activité"), lambda i: i.activity_sector),
            (N_("Commune"), lambda i: i.commune), (N_("Emplois (ETP)"), lambda i: i.jobs_fte),
            (N_("Stade de développement"), lambda i: i.stage_label),
            (N_("Contact"), lambda i: i.contact), (N_("Site web"), lambda i: i.website),
            *common], report.initiatives),
        (N_("Besoins"), [
            *ident, (N_("Rang"), lambda i: rank[id(i)]),
            (N_("Description"), lambda i: i.description),
            (N_("Catégorie de besoin"), lambda i: i.category),
            (N_("Type d'acteur"), lambda i: i.actor_type),
            (N_("Urgence"), lambda i: i.urgency_label),
            (N_("Convergence"), lambda i: i.convergence), *common], report.needs),
        (N_("Préconisations"), [
            *ident, (N_("Description"), lambda i: i.description),
            (N_("Enjeu"), lambda i: i.stake),
            (N_("Acteur de la mise en œuvre"), lambda i: i.responsible_party),
            (N_("Échéance"), lambda i: i.horizon_label),
            (N_("Besoins auxquels elle répond"), lambda i: [n.id for n in i.answered_needs]),
            (N_("Textes des besoins"), lambda i: " | ".join(n.text for n in i.answered_needs)),
            *common], report.recommendations),
    ]


def _rows(columns: list[Column], objects: Sequence[Any], zone: str | None = None
          ) -> list[list[Any]]:
    return [[in_zone(getter(obj), zone) for _header, getter in columns] for obj in objects]


def render_report_xlsx(report: Report, translate: Translate | None = None, *,
                       lang: str = "fr") -> bytes:
    """The report as XLSX bytes (``lang`` is accepted for symmetry; numbers are native)."""
    _ = translator(translate)
    workbook = Workbook(write_only=True)
    used: set[str] = set()

    sheets: list[_SheetWriter] = []

    def sheet(title: str, columns: list[Column], objects: Sequence[Any], *,
              translated: bool = False) -> None:
        writer = _SheetWriter(workbook, _sheet_title(_(title), used))
        headers = [header if translated else header_text(header, report, _)
                   for header, _getter in columns]
        writer.write(headers, _rows(columns, objects, report.time_zone))
        sheets.append(writer)

    for title, columns, items in _item_sheets(report):
        sheet(title, columns, items)

    kind_of = {N_("Initiative"): report.initiatives, N_("Besoin"): report.needs,
               N_("Préconisation"): report.recommendations}
    sources = [(kind, item, source) for kind, items in kind_of.items()
               for item in items for source in item.sources]
    sheet(N_("Sources des regroupements"), [
        (N_("Identifiant de l'élément"), lambda r: r[1].id),
        (N_("Type"), lambda r: _(r[0])),
        (N_("Élément"), lambda r: r[1].title or getattr(r[1], "name", "") or r[1].description),
        (N_("Contribution"), lambda r: r[2].contribution_id),
        (N_("Identifiant de l'atelier"), lambda r: r[2].workshop_id),
        (N_("Atelier"), lambda r: r[2].workshop_title),
        (N_("Nom"), lambda r: r[2].name),
        (N_("Description"), lambda r: r[2].description),
        (N_("Auteur·e"), lambda r: r[2].author),
        (N_("Structure"), lambda r: r[2].organisation),
    ], sources)

    kinds = report.method.contributions_by_kind
    workshop_columns: list[Column] = [
        (_("Identifiant"), lambda w: w.id), (_("Atelier"), lambda w: w.title),
        (_("Type"), lambda w: w.kind_label), (_("Secteur ou thème"), lambda w: w.subject),
        (_("Date"), lambda w: w.date), (_("Horaires"), lambda w: w.hours),
        (_("Lieu"), lambda w: w.place),
        (_("Statut"), lambda w: w.status_label),
        (_("Participant·e·s"), lambda w: w.participants),
        *((row.label, lambda w, k=index: w.contributions[k].count)  # labels: translated
          for index, row in enumerate(kinds)),
        (_("Total"), lambda w: w.total_contributions),
    ]
    sheet(N_("Ateliers"), workshop_columns, report.method.workshops, translated=True)

    sheet(N_("Contributions"), [(header, lambda row, a=attribute: getattr(row, a))
                                for attribute, header in CONTRIBUTION_COLUMNS],
          report.contributions)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _splice(buffer.getvalue(), sheets, _core_properties(report, _, lang))


def _core_properties(report: Report, _: Translate, lang: str) -> bytes:
    """docProps/core.xml: title, subject, author (the authority), status, language, and
    created = modified = the report's generation time (UTC, as the format wants)."""
    identity = report.context.identity
    author = text(identity.authority or report.context.territory)[:255]
    generated = report.generated_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    props = DocumentProperties(
        title=text(report.context.title)[:255],
        subject=text(_("Diagnostic territorial collaboratif"))[:255],
        creator=author, lastModifiedBy=author, language=language_tag(lang),
        contentStatus=text(_("Version validée") if identity.validated
                           else _("Document de travail")),
        created=generated, modified=generated)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + tostring(
        props.to_tree())

