"""A whole workshop in real browsers, from welcome to minutes.

Staff open the workshop and run it from the facilitation console; two phones join with
the code and follow the phases (initiatives, needs, recommendations, vote); the
facilitator enters an item for someone without a phone; the board follows everything
live; closing produces the minutes.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from diagnostic.models import Contribution, Workshop, WorkshopStatus
from tests.e2e.test_workshop_flow import join_from_phone, open_board, seed_open_workshop

pytestmark = pytest.mark.e2e


def set_phase(console, phone, phase: str, prompt: str) -> None:
    """Click a phase in the console and wait until the phone shows its prompt."""
    console.click(f"#content [data-phase={phase}]")
    expect(phone.locator("#phase-prompt")).to_contain_text(prompt, timeout=10_000)


def submit(phone, kind: str, **fields: str) -> None:
    """Fill and send the phone's form of ``kind`` (selects take an option index)."""
    form = phone.locator(f"#form-{kind}")
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(index=int(value))
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()


def test_a_whole_workshop_from_welcome_to_minutes(browser, live_server, screenshot):
    workshop_id, code = seed_open_workshop(live_server)
    staff_context, console = open_board(browser, live_server, workshop_id)
    console.goto(f"{live_server.url}/facilitate/{workshop_id}")
    board = staff_context.new_page()
    board.set_viewport_size({"width": 1920, "height": 1080})
    board.goto(f"{live_server.url}/board/{workshop_id}")
    alice_context, alice = join_from_phone(browser, live_server, code, "Alice")
    bob_context, bob = join_from_phone(browser, live_server, code, "Bob")
    expect(alice.locator("#phase-prompt")).to_contain_text("Bienvenue")
    expect(board.locator("#presence-count")).to_have_text("2", timeout=10_000)

    set_phase(console, alice, "initiatives", "Quelles initiatives")
    submit(alice, "initiative", name="Recyclerie du Nord",
           description="Collecte et réemploi d'objets, six salariés en insertion.")
    submit(bob, "initiative", name="Épicerie solidaire",
           description="Une épicerie à prix modérés tenue par des bénévoles.")
    expect(board.locator("#column-initiative .contribution")).to_have_count(2, timeout=10_000)
    # The facilitator enters an initiative for a participant without a phone.
    scribe = console.locator("#scribe-form-initiative")
    scribe.locator("[name=on_behalf_of]").fill("Mme Martin")
    scribe.locator("[name=name]").fill("Jardins partagés")
    scribe.locator("[name=description]").fill("Des jardins partagés au pied des immeubles.")
    scribe.locator("button[type=submit]").click()
    expect(board.locator("#column-initiative .contribution")).to_have_count(3, timeout=10_000)
    expect(bob.locator("#feed")).to_contain_text("Mme Martin")

    set_phase(console, alice, "needs", "De quoi les structures")
    submit(alice, "need", description="Des locaux partagés à loyer modéré.", need_category_id="2")
    set_phase(console, bob, "recommendations", "Que devrait faire l'action publique")
    submit(bob, "recommendation", description="Ouvrir un tiers-lieu de l'ESS par secteur.",
           stake_id="1")
    expect(board.locator("#column-need .contribution")).to_have_count(1, timeout=10_000)
    expect(board.locator("#column-recommendation .contribution")).to_have_count(1)
    screenshot(board, "full-workshop-board-collected")

    set_phase(console, alice, "vote", "Votez")
    expect(alice.locator("#form-initiative")).to_be_hidden()  # the phone is for voting now
    recyclerie = alice.locator("#feed .contribution", has_text="Recyclerie du Nord")
    recyclerie.locator(".dot-plus").click()
    recyclerie.locator(".dot-plus").click()
    expect(recyclerie.locator(".my-dots")).to_have_text("2", timeout=10_000)
    bob.locator("#feed .contribution", has_text="tiers-lieu").locator(".dot-plus").click()
    expect(board.locator("#column-initiative .contribution").first).to_contain_text(
        "Recyclerie du Nord", timeout=10_000)  # ranked by dots in the vote phase
    screenshot(alice, "full-workshop-phone-vote")
    screenshot(board, "full-workshop-board-vote")

    console.click("#lifecycle-close")
    console.click("#close-confirm")  # the confirmation dialog
    expect(alice.locator("#closed-notice")).to_be_visible(timeout=10_000)
    with live_server.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop.status == WorkshopStatus.CLOSED
        assert db.session.scalar(select(func.count()).select_from(Contribution)) == 5

    console.goto(f"{live_server.url}/staff/workshops/{workshop_id}/minutes")
    minutes = console.locator("#content")
    for text in ("Recyclerie du Nord", "Jardins partagés", "Mme Martin",
                 "Des locaux partagés à loyer modéré.", "tiers-lieu"):
        expect(minutes).to_contain_text(text)
    screenshot(console, "full-workshop-minutes")
    for context in (alice_context, bob_context, staff_context):
        context.close()
