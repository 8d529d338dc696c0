"""Open data end to end: staff publish the demo's directory of initiatives; an anonymous
phone opens the public page, filters by commune, searches, and downloads the JSON and CSV,
which validate against their schemas; staff download a workshop's participant list; then
staff withdraw the directory and the page is gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.axe import AXE_CONTEXT, check_accessibility
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD
from tests.opendata_checks import table_errors, validate_json

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_staff_publish_and_anyone_reads_the_directory(browser, live_server, screenshot):
    from diagnostic.demo.loader import load_demo

    with live_server.app_context() as db:
        diagnostic_id = load_demo(db.session).id
        db.session.commit()
    public_url = f"{live_server.url}/donnees-ouvertes/{diagnostic_id}"

    staff_context = browser.new_context(viewport={"width": 1366, "height": 768},
                                        accept_downloads=True, **AXE_CONTEXT)
    staff = staff_context.new_page()
    staff.goto(live_server.url + "/auth/login")
    staff.fill("input[name=email]", STAFF_EMAIL)
    staff.fill("input[name=password]", STAFF_PASSWORD)
    staff.locator("#content form [type=submit]").first.click()
    staff.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}")
    staff.locator("#open-data-publish").click()
    expect(staff.locator("#open-data-link")).to_be_visible()
    screenshot(staff, "staff-open-data-published")

    phone_context = browser.new_context(viewport=PHONE, accept_downloads=True, **AXE_CONTEXT)
    phone = phone_context.new_page()
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name="Données ouvertes : répertoires des initiatives").click()
    check_accessibility(phone, "open data index")
    screenshot(phone, "phone-open-data-index")
    phone.locator(".open-data-list a").first.click()
    expect(phone).to_have_url(public_url)
    total = phone.locator(".initiative").count()
    assert total > 10
    check_accessibility(phone, "open data directory")

    phone.select_option("#commune", "Blagnac")
    phone.get_by_role("button", name="Rechercher").click()
    blagnac = phone.locator(".initiative")
    assert 0 < blagnac.count() < total
    for index in range(blagnac.count()):
        expect(blagnac.nth(index)).to_contain_text("Blagnac")
    expect(phone.locator("#result-count")).to_contain_text(f"sur {total}")

    phone.get_by_role("link", name="Tout afficher").click()
    phone.fill("#q", "cooperative")  # no accent: matches "coopérative"
    phone.get_by_role("button", name="Rechercher").click()
    found = phone.locator(".initiative")
    assert 0 < found.count() < total
    expect(found.first).to_contain_text("oop")
    check_accessibility(phone, "open data directory, searched")
    screenshot(phone, "phone-open-data-directory")

    with phone.expect_download() as json_download:
        phone.locator("#json-link").click()
    document = validate_json(Path(json_download.value.path()).read_bytes())
    assert document["count"] == total
    with phone.expect_download() as csv_download:
        phone.locator("#csv-link").click()
    body = Path(csv_download.value.path()).read_bytes()
    assert table_errors(body) == [] and len(body.splitlines()) >= total + 1

    # The participant list of a workshop, from its staff page (émargement).
    staff.locator("table a[href*='/staff/workshops/']").first.click()
    check_accessibility(staff, "staff workshop page")
    screenshot(staff, "staff-workshop-attendance-links")
    with staff.expect_download() as pdf_download:
        staff.locator("#attendance-pdf").click()
    assert "emargement" in pdf_download.value.suggested_filename
    pages = PdfReader(pdf_download.value.path()).pages
    assert "Signature" in pages[0].extract_text()

    staff.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}")
    staff.locator("#open-data-unpublish").click()
    expect(staff.locator("#open-data-publish")).to_be_visible()
    assert phone.goto(public_url).status == 404
    staff_context.close()
    phone_context.close()
