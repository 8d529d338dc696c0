"""Honest feedback on the phone (390×844): under pre-moderation the phone says items are
checked first, shows its own pending item badged, and is told of a refusal and its reason;
messages clear once stale (next action, phase change, close)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from diagnostic.models import ModerationMode, Workshop
from tests.e2e.test_voting_flow import card, seed_vote
from tests.e2e.test_workshop_flow import join_from_phone, open_board, seed_open_workshop

pytestmark = pytest.mark.e2e

IDEA = "Une épicerie solidaire dans le quartier des Izards"
REASON = "Elle existe déjà : voyez la fiche n° 12."
WAIT_FOR_THE_ANSWER = """async (button) => {
  const shown = button.closest(".contribution").querySelector(".my-dots");
  const before = shown.textContent;
  button.click();  // shows the dot asked for at once
  await new Promise((resolve) => new MutationObserver((changes, observer) => {
    if (shown.textContent === before) { observer.disconnect(); resolve(); }
  }).observe(shown, { childList: true, characterData: true, subtree: true }));
}"""


def seed_pre_moderated(server) -> tuple[int, str]:
    workshop_id, code = seed_open_workshop(server)
    with server.app_context() as db:
        db.session.get(Workshop, workshop_id).moderation = ModerationMode.PRE
        db.session.commit()
    return workshop_id, code


def send_initiative(phone, name: str, description: str) -> None:
    form = phone.locator("#form-initiative")
    form.locator("[name=name]").fill(name)
    form.locator("[name=description]").fill(description)
    form.locator("button[type=submit]").click()


def open_console(browser, server, workshop_id):
    context, page = open_board(browser, server, workshop_id)
    page.goto(f"{server.url}/facilitate/{workshop_id}")
    return context, page


def test_pre_moderation_tells_the_author_the_truth_and_the_refusal(
    browser, live_server, screenshot
):
    workshop_id, code = seed_pre_moderated(live_server)
    phone_context, phone = join_from_phone(browser, live_server, code, "Autrice")
    expect(phone.locator("#moderation-note")).to_have_text(
        "Vos contributions sont relues par l'équipe d'animation avant d'apparaître pour "
        "toute la salle.")
    expect(phone.locator("#live-status")).to_have_text("En direct", timeout=10_000)
    expect(phone.locator("body")).not_to_contain_text("apparaissent pour toute la salle")

    send_initiative(phone, "Épicerie des Izards", IDEA)
    status = phone.locator("#form-initiative .form-status")
    expect(status).to_have_text("Envoyée — en attente de validation.", timeout=10_000)
    mine = phone.locator("#my-items .contribution.mine")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text(IDEA)
    expect(mine.locator(".badge-pending")).to_have_text("En attente de validation")
    expect(phone.locator("#feed .contribution")).to_have_count(0)
    screenshot(phone, "feedback-phone-pending")
    phone.locator("[data-show-kind=need]").click()  # the next action: the message is stale
    expect(status).to_have_text("")
    phone.locator("[data-show-kind=initiative]").click()

    witness_context, witness = join_from_phone(browser, live_server, code, "Témoin")
    expect(witness.locator("#live-status")).to_have_text("En direct", timeout=10_000)
    expect(witness.locator("#my-items")).to_be_hidden()
    expect(witness.locator("body")).not_to_contain_text(IDEA)

    phone.reload()  # the server gives the author their own pending item again
    expect(phone.locator("#my-items .badge-pending")).to_have_count(1, timeout=10_000)
    expect(phone.locator("#my-items")).to_contain_text(IDEA)

    console_context, console = open_console(browser, live_server, workshop_id)
    queued = console.locator("#pending-list .console-item")
    expect(queued).to_have_count(1, timeout=10_000)
    queued.locator(".action-reject").click()
    reason = queued.locator("input[name=reason]")
    expect(reason).to_be_focused()
    reason.fill(REASON)
    screenshot(console, "feedback-console-refuse-with-reason")
    queued.locator("button[type=submit]").click()
    refused = console.locator("#console-initiative .console-item")
    expect(refused.locator(".status-badge-refused")).to_have_text("Non retenue", timeout=10_000)
    expect(refused).to_contain_text(REASON)

    notice = phone.locator("#phone-notice")
    expect(notice).to_have_text(
        f"Votre contribution « Épicerie des Izards » n'a pas été retenue. Motif : {REASON}",
        timeout=10_000)
    expect(notice).to_have_attribute("role", "status")
    expect(mine.locator(".badge-refused")).to_have_text("Non retenue")
    expect(mine.locator(".refusal-reason")).to_have_text(f"Motif : {REASON}")
    screenshot(phone, "feedback-phone-refused")
    expect(witness.locator("body")).not_to_contain_text(REASON)

    # Away when it is refused: told on the next visit, once.
    send_initiative(phone, "Jardin partagé", "Un jardin partagé derrière l'école")
    expect(phone.locator("#my-items .badge-pending")).to_have_count(1, timeout=10_000)
    url = phone.url
    phone.close()
    console.locator("#pending-list .console-item .action-reject").click()
    console.locator("#pending-list .console-item button[type=submit]").click()
    expect(console.locator("#pending-list .console-item")).to_have_count(0, timeout=10_000)
    phone = phone_context.new_page()
    phone.goto(url)
    expect(phone.locator("#phone-notice")).to_have_text(
        "Votre contribution « Jardin partagé » n'a pas été retenue.", timeout=10_000)
    expect(phone.locator("#my-items .badge-refused")).to_have_count(2)
    screenshot(phone, "feedback-phone-refused-while-away")
    phone.reload()
    expect(phone.locator("#my-items .badge-refused")).to_have_count(2, timeout=10_000)
    expect(phone.locator("#live-status")).to_have_text("En direct")
    expect(phone.locator("#phone-notice")).to_have_text("")  # already told

    for context in (phone_context, witness_context, console_context):
        context.close()


def test_approval_turns_the_pending_item_into_a_normal_one(browser, live_server):
    workshop_id, code = seed_pre_moderated(live_server)
    phone_context, phone = join_from_phone(browser, live_server, code, "Autrice")
    send_initiative(phone, "Épicerie des Izards", IDEA)
    expect(phone.locator("#my-items .badge-pending")).to_have_count(1, timeout=10_000)
    console_context, console = open_console(browser, live_server, workshop_id)
    console.locator("#pending-list .console-item .action-approve").click()
    expect(phone.locator("#feed .contribution")).to_contain_text(IDEA, timeout=10_000)
    expect(phone.locator("#my-items")).to_be_hidden()
    expect(phone.locator(".badge-pending")).to_have_count(0)
    for context in (phone_context, console_context):
        context.close()


def test_messages_clear_on_the_next_action_a_phase_change_and_the_close(
    browser, live_server, screenshot
):
    workshop_id, code, first, second = seed_vote(live_server)  # 3 dots, 2 per item
    phone_context, phone = join_from_phone(browser, live_server, code, "Alice")
    error = phone.locator("#vote-error")
    expect(error).to_have_attribute("role", "alert")
    card(phone, first).locator(".dot-plus").click()
    expect(card(phone, first).locator(".my-dots")).to_have_text("1", timeout=10_000)
    card(phone, first).locator(".dot-plus").click()
    expect(card(phone, first).locator(".my-dots")).to_have_text("2")
    card(phone, second).locator(".dot-plus").click()
    expect(phone.locator("#dots-left")).to_contain_text("Il vous reste 0 gommette(s)")

    def over_budget():
        card(phone, second).locator(".dot-plus").click()
        expect(error).to_have_text(
            "Pas assez de gommettes : vous en avez 3 en tout, il vous en reste 0.")

    over_budget()
    screenshot(phone, "feedback-phone-vote-error")
    # The next action clears it (here a dot taken back, which succeeds; test 1 shows a
    # kind switch clearing a form's message).
    card(phone, second).locator(".dot-minus").click()
    expect(error).to_have_text("")
    expect(card(phone, second).locator(".my-dots")).to_have_text("0")
    card(phone, second).locator(".dot-plus").click()
    expect(phone.locator("#dots-left")).to_contain_text("Il vous reste 0 gommette(s)")

    # A phase change clears it.
    over_budget()
    console_context, console = open_console(browser, live_server, workshop_id)
    console.click("#content [data-phase=initiatives]")
    expect(phone.locator("body")).to_have_attribute("data-phase", "initiatives",
                                                    timeout=10_000)
    expect(error).to_have_text("")
    expect(phone.locator("#vote-panel")).to_be_hidden()
    screenshot(phone, "feedback-phone-after-phase-change")

    # Closing the workshop clears it, and no late refusal shows afterwards.
    console.click("#content [data-phase=vote]")
    expect(phone.locator("body")).to_have_attribute("data-phase", "vote", timeout=10_000)
    over_budget()
    console.click("#lifecycle-close")
    console.click("#close-confirm")
    expect(phone.locator("#closed-notice")).to_be_visible(timeout=10_000)
    expect(phone.locator("#moderation-note")).to_be_hidden()
    expect(error).to_have_text("")
    # A dot taken back after the close is refused: its answer must not show either. The
    # box shows the dot asked for until the answer comes, then the server's count again.
    card(phone, first).locator(".dot-minus").evaluate(WAIT_FOR_THE_ANSWER)
    expect(card(phone, first).locator(".my-dots")).to_have_text("2")
    expect(error).to_have_text("")
    screenshot(phone, "feedback-phone-closed")
    for context in (phone_context, console_context):
        context.close()
