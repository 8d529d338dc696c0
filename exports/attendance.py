"""The participant list of a workshop (*émargement*) as XLSX and PDF.

Renders :class:`diagnostic.privacy.attendance.AttendanceSheet` (which already applied the
consents) to bytes. XLSX (openpyxl): a heading (diagnostic, workshop, date, place), then
one bold, frozen header row and one row per participant; no cell is ever a formula (text
that could be one is stored as text with Excel's quote prefix). PDF (WeasyPrint, A4,
tagged like the other documents): the same heading and a table whose header row repeats
on every page, with an empty signature column. Only ``data:`` URIs are ever fetched.
"""

from __future__ import annotations

import io
from datetime import date

from babel.dates import format_date
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from diagnostic.errors import N_
from diagnostic.privacy.attendance import AttendanceSheet

from ._common import Translate, clean_text, translator
from .html import TEMPLATES, _environment
from .pdf import PDF_VARIANT, DataOnlyFetcher
from .xlsx import HEADER_FILL, HEADER_FONT, cell_value, is_formula_like

ATTENDANCE_CSS: str = (TEMPLATES / "attendance.css").read_text(encoding="utf-8")
COLUMNS = (N_("N°"), N_("Nom"), N_("Organisation"), N_("Type d'acteur"),
           N_("Arrivée (%(zone)s)"))
PDF_TIME = "%H:%M"
PDF_DAY_TIME = "%d/%m/%Y %H:%M"
"""The XLSX's columns (the PDF adds the signature column)."""


def _day(day: date | None, lang: str) -> str:
    return format_date(day, "long", locale=lang) if day else ""


def heading_lines(sheet: AttendanceSheet, translate: Translate, lang: str = "fr") -> list[str]:
    """The lines above the table: diagnostic, workshop, when and where."""
    _ = translate
    when = ", ".join(part for part in (
        _day(sheet.day, lang),
        "–".join(t for t in (sheet.start_time, sheet.end_time) if t)) if part)
    lines = [f"{sheet.diagnostic} · {sheet.territory}" if sheet.territory else sheet.diagnostic,
             _("Atelier : %(title)s", title=sheet.workshop)
             + (f" ({sheet.kind} · {sheet.subject})" if sheet.subject else f" ({sheet.kind})")]
    if when:
        lines.append(_("Date : %(when)s", when=when))
    if sheet.place:
        lines.append(_("Lieu : %(place)s", place=sheet.place))
    return lines


def _text_cell(cell, value) -> None:
    """Write ``value``; formula-like text stays text (quote prefix, string type)."""
    cell.value = cell_value(value)
    if isinstance(cell.value, str) and (is_formula_like(cell.value)
                                        or (isinstance(value, str) and is_formula_like(value))):
        cell.data_type = "s"
        cell.quotePrefix = True


def render_attendance_xlsx(sheet: AttendanceSheet, translate: Translate | None = None, *,
                           lang: str = "fr") -> bytes:
    """The participant list as an XLSX workbook (one sheet)."""
    _ = translator(translate)
    book = Workbook()
    page = book.active
    page.title = _("Émargement")[:31]
    title = page.cell(row=1, column=1)
    _text_cell(title, _("Liste des participant·es"))
    title.font = Font(bold=True, size=14)
    lines = [*heading_lines(sheet, _, lang),
             _("Généré le %(moment)s (%(zone)s)",
               moment=sheet.generated_at.strftime("%d/%m/%Y %H:%M"), zone=sheet.zone_caption)]
    for offset, line in enumerate(lines, start=2):
        _text_cell(page.cell(row=offset, column=1), line)
    header_row = len(lines) + 3
    headers = [_(h, zone=sheet.zone_place) if "%(zone)s" in h else _(h) for h in COLUMNS]
    for column, header in enumerate(headers, start=1):
        cell = page.cell(row=header_row, column=column)
        _text_cell(cell, header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for offset, row in enumerate(sheet.rows, start=1):
        values = [row.number, row.name, row.organisation, row.actor_type,
                  row.joined_at.replace(tzinfo=None)]
        for column, value in enumerate(values, start=1):
            cell = page.cell(row=header_row + offset, column=column)
            _text_cell(cell, value)
            if column == 5:
                cell.number_format = "dd/mm/yyyy hh:mm"
    for letter, width in zip("ABCDE", (6, 32, 32, 24, 22), strict=True):
        page.column_dimensions[letter].width = width
    page.freeze_panes = f"A{header_row + 1}"
    book.properties.title = clean_text(f"{_('Liste des participant·es')} · {sheet.workshop}")
    book.properties.language = lang
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_attendance_html(sheet: AttendanceSheet, translate: Translate | None = None, *,
                           lang: str = "fr") -> bytes:
    """The printable page the PDF is made from (inline CSS, no external resource)."""
    _ = translator(translate)
    template = _environment(_, lang).get_template("attendance.html")
    # The arrival's time alone on the workshop's day; with its date otherwise.
    joined = [row.joined_at.strftime(PDF_TIME if row.joined_at.date() == sheet.day
                                     else PDF_DAY_TIME) for row in sheet.rows]
    html = template.render(sheet=sheet, lang=lang, css=Markup(ATTENDANCE_CSS),
                           heading=heading_lines(sheet, _, lang), joined=joined)
    return clean_text(html).encode("utf-8")


def render_attendance_pdf(sheet: AttendanceSheet, translate: Translate | None = None, *,
                          lang: str = "fr") -> bytes:
    """The participant list as an A4 PDF with a signature column."""
    from weasyprint import HTML

    html = render_attendance_html(sheet, translate, lang=lang).decode("utf-8")
    document = HTML(string=html, base_url=None, url_fetcher=DataOnlyFetcher(),
                    media_type="print")
    return document.write_pdf(pdf_variant=PDF_VARIANT)
