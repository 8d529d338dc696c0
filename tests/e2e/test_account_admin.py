"""Staff invite a facilitator from the Comptes page, then deactivate them (real server)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
PASSWORD = "une phrase de passe solide"


def log_in_as_staff(browser, server):
    context = browser.new_context(**DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = context.new_page()
    page.goto(server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()
    page.wait_for_url("**/staff/")
    return context, page


def test_staff_invite_a_facilitator_then_deactivate_them(browser, live_server, screenshot):
    staff_context, staff = log_in_as_staff(browser, live_server)
    staff.get_by_role("link", name="Comptes").click()
    staff.get_by_role("link", name="Nouveau compte").click()
    staff.get_by_label("Nom").fill("Claire Martin")
    staff.get_by_label("Adresse e-mail").fill("Claire.Martin@example.org")
    expect(staff.get_by_label("Animateur·rice", exact=False)).to_be_checked()
    screenshot(staff, "staff-account-new")
    staff.get_by_role("button", name="Créer le compte et obtenir le lien").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        "Lien d'invitation pour Claire Martin")
    staff.get_by_role("button", name="Copier le lien").click()
    expect(staff.locator("#copy-status")).to_have_text("Lien copié.")
    link = staff.evaluate("navigator.clipboard.readText()")
    assert link == staff.get_by_label("Lien à transmettre").input_value()
    assert re.fullmatch(re.escape(live_server.url) + r"/auth/link/[\w-]{43}", link)
    screenshot(staff, "staff-account-invitation-link")

    # The facilitator opens the link on their phone: another browser, no account yet.
    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Choisir votre mot de passe")
    expect(phone.locator("#account-email")).to_have_value("claire.martin@example.org")
    screenshot(phone, "account-invitation-page")
    phone.get_by_label("Nouveau mot de passe").fill(PASSWORD)
    phone.get_by_label("Confirmer le mot de passe").fill(PASSWORD)
    phone.get_by_role("button", name="Enregistrer et me connecter").click()
    phone.wait_for_url("**/staff/facilitation")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ateliers à animer")
    expect(phone.locator(".flash-success")).to_contain_text("Bienvenue, Claire Martin")
    # The link was single use.
    spent = phone_context.new_page()
    spent.goto(link)
    expect(spent.get_by_role("heading", level=1)).to_have_text("Lien non valable")
    spent.close()

    # Staff see her active, with a last login, and deactivate her (after a confirmation).
    staff.get_by_role("link", name="Retour aux comptes").click()
    row = staff.locator("tr", has_text="claire.martin@example.org")
    expect(row).to_contain_text("Actif")
    expect(row).not_to_contain_text("Jamais")
    screenshot(staff, "staff-accounts")
    staff.set_viewport_size(PHONE["viewport"])
    screenshot(staff, "staff-accounts-phone")
    staff.set_viewport_size(DESKTOP["viewport"])
    staff.get_by_role("link", name="Désactiver Claire Martin").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        "Désactiver le compte de Claire Martin ?")
    screenshot(staff, "staff-account-deactivate-confirm")
    staff.get_by_role("button", name="Désactiver le compte de Claire Martin").click()
    expect(staff.locator(".flash-success")).to_contain_text("est désactivé")
    expect(staff.locator("tr", has_text="claire.martin@example.org")).to_contain_text(
        "Désactivé")
    expect(staff.get_by_role("button", name="Réactiver Claire Martin")).to_be_visible()
    screenshot(staff, "staff-accounts-deactivated")

    # Her very next request is logged out; her password no longer opens a session.
    phone.reload()
    phone.wait_for_url("**/auth/login**")
    expect(phone.locator(".flashes")).to_contain_text("Connectez-vous")
    phone.get_by_label("Adresse e-mail").fill("claire.martin@example.org")
    phone.get_by_label("Mot de passe").fill(PASSWORD)
    phone.locator("#content form [type=submit]").click()
    expect(phone.locator(".flash-error")).to_have_text(
        "Ce compte est désactivé. Contactez l'équipe qui administre l'outil.")

    # Every user reaches "Mon compte" from the navigation.
    staff.get_by_role("link", name="Mon compte").click()
    expect(staff.get_by_role("heading", name="Changer mon mot de passe")).to_be_visible()
    screenshot(staff, "account-own-password")
    phone_context.close()
    staff_context.close()
