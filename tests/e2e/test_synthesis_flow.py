"""Staff turn the demo's duplicates into one synthesis in a real browser, then read the report.

On the Grand Toulouse demo (the same structures cited in several workshops): review the
suggestions, merge one pair, reject another, edit the merged item (title, priority) and
find it in the report with its mentions; the pages are also looked at on a phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import AXE_CONTEXT, check_accessibility
from tests.e2e.conftest import ARTIFACTS, STAFF_EMAIL, STAFF_PASSWORD

pytestmark = pytest.mark.e2e

MERGED = ("Recyclerie de la Garonne", "La Recyclerie Garonne")
REJECTED = ("Mobiliser France Active", "Abonder un fonds d'amorçage")
NEW_TITLE = "Recyclerie de la Garonne (Toulouse)"


def test_review_merge_edit_and_report(browser, live_server, screenshot):
    from diagnostic.demo.loader import load_demo

    with live_server.app_context() as db:
        diagnostic_id = load_demo(db.session).id
        db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **AXE_CONTEXT)
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("#content form [type=submit]").first.click()

    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}")
    page.locator("nav.tabs").get_by_role("link", name="Synthèse").click()
    expect(page.locator("#content h2").first).to_have_text("Synthèse")
    page.get_by_role("link", name="Doublons suggérés").click()

    # Initiatives: the same recyclerie cited in two workshops, merged.
    cards = page.locator("li.suggestion")
    pair = cards.filter(has_text=MERGED[0]).filter(has_text=MERGED[1])
    expect(pair).to_have_count(1)
    expect(pair.locator(".score")).to_have_text(re.compile(r"^\d+ %$"))
    expect(pair.locator(".reasons")).to_contain_text("Même commune : Toulouse")
    screenshot(page, "staff-synthesis-suggestions")
    before = cards.count()
    pair.get_by_role("button", name="Regrouper").click()
    expect(page.locator(".flash-success")).to_contain_text("Contributions regroupées")
    expect(cards.filter(has_text=MERGED[0]).filter(has_text=MERGED[1])).to_have_count(0)
    assert cards.count() < before

    # Recommendations: two funds that are not the same proposal, rejected.
    page.locator("nav.kind-tabs").get_by_role("link", name=re.compile("Préconisations")).click()
    pair = cards.filter(has_text=REJECTED[0]).filter(has_text=REJECTED[1])
    expect(pair).to_have_count(1)
    pair.get_by_role("button", name="Pas un doublon").click()
    expect(page.locator(".flash-success")).to_contain_text("ne seront plus proposées")
    expect(cards.filter(has_text=REJECTED[0]).filter(has_text=REJECTED[1])).to_have_count(0)
    assert "kind=recommendation" in page.url

    # The editor: the merged initiative, its two sources, then a new title and priority.
    page.get_by_role("link", name="Éditer la synthèse").click()
    page.locator("nav.kind-tabs").get_by_role("link", name=re.compile("Initiatives")).click()
    item = page.locator("li.synthesis-item").filter(has=page.locator(".badge.group")).filter(
        has_text=MERGED[0])
    expect(item).to_have_count(1)
    expect(item.locator(".figures")).to_contain_text("2 mentions")
    item.locator("details.sources summary").click()
    expect(item.locator("details.sources li")).to_have_count(2)
    expect(item.get_by_role("button", name=re.compile("^Détacher"))).to_have_count(2)
    item.locator("details.item-edit summary").click()
    item.get_by_label("Titre de synthèse").fill(NEW_TITLE)
    item.get_by_label("Priorité").check()
    screenshot(page, "staff-synthesis-editing")
    item.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flash-success")).to_contain_text("Synthèse enregistrée")
    item = page.locator("li.synthesis-item").filter(has_text=NEW_TITLE)
    expect(item.locator("h3")).to_have_text(NEW_TITLE)
    expect(item.locator(".badge.priority")).to_be_visible()
    # The log: one sentence per action, the edit's wording before/after behind "Détails".
    log = page.locator("#synthesis-audit")
    lines = log.locator("ul.audit-log > li")
    expect(lines).to_have_count(3)
    expect(lines.nth(0).locator(".audit-sentence")).to_have_text(
        re.compile(r"^Élément « .+ » modifié par Chargée d'étude \(titre, priorité\)$"))
    expect(lines.nth(0).locator("time")).to_have_text(re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d$"))
    lines.nth(0).get_by_text("Détails").click()
    expect(lines.nth(0).locator(".audit-details")).to_contain_text(f"→ « {NEW_TITLE} »")
    expect(lines.nth(1)).to_contain_text(
        "Suggestion de doublon écartée par Chargée d'étude : « ")
    expect(lines.nth(1)).to_contain_text(REJECTED[0])
    expect(lines.nth(2).locator(".audit-sentence")).to_have_text(re.compile(
        r"^Initiatives « .+ » et « .+ » regroupées par Chargée d'étude$"))
    expect(lines.nth(2).locator("details")).to_have_count(0)
    expect(log.locator("table")).to_have_count(0)
    check_accessibility(page, "the synthesis editor with its log, details open")
    log.screenshot(path=str(ARTIFACTS / "staff-synthesis-audit.png"))
    screenshot(page, "staff-synthesis")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "staff-synthesis-phone")
    log.screenshot(path=str(ARTIFACTS / "staff-synthesis-audit-phone.png"))
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/synthesis/suggestions")
    screenshot(page, "staff-synthesis-suggestions-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}/synthesis?kind=need")
    expect(page.locator("li.synthesis-item .convergence").first).to_contain_text("Soulevé dans")
    screenshot(page, "staff-synthesis-needs")

    # The report: the merged initiative under its new title, with its two mentions.
    page.goto(f"{live_server.url}/staff/diagnostics/{diagnostic_id}")
    page.locator("nav.tabs").get_by_role("link", name="Rapport").click()
    report = page.locator("#content .report-root")
    entry = report.locator("li.report-item").filter(
        has=page.locator(".report-item-title", has_text=NEW_TITLE)).first
    expect(entry).to_be_visible()
    expect(entry.locator(".report-reach")).to_contain_text("2 mentions")
    expect(entry.locator(".report-sources li")).to_have_count(2)
    expect(report.locator("#report-priorities")).to_contain_text(NEW_TITLE)
    context.close()
