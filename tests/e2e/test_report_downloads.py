"""Staff download the demo's report as PDF and DOCX from the browser, through export jobs.

The report page starts a job; the browser lands on the job page, which refreshes itself
until the document is ready, then downloads it. The files are opened and checked.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD

pytestmark = pytest.mark.e2e

TITLE = "Diagnostic territorial collaboratif de l'ESS du Grand Toulouse"


def test_report_pdf_and_docx_downloads(browser, live_server, screenshot, tmp_path):
    from diagnostic.demo.loader import load_demo

    with live_server.app_context() as db:
        diagnostic_id = load_demo(db.session).id
        db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()

    report_url = f"{live_server.url}/staff/diagnostics/{diagnostic_id}/report"
    for fmt in ("pdf", "docx"):
        page.goto(report_url)
        page.locator(f"button[name=fmt][value={fmt}]").click()
        status = page.locator(".export-status")
        expect(status).to_have_attribute("data-status", "done", timeout=120_000)
        if fmt == "pdf":
            screenshot(page, "staff-export-ready")
        with page.expect_download() as download_info:
            page.locator(".export-job a.button.primary").click()
        download = download_info.value
        # Named after the demo's stem (issue 16: meaningful download names).
        assert download.suggested_filename == f"diagnostic-ess-grand-toulouse-2011-rapport.{fmt}"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        body = path.read_bytes()
        if fmt == "pdf":
            text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages[:3])
            assert "Grand Toulouse" in " ".join(text.split())
        else:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                document = archive.read("word/document.xml").decode("utf-8")
            assert TITLE.split(" de l'")[0] in document
    context.close()
