"""A facilitator runs the workshop from the console; phones and the board follow live."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from diagnostic.live import participation
from diagnostic.models import Workshop
from tests.conftest import new_client_id
from tests.e2e.test_workshop_flow import join_from_phone, open_board, seed_open_workshop

pytestmark = pytest.mark.e2e


def seed_items(server, workshop_id: int) -> list[int]:
    """Three published initiatives from one participant; returns their ids."""
    with server.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        author = participation.join_workshop(db.session, workshop, display_name="Alex")
        db.session.commit()
        ids = []
        for name in ("Régie de quartier Nord", "Épicerie solidaire", "Épicerie solidaire bis"):
            item, _ = participation.submit_contribution(db.session, author, {
                "kind": "initiative", "client_id": new_client_id(), "name": name,
                "description": f"{name} : description."})
            db.session.commit()
            ids.append(item.id)
        return ids


def test_console_changes_phase_hides_and_merges(browser, live_server, screenshot):
    workshop_id, code = seed_open_workshop(live_server)
    hidden_id, target_id, source_id = seed_items(live_server, workshop_id)
    console_context, console = open_board(browser, live_server, workshop_id)
    console.goto(f"{live_server.url}/facilitate/{workshop_id}")
    items = console.locator("#console-initiative .console-item")
    expect(items).to_have_count(3, timeout=10_000)
    board_context = console_context  # the board in another tab of the same login
    board = board_context.new_page()
    board.goto(f"{live_server.url}/board/{workshop_id}")
    phone_context, phone = join_from_phone(browser, live_server, code)
    expect(phone.locator("#feed .contribution")).to_have_count(3, timeout=10_000)
    screenshot(console, "console-start")

    console.click("#content [data-phase=needs]")
    expect(phone.locator("#phase-prompt")).to_contain_text("De quoi les structures",
                                                           timeout=10_000)
    expect(phone.locator("[data-show-kind=need]")).to_have_attribute("aria-pressed", "true")
    expect(board.locator("#phase-prompt")).to_contain_text("De quoi les structures")
    expect(console.locator("[data-phase=needs]")).to_have_attribute("aria-pressed", "true")

    console.click("#timer-plus5")
    expect(phone.locator("#phase-countdown")).to_be_visible(timeout=10_000)
    expect(board.locator("#phase-countdown")).to_contain_text(":")

    hide = f'#console-initiative .console-item[data-id="{hidden_id}"] .action-hide'
    console.locator(hide).click()
    expect(phone.locator(f'#feed .contribution[data-id="{hidden_id}"]')).to_have_count(
        0, timeout=10_000)
    expect(board.locator("#column-initiative .contribution")).to_have_count(2)
    expect(board.locator("#count-initiative")).to_have_text("2")
    hidden_item = console.locator(f'.console-item[data-id="{hidden_id}"]')
    expect(hidden_item).to_have_attribute("data-status", "hidden")

    source = console.locator(f'#console-initiative .console-item[data-id="{source_id}"]')
    source.locator(".action-merge").click()
    source.locator("select[name=target_id]").select_option(str(target_id))
    screenshot(console, "console-merge-pick")
    source.locator("button[type=submit]").click()
    expect(board.locator("#column-initiative .contribution")).to_have_count(1, timeout=10_000)
    expect(phone.locator("#feed .contribution")).to_have_count(1)
    expect(phone.locator("#feed")).to_contain_text("Épicerie solidaire")
    expect(console.locator(f'.console-item[data-id="{source_id}"]')).to_contain_text(
        f"n° {target_id}")
    expect(console.locator("#console-message")).not_to_have_class("error")
    screenshot(console, "console-after-moderation")
    screenshot(phone, "participant-phase-needs")
    screenshot(board, "board-phase-needs")

    expect(console.locator(f'.console-item[data-id="{source_id}"] .action-merge')).to_have_count(0)
    console.locator(f'.console-item[data-id="{source_id}"] .action-unmerge').click()
    expect(board.locator("#column-initiative .contribution")).to_have_count(2, timeout=10_000)
    phone_context.close()
    console_context.close()


def test_english_pages_show_english_phase_texts_after_a_change_made_in_french(
        browser, live_server, screenshot):
    # The room event carries the French texts of the facilitator's console: each page
    # shows the labels of its own language.
    workshop_id, code = seed_open_workshop(live_server)
    console_context, console = open_board(browser, live_server, workshop_id)
    console.goto(f"{live_server.url}/facilitate/{workshop_id}")
    board_context, board = open_board(browser, live_server, workshop_id)
    board.goto(f"{live_server.url}/board/{workshop_id}?lang=en")
    other_context, other_console = open_board(browser, live_server, workshop_id)
    other_console.goto(f"{live_server.url}/facilitate/{workshop_id}?lang=en")
    phone_context, phone = join_from_phone(browser, live_server, code)
    phone.click("button[name=lang][value=en]")
    for page, text in ((console, "Connecté·e au serveur"), (board, "Live"),
                       (other_console, "Connected to the server"), (phone, "Live")):
        expect(page.locator("#live-status")).to_contain_text(text, timeout=10_000)

    console.click("#content [data-phase=needs]")
    expect(console.locator("#console-phase-prompt")).to_contain_text("De quoi les structures",
                                                                     timeout=10_000)
    for page in (board, phone):
        expect(page.locator("#phase-label")).to_have_text("Needs", timeout=10_000)
        expect(page.locator("#phase-prompt")).to_have_text(
            "What do SSE organisations need in order to grow?")
    expect(other_console.locator("#console-phase-prompt")).to_have_text(
        "What do SSE organisations need in order to grow?")
    expect(phone.locator("[data-show-kind=need]")).to_have_attribute("aria-pressed", "true")
    screenshot(board, "board-english-phase-needs")
    for context in (console_context, board_context, other_context, phone_context):
        context.close()
