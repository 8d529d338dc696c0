"""Dot voting in real browsers: two phones vote, one exceeds its budget, the board ranks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from diagnostic.frame import planning
from diagnostic.live import lifecycle, participation, supports
from diagnostic.models import Phase, Sector, Vote
from tests.e2e.conftest import STAFF_EMAIL, STAFF_PASSWORD
from tests.e2e.test_workshop_flow import join_from_phone

pytestmark = pytest.mark.e2e


def seed_vote(server) -> tuple[int, str, int, int]:
    """An open workshop in the vote phase (3 dots, 2 per item) with two initiatives, one
    supported during collection; returns (workshop id, join code, first id, second id)."""
    with server.app_context() as db:
        diagnostic = planning.create_diagnostic(db.session, title="Diagnostic ESS",
                                                territory="Grand Toulouse")
        db.session.commit()
        diagnostic.sectors.append(Sector(name="Toulouse nord", position=0))
        db.session.commit()
        workshop = planning.create_workshop(
            db.session, diagnostic, kind="territorial", title="Atelier Toulouse nord",
            sector_id=diagnostic.sectors[0].id,
        )
        lifecycle.open_workshop(db.session, workshop, None)
        author = participation.join_workshop(db.session, workshop, display_name="Autrice")
        fan = participation.join_workshop(db.session, workshop, display_name="Fan")
        db.session.commit()
        ids = []
        for name in ("Coopérative Ozon", "Régie de quartier"):
            item, _ = participation.submit_contribution(db.session, author, {
                "kind": "initiative", "client_id": f"seed-{len(ids)}-0000", "name": name,
                "description": f"{name} : une initiative du territoire."})
            db.session.commit()
            ids.append(item.id)
        supports.support_contribution(db.session, fan, ids[0])
        db.session.commit()
        workshop.phase, workshop.dot_budget, workshop.dot_max_per_item = Phase.VOTE, 3, 2
        db.session.commit()
        return workshop.id, workshop.join_code, ids[0], ids[1]


def card(page, item_id: int):
    """The card of a contribution on a phone or the board."""
    return page.locator(f'#content .contribution[data-id="{item_id}"]')


def test_two_phones_vote_with_dots_and_the_board_ranks_the_tallies(
    live_server, browser, screenshot
):
    workshop_id, code, first, second = seed_vote(live_server)
    board_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    board = board_context.new_page()
    board.goto(live_server.url + "/auth/login")
    board.fill("input[name=email]", STAFF_EMAIL)
    board.fill("input[name=password]", STAFF_PASSWORD)
    board.locator("#content form [type=submit]").first.click()
    board.goto(f"{live_server.url}/board/{workshop_id}")
    expect(card(board, first).locator(".tally-supports")).to_have_text("+1 × 1")

    alice_context, alice = join_from_phone(browser, live_server, code, "Alice")
    expect(board.locator("#presence-count")).to_have_text("1")
    expect(alice.locator("#dots-left")).to_have_text(
        "Il vous reste 3 gommette(s) sur 3 (au plus 2 par contribution).")
    plus = card(alice, first).locator(".dot-plus")
    plus.click()
    expect(card(alice, first).locator(".my-dots")).to_have_text("1")
    plus.click()
    expect(card(alice, first).locator(".my-dots")).to_have_text("2")
    card(alice, second).locator(".dot-plus").click()
    expect(alice.locator("#dots-left")).to_contain_text("Il vous reste 0 gommette(s) sur 3")
    card(alice, second).locator(".dot-plus").click()  # a 4th dot: over the budget
    expect(alice.locator("#vote-error")).to_have_text(
        "Pas assez de gommettes : vous en avez 3 en tout, il vous en reste 0.")
    expect(card(alice, second).locator(".my-dots")).to_have_text("1")
    screenshot(alice, "voting-phone-over-budget")

    bob_context, bob = join_from_phone(browser, live_server, code, "Bob")
    expect(board.locator("#presence-count")).to_have_text("2")
    for expected in ("1", "2"):
        card(bob, second).locator(".dot-plus").click()
        expect(card(bob, second).locator(".my-dots")).to_have_text(expected)
    card(bob, second).locator(".dot-plus").click()  # a 3rd dot on one item: over the max
    expect(bob.locator("#vote-error")).to_have_text(
        "Au plus 2 gommettes sur une même contribution.")

    # The board shows the tallies live and ranks the column by dots.
    expect(card(board, second).locator(".tally-dots")).to_have_text("3 gommettes")
    expect(card(board, first).locator(".tally-dots")).to_have_text("2 gommettes")
    expect(board.locator("#column-initiative li.contribution").first).to_have_attribute(
        "data-id", str(second))
    expect(card(alice, second).locator(".tally-dots")).to_have_text("3 gommettes")
    screenshot(board, "voting-board-ranked")

    # A reloaded phone still knows its dots.
    alice.reload()
    expect(card(alice, first).locator(".my-dots")).to_have_text("2")
    expect(alice.locator("#dots-left")).to_contain_text("Il vous reste 0 gommette(s) sur 3")

    with live_server.app_context() as db:
        votes = sorted((v.contribution_id, v.dots) for v in db.session.scalars(select(Vote)))
    assert votes == sorted([(first, 2), (second, 1), (second, 2)])
    bob_context.close()
    expect(board.locator("#presence-count")).to_have_text("1")
    for context in (alice_context, board_context):
        context.close()


def test_quick_taps_each_count_once_up_to_the_limit(live_server, browser):
    """Taps made before the previous answer came back: none is lost, none counted twice."""
    _, code, first, second = seed_vote(live_server)
    context, phone = join_from_phone(browser, live_server, code, "Alice")
    tap_three_times = "button => { button.click(); button.click(); button.click(); }"
    # Three taps in one go on an item that takes at most 2: two dots, then the refusal.
    card(phone, first).locator(".dot-plus").evaluate(tap_three_times)
    expect(card(phone, first).locator(".my-dots")).to_have_text("2")
    expect(phone.locator("#vote-error")).to_have_text(
        "Au plus 2 gommettes sur une même contribution.")
    expect(phone.locator("#dots-left")).to_contain_text("Il vous reste 1 gommette(s) sur 3")
    # A dot given and taken back at once: nothing left on the item.
    card(phone, second).locator(".dot-plus").evaluate("button => button.click()")
    card(phone, second).locator(".dot-minus").evaluate("button => button.click()")
    expect(phone.locator("#dots-left")).to_contain_text("Il vous reste 1 gommette(s) sur 3")
    expect(card(phone, second).locator(".my-dots")).to_have_text("0")
    phone.reload()  # what the server kept
    expect(card(phone, first).locator(".my-dots")).to_have_text("2")
    expect(card(phone, second).locator(".my-dots")).to_have_text("0")
    with live_server.app_context() as db:
        votes = sorted((v.contribution_id, v.dots) for v in db.session.scalars(select(Vote)))
    assert votes == [(first, 2)]
    context.close()
