"""Staff open the minutes of a closed workshop in a real browser and download them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD
from tests.minutes_data import XSS, seed_minutes

pytestmark = pytest.mark.e2e


def test_minutes_of_a_closed_workshop(browser, live_server, screenshot):
    with live_server.app_context() as db:
        seeded = seed_minutes(db.session)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()

    page.goto(f"{live_server.url}/staff/workshops/{seeded.workshop_id}")
    page.locator("#content").get_by_role("link", name="Compte-rendu de l'atelier").click()
    minutes = page.locator("#content .minutes-root")
    expect(minutes.locator("h1")).to_have_text("Atelier Nord")
    expect(minutes).to_contain_text("12 avril 2011")
    expect(minutes).to_contain_text("Saisie par l'animation pour Mme Durand")
    expect(minutes).to_contain_text("Contributions fusionnées dans celle-ci (1)")
    expect(minutes).not_to_contain_text("Propos injurieux masqué")
    # The injected markup is shown as text, never run.
    expect(minutes.get_by_text(f"Jardin {XSS}").first).to_be_visible()
    assert page.locator("#content .minutes-root script").count() == 0
    # The ranking's first row is the recommendation with 5 dots.
    first = minutes.locator("table.minutes-top tbody tr").first
    expect(first).to_contain_text("Créer un fonds d'amorçage")
    screenshot(page, "staff-minutes")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "staff-minutes-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as download_info:
        page.locator("#content").get_by_role("link", name="Télécharger (HTML)").click()
    download = download_info.value
    assert download.suggested_filename == "diagnostic-ess-compte-rendu-atelier-nord.html"
    body = download.path().read_text(encoding="utf-8")
    assert body.startswith("<!DOCTYPE html>") and "Atelier Nord" in body
    context.close()
