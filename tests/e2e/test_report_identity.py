"""Staff set the report's identity in the browser, with the keyboard: authority, logo,
status; a refused logo is said in French, tied to its field; no CSP violation, no
accessibility violation; the logo shows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from diagnostic.frame import planning
from tests.e2e.axe import AXE_CONTEXT, check_accessibility
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD
from tests.e2e.test_content_security_policy import COLLECT

pytestmark = pytest.mark.e2e

LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">'
        b'<rect width="40" height="40" fill="#1f5f8b"/>'
        b'<circle cx="80" cy="20" r="18" fill="#3aa17e"/></svg>')
EVIL = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def test_setting_the_identity_with_the_keyboard(browser, live_server, screenshot, tmp_path):
    with live_server.app_context() as db:
        diagnostic = planning.create_diagnostic(
            db.session, title="Diagnostic ESS Grand Toulouse 2011", territory="Grand Toulouse",
            period="2011", stakes=["Emploi"])
        db.session.commit()
        diagnostic_id = diagnostic.id
    (tmp_path / "logo.svg").write_bytes(LOGO)
    (tmp_path / "logo.png").write_bytes(EVIL)  # an SVG with a script, named .png

    context = browser.new_context(viewport={"width": 1280, "height": 900}, **AXE_CONTEXT)
    context.add_init_script(COLLECT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()
    page.wait_for_url("**/staff/**")
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/settings#publication")

    # The keyboard only: focus the first field, type, tab along.
    page.get_by_label("Collectivité ou organisme qui publie").focus()
    page.keyboard.type("Communauté urbaine du Grand Toulouse")
    page.keyboard.press("Tab")
    page.keyboard.type("Diagnostic territorial de l'ESS")
    page.get_by_label("Logo (PNG ou SVG)").set_input_files(str(tmp_path / "logo.png"))
    page.get_by_label("Version validée").focus()
    page.keyboard.press("Space")
    page.get_by_label("Validé le").fill("2011-06-30")
    page.get_by_label("Début des noms de fichiers").focus()
    page.keyboard.type("diagnostic-ess-grand-toulouse-2011")
    page.keyboard.press("Enter")

    # Refused: the French message tied to the file field; nothing saved.
    error = page.locator("#identity-logo-error")
    expect(error).to_contain_text("Le SVG contient du code ou des éléments interdits")
    expect(page.get_by_label("Logo (PNG ou SVG)")).to_have_attribute(
        "aria-describedby", re.compile(r"\bidentity-logo-error\b"))
    check_accessibility(page, "settings with a refused logo")
    expect(page.locator(".cover-note")).to_contain_text("Aucun logo.")

    # The typed values are kept: choose a good logo and send again.
    expect(page.get_by_label("Collectivité ou organisme qui publie")).to_have_value(
        "Communauté urbaine du Grand Toulouse")
    page.get_by_label("Logo (PNG ou SVG)").set_input_files(str(tmp_path / "logo.svg"))
    page.get_by_role("button", name="Enregistrer la publication").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/settings#publication")
    note = page.locator(".cover-note")
    expect(note).to_contain_text("Communauté urbaine du Grand Toulouse")
    expect(note).to_contain_text("Version validée le 30 juin 2011")
    expect(note).to_contain_text("diagnostic-ess-grand-toulouse-2011-rapport.pdf")
    logo = page.get_by_role("img", name="Logo actuel du rapport")
    expect(logo).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", logo.element_handle()) > 0
    check_accessibility(page, "settings with a logo")
    page.locator("#publication").scroll_into_view_if_needed()
    screenshot(page, "staff-report-identity")
    assert errors == []
    # axe needs its context to bypass the CSP: look at the page again under the policy.
    strict = browser.new_context(viewport={"width": 1280, "height": 900},
                                 storage_state=context.storage_state())
    context.close()
    strict.add_init_script(COLLECT)
    page = strict.new_page()
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/settings")
    logo = page.get_by_role("img", name="Logo actuel du rapport")
    expect(logo).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", logo.element_handle()) > 0
    assert page.evaluate("window.__violations") == []
    strict.close()
