"""The facilitator opens, closes (through the confirmation dialog) and reopens the workshop
from the console; phones and the board follow, never showing a phase once it is closed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from diagnostic.frame import planning
from diagnostic.models import AuditEntry, Sector, Workshop, WorkshopStatus
from tests.e2e.test_workshop_flow import join_from_phone, open_board

pytestmark = pytest.mark.e2e

CONSOLE = {"width": 1366, "height": 768}


def seed_draft_workshop(server) -> int:
    """A workshop still in preparation; returns its id."""
    with server.app_context() as db:
        diagnostic = planning.create_diagnostic(
            db.session, title="Diagnostic ESS", territory="Grand Toulouse",
            stakes=["Favoriser le développement de cette économie"])
        diagnostic.sectors.append(Sector(name="Toulouse nord", position=0))
        db.session.commit()
        workshop = planning.create_workshop(
            db.session, diagnostic, kind="territorial", title="Atelier Toulouse nord",
            sector_id=diagnostic.sectors[0].id)
        db.session.commit()
        return workshop.id


def test_open_close_through_the_dialog_and_reopen(browser, live_server, screenshot):
    workshop_id = seed_draft_workshop(live_server)
    staff_context, board = open_board(browser, live_server, workshop_id)
    board.set_viewport_size(CONSOLE)
    console = staff_context.new_page()
    console.set_viewport_size(CONSOLE)
    console.goto(f"{live_server.url}/facilitate/{workshop_id}")
    phases = console.locator(".phase-buttons button")

    # In preparation: said so, phases locked, the board says it has not started.
    expect(console.locator("#workshop-status")).to_have_text("En préparation")
    expect(console.locator("#live-status")).to_have_text("Connecté·e au serveur",
                                                         timeout=10_000)
    expect(console.locator("#lifecycle-close")).to_be_hidden()
    for index in range(phases.count()):
        expect(phases.nth(index)).to_be_disabled()
    expect(console.locator("[data-phase=closed]")).to_have_count(0)
    expect(board.locator("#phase-label")).to_have_text("En préparation")
    expect(board.locator("#phase-prompt")).to_contain_text("n'a pas encore commencé")
    screenshot(console, "lifecycle-console-draft")

    console.click("#lifecycle-open")
    expect(console.locator("#workshop-status")).to_have_text("Ouvert", timeout=10_000)
    expect(console.locator("#console-message")).to_contain_text("L'atelier est ouvert")
    expect(console.locator("#lifecycle-close")).to_be_focused()
    expect(board.locator("#board-status")).to_have_text("Ouvert", timeout=10_000)
    expect(board.locator("#phase-label")).to_have_text("Accueil")
    with live_server.app_context() as db:
        code = db.session.get(Workshop, workshop_id).join_code
    phone_context, phone = join_from_phone(browser, live_server, code)
    expect(phone.locator("#closed-notice")).to_be_hidden()

    console.click("#content [data-phase=initiatives]")
    expect(phone.locator("#phase-label")).to_have_text("Initiatives", timeout=10_000)
    expect(console.locator("[data-phase=initiatives]")).to_have_attribute("aria-pressed", "true")
    screenshot(console, "lifecycle-console-open")

    # Closing asks first; Escape cancels and changes nothing.
    console.click("#lifecycle-close")
    dialog = console.locator("#close-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("ne pourront plus contribuer, soutenir ni voter")
    expect(dialog).to_contain_text("rouvrir")
    expect(console.locator("#close-cancel")).to_be_focused()
    screenshot(console, "lifecycle-console-close-dialog")
    console.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(console.locator("#lifecycle-close")).to_be_focused()
    expect(console.locator("#workshop-status")).to_have_text("Ouvert")

    console.click("#lifecycle-close")
    console.click("#close-confirm")
    expect(console.locator("#workshop-status")).to_have_text("Clos", timeout=10_000)
    expect(console.locator("#lifecycle-reopen")).to_be_visible()
    expect(console.locator("#lifecycle-reopen")).to_be_focused()
    for index in range(phases.count()):
        expect(phases.nth(index)).to_be_disabled()
        expect(phases.nth(index)).to_have_attribute("aria-pressed", "false")
    expect(console.locator("#timer-plus5")).to_be_disabled()
    screenshot(console, "lifecycle-console-closed")

    # Phones and the board: closed, and no phase in progress.
    expect(phone.locator("#closed-notice")).to_be_visible(timeout=10_000)
    for page in (phone, board):
        expect(page.locator("#phase-label")).to_have_text("Atelier clos", timeout=10_000)
        expect(page.locator("#phase-caption")).to_have_text("État de l'atelier :")
        expect(page.locator("#phase-panel")).not_to_contain_text("Initiatives")
        expect(page.locator("#phase-countdown")).to_be_hidden()
    expect(board.locator("#board-status")).to_have_text("Clos")
    expect(board.locator("#join-code")).to_be_hidden()  # nobody can join a closed workshop
    expect(board.locator(".join-qr")).to_be_hidden()
    # Still connected, but a closed workshop is not "En direct" any more.
    expect(board.locator("#live-status")).to_have_attribute("data-state", "connected")
    expect(board.locator("#live-status")).to_be_hidden()
    screenshot(phone, "lifecycle-phone-closed")
    screenshot(board, "lifecycle-board-closed")
    phone.reload()  # the page as served agrees with the live one
    expect(phone.locator("#phase-label")).to_have_text("Atelier clos")
    expect(phone.locator("#phase-caption")).to_have_text("État de l'atelier :")

    console.click("#lifecycle-reopen")
    expect(console.locator("#workshop-status")).to_have_text("Ouvert", timeout=10_000)
    expect(console.locator("[data-phase=initiatives]")).to_have_attribute("aria-pressed", "true")
    expect(phone.locator("#phase-label")).to_have_text("Initiatives", timeout=10_000)
    expect(phone.locator("#closed-notice")).to_be_hidden()
    expect(board.locator("#join-code")).to_be_visible()
    expect(board.locator(".join-qr")).to_be_visible()
    expect(board.locator("#live-status")).to_have_text("En direct")
    with live_server.app_context() as db:
        assert db.session.get(Workshop, workshop_id).status == WorkshopStatus.OPEN
        assert [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)] == [
            "open_workshop", "set_phase", "close_workshop", "reopen_workshop"]
    phone_context.close()
    staff_context.close()
