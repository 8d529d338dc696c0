"""CSV export: French Excel format, one row per contribution, formula-injection guard."""

import csv
import io

import pytest

from exports.csv import COLUMNS, guard_cell, render_contributions_csv


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM expected for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_one_row_per_contribution_with_french_headers(make_report):
    report = make_report()
    rows = parse(render_contributions_csv(report))
    assert rows[0][:4] == ["Identifiant", "Identifiant de l'atelier", "Atelier", "Type"]
    assert len(rows[0]) == len(COLUMNS)
    assert len(rows) == 1 + len(report.contributions)
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Nom de la structure ou du projet"] == "Nom Texte"
    assert first["Emplois (ETP)"] == "4,5"
    assert first["Date (heure de Paris)"] == "2011-04-12 16:30:00"  # UTC+2 in April
    assert dict(zip(rows[0], rows[3], strict=True))["Besoins auxquels elle répond"] == "2"


def test_headers_can_be_translated(make_report):
    rows = parse(render_contributions_csv(make_report(), lambda m, **p: "EN " + m))
    assert rows[0][0] == "EN Identifiant"


@pytest.mark.parametrize("payload", [
    '=HYPERLINK("http://evil.example","clic")', "+1+2", "-2+3", "@SUM(A1:A2)",
    "\t=1+1", "\r=1+1", "\x00=1+1", "  =1+1",
])
def test_formulas_are_neutralised(make_report, row, payload):
    report = make_report(extra_rows=(row(id=9, kind="need", kind_label="Besoin",
                                         workshop_title="A", description=payload,
                                         organisation=payload),))
    rows = parse(render_contributions_csv(report))
    cells = dict(zip(rows[0], rows[-1], strict=True))
    for cell in (cells["Description"], cells["Organisation"]):
        assert cell.startswith("'"), cell
        assert "\x00" not in cell


def test_hyperlink_becomes_text():
    assert guard_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert guard_cell("Régie de quartier") == "Régie de quartier"
    assert guard_cell("a - b = c") == "a - b = c"


def test_control_characters_are_removed_and_lines_kept(make_report, row):
    text = "ligne 1\r\nligne 2\x00\x01\x07\x1b[31m\x7f fin"
    report = make_report(extra_rows=(row(id=9, kind="need", kind_label="Besoin",
                                         workshop_title="A", description=text),))
    cells = dict(zip(*parse(render_contributions_csv(report))[::4], strict=True))
    assert cells["Description"] == "ligne 1\nligne 2[31m fin"
