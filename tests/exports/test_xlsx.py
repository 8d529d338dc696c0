"""XLSX export: workbooks read back with openpyxl (sheets, headers, values, no formulas)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest

from exports.xlsx import render_report_xlsx
from tests.exports.document_samples import ODD, demo_documents, merged_report

SHEETS = ["Initiatives", "Besoins", "Préconisations", "Sources des regroupements", "Ateliers",
          "Contributions"]
INJECTIONS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", " =HYPERLINK(\"x\")",
              "\x00=1+2"]


def open_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_demo_workbook_sheets_headers_and_values(db):
    report, _minutes = demo_documents(db.session)
    workbook = open_xlsx(render_report_xlsx(report))
    assert workbook.sheetnames == SHEETS
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= 8
    initiatives = rows(workbook["Initiatives"])
    assert len(initiatives) == len(report.initiatives)
    first = initiatives[0]
    assert first["Nom de la structure ou du projet"] == report.initiatives[0].name
    for column in ("Mentions", "Ateliers", "Structures distinctes", "Soutiens",
                   "Gommettes", "Priorité", "Famille de l'ESS", "Commune"):
        assert column in first
    assert isinstance(first["Mentions"], int)
    needs = rows(workbook["Besoins"])
    assert [n["Rang"] for n in needs] == list(range(1, len(report.needs) + 1))
    recommendations = rows(workbook["Préconisations"])
    assert {r["Enjeu"] for r in recommendations} & {s.title for s in report.context.stakes}
    workshops = rows(workbook["Ateliers"])
    assert len(workshops) == report.method.workshop_count
    assert isinstance(workshops[0]["Date"], datetime | date)
    assert sum(w["Total"] for w in workshops) == report.method.contribution_count
    contributions = rows(workbook["Contributions"])
    assert len(contributions) == len(report.contributions)
    assert isinstance(contributions[0]["Date (heure de Paris)"], datetime)


def test_merged_sources_sheet():
    workbook = open_xlsx(render_report_xlsx(merged_report()))
    sources = rows(workbook["Sources des regroupements"])
    assert [(s["Identifiant de l'élément"], s["Contribution"], s["Atelier"]) for s in sources] == [
        (1, 1, "Atelier Texte"), (1, 11, "Atelier Sud")]
    initiative = rows(workbook["Initiatives"])[0]
    assert initiative["Mentions"] == 3 and initiative["Structures distinctes"] == 2
    assert initiative["Contributions regroupées"] == "1, 11"
    assert initiative["Priorité"] is True
    assert initiative["Ateliers"] == "Atelier Texte, 2"  # unknown workshop: its id
    need = rows(workbook["Besoins"])[0]
    assert need["Convergence"].startswith("Soulevé dans 2 ateliers")


@pytest.mark.parametrize("payload", INJECTIONS)
def test_formula_looking_text_stays_text(payload):
    workbook = open_xlsx(render_report_xlsx(merged_report(payload)))
    for sheet in workbook:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    cell = workbook["Besoins"]["D2"]  # the description: "Besoin " + payload
    assert cell.value.startswith("Besoin ")
    name = workbook["Contributions"]["F2"]  # "Nom " + payload
    assert name.data_type == "s"
    title = workbook["Initiatives"]["B2"]
    assert title.data_type == "s"


def test_a_cell_starting_with_a_formula_trigger_gets_the_quote_prefix(make_report):
    report = make_report()
    report.contributions[0].description = "=1+1"
    report.initiatives[0].commune = "-1"
    workbook = open_xlsx(render_report_xlsx(report))
    description = workbook["Contributions"]["E2"]
    assert description.value == "=1+1" and description.data_type == "s"
    assert description.quotePrefix
    commune = rows(workbook["Initiatives"])[0]["Commune"]
    assert commune == "-1"


@pytest.mark.parametrize("odd", ODD, ids=range(len(ODD)))
def test_odd_text_never_crashes(odd):
    workbook = open_xlsx(render_report_xlsx(merged_report(odd)))
    for sheet in workbook:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert "\x00" not in value and "\x1b" not in value


def test_sheet_names_are_valid_whatever_the_translation():
    def translate(message, **params):
        if message in ("Besoins", "Ateliers"):
            return "Feuille: [a/b]*? " + "x" * 40  # forbidden characters, too long, twice
        return message % params if params else message

    workbook = open_xlsx(render_report_xlsx(merged_report(), translate))
    names = workbook.sheetnames
    assert len(names) == len(set(names)) == 6
    assert names[1].startswith("Feuille") and names[4].endswith("(2)")
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)


def test_document_properties_name_the_authority_and_the_generation_time(make_report):
    from diagnostic.reporting.report import Identity

    report = make_report()
    report.context.identity = Identity(authority="Toulouse Métropole", status="validated",
                                       validated_on=date(2012, 3, 1))
    props = open_xlsx(render_report_xlsx(report, lang="fr")).properties
    assert props.creator == props.lastModifiedBy == "Toulouse Métropole"
    assert props.title == report.context.title
    assert props.language == "fr-FR"
    assert props.contentStatus == "Version validée"
    generated = report.generated_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    assert props.created == props.modified == generated

    report.context.identity = Identity()  # no authority yet: the territory signs
    props = open_xlsx(render_report_xlsx(report, lang="en")).properties
    assert props.creator == report.context.territory
    assert props.contentStatus == "Document de travail" and props.language == "en-GB"
