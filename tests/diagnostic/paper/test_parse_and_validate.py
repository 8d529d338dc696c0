"""Reading a paper-form spreadsheet and checking its rows with the live validator."""

from __future__ import annotations

import io

import pytest

from diagnostic.models import ContributionKind, Vocabulary
from diagnostic.paper.parse import MAX_BYTES, MAX_ROWS, FileRefused, read_upload
from diagnostic.paper.validate import check_rows

from .conftest import csv_bytes, xlsx_bytes


def messages(rows):
    """(line, header, message % params) of every error."""
    return [(row.line, e.header, e.message % e.params if e.params else e.message)
            for row in rows for e in row.errors]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_a_csv_with_either_separator_and_a_bom_is_read(delimiter, good_rows, make_workshop):
    workshop = make_workshop()
    rows = check_rows(workshop, read_upload("fiches.csv", csv_bytes(good_rows, delimiter)))
    assert messages(rows) == []
    assert [row.kind for row in rows] == list(ContributionKind)
    assert [row.line for row in rows] == [2, 3, 4]
    initiative, need, recommendation = (row.cleaned for row in rows)
    family = workshop.diagnostic.terms_of(Vocabulary.ESS_FAMILY)[1]
    assert (initiative["name"], initiative["ess_family_id"], initiative["jobs_fte"],
            initiative["stage"].value) == ("Coopérative Ozon", family.id, 4.5, "established")
    assert need["need_category_id"] == workshop.diagnostic.terms_of(
        Vocabulary.NEED_CATEGORY)[1].id  # "LOCAUX" matched "Locaux"
    assert recommendation["stake_id"] == workshop.diagnostic.stakes[0].id


def test_a_windows_1252_csv_is_read(good_rows, make_workshop):
    data = csv_bytes(good_rows, bom=False, encoding="cp1252")
    rows = check_rows(make_workshop(), read_upload("fiches.csv", data))
    assert rows[0].cells["Nom de la structure ou du projet"] == "Coopérative Ozon"


def test_an_xlsx_is_read_with_numbers_as_numbers(good_rows, make_workshop):
    good_rows[0]["Emplois (ETP)"] = 3
    rows = check_rows(make_workshop(), read_upload("fiches.xlsx", xlsx_bytes(good_rows)))
    assert messages(rows) == [] and rows[0].cleaned["jobs_fte"] == 3.0


def test_each_bad_cell_is_named_by_line_and_column_with_the_live_rules(make_workshop):
    rows = [
        {"Type": "Initiative", "Description": "Sans nom", "Site web": "javascript:alert(1)",
         "Emplois (ETP)": "beaucoup"},
        {"Type": "Besoin", "Description": "x", "Catégorie de besoin": "Téléportation"},
        {"Type": "Préconisation", "Description": "", "Enjeu": "Un enjeu inventé",
         "Commune": "Muret"},
        {"Type": "Affiche", "Description": "?"},
        {"Type": "Initiative", "Nom de la structure ou du projet": "N" * 201,
         "Description": "ok"},
    ]
    checked = check_rows(make_workshop(), read_upload("f.csv", csv_bytes(rows)))
    assert messages(checked) == [
        (2, "Nom de la structure ou du projet", "Ce champ est obligatoire."),
        (2, "Emplois (ETP)", "Indiquez un nombre d'emplois (ETP) entre 0 et 100 000."),
        (2, "Site web", "Adresse web invalide (par exemple : www.exemple.fr ou "
                        "https://exemple.fr)."),
        (3, "Catégorie de besoin", "« Téléportation » ne figure pas dans la liste des choix."),
        (4, "Description", "Ce champ est obligatoire."),
        (4, "Commune", "Cette colonne ne concerne pas ce type de contribution : "
                       "laissez-la vide."),
        (4, "Enjeu", "« Un enjeu inventé » ne figure pas dans la liste des choix."),
        (5, "Type", "Type inconnu : écrivez Initiative, Besoin ou Préconisation."),
        (6, "Nom de la structure ou du projet", "Ce texte est trop long."),
    ]
    assert all(row.cleaned is None for row in checked)


def test_identical_rows_share_a_client_id_and_the_repeat_is_marked(good_rows,
                                                                    make_workshop):
    again = dict(good_rows[1], Description="  Des locaux   partagés à BLAGNAC. ",
                 **{"Catégorie de besoin": "locaux", "Type": "Besoin"})
    checked = check_rows(make_workshop(), read_upload("f.csv", csv_bytes([*good_rows, again])))
    assert checked[3].client_id == checked[1].client_id
    assert checked[3].duplicate_of == 3 and checked[1].duplicate_of is None
    assert checked[1].client_id.startswith("paper-")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("f.csv", b"", "Le fichier est vide."),
    ("f.csv", b"\xef\xbb\xbf\r\n;;\r\n", "Le fichier est vide."),
    ("f.csv", b"Type;Description\r\n", "Le fichier ne contient aucune ligne"),
    ("f.csv", b"Nom;Commune\r\nA;B\r\n", "Colonnes obligatoires absentes : « Type », "
                                                  "« Description »"),
    ("f.xls", b"\xd0\xcf\x11\xe0 old excel", "Type de fichier inconnu"),
    ("f.pdf", b"%PDF-1.7", "Type de fichier inconnu"),
    ("f.xlsx", b"PK\x03\x04 not really a zip", "Fichier illisible"),
    ("f.csv", b"Type;Description\x00\r\n", "Fichier illisible"),
    ("f.csv", b"x" * (MAX_BYTES + 1), "Le fichier dépasse la taille maximale (2 Mo)."),
])
def test_a_file_that_cannot_be_read_is_refused_with_its_reason(name, data, message):
    with pytest.raises(FileRefused) as refused:
        read_upload(name, data)
    assert str(refused.value).startswith(message)


def test_too_many_rows_are_refused():
    rows = [{"Type": "Besoin", "Description": f"n{i}"} for i in range(MAX_ROWS + 1)]
    with pytest.raises(FileRefused, match="plus de 1000 lignes"):
        read_upload("f.csv", csv_bytes(rows))
    read_upload("f.csv", csv_bytes(rows[:MAX_ROWS]))  # the limit itself is accepted


def test_the_contributions_sheet_is_read_wherever_it_was_moved(good_rows):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx_bytes(good_rows)))
    book.active.title = "Contributions"
    book.move_sheet(book.create_sheet("Notes"), offset=-1)
    assert book.sheetnames == ["Notes", "Contributions"]
    out = io.BytesIO()
    book.save(out)
    assert len(read_upload("f.xlsx", out.getvalue()).rows) == 3
