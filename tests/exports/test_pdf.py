"""PDF export: real PDFs opened with pypdf, a fetcher that only serves data: URIs."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from exports.pdf import (
    DataOnlyFetcher,
    FetchRefused,
    html_to_pdf,
    render_minutes_pdf,
    render_report_pdf,
)
from tests.exports.document_samples import ODD, demo_documents, merged_report
from tests.exports.test_minutes_html import build_minutes


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, pages joined, whitespace normalised."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_demo_report_pdf_has_its_sections_items_and_accents(db):
    report, _minutes = demo_documents(db.session)
    data = render_report_pdf(report)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 5
    box = reader.pages[0].mediabox  # A4 in points
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = pdf_text(data)
    for expected in ("Grand Toulouse", "Contexte et enjeux", "Méthode",
                     "État des lieux des initiatives", "Préconisations par enjeu",
                     report.initiatives[0].name, "Préconisations"):
        assert expected in text, expected
    assert f" 2 / {len(reader.pages)}" in text  # page numbers in the footer (not the cover)


def test_minutes_pdf(db):
    text = pdf_text(render_minutes_pdf(build_minutes()))
    for expected in ("Atelier Texte", "Compte-rendu d'atelier", "Nom Texte", "Préconisation Texte",
                     "Animatrice Texte"):
        assert expected in text, expected


def test_merged_items_show_their_provenance():
    text = pdf_text(render_report_pdf(merged_report()))
    assert "Titre fusionné Texte" in text or "Nom Texte" in text
    assert "Atelier Texte" in text


def test_fetcher_serves_data_uris_and_refuses_everything_else(tmp_path):
    fetcher = DataOnlyFetcher()
    response = fetcher.fetch("data:text/plain;base64,QUJD")
    assert response.read() == b"ABC"
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    for url in (secret.as_uri(), "file:///etc/passwd", "http://127.0.0.1:9/x.png",
                "https://example.org/x.css", "ftp://example.org/x", "FILE:///etc/passwd",
                "/etc/passwd", "x.css"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_a_document_cannot_pull_local_files_or_network_resources(tmp_path, monkeypatch):
    leak = tmp_path / "leak.css"
    leak.write_text('body::after { content: "LEAKEDCSS"; }')
    seen: list[str] = []
    original = DataOnlyFetcher.fetch

    def spy(self, url, headers=None):
        seen.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(DataOnlyFetcher, "fetch", spy)
    html = f"""<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="{leak.as_uri()}">
      <style>@import url("{leak.as_uri()}");
        p {{ background: url(http://127.0.0.1:9/b.png); }}</style>
      </head><body><p>Visible</p>
      <img src="file:///etc/passwd" alt="passwd"><img src="http://127.0.0.1:9/i.png">
      <object data="file:///etc/hostname"></object>
      <img src="data:image/svg+xml;utf8,&lt;svg xmlns='http://www.w3.org/2000/svg'
        width='4' height='4'/&gt;">
      </body></html>"""
    text = pdf_text(html_to_pdf(html.encode("utf-8")))
    assert "Visible" in text and "LEAKEDCSS" not in text and "root:" not in text
    assert any(url.startswith("file:") for url in seen)  # asked for, and refused
    assert any(url.startswith("data:") for url in seen)


def test_user_text_with_references_is_printed_as_text_never_fetched():
    payload = '<img src="file:///etc/passwd"><link rel=stylesheet href="http://127.0.0.1:9/x">'
    text = pdf_text(render_report_pdf(merged_report(payload)))
    assert 'img src="file:///etc/passwd"' in text
    assert "root:" not in text


def test_odd_text_never_crashes():
    # One document holding every short odd string (WeasyPrint is slow: one render, not ten).
    odd = " | ".join(ODD[:-1])
    for data in (render_report_pdf(merged_report(odd)), render_minutes_pdf(build_minutes(odd))):
        # pypdf decodes runs set in fallback fonts (Arabic, Hebrew, emoji) as two-byte codes
        # with NULs in between: drop those to find the Latin text.
        assert "combining" in pdf_text(data).replace("\x00", "")


def test_a_very_long_description_flows_over_pages():
    report = merged_report()
    report.initiatives[0].description = "Description " + "longue " * 800
    text = pdf_text(render_report_pdf(report))
    assert text.count("longue") >= 800
