"""Staff find what the suggestions missed and teach the matcher, in a real browser.

On the Grand Toulouse demo: from a need in the synthesis editor, open its similar items,
group the nearest one from there; then add a concept to the thesaurus (a wrong line
first, refused with its line number, then a right one) and see it as a reason.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import AXE_CONTEXT, check_accessibility
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD

pytestmark = pytest.mark.e2e

NEED = "Un local de stockage et un atelier de réparation plus grands"


def test_similar_items_and_the_thesaurus(browser, live_server, screenshot):
    from diagnostic.demo.loader import load_demo

    with live_server.app_context() as db:
        diagnostic_id = load_demo(db.session).id
        db.session.commit()
    context = browser.new_context(viewport={"width": 1366, "height": 768}, **AXE_CONTEXT)
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()
    base = f"{live_server.url}/staff/diagnostics/{diagnostic_id}/synthesis"

    # From the editor, a need's similar items: ten at most, each with its reasons.
    page.goto(base + "?kind=need")
    item = page.locator("li.synthesis-item").filter(has_text=NEED)
    item.get_by_role("link", name=re.compile("^Éléments similaires")).click()
    expect(page.locator("#content h2").first).to_have_text("Éléments similaires")
    expect(page.locator(".similar-unit h3")).to_contain_text(NEED)
    rows = page.locator("li.suggestion")
    assert 1 <= rows.count() <= 10
    expect(rows.first.locator(".score")).to_have_text(re.compile(r"^\d+ %$"))
    expect(rows.first.locator(".reasons")).to_contain_text("Mots en commun")
    check_accessibility(page, "similar items")
    screenshot(page, "staff-synthesis-similar")
    nearest = rows.first.locator("h3").inner_text()
    rows.first.get_by_role("button", name=re.compile("^Regrouper")).click()
    expect(page.locator(".flash-success")).to_contain_text("Contributions regroupées")
    expect(page.locator(".similar-unit .group-note")).to_contain_text("Déjà regroupée")
    expect(rows.first.locator(".group-note")).to_contain_text("Déjà dans le même élément")
    assert nearest.split("\n")[-1][:20] in rows.first.inner_text()

    # The thesaurus: a wrong line is refused with its number, nothing saved.
    page.goto(base + "/suggestions")
    page.get_by_role("link", name="Thésaurus").click()
    expect(page.locator("#content p.muted[role=status]")).to_contain_text("Thésaurus par défaut")
    area = page.get_by_label("Thésaurus", exact=True)
    text = area.input_value()
    area.fill(text + "\nrecyclerie\n")
    page.get_by_role("button", name="Enregistrer le thésaurus").click()
    expect(page.locator(".flash-error")).to_contain_text("Le thésaurus n'a pas été enregistré")
    expect(page.locator("#thesaurus-errors")).to_contain_text(
        re.compile(r"Ligne \d+ : donnez au moins deux termes"))
    screenshot(page, "staff-synthesis-thesaurus-error")
    check_accessibility(page, "the thesaurus, refused")
    area = page.get_by_label("Thésaurus", exact=True)
    area.fill(text + "\ngrand local de stockage | entrepôt mutualisé du réemploi\n")
    page.get_by_role("button", name="Enregistrer le thésaurus").click()
    expect(page.locator(".flash-success")).to_contain_text("Thésaurus enregistré")
    expect(page.locator("#content p.muted[role=status]")).to_contain_text("propre à ce diagnostic")
    screenshot(page, "staff-synthesis-thesaurus")
    page.get_by_role("button", name="Rétablir le thésaurus par défaut").click()
    expect(page.locator(".flash-success")).to_contain_text("Thésaurus par défaut rétabli")

    # Keyboard only: the similar items page is reached and acted on with Tab and Enter.
    page.goto(base + "?kind=need")
    link = page.locator("li.synthesis-item").nth(1).get_by_role(
        "link", name=re.compile("^Éléments similaires"))
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#content h2").first).to_have_text("Éléments similaires")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "staff-synthesis-similar-phone")
    context.close()
