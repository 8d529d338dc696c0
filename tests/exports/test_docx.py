"""DOCX export: documents read back with python-docx (styles, tables, TOC field, text)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import docx
import pytest
from pypdf import PdfReader

from exports.docx import render_minutes_docx, render_report_docx
from tests.exports.document_samples import ODD, demo_documents, merged_report
from tests.exports.test_minutes_html import build_minutes


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_demo_report_has_headings_tables_toc_and_properties(db):
    report, _minutes = demo_documents(db.session)
    data = render_report_docx(report)
    document = open_docx(data)
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith(("Heading", "Title"))]
    names = [name for name, _text in headings]
    assert names[0] == "Title" and {"Heading 1", "Heading 2", "Heading 3"} <= set(names)
    titles = [text for _name, text in headings]
    order = ["Contexte et enjeux", "Méthode et participation", "État des lieux des initiatives",
             "Besoins classés par convergence", "Préconisations par enjeu",
             "Structures participantes", "Annexe : répertoire des initiatives"]
    assert [titles.index(t) for t in order] == sorted(titles.index(t) for t in order)
    assert "Annexe : comptes-rendus des ateliers" in titles or any(
        t.startswith("Annexe : toutes les contributions") for t in titles)
    tables = document.tables
    assert tables and all(t.style.name == "Report Table" for t in tables)
    assert [c.text for c in tables[0].rows[0].cells][:2] == ["Atelier", "Date et lieu"]
    header_row = tables[0].rows[0]._tr
    assert header_row.trPr is not None and header_row.trPr.find(docx.oxml.ns.qn(
        "w:tblHeader")) is not None
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert 'TOC \\o "1-2" \\h \\z \\u' in xml and 'w:fldCharType="begin"' in xml
    settings = zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml").decode("utf-8")
    assert "updateFields" in settings
    package = zipfile.ZipFile(io.BytesIO(data))
    footers = [package.read(n).decode("utf-8") for n in package.namelist()
               if n.startswith("word/footer")]
    assert any('w:instr="PAGE"' in footer for footer in footers)
    props = document.core_properties
    assert props.title == report.context.title and props.language == "fr-FR"
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    text = all_text(document)
    assert report.initiatives[0].name in text and "Préconisations" in text


def test_merged_items_show_mentions_sources_and_priorities():
    document = open_docx(render_report_docx(merged_report()))
    text = all_text(document)
    for expected in ("Titre fusionné Texte", "Mentions : 3", "Structures distinctes : 2",
                     "Soutiens : 4", "Contributions regroupées (2) :", "Source sud Texte",
                     "Atelier Sud", "Soulevé dans 2 ateliers sur 2 par 3 structures Texte",
                     "Besoins auxquels elle répond :", "Initiative — Titre fusionné Texte"):
        assert expected in text, expected
    styles = {p.style.name for p in document.paragraphs}
    assert {"Report Facts", "Report Item", "List Bullet", "List Bullet 2"} <= styles


def test_minutes_docx():
    document = open_docx(render_minutes_docx(build_minutes()))
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Atelier Texte"
    text = all_text(document)
    for expected in ("En bref", "Participation", "Contributions les plus soutenues",
                     "Initiatives (1)", "Contributions fusionnées dans celle-ci (1) :",
                     "Ancien nom Texte", "Soutiens (+1) : 3 · Gommettes : 2", "4,5",
                     "Animatrice Texte", "Nommée Texte", "2 masquée(s)"):
        assert expected in text, expected
    assert document.tables[0].rows[0].cells[0].text == "Date"


def test_translation_is_applied():
    translations = {"Contexte et enjeux": "Context and stakes",
                    "Méthode et participation": "Method"}
    document = open_docx(render_report_docx(
        merged_report(), lambda message, **params: translations.get(message, message) % params
        if params else translations.get(message, message), lang="en"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Context and stakes" in headings and "Method" in headings
    assert document.core_properties.language == "en-GB"


@pytest.mark.parametrize("odd", ODD, ids=range(len(ODD)))
def test_odd_text_never_crashes(odd):
    text = all_text(open_docx(render_report_docx(merged_report(odd))))
    assert "\x00" not in text and "\x1b" not in text
    open_docx(render_minutes_docx(build_minutes(odd)))


def test_text_keeps_line_breaks_and_tabs():
    report = merged_report("ligne 1\nligne 2\tcolonne")
    text = all_text(open_docx(render_report_docx(report)))
    assert "ligne 1\nligne 2\tcolonne" in text


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_libreoffice_converts_to_pdf(tmp_path, kind):
    from exports.odt import render_report_odt

    render = render_report_docx if kind == "docx" else render_report_odt
    source = tmp_path / f"rapport.{kind}"
    source.write_bytes(render(merged_report()))
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(source)], check=True, capture_output=True, timeout=180,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    reader = PdfReader(tmp_path / "rapport.pdf")
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    assert "Diagnostic Texte" in text and "Contexte et enjeux" in text
