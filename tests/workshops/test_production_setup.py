"""The production setup: two server processes on PostgreSQL sharing rooms through Redis.

Runs when both DIAGNOSTIC_TEST_DATABASE_URL (PostgreSQL) and DIAGNOSTIC_TEST_REDIS_URL are
set, as ``.ci/run`` does when the local services answer; skipped otherwise.
"""

from __future__ import annotations

import os
import uuid

import pytest
import socketio
from sqlalchemy import text

from diagnostic import services
from diagnostic.models import Base, Sector, Vocabulary
from tests.live_server import LiveServer, cookie_header, join_over_http, receive_event

DATABASE_URL = os.environ.get("DIAGNOSTIC_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("DIAGNOSTIC_TEST_REDIS_URL", "")

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgresql") and REDIS_URL),
    reason="needs DIAGNOSTIC_TEST_DATABASE_URL (PostgreSQL) and DIAGNOSTIC_TEST_REDIS_URL",
)


@pytest.fixture
def two_servers(tmp_path):
    """Two ``diagnostic serve`` processes on one PostgreSQL database and one Redis queue."""
    first = LiveServer(tmp_path / "a", DATABASE_URL, SOCKETIO_MESSAGE_QUEUE=REDIS_URL)
    second = LiveServer(tmp_path / "b", DATABASE_URL, init_db=False,
                        SOCKETIO_MESSAGE_QUEUE=REDIS_URL)
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        first.stop()
        second.stop()
        with first.app_context() as db:
            Base.metadata.drop_all(db.engine)
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_a_contribution_sent_to_one_process_reaches_clients_of_the_other(two_servers):
    first, second = two_servers
    with first.app_context() as db:
        diagnostic = services.create_diagnostic(
            db.session, title="Diagnostic", territory="Grand Toulouse", stakes=["Enjeu"]
        )
        diagnostic.sectors.append(Sector(name="Nord"))
        db.session.commit()
        workshop = services.create_workshop(
            db.session, diagnostic, kind="territorial", title="Atelier",
            sector_id=diagnostic.sectors[0].id,
        )
        services.open_workshop(db.session, workshop)
        workshop_id, code = workshop.id, workshop.join_code
        category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id

    clients = []
    for server, name in ((first, "Alice"), (second, "Bob")):
        # The session cookie is signed with the shared SECRET_KEY: valid on both processes.
        client = socketio.SimpleClient()
        client.connect(server.url, namespace="/live", transports=["websocket"],
                       headers={"Cookie": cookie_header(join_over_http(server, code, name))},
                       auth={"workshop_id": workshop_id})
        assert receive_event(client, "workshop_state")["workshop"]["id"] == workshop_id
        clients.append(client)
    alice, bob = clients

    ack = alice.call("submit_contribution", {
        "kind": "need", "client_id": uuid.uuid4().hex, "description": "Des locaux",
        "need_category_id": category,
    }, timeout=10)
    assert ack["ok"] is True
    contribution = receive_event(bob, "contribution_added")
    assert contribution["id"] == ack["id"]
    for client in clients:
        client.disconnect()
