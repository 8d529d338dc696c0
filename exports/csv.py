"""CSV export of every published contribution, one row each, for spreadsheets.

The file is what French Excel opens correctly by double-click: UTF-8 *with* a BOM (else
Excel assumes a legacy code page), ``;`` as delimiter (the French list separator, as
``,`` is the decimal mark) and decimal commas. Every cell is guarded against formula
injection and stripped of control characters.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from diagnostic.errors import N_
from diagnostic.reporting.report import ContributionRow, Report

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
    ("created_at", N_("Date (UTC)")),
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
    """A report value as spreadsheet text: decimal comma, UTC dates, joined lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return format(value, ".15g").replace(".", ",")
    if isinstance(value, datetime):
        moment = value if value.tzinfo is None else value.astimezone(UTC)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, list):
        return ", ".join(format_cell(item) for item in value)
    return guard_cell(str(value))


def contribution_cells(row: ContributionRow) -> list[str]:
    """The cells of one contribution, in :data:`COLUMNS` order."""
    return [format_cell(getattr(row, attribute)) for attribute, _ in COLUMNS]


def render_contributions_csv(report: Report, translate: Translate | None = None) -> bytes:
    """All published contributions as CSV bytes: UTF-8 with BOM, ``;``-delimited.

    One header row (French column names, passed through ``translate``), then one row per
    contribution in the report's order.
    """
    _ = translator(translate)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([guard_cell(_(header)) for _attribute, header in COLUMNS])
    for row in report.contributions:
        writer.writerow(contribution_cells(row))
    return buffer.getvalue().encode("utf-8-sig")
