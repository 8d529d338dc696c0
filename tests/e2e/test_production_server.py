"""``diagnostic-server``, the production entry: gevent after monkey-patching, real WebSockets.

Started like ``diagnostic serve`` in the other e2e tests (a subprocess on a free port, its own
SQLite file), with ``DIAGNOSTIC_ENV=production`` and no ``SOCKETIO_ASYNC_MODE``, so its own
default (gevent) is what runs. Under threading every WebSocket holds at least two OS threads;
under gevent one thread serves them all, which the process's thread count shows.
"""

from __future__ import annotations

import uuid

import pytest

from diagnostic.models import Vocabulary, Workshop
from tests.e2e.test_socketio_client import connect, seed
from tests.live_server import LiveServer, join_over_http, receive_event

pytestmark = pytest.mark.e2e

CONNECTIONS = 20


def test_production_server_serves_the_room_over_websocket_on_gevent(tmp_path):
    server = LiveServer(tmp_path, command=("diagnostic-server",), DIAGNOSTIC_ENV="production")
    server.env.pop("SOCKETIO_ASYNC_MODE", None)  # the entry's own default is under test
    workshop_id, code = seed(server)
    with server.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        category_id = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
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
