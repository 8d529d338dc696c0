"""``diagnostic-server``, the production entry: gevent after monkey-patching, real WebSockets.

Started like ``diagnostic serve`` in the other e2e tests (a subprocess on a free port, its own
SQLite file), with ``DIAGNOSTIC_ENV=production`` and no ``SOCKETIO_ASYNC_MODE``, so its own
default (gevent) is what runs. Under threading every WebSocket holds at least two OS threads;
under gevent one thread serves them all, which the process's thread count shows.
"""

from __future__ import annotations

import uuid

import pytest
import socketio

from diagnostic.models import Vocabulary, Workshop
from tests.e2e.test_socketio_client import connect, seed
from tests.live_server import (
    LiveServer,
    cookie_header,
    join_over_http,
    receive_event,
    with_versions,
)

pytestmark = pytest.mark.e2e

CONNECTIONS = 20


def need_category_id(server: LiveServer, workshop_id: int) -> int:
    """A need category of the workshop's diagnostic (a need must have one)."""
    with server.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        return workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id


def test_production_server_serves_the_room_over_websocket_on_gevent(tmp_path):
    server = LiveServer(tmp_path, command=("diagnostic-server",), DIAGNOSTIC_ENV="production")
    server.env.pop("SOCKETIO_ASYNC_MODE", None)  # the entry's own default is under test
    workshop_id, code = seed(server)
    category_id = need_category_id(server, workshop_id)
    server.start()
    clients = []
    try:
        for number in range(CONNECTIONS):
            http = join_over_http(server, code, f"Participant {number}")
            clients.append(connect(server, http, workshop_id))

        payload = {"kind": "need", "client_id": uuid.uuid4().hex,
                   "description": "Un local partagé", "need_category_id": category_id}
        ack = clients[0].call("submit_contribution", payload, timeout=10)
        assert ack["ok"] is True
        for client in clients[1:]:
            assert receive_event(client, "contribution_added")["id"] == ack["id"]

        # threading would hold >= 2 threads per WebSocket (>= 40 here); gevent holds one.
        assert server.threads() <= 10
    finally:
        for client in clients:
            client.disconnect()
        server.stop()
    log = server.log.read_text()
    assert "MonkeyPatchWarning" not in log and "Traceback" not in log, log[-2000:]


def websocket_handshake(server: LiveServer, extensions: str) -> str:
    """The response head of a raw Socket.IO WebSocket handshake offering ``extensions``."""
    import socket

    request = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"Sec-WebSocket-Extensions: {extensions}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            assert chunk, head
            head += chunk
    return head.split(b"\r\n\r\n")[0].decode("latin-1").lower()


@pytest.mark.parametrize(("command", "compression"), [
    (("diagnostic-server",), ""),
    (("diagnostic", "serve"), ""),
    (("diagnostic-server",), "1"),
])
def test_websocket_compression_is_declined_unless_configured(tmp_path, command, compression):
    server = LiveServer(tmp_path, command=command, LIVE_WEBSOCKET_COMPRESSION=compression)
    if command == ("diagnostic-server",):
        server.env.pop("SOCKETIO_ASYNC_MODE", None)
    server.start()
    try:
        head = websocket_handshake(server, "permessage-deflate; client_max_window_bits")
    finally:
        server.stop()
    assert head.startswith("http/1.1 101"), head
    if compression:
        assert "sec-websocket-extensions: permessage-deflate" in head, head
    else:
        assert "sec-websocket-extensions" not in head, head


def test_chromium_gets_its_websocket_without_compression(tmp_path, browser):
    server = LiveServer(tmp_path, command=("diagnostic-server",))
    server.env.pop("SOCKETIO_ASYNC_MODE", None)
    server.start()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server.url}/join")
        # Chromium always offers permessage-deflate; what the server accepted is in
        # WebSocket.extensions once the connection is open.
        extensions = page.evaluate("""() => new Promise((resolve) => {
            const ws = new WebSocket(location.origin.replace(/^http/, "ws")
                                     + "/socket.io/?EIO=4&transport=websocket");
            ws.onopen = () => { resolve(ws.extensions); ws.close(); };
            ws.onerror = () => resolve("error");
        })""")
    finally:
        context.close()
        server.stop()
    assert extensions == ""


@pytest.mark.parametrize("versions", [{}, {"python-engineio": "5.0.0"}],
                         ids=["direct-writes", "unsupported-engineio"])
