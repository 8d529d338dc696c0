"""Staff import a workshop's paper cards: template downloaded, errors shown, fixed, imported
once; sending the same file again imports nothing."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.axe import AXE_CONTEXT, check_accessibility
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD

pytestmark = pytest.mark.e2e


def fill(template: bytes, rows: list[list]) -> bytes:
    """The downloaded template with ``rows`` typed under its header."""
    book = load_workbook(io.BytesIO(template))
    for row in rows:
        book["Contributions"].append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_paper_import_flow(browser, live_server, screenshot, tmp_path):
    from diagnostic.demo.loader import load_demo

    with live_server.app_context() as db:
        workshop = load_demo(db.session).workshops[0]
        workshop_id, diagnostic_id = workshop.id, workshop.diagnostic_id
        db.session.commit()
    context = browser.new_context(viewport={"width": 1366, "height": 768},
                                  accept_downloads=True, **AXE_CONTEXT)
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()

    page.goto(f"{live_server.url}/staff/workshops/{workshop_id}")
    page.locator("#paper-link").click()
    expect(page.locator("h2#paper-title")).to_be_visible()
    with page.expect_download() as download_info:
        page.locator("#paper-xlsx").click()
    template = (tmp_path / "modele.xlsx")
    download_info.value.save_as(template)
    lists = load_workbook(template)["Listes"]
    family, category, stake = lists["B2"].value, lists["E2"].value, lists["H2"].value
    assert family and category and stake

    rows = [
        ["Initiative", "Recyclerie du Mirail", "Collecte et revente d'objets.", "Famille X",
         None, "Toulouse", "beaucoup"],
        ["Besoin", None, "Un local de stockage mutualisé.", None, None, None, None, None,
         None, None, category],
        ["Préconisation", None, "", None, None, None, None, None, None, None, None, None,
         None, stake],
    ]
    bad = tmp_path / "fiches.xlsx"
    bad.write_bytes(fill(template.read_bytes(), rows))
    page.set_input_files("input[type=file]", str(bad))
    page.locator("#paper-upload").click()
    errors = page.locator("#paper-error-list")
    expect(errors).to_contain_text("Ligne 2, colonne « Famille de l'ESS » : « Famille X » "
                                   "ne figure pas dans la liste des choix.")
    expect(errors).to_contain_text("Ligne 2, colonne « Emplois (ETP) »")
    expect(errors).to_contain_text("Ligne 4, colonne « Description » : Ce champ est "
                                    "obligatoire.")
    expect(page.locator("#paper-import")).to_have_count(0)
    check_accessibility(page, "paper import preview with errors")
    screenshot(page, "staff-paper-preview-errors")

    rows[0][3], rows[0][6] = family, 2.5
    rows[2][2] = "Créer un fonds local d'amorçage."
    good = tmp_path / "fiches-corrigees.xlsx"
    good.write_bytes(fill(template.read_bytes(), rows))
    page.locator("a", has_text="Envoyer un autre fichier").click()
    page.set_input_files("input[type=file]", str(good))
    page.locator("#paper-upload").click()
    expect(page.locator("#paper-import")).to_have_text("Importer 3 contributions")
    check_accessibility(page, "paper import preview, clean")
    screenshot(page, "staff-paper-preview-clean")
    page.locator("#paper-import").click()
    expect(page.locator(".flashes")).to_contain_text("3 contributions importées")
    screenshot(page, "staff-paper-imported")

    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/contributions"
              f"?workshop={workshop_id}")
    expect(page.get_by_text("Recyclerie du Mirail")).to_have_count(1)
    expect(page.get_by_text("Un local de stockage mutualisé.")).to_have_count(1)

    page.goto(f"{live_server.url}/staff/workshops/{workshop_id}/paper")
    page.set_input_files("input[type=file]", str(good))
    page.locator("#paper-upload").click()
    expect(page.locator("#preview-title")).to_be_visible()
    assert re.search(r"3 lignes déjà importées, ignorées", page.inner_text("#content"))
    expect(page.locator("#paper-import")).to_have_count(0)
    context.close()
