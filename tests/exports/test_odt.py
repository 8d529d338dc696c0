"""ODT export: documents read back with odfdo (headings, tables, styles, TOC, text)."""

from __future__ import annotations

import io
import zipfile

import pytest
from odfdo import Document

from exports.odt import render_report_odt
from tests.exports.document_samples import ODD, demo_documents, merged_report


def open_odt(data: bytes) -> Document:
    return Document(io.BytesIO(data))


def body_text(document: Document) -> str:
    """The text of every heading and paragraph (also in tables), line breaks kept."""
    return "\n".join(str(element) for element in document.body.get_elements(
        "descendant::text:h | descendant::text:p"))


def test_demo_report_has_headings_tables_toc_and_metadata(db):
    report, _minutes = demo_documents(db.session)
    data = render_report_odt(report)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        first = package.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    document = open_odt(data)
    body = document.body
    headers = body.headers
    levels = {h.get_attribute_integer("text:outline-level") for h in headers}
    assert {1, 2, 3} <= levels
    titles = [str(h).strip() for h in headers]
    order = ["Contexte et enjeux", "Méthode et participation", "État des lieux des initiatives",
             "Besoins classés par convergence", "Préconisations par enjeu",
             "Structures participantes", "Annexe : répertoire des initiatives"]
    assert [titles.index(t) for t in order] == sorted(titles.index(t) for t in order)
    tables = body.tables
    assert len(tables) > 5
    method = tables[0]
    assert method.get_row(0).get_values()[:2] == ["Atelier", "Date et lieu"]
    assert method.get_element("table:table-header-rows") is not None
    assert method.get_attribute("table:style-name") == "Report_Table"
    # Every column has a width; every cell a bordered style.
    column_styles = {c.style for c in method.get_columns()}
    for name in column_styles:
        style = document.get_style("table-column", name)
        assert style is not None and "cm" in style.get_properties()["style:column-width"]
    cell_style = document.get_style("table-cell", "Report_Cell_Box")
    assert "solid" in cell_style.get_properties()["fo:border"]
    toc = body.get_toc()
    assert toc is not None and "Contexte et enjeux" in str(toc)
    assert document.meta.title == report.context.title
    assert document.meta.language == "fr-FR"
    text = body_text(document)
    assert report.initiatives[0].name in text and "Préconisations" in text
    master = document.get_style("master-page", "Standard")
    assert "text:page-number" in master.serialize()


def test_merged_items_show_mentions_sources_and_minutes_annex():
    text = body_text(open_odt(render_report_odt(merged_report())))
    for expected in ("Titre fusionné Texte", "Mentions : 3", "Structures distinctes : 2",
                     "Contributions regroupées (2) :", "Source sud Texte", "Atelier Sud",
                     "Soulevé dans 2 ateliers sur 2 par 3 structures Texte",
                     "Annexe : comptes-rendus des ateliers",
                     "Contributions fusionnées dans celle-ci (1) :", "Ancien nom Texte"):
        assert expected in text, expected


def test_spaces_line_breaks_and_markup_like_text_survive():
    document = open_odt(render_report_odt(merged_report("a  b\nc <b>&amp;</b>")))
    text = body_text(document)
    assert "a  b\nc <b>&amp;</b>" in text


@pytest.mark.parametrize("odd", ODD, ids=range(len(ODD)))
def test_odd_text_never_crashes(odd):
    text = body_text(open_odt(render_report_odt(merged_report(odd))))
    assert "\x00" not in text and "\x1b" not in text
