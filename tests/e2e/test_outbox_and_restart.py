"""Nothing typed on a phone is lost or doubled: server crash, page reload, dropped socket.

The real server (``diagnostic serve``) and Debian's Chromium: the phone's outbox keeps
contributions in localStorage until acknowledged; a reconnecting page gets what it missed.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import select

from diagnostic.models import Contribution
from tests.e2e.test_workshop_flow import join_from_phone, open_board, seed_open_workshop

pytestmark = pytest.mark.e2e

SLOW = 30_000  # socket.io waits up to 5 s between reconnection attempts


def outbox_ids(page, workshop_id: int) -> list[str]:
    """The client_ids waiting in the page's localStorage outbox."""
    raw = page.evaluate(f"window.localStorage.getItem('diagnostic-outbox:{workshop_id}')")
    return [entry["id"] for entry in json.loads(raw or "[]")]


def submit_initiative(page, name: str) -> None:
    """Fill and send the initiative form of a phone page."""
    page.click("#content [data-show-kind=initiative]")
    form = page.locator("#form-initiative")
    form.locator("[name=name]").fill(name)
    form.locator("[name=description]").fill(f"Présentation de {name}.")
    form.locator("button[type=submit]").click()


def stored_rows(server) -> list[tuple[str, str]]:
    """(client_id, name) of every contribution in the server's database."""
    with server.app_context() as db:
        return [tuple(row) for row in db.session.execute(
            select(Contribution.client_id, Contribution.name).order_by(Contribution.id))]


def on_page_socket(method: str) -> str:
    """A script calling `method` on the page's socket, from the live module the page
    imported (the same URL gives the same module instance)."""
    return f"async () => {{ (await import('/static/js/live.js')).pageSocket().{method}(); }}"


def expect_live(page) -> None:
    """Wait until the page's socket is connected."""
    expect(page.locator("#live-status")).to_contain_text("En direct", timeout=SLOW)


