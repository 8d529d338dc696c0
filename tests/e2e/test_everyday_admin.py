"""Everyday administration in a browser: the phone's character counter (390×844) and the
confirmation page that archives or deletes a workshop."""

from __future__ import annotations

from datetime import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from diagnostic.frame import archiving, planning
from diagnostic.live import lifecycle, participation
from diagnostic.models import Contribution, Sector, Workshop
from tests.conftest import new_client_id
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD
from tests.e2e.test_workshop_flow import PHONE, join_from_phone

pytestmark = pytest.mark.e2e


def seed(server, status: str = "open"):
    """A diagnostic with one workshop (14:00–17:00); returns (workshop id, join code)."""
    with server.app_context() as db:
        diagnostic = planning.create_diagnostic(db.session, title="Diagnostic ESS",
                                                territory="Grand Toulouse", stakes=["Enjeu"])
        diagnostic.sectors.append(Sector(name="Toulouse nord", position=0))
        db.session.commit()
        workshop = planning.create_workshop(
            db.session, diagnostic, kind="territorial", title="Atelier Toulouse nord",
            sector_id=diagnostic.sectors[0].id, place="Maison de quartier",
            start_time=time(14), end_time=time(17))
        if status == "open":
            lifecycle.open_workshop(db.session, workshop, None)
        db.session.commit()
        return workshop.id, workshop.join_code


def test_the_phone_counts_characters_and_keeps_an_over_long_text(
        live_server, browser, screenshot):
    workshop_id, code = seed(live_server)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/j/{code}")
    expect(page.locator(".workshop-when")).to_contain_text("14:00\u201317:00")
    context.close()

    context, page = join_from_phone(browser, live_server, code)
    description = page.locator("#initiative-description")
    counter = page.locator("#initiative-description-counter")
    expect(counter).to_have_text("0 / 2\u202f000 caractères")
    assert "initiative-description-counter" in description.get_attribute("aria-describedby")
    assert description.get_attribute("maxlength") is None  # nothing is cut

    page.fill("#initiative-name", "Épicerie solidaire")
    long_text = "Une épicerie solidaire du quartier. " * 65  # 2,340 characters
    description.fill(long_text)
    assert description.input_value() == long_text  # the whole paste is kept
    expect(counter).to_contain_text("2\u202f340 / 2\u202f000 caractères — 340 de trop")
    expect(counter).to_have_class("char-counter over")
    expect(page.locator("#initiative-description-counter-live")).to_contain_text("340 de trop")
    screenshot(page, "phone-counter-over-limit")

    page.locator("#form-initiative [type=submit]").click()
    expect(description).to_be_focused()  # refused on the phone, text still in the field
    assert description.input_value() == long_text
    with live_server.app_context() as db:
        assert db.session.scalar(select(func.count(Contribution.id))) == 0

    description.fill(long_text[:1900])
    expect(counter).to_have_class("char-counter near")
    expect(page.locator("#initiative-description-counter-live")).to_have_text(
        "Plus que 100 caractères")
    page.locator("#form-initiative [type=submit]").click()
    expect(counter).to_have_text("0 / 2\u202f000 caractères")  # sent: the form is cleared
    with live_server.app_context() as db:
        assert db.session.scalar(select(func.count(Contribution.id))) == 1
    context.close()


def staff_page(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()
    return context, page


def test_archive_then_delete_through_the_confirmation_page(live_server, browser, screenshot):
    workshop_id, _code = seed(live_server, status="draft")
    context, page = staff_page(browser, live_server)
    page.goto(f"{live_server.url}/staff/workshops/{workshop_id}")
    expect(page.locator("#content")).to_contain_text("14:00\u201317:00")
    page.get_by_role("link", name="Archiver ou supprimer…").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(
        "Archiver ou supprimer l'atelier « Atelier Toulouse nord »")
    screenshot(page, "staff-workshop-removal")

    page.get_by_role("button", name="Archiver").click()
    expect(page.locator(".flash-success")).to_contain_text("archivé")
    expect(page.locator(".archived-notice")).to_be_visible()
    page.goto(f"{live_server.url}/staff/diagnostics/1")
    expect(page.get_by_role("link", name="Atelier Toulouse nord")).to_have_count(0)
    page.get_by_role("link", name="Archivés (1)").click()
    page.get_by_role("link", name="Atelier Toulouse nord").click()

    page.get_by_role("link", name="Restaurer…").click()
    label = page.get_by_label("Pour confirmer, recopiez le titre : Atelier Toulouse nord")
    label.fill("Atelier")
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page.locator("#removal-error")).to_contain_text("Recopiez le titre")
    expect(label).to_have_attribute("aria-invalid", "true")
    screenshot(page, "staff-workshop-removal-refused")
    with live_server.app_context() as db:
        assert db.session.scalar(select(func.count(Workshop.id))) == 1

    page.get_by_label("Pour confirmer, recopiez le titre : Atelier Toulouse nord").fill(
        "atelier toulouse nord")
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page.locator(".flash-success")).to_contain_text("supprimé")
    with live_server.app_context() as db:
        assert db.session.scalar(select(func.count(Workshop.id))) == 0
    context.close()


