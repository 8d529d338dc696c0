"""A busy room: a burst of contributions reaches the board and the phones as batched frames."""

from __future__ import annotations

import uuid

import pytest
import socketio
from playwright.sync_api import expect

from diagnostic.models import Vocabulary, Workshop
from tests.e2e.conftest import start_live_server
from tests.e2e.test_workshop_flow import join_from_phone, open_board, seed_open_workshop
from tests.live_server import cookie_header, join_over_http, receive_event

pytestmark = pytest.mark.e2e


@pytest.fixture
def busy_server(tmp_path):
    """The real server with a tight budget: a room of three (board, phone, Alice) gets one
    frame at once, then one a second."""
    server = start_live_server(tmp_path, LIVE_BROADCAST_BUDGET="3/3")
    yield server
    server.stop()


def watch_socket(page) -> dict[str, list[str]]:
    """Record the Socket.IO frames the page sends and receives."""
    frames: dict[str, list[str]] = {"sent": [], "received": []}

    def on_websocket(ws):
        ws.on("framesent", lambda payload: frames["sent"].append(str(payload)))
        ws.on("framereceived", lambda payload: frames["received"].append(str(payload)))

    page.on("websocket", on_websocket)
    return frames


def test_a_burst_is_shown_whole_and_in_order_without_a_resync(browser, busy_server,
                                                               screenshot):
    workshop_id, code = seed_open_workshop(busy_server)
    board_context, board = open_board(browser, busy_server, workshop_id)
    board_frames = watch_socket(board)
    board.reload()  # the socket opens again, now watched
    expect(board.locator("body")).to_contain_text(code)
    phone_context, phone = join_from_phone(browser, busy_server, code)
    phone_frames = watch_socket(phone)
    phone.reload()
    expect(phone.locator("#live-status")).not_to_be_empty()

    with busy_server.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
    alice = socketio.SimpleClient()
    alice.connect(busy_server.url, namespace="/live", transports=["websocket"],
                  headers={"Cookie": cookie_header(join_over_http(busy_server, code, "Alice"))},
                  auth={"workshop_id": workshop_id})
    receive_event(alice, "workshop_state")
    texts = [f"Besoin numéro {n} : un local partagé" for n in range(1, 7)]
    for text in texts:
        ack = alice.call("submit_contribution", {
            "kind": "need", "client_id": uuid.uuid4().hex, "need_category_id": category,
            "description": text}, timeout=10)
        assert ack["ok"] is True

    column = board.locator("#column-need .contribution")
    expect(column).to_have_count(6, timeout=10_000)
    for position, text in enumerate(reversed(texts)):  # newest first, as one by one
        expect(column.nth(position)).to_contain_text(text)
    expect(phone.locator("#feed .contribution")).to_have_count(6, timeout=10_000)
    screenshot(board, "board-busy-room")

    for frames in (board_frames, phone_frames):
        assert any('"events_batch"' in frame for frame in frames["received"])
        assert not any('"sync"' in frame for frame in frames["sent"])  # no gap was seen
    alice.disconnect()
    phone_context.close()
    board_context.close()