def test_items_sent_while_the_server_is_down_arrive_once_after_it_restarts(
    browser, live_server, screenshot
):
    workshop_id, code = seed_open_workshop(live_server)
    board_context, board = open_board(browser, live_server, workshop_id)
    phone_context, phone = join_from_phone(browser, live_server, code)
    expect_live(phone)
    expect_live(board)

    live_server.kill()
    expect(phone.locator("#live-status")).to_contain_text("Connexion perdue", timeout=SLOW)
    names = ["Régie Nord", "Épicerie solidaire", "Garage associatif"]
    for name in names:
        submit_initiative(phone, name)
    status = phone.locator("#outbox-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("3 contributions en attente d'envoi")
    expect(phone.locator("#form-initiative [name=name]")).to_have_value("")  # kept aside
    waiting = outbox_ids(phone, workshop_id)
    assert len(set(waiting)) == 3
    screenshot(phone, "participant-outbox-pending-server-down")

    live_server.start()
    expect(phone.locator("#feed .contribution")).to_have_count(3, timeout=SLOW)
    expect(status).to_be_hidden()
    column = board.locator("#column-initiative")
    expect(column.locator(".contribution")).to_have_count(3, timeout=SLOW)
    for name in names:
        expect(column).to_contain_text(name)
    screenshot(phone, "participant-outbox-sent-after-restart")
    assert outbox_ids(phone, workshop_id) == []
    rows = stored_rows(live_server)
    assert sorted(client_id for client_id, _name in rows) == sorted(waiting)
    assert sorted(name for _id, name in rows) == sorted(names)
    phone_context.close()
    board_context.close()


def test_items_waiting_in_the_outbox_are_sent_after_a_reload(browser, live_server, screenshot):
    workshop_id, code = seed_open_workshop(live_server)
    phone_context, phone = join_from_phone(browser, live_server, code)
    expect_live(phone)
    phone.route("**/socket.io/**", lambda route: route.abort())
    phone.reload()  # the page comes back but its socket cannot get through
    expect(phone.locator("#live-status")).to_contain_text("Connexion perdue", timeout=SLOW)
    submit_initiative(phone, "Coopérative Ozon")
    submit_initiative(phone, "Recyclerie du Nord")
    waiting = outbox_ids(phone, workshop_id)
    assert len(waiting) == 2

    phone.reload()  # still cut off: the outbox is read back from localStorage
    status = phone.locator("#outbox-status")
    expect(status).to_contain_text("2 contributions en attente d'envoi")
    expect(phone.locator("#feed .contribution")).to_have_count(0)
    screenshot(phone, "participant-outbox-pending-after-reload")
    assert stored_rows(live_server) == []

    phone.unroute("**/socket.io/**")
    phone.reload()
    expect(phone.locator("#feed .contribution")).to_have_count(2, timeout=SLOW)
    expect(status).to_be_hidden()
    rows = stored_rows(live_server)
    assert sorted(client_id for client_id, _name in rows) == sorted(waiting)
    phone.reload()  # nothing is left to resend
    expect(phone.locator("#feed .contribution")).to_have_count(2)
    assert len(stored_rows(live_server)) == 2 and outbox_ids(phone, workshop_id) == []
    phone_context.close()


def test_a_refused_item_from_the_outbox_goes_back_to_its_form(browser, live_server):
    workshop_id, code = seed_open_workshop(live_server)
    phone_context, phone = join_from_phone(browser, live_server, code)
    expect_live(phone)
    phone.route("**/socket.io/**", lambda route: route.abort())
    phone.reload()
    expect(phone.locator("#live-status")).to_contain_text("Connexion perdue", timeout=SLOW)
    phone.click("#content [data-show-kind=need]")
    phone.locator("#form-need [name=description]").fill("Des locaux partagés")
    phone.locator("#form-need button[type=submit]").click()  # no category: invalid
    expect(phone.locator("#form-need [name=description]")).to_have_value("")

    phone.unroute("**/socket.io/**")
    phone.reload()
    form = phone.locator("#form-need")
    expect(form.locator("[name=description]")).to_have_value("Des locaux partagés",
                                                            timeout=SLOW)
    expect(form).to_be_visible()
    expect(form.locator(".form-errors")).to_contain_text("Certains champs sont invalides")
    expect(form.locator("[name=need_category_id]")).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#outbox-status")).to_be_hidden()
    assert outbox_ids(phone, workshop_id) == [] and stored_rows(live_server) == []
    phone_context.close()


def test_a_phone_whose_socket_dropped_gets_the_events_it_missed(browser, live_server):
    workshop_id, code = seed_open_workshop(live_server)
    late_context, late = join_from_phone(browser, live_server, code, "Alex")
    frames: list[str] = []
    late.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(
        payload if isinstance(payload, str) else payload.decode())))
    # Socket.IO reconnects over HTTP long-polling before upgrading, so the replay may come
    # in a polling response (packets separated by \x1e) rather than a WebSocket frame.
    def polled(response):
        if "/socket.io/" in response.url and response.request.method == "GET":
            try:
                frames.extend(response.text().split("\x1e"))
            except PlaywrightError:  # a response without a body
                pass

    late.on("response", polled)
    other_context, other = join_from_phone(browser, live_server, code, "Sam")
    expect_live(late)
    expect_live(other)

    late.evaluate(on_page_socket("disconnect"))
    expect(late.locator("#live-status")).to_contain_text("Connexion perdue")
    submit_initiative(other, "Jardin partagé des Izards")
    expect(other.locator("#feed .contribution")).to_have_count(1, timeout=SLOW)
    expect(late.locator("#feed .contribution")).to_have_count(0)

    late.evaluate(on_page_socket("connect"))
    expect(late.locator("#feed .contribution")).to_have_count(1, timeout=SLOW)
    expect(late.locator("#feed")).to_contain_text("Jardin partagé des Izards")
    packets = [json.loads(f.split(",", 1)[1]) for f in frames if f.startswith("42/live,")]
    replays = [args[1]["events"] for args in packets if args[0] == "events_replay"]
    assert [[e["payload"]["name"] for e in replay] for replay in replays] == [
        ["Jardin partagé des Izards"]]
    late_context.close()
    other_context.close()
