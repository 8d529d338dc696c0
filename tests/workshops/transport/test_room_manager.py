"""Room events through a real Redis queue (transport.room_manager), with real clients.

One ``diagnostic serve`` process on SQLite and Redis: with the per-process batching
manager, and with python-socketio's own RedisManager when the self-check refuses the
installed python-socketio. Runs when DIAGNOSTIC_TEST_REDIS_URL is set
(``redis://127.0.0.1:6379/6``); two processes sharing the queue are in
tests/workshops/test_production_setup.py (PostgreSQL too).
"""

from __future__ import annotations

import os
import time
import uuid

import pytest

from diagnostic.models import Vocabulary, Workshop
from tests.e2e.test_socketio_client import connect, seed
from tests.live_server import LiveServer, join_over_http, with_versions

REDIS_URL = os.environ.get("DIAGNOSTIC_TEST_REDIS_URL", "")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs DIAGNOSTIC_TEST_REDIS_URL")

ERROR = "Transport self-check failed for per-process room batching"


def receive_contributions(client, count: int) -> tuple[list[dict], int]:
    """The next ``count`` contributions, alone or batched; and how many came alone."""
    received, alone = [], 0
    deadline = time.monotonic() + 30
    while len(received) < count and time.monotonic() < deadline:
        event, *args = client.receive(timeout=max(0.1, deadline - time.monotonic()))
        if event == "contribution_added":
            alone += 1
            received.append(args[0])
        elif event == "events_batch":
            received += [e["payload"] for e in args[0]["events"]
                         if e["name"] == "contribution_added"]
    return received, alone


@pytest.mark.parametrize("versions", [{}, {"python-socketio": "6.0.0"}],
                         ids=["checked", "unsupported"])
def test_a_burst_reaches_every_phone_once_in_order_and_batched(tmp_path, versions):
    # 4 deliveries at once (two frames to a room of two), then 2 a second.
    server = LiveServer(tmp_path, command=with_versions("diagnostic serve", **versions),
                        SOCKETIO_MESSAGE_QUEUE=REDIS_URL, LIVE_BROADCAST_BUDGET="4/2",
                        LIVE_RATE_SUBMIT="off")
    workshop_id, code = seed(server)
    with server.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
    server.start()
    clients = []
    try:
        alice = connect(server, join_over_http(server, code, "Alice"), workshop_id)
        clients.append(alice)
        bob = connect(server, join_over_http(server, code, "Bob"), workshop_id)
        clients.append(bob)
        sent = []
        for number in range(6):
            ack = alice.call("submit_contribution", {
                "kind": "need", "client_id": uuid.uuid4().hex, "need_category_id": category,
                "description": f"Besoin {number}"}, timeout=10)
            assert ack["ok"] is True, ack
            sent.append(ack["id"])
        received, alone = receive_contributions(bob, len(sent))
        assert [item["id"] for item in received] == sent  # all, once each, in order
        assert alone <= 2 < len(sent)  # past the budget they travel in batches
    finally:
        for client in clients:
            client.disconnect()
        server.stop()
    log = server.log.read_text()
    assert "Traceback" not in log, log[-2000:]
    assert (ERROR in log) is bool(versions), log[-2000:]
    if versions:
        assert "python-socketio 6.0.0 is outside the supported range >=5.11,<6" in log


@pytest.mark.parametrize("url, configured, channel", [
    ("redis://127.0.0.1:6379/3", None, "flask-socketio:3"),
    ("redis://127.0.0.1:6379", None, "flask-socketio:0"),
    ("rediss://user:pw@host:6380/12?ssl_cert_reqs=none", None, "flask-socketio:12"),
    ("redis://127.0.0.1:6379/3", "mairie-prod", "mairie-prod"),
])
def test_each_redis_database_number_gets_its_own_channel(url, configured, channel):
    # Redis channels ignore database numbers: without this, two instances on one Redis
    # received each other's room events.
    from workshops.transport.room_manager import channel_for

    assert channel_for(url, configured) == channel