def seed_item(server, workshop_id: int) -> int:
    """One published initiative in the workshop; returns its id."""
    with server.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        author = participation.join_workshop(db.session, workshop, display_name="Autrice")
        item, _ = participation.submit_contribution(db.session, author, {
            "kind": "initiative", "client_id": new_client_id(), "name": "Épicerie solidaire",
            "description": "Une épicerie du quartier."})
        db.session.commit()
        return item.id


def test_the_console_s_reformulation_counts_characters(live_server, browser, screenshot):
    workshop_id, _code = seed(live_server)
    item_id = seed_item(live_server, workshop_id)
    context, page = staff_page(browser, live_server)
    page.goto(f"{live_server.url}/facilitate/{workshop_id}")
    item = page.locator(f'.console-item[data-id="{item_id}"]')
    item.locator(".action-edit").click()
    description = page.locator(f"#edit-description-{item_id}")
    counter = page.locator(f"#edit-description-{item_id}-counter")
    expect(counter).to_have_text("25 / 2\u202f000 caractères")
    assert description.get_attribute("maxlength") is None  # nothing is cut
    assert description.get_attribute("aria-describedby") == f"edit-description-{item_id}-counter"
    expect(page.locator(f"#edit-name-{item_id}-counter")).to_have_text("18 / 200 caractères")
    long_text = "Une épicerie solidaire du quartier. " * 60  # 2,160 characters
    description.fill(long_text)
    expect(counter).to_contain_text("2\u202f160 / 2\u202f000 caractères — 160 de trop")
    expect(counter).to_have_class("char-counter over")
    screenshot(page, "console-reformulate-counter-over")
    item.locator(".console-inline [type=submit]").click()
    expect(description).to_be_focused()  # refused in the page, text kept, nothing sent
    assert description.input_value() == long_text
    with live_server.app_context() as db:
        assert db.session.get(Contribution, item_id).description == "Une épicerie du quartier."
    description.fill("Une épicerie solidaire, ouverte à toutes et tous.")
    item.locator(".console-inline [type=submit]").click()
    expect(item).to_contain_text("ouverte à toutes et tous", timeout=10_000)
    context.close()


def test_an_archived_diagnostic_is_read_only_until_restored(live_server, browser, screenshot):
    workshop_id, _code = seed(live_server)
    seed_item(live_server, workshop_id)
    with live_server.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        lifecycle.close_workshop(db.session, workshop, None)
        archiving.archive_diagnostic(db.session, workshop.diagnostic)
        db.session.commit()
        diagnostic_id = workshop.diagnostic_id
    context, page = staff_page(browser, live_server)
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/settings")
    expect(page.locator(".archived-notice")).to_contain_text("en lecture seule")
    expect(page.get_by_role("button", name="Ajouter")).to_have_count(0)
    expect(page.get_by_role("button", name="Supprimer « Enjeu »")).to_have_count(0)
    expect(page.locator("#stakes")).to_contain_text("Enjeu")
    screenshot(page, "staff-settings-archived")

    page.goto(f"{live_server.url}/facilitate/{workshop_id}")
    expect(page.locator(".archived-notice")).to_be_visible()
    expect(page.locator(".console-item").first).to_be_visible(timeout=10_000)
    expect(page.locator(".console-item button")).to_have_count(0)  # nothing to moderate
    expect(page.locator("#lifecycle-reopen")).to_be_hidden()
    expect(page.locator('#moderation-mode input[value="pre"]')).to_be_disabled()
    expect(page.locator("#scribe-title")).to_have_count(0)
    screenshot(page, "console-archived")

    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/remove")
    page.get_by_role("button", name="Restaurer").click()
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/settings")
    expect(page.locator(".archived-notice")).to_have_count(0)
    page.locator("#new-stakes-title").fill("Nouvel enjeu")
    page.get_by_role("button", name="Ajouter").first.click()
    expect(page.locator("#stakes")).to_contain_text("Nouvel enjeu")
    context.close()
