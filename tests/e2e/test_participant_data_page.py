"""Staff find a participant, read their data and erase it, on a phone-sized screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from diagnostic.models import Workshop
from tests.e2e.axe import AXE_CONTEXT, check_accessibility
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD
from tests.e2e.test_workshop_flow import PHONE, join_from_phone, seed_open_workshop

pytestmark = pytest.mark.e2e


def fits(page) -> bool:
    """No horizontal scrolling of the page itself."""
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_find_read_and_erase_a_participant_on_a_phone(browser, live_server, screenshot):
    workshop_id, code = seed_open_workshop(live_server)
    phone_context, _phone = join_from_phone(browser, live_server, code, name="Zélie Brandouin")
    context = browser.new_context(**PHONE, **AXE_CONTEXT)
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()
    with live_server.app_context() as db:
        diagnostic_id = db.session.get(Workshop, workshop_id).diagnostic_id
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}")
    page.locator("#personal-data-link").click()
    page.fill("input[name=q]", "regie de QUARTIER")  # accents and case ignored
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("tbody")).to_contain_text("Régie de quartier")
    check_accessibility(page, "participants search")
    assert fits(page)
    screenshot(page, "staff-participants-search-phone")
    page.get_by_role("link", name="Zélie Brandouin").click()
    expect(page.get_by_role("link", name="Télécharger ses données (JSON)")).to_be_visible()
    check_accessibility(page, "participant data")
    assert fits(page)
    screenshot(page, "staff-participant-data-phone")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger ses données (JSON)").click()
    assert download.value.suggested_filename.endswith(".json")
    page.get_by_role("link", name="Effacer ses données").click()
    expect(page.get_by_role("heading", name="Ce qui sera conservé")).to_be_visible()
    check_accessibility(page, "erasure confirmation")
    assert fits(page)
    screenshot(page, "staff-participant-erase-phone")
    page.get_by_role("button", name="Effacer définitivement").click()
    expect(page.locator(".flash-success")).to_contain_text("ont été effacées")
    expect(page.locator("h2")).to_contain_text("Participant·e anonymisé·e")
    assert "Zélie" not in page.locator("#content").inner_text()
    check_accessibility(page, "erased participant")
    screenshot(page, "staff-participant-erased-phone")
    context.close()
    phone_context.close()
