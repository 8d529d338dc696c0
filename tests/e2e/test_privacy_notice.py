"""The privacy notice on a phone: its summary and link come before the name field, the full
notice and "Mes données" read well at 390x844, all axe-clean; an anonymous workshop asks
no name and shows the pseudonym."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import AXE_CONTEXT, check_accessibility
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD
from tests.e2e.test_workshop_flow import PHONE, seed_open_workshop

pytestmark = pytest.mark.e2e


def test_join_page_shows_the_notice_before_the_name_on_a_phone(browser, live_server):
    _workshop_id, code = seed_open_workshop(live_server)
    context = browser.new_context(**PHONE, **AXE_CONTEXT)
    page = context.new_page()
    page.goto(f"{live_server.url}/j/{code}")
    summary = page.locator(".privacy-summary")
    link = summary.get_by_role("link", name="Lire la notice d'information complète")
    name = page.get_by_label("Votre nom ou pseudonyme")
    expect(summary).to_be_visible()
    expect(link).to_be_visible()
    expect(summary).to_contain_text("Combien de temps")
    assert summary.bounding_box()["y"] < name.bounding_box()["y"]
    assert link.bounding_box()["y"] < name.bounding_box()["y"]
    # The e-mail field comes with the restitution checkbox only.
    email = page.get_by_label("Adresse électronique pour la restitution")
    expect(email).to_be_hidden()
    page.get_by_label("J'accepte d'être recontacté·e pour la restitution du diagnostic").check()
    expect(email).to_be_visible()
    check_accessibility(page, "join page with its privacy summary")
    page.screenshot(path="/tmp/privacy-join-phone.png", full_page=True)

    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Notice d'information")
    expect(page.locator("body")).to_contain_text("CNIL")
    check_accessibility(page, "full privacy notice")
    page.screenshot(path="/tmp/privacy-notice-phone.png", full_page=True)

    page.go_back()
    name.fill("Dominique")
    email.fill("dominique@exemple.fr")
    page.locator("#content form [type=submit]").first.click()
    page.wait_for_url("**/contribute")
    page.get_by_role("link", name="Mes données").click()
    expect(page.locator("body")).to_contain_text("version 1")
    page.get_by_label("J'accepte que mon nom apparaisse dans le rapport").check()
    page.get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.locator(".flash")).to_contain_text("Vos choix ont été enregistrés.")
    expect(page.locator(".consent-list")).to_contain_text("Votre nom apparaît dans le rapport")
    check_accessibility(page, "Mes données")
    page.screenshot(path="/tmp/privacy-my-data-phone.png", full_page=True)
    context.close()


def test_anonymous_workshop_on_a_phone(browser, live_server):
    workshop_id, code = seed_open_workshop(live_server)
    with live_server.app_context() as db:
        from diagnostic.models import Workshop

        db.session.get(Workshop, workshop_id).anonymous = True  # nobody joined yet
        db.session.commit()
    context = browser.new_context(**PHONE, **AXE_CONTEXT)
    page = context.new_page()
    page.goto(f"{live_server.url}/j/{code}")
    expect(page.locator("body")).to_contain_text("Cet atelier est anonyme")
    expect(page.locator("input[name=display_name]")).to_have_count(0)
    check_accessibility(page, "anonymous join page")
    page.locator("#content form [type=submit]").first.click()
    page.wait_for_url("**/contribute")
    expect(page.locator(".pseudonym")).to_contain_text("Vous participez sous le pseudonyme")
    page.screenshot(path="/tmp/privacy-anonymous-phone.png", full_page=True)
    context.close()


def test_staff_fill_the_notice_on_the_settings_page(browser, live_server):
    workshop_id, code = seed_open_workshop(live_server)
    with live_server.app_context() as db:
        from diagnostic.models import Workshop

        diagnostic_id = db.session.get(Workshop, workshop_id).diagnostic_id
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **AXE_CONTEXT)
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()
    page.wait_for_url("**/staff/**")
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/settings#privacy")
    expect(page.locator("#dpo-warning")).to_be_visible()
    page.get_by_label("Contact du délégué ou de la déléguée à la protection des données").fill(
        "dpo@toulouse-metropole.fr")
    page.get_by_label("Durée de conservation (mois après la validation du rapport)").fill("18")
    page.get_by_role("button", name="Enregistrer la notice").click()
    expect(page.locator(".flash").first).to_contain_text("version 1")
    expect(page.locator("#dpo-warning")).to_have_count(0)
    expect(page.locator("#privacy table")).to_contain_text("Chargée d'étude")
    check_accessibility(page, "settings page with the privacy notice")
    page.locator("#privacy").screenshot(path="/tmp/privacy-settings.png")
    context.close()