def test_clients_on_both_transports_get_every_room_event_in_order(tmp_path, versions):
    # Frames of room events are written straight to idle WebSockets under gevent
    # (workshops/transport/direct_writes.py): a phone that started on long-polling and
    # upgraded, and one on WebSocket only, both see a quick series of contributions once
    # each, in order. With a python-engineio the self-check refuses, python-engineio's own
    # writer serves them, and they see the same.
    server = LiveServer(tmp_path, command=with_versions("diagnostic-server", **versions),
                        DIAGNOSTIC_ENV="production", SOCKETIO_ASYNC_MODE="gevent",
                        LIVE_RATE_SUBMIT="off")
    workshop_id, code = seed(server)
    category_id = need_category_id(server, workshop_id)
    server.start()
    clients = []
    try:
        sender = connect(server, join_over_http(server, code, "Alice"), workshop_id)
        clients.append(sender)
        websocket = connect(server, join_over_http(server, code, "Bob"), workshop_id)
        clients.append(websocket)
        upgraded = socketio.SimpleClient()  # python-socketio's default: polling, then upgrade
        clients.append(upgraded)
        upgraded.connect(server.url, namespace="/live", auth={"workshop_id": workshop_id},
                         headers={"Cookie": cookie_header(join_over_http(server, code, "Chloé"))})
        receive_event(upgraded, "workshop_state")
        ids = []
        for number in range(30):
            ack = sender.call("submit_contribution", {
                "kind": "need", "client_id": uuid.uuid4().hex, "need_category_id": category_id,
                "description": f"Besoin {number}"}, timeout=10)
            assert ack["ok"] is True, ack
            ids.append(ack["id"])
        assert upgraded.client.transport() == "websocket"
        for client in (websocket, upgraded):
            got = [receive_event(client, "contribution_added") for _ in ids]
            assert [item["id"] for item in got] == ids
            assert [item["description"] for item in got] == [f"Besoin {n}" for n in range(30)]
    finally:
        for client in clients:
            client.disconnect()
        server.stop()
    log = server.log.read_text()
    assert "Traceback" not in log, log[-2000:]
    refused = ("Transport self-check failed for direct room writes: python-engineio 5.0.0 is "
               "outside the supported range >=4.9,<5")
    assert (refused in log) is bool(versions), log[-2000:]
    assert "Transport self-check" not in log.replace(refused, ""), log[-2000:]


def test_browsers_follow_the_room_live_on_the_production_server(tmp_path, browser, screenshot):
    from playwright.sync_api import expect

    from tests.e2e.conftest import start_live_server
    from tests.e2e.test_outbox_and_restart import submit_initiative
    from tests.e2e.test_workshop_flow import join_from_phone, open_board, seed_open_workshop

    server = start_live_server(tmp_path, command=("diagnostic-server",),
                               DIAGNOSTIC_ENV="production",
                               SOCKETIO_ASYNC_MODE="gevent", LIVE_RATE_SUBMIT="off")
    contexts = []
    try:
        workshop_id, code = seed_open_workshop(server)
        board_context, board = open_board(browser, server, workshop_id)
        contexts.append(board_context)
        phone_context, phone = join_from_phone(browser, server, code)
        contexts.append(phone_context)
        # socket.io-client starts on long-polling and upgrades to a WebSocket
        with phone.expect_websocket() as opened:
            phone.reload()
        assert "transport=websocket" in opened.value.url

        submit_initiative(phone, "Coopérative Ozon")
        expect(board.locator("#column-initiative .contribution")).to_have_count(1,
                                                                              timeout=10_000)

        other = connect(server, join_over_http(server, code, "Bob"), workshop_id)
        category_id = need_category_id(server, workshop_id)
        for number in range(5):
            ack = other.call("submit_contribution", {
                "kind": "need", "client_id": uuid.uuid4().hex, "need_category_id": category_id,
                "description": f"Besoin venu d'un autre téléphone {number}"}, timeout=10)
            assert ack["ok"] is True, ack
        other.disconnect()
        expect(board.locator("#column-need .contribution")).to_have_count(5, timeout=10_000)
        expect(phone.locator("#feed .contribution")).to_have_count(6, timeout=10_000)
        expect(board.locator("#column-need")).to_contain_text("autre téléphone 4")
        screenshot(board, "production-server-board")
    finally:
        for context in contexts:
            context.close()
        server.stop()
