"""A participant withdraws their own contribution from their phone (390×844): confirmed in a
dialog, it disappears at once from their phone, another phone and the projected board;
without JavaScript a confirmation page does the same. Axe-clean throughout."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from diagnostic.models import Contribution
from tests.e2e.axe import AXE_CONTEXT, check_accessibility
from tests.e2e.test_participant_feedback import open_console
from tests.e2e.test_workshop_flow import PHONE, open_board, seed_open_workshop

pytestmark = pytest.mark.e2e

NAME = "Épicerie des Izards"
IDEA = "Une épicerie solidaire dans le quartier des Izards, ouverte le samedi."


def phone_joined(browser, server, code, name, **options):
    """A phone that joined through the direct link (axe may run on its pages)."""
    context = browser.new_context(**PHONE, **AXE_CONTEXT, **options)
    page = context.new_page()
    page.goto(f"{server.url}/j/{code}")
    page.fill("input[name=display_name]", name)
    page.locator("#content form [type=submit]").first.click()
    page.wait_for_url("**/contribute")
    return context, page


def send(phone, name, description):
    form = phone.locator("#form-initiative")
    form.locator("[name=name]").fill(name)
    form.locator("[name=description]").fill(description)
    form.locator("button[type=submit]").click()


def test_a_phone_withdraws_its_contribution_and_every_screen_drops_it(
    browser, live_server, screenshot
):
    workshop_id, code = seed_open_workshop(live_server)
    board_context, board = open_board(browser, live_server, workshop_id)
    author_context, author = phone_joined(browser, live_server, code, "Autrice")
    witness_context, witness = phone_joined(browser, live_server, code, "Témoin")
    expect(author.locator("#live-status")).to_have_text("En direct", timeout=10_000)

    send(author, NAME, IDEA)
    for page in (author, witness, board):
        expect(page.locator(".contribution", has_text=IDEA)).to_have_count(1, timeout=10_000)
    send(witness, "Régie de quartier", "Une régie de quartier qui embauche.")
    expect(author.locator(".contribution", has_text="Une régie")).to_have_count(
        1, timeout=10_000)
    # Only one's own items have the button.
    mine = author.locator("#feed .contribution", has_text=IDEA)
    button = mine.get_by_role("button", name=f"Retirer ma contribution « {NAME} »")
    expect(button).to_be_visible()
    expect(author.locator("#feed .contribution", has_text="Une régie")
           .locator(".withdraw-button")).to_have_count(0)
    expect(witness.locator(".withdraw-button")).to_have_count(1)  # their own only
    console_context, console = open_console(browser, live_server, workshop_id)
    expect(console.locator(".console-item", has_text=IDEA)).to_have_count(1, timeout=10_000)
    item_id = console.locator(".console-item", has_text=IDEA).get_attribute("data-id")
    check_accessibility(author, "phone with its own item")

    # Cancelling (Escape) changes nothing and gives the focus back.
    button.focus()
    author.keyboard.press("Enter")
    dialog = author.get_by_role("dialog", name="Retirer cette contribution ?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"« {NAME} »")
    expect(author.locator("#withdraw-cancel")).to_be_focused()
    check_accessibility(author, "withdraw dialog")
    screenshot(author, "withdraw-phone-confirmation")
    # What the phone's screen shows (the dialog over the page, not the whole page's length).
    author.screenshot(path=str(screenshot(author, "withdraw-phone-confirmation").with_name(
        "withdraw-phone-confirmation-screen.png")))
    author.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    expect(board.locator(".contribution", has_text=IDEA)).to_have_count(1)

    # Confirmed with the keyboard: gone everywhere at once.
    author.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    author.keyboard.press("Tab")
    expect(author.locator("#withdraw-confirm")).to_be_focused()
    author.keyboard.press("Enter")
    status = author.locator("#withdraw-status")
    expect(status).to_have_text(
        "Votre contribution a été retirée : elle n'apparaît plus nulle part.", timeout=10_000)
    expect(status).to_be_focused()
    for page in (author, witness, board, console):
        expect(page.locator("body")).not_to_contain_text(IDEA, timeout=10_000)
        expect(page.locator("body")).not_to_contain_text(NAME)
    expect(console.locator(".console-item", has_text="Une régie")).to_have_count(1)
    # Not even an empty card among the hidden items: the console has nothing to restore.
    expect(console.locator(f'.console-item[data-id="{item_id}"]')).to_have_count(0)
    expect(board.locator(".contribution", has_text="Une régie")).to_have_count(1)
    check_accessibility(author, "phone after withdrawing")
    screenshot(author, "withdraw-phone-done")
    screenshot(board, "withdraw-board-after")

    # A reload (a replay or the whole state) never brings it back.
    author.reload()
    expect(author.locator("#live-status")).to_have_text("En direct", timeout=10_000)
    expect(author.locator("body")).not_to_contain_text(IDEA)
    with live_server.app_context() as db:
        [row] = [c for c in db.session.query(Contribution) if c.withdrawn_at is not None]
        assert row.description == "" and row.name is None
    console.reload()  # nor in the console's hidden items
    expect(console.locator(".console-item", has_text="Une régie")).to_have_count(
        1, timeout=10_000)
    expect(console.locator("body")).not_to_contain_text(IDEA)
    for context in (board_context, author_context, witness_context, console_context):
        context.close()


def test_without_javascript_a_confirmation_page_withdraws_it(browser, live_server, screenshot):
    workshop_id, code = seed_open_workshop(live_server)
    board_context, board = open_board(browser, live_server, workshop_id)
    context, phone = phone_joined(browser, live_server, code, "Sans script",
                                  java_script_enabled=False)
    send(phone, NAME, IDEA)
    expect(phone.locator("#feed")).to_contain_text(IDEA)
    expect(board.locator(".contribution", has_text=IDEA)).to_have_count(1, timeout=10_000)
    phone.get_by_role("link", name=f"Retirer ma contribution « {NAME} »").click()
    expect(phone.get_by_role("heading", name="Retirer cette contribution ?")).to_be_visible()
    expect(phone.locator("main")).to_contain_text(IDEA)
    screenshot(phone, "withdraw-phone-no-js-confirmation")
    phone.get_by_role("button", name="Retirer définitivement").click()
    phone.wait_for_url("**/contribute")
    expect(phone.locator(".flashes")).to_contain_text("Votre contribution a été retirée")
    expect(phone.locator("#feed")).not_to_contain_text(IDEA)
    expect(board.locator("body")).not_to_contain_text(IDEA, timeout=10_000)
    board_context.close()
    context.close()
