"""The blank spreadsheet templates of a workshop's paper form: XLSX and CSV.

One sheet "Contributions" with the ``Type`` column and every field column (French
headers, :mod:`.columns`), a drop-down list on each taxonomy and choice column (the
lists live on a hidden sheet, so labels may hold commas), and an "Instructions" sheet.
The CSV has the same header line, ``;``-separated, UTF-8 with a BOM so Excel opens it
with its accents; an upload may use ``;`` or ``,``.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from ..models import Workshop
from .columns import COLUMNS, HEADERS, TYPE_HEADER, kind_labels, options

Translate = Callable[..., str]
LIST_SHEET = "Listes"
DATA_SHEET = "Contributions"


def instructions(workshop: Workshop, _: Translate) -> list[str]:
    """The lines of the instructions sheet (in the interface language)."""
    kinds = ", ".join(_(label) for label in kind_labels().values())
    return [
        _("Saisie papier : %(title)s", title=workshop.title),
        "",
        _("Une ligne par fiche papier, dans la feuille « Contributions ». Ne modifiez pas "
          "les titres des colonnes."),
        _("Colonne « Type » : %(kinds)s.", kinds=kinds),
        _("Initiative : « Nom de la structure ou du projet » et « Description » sont "
          "obligatoires."),
        _("Besoin : « Description » et « Catégorie de besoin » sont obligatoires."),
        _("Préconisation : « Description » et « Enjeu » sont obligatoires."),
        _("Laissez vides les colonnes qui ne concernent pas le type de la ligne."),
        _("Les listes (famille, secteur, catégorie, enjeu…) n'acceptent que les choix "
          "proposés : choisissez-les dans la liste déroulante."),
        _("Emplois (ETP) : un nombre, par exemple 2,5."),
        _("Envoyez ensuite le fichier (XLSX ou CSV) depuis la page de l'atelier : un aperçu "
          "signale chaque erreur avant l'import. Un fichier déjà importé n'est jamais "
          "importé deux fois."),
    ]


def xlsx_template(workshop: Workshop, _: Translate) -> bytes:
    """The XLSX template of ``workshop``'s paper form."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"
    value_lists = [(TYPE_HEADER, list(kind_labels().values()))]
    value_lists += [(column.header, [text for _value, text in
                                     options(workshop.diagnostic, column)])
                    for column in COLUMNS if column.reader != "text"]
    for index, (header, values) in enumerate(value_lists, start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=header)
        for row, text in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=text)
        target = get_column_letter(HEADERS.index(header) + 1)
        if not values:
            continue
        validation = DataValidation(
            type="list", allow_blank=True, showErrorMessage=True,
            formula1=f"{quote_sheetname(LIST_SHEET)}!${letter}$2:${letter}${len(values) + 1}",
            errorTitle=_("Choix invalide"), error=_("Choisissez une valeur de la liste."))
        sheet.add_data_validation(validation)
        validation.add(f"{target}2:{target}1001")
    for index, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            60 if header == "Description" else 24)
    notes = workbook.create_sheet("Instructions")
    for line in instructions(workshop, _):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    notes["A1"].font = Font(bold=True, size=13)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_template() -> bytes:
    """The CSV template: the header line, ``;``-separated, UTF-8 with a BOM."""
    return ("\ufeff" + ";".join(HEADERS) + "\r\n").encode("utf-8")


__all__ = ["csv_template", "instructions", "xlsx_template"]
