"""CSV export of every published contribution, one row each, for spreadsheets.

The file is what French Excel opens correctly by double-click: UTF-8 *with* a BOM (else
Excel assumes a legacy code page), ``;`` as delimiter (the French list separator, as
``,`` is the decimal mark) and decimal commas. Every cell is guarded against formula
injection and stripped of control characters.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from diagnostic.errors import N_
from diagnostic.reporting.report import ContributionRow, Report
from diagnostic.time_zones import local, zone_place

from ._common import Translate, clean_text, translator

# (attribute of ContributionRow, column header — French source string).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", N_("Identifiant")),
    ("workshop_id", N_("Identifiant de l'atelier")),
    ("workshop_title", N_("Atelier")),
    ("kind_label", N_("Type")),
    ("description", N_("Description")),
    ("name", N_("Nom de la structure ou du projet")),
    ("ess_family", N_("Famille de l'ESS")),
    ("activity_sector", N_("Secteur d'activité")),
    ("commune", N_("Commune")),
    ("jobs_fte", N_("Emplois (ETP)")),
    ("stage_label", N_("Stade de développement")),
    ("contact", N_("Contact")),
    ("website", N_("Site web")),
    ("actor_type", N_("Type d'acteur")),
    ("need_category", N_("Catégorie de besoin")),
    ("urgency_label", N_("Urgence")),
    ("stake", N_("Enjeu")),
    ("responsible_party", N_("Acteur de la mise en œuvre")),
    ("horizon_label", N_("Échéance")),
    ("answered_need_ids", N_("Besoins auxquels elle répond")),
    ("author", N_("Auteur·e")),
    ("organisation", N_("Organisation")),
    ("created_at", N_("Date (%(zone)s)")),
)

# A cell starting with one of these is run as a formula by spreadsheet software.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(text: str) -> str:
    """Neutralise formula injection (leading ``'``), then drop control characters.

    The trigger test runs on the raw text *and* on the text without leading whitespace
    or control characters, so ``"\\x00=cmd"`` or ``" =cmd"`` are caught too.
    """
    cleaned = clean_text(text)
    if text.startswith(FORMULA_TRIGGERS) or cleaned.lstrip().startswith(FORMULA_TRIGGERS):
        return "'" + cleaned
    return cleaned


def format_cell(value: object) -> str:
    """A report value as spreadsheet text: decimal comma, local dates, joined lists.

    Moments are printed as the report gives them, in the diagnostic's zone (which the
    date column's header names).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return format(value, ".15g").replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, list):
        return ", ".join(format_cell(item) for item in value)
    return guard_cell(str(value))


def header_text(header: str, report: Report, translate: Translate) -> str:
    """A column header translated; the date column's names the report's time zone."""
    if "%(zone)s" in header:
        return translate(header, zone=zone_place(report.time_zone, translate))
    return translate(header)


def in_zone(value: object, zone: str | None) -> object:
    """An aware moment in ``zone`` (the diagnostic's); any other value as it is."""
    if zone and isinstance(value, datetime) and value.tzinfo is not None:
        return local(value, zone)
    return value


def contribution_cells(row: ContributionRow, zone: str | None = None) -> list[str]:
    """The cells of one contribution, in :data:`COLUMNS` order, moments in ``zone``."""
    return [format_cell(in_zone(getattr(row, attribute), zone)) for attribute, _ in COLUMNS]


def render_contributions_csv(report: Report, translate: Translate | None = None) -> bytes:
    """All published contributions as CSV bytes: UTF-8 with BOM, ``;``-delimited.

    One header row (French column names, passed through ``translate``), then one row per
    contribution in the report's order.
    """
    _ = translator(translate)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([guard_cell(header_text(header, report, _)) for _attribute, header in COLUMNS])
    for row in report.contributions:
        writer.writerow(contribution_cells(row, report.time_zone))
    return buffer.getvalue().encode("utf-8-sig")
