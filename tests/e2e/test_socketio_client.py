"""python-socketio's real client over WebSocket against the real server."""

from __future__ import annotations

import uuid

import pytest
import socketio
from sqlalchemy import func, select

from diagnostic.frame import planning
from diagnostic.live import lifecycle
from diagnostic.models import Contribution, Sector
from tests.live_server import cookie_header, join_over_http, receive_event

pytestmark = pytest.mark.e2e


def seed(server, title="Atelier Nord"):
    """An open workshop on the server's database; returns (id, code)."""
    with server.app_context() as db:
        diagnostic = planning.create_diagnostic(
            db.session, title="Diagnostic", territory="Grand Toulouse", stakes=["Enjeu"]
        )
        db.session.commit()
        diagnostic.sectors.append(Sector(name=f"Secteur {title}"))
        db.session.commit()
        workshop = planning.create_workshop(
            db.session, diagnostic, kind="territorial", title=title,
            sector_id=diagnostic.sectors[0].id,
        )
        lifecycle.open_workshop(db.session, workshop, None)
        db.session.commit()
        return workshop.id, workshop.join_code


def connect(server, http, workshop_id):
    """A real Socket.IO client, WebSocket transport only, sharing the phone's cookie."""
    client = socketio.SimpleClient()
    client.connect(server.url, namespace="/live", transports=["websocket"],
                   headers={"Cookie": cookie_header(http)}, auth={"workshop_id": workshop_id})
    state = receive_event(client, "workshop_state")
    assert state["workshop"]["id"] == workshop_id
    return client


def test_real_clients_share_a_room_and_resends_are_stored_once(live_server):
    workshop_id, code = seed(live_server)
    other_id, other_code = seed(live_server, "Atelier Sud")
    alice = connect(live_server, join_over_http(live_server, code, "Alice"), workshop_id)
    bob = connect(live_server, join_over_http(live_server, code, "Bob"), workshop_id)
    outsider = connect(live_server, join_over_http(live_server, other_code, "Eve"), other_id)

    payload = {"kind": "need", "client_id": uuid.uuid4().hex,
               "description": "Un local partagé", "workshop_id": other_id}
    with live_server.app_context() as db:
        from diagnostic.models import Vocabulary, Workshop

        workshop = db.session.get(Workshop, workshop_id)
        payload["need_category_id"] = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
    ack = alice.call("submit_contribution", payload, timeout=10)
    assert ack["ok"] is True
    contribution = receive_event(bob, "contribution_added")
    assert contribution["id"] == ack["id"]
    assert contribution["workshop_id"] == workshop_id  # the payload's workshop_id is ignored

    assert alice.call("submit_contribution", payload, timeout=10) == ack
    refused = alice.call("submit_contribution", {"kind": "need", "client_id": "x"}, timeout=10)
    assert refused["ok"] is False and refused["error"]
    huge = dict(payload, client_id=uuid.uuid4().hex, description="x" * 100_000)
    assert alice.call("submit_contribution", huge, timeout=10)["ok"] is False
    assert alice.connected  # refused, not disconnected

    with pytest.raises(socketio.exceptions.TimeoutError):
        receive_event(outsider, "contribution_added", timeout=1)
    with live_server.app_context() as db:
        assert db.session.scalar(select(func.count()).select_from(Contribution)) == 1
    for client in (alice, bob, outsider):
        client.disconnect()


def test_anonymous_socket_is_refused_with_its_french_reason(live_server):
    workshop_id, _ = seed(live_server)
    client = socketio.Client()
    reasons = []
    client.on("connect_error", reasons.append, namespace="/live")
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live_server.url, namespaces=["/live"], transports=["websocket"],
                       auth={"workshop_id": workshop_id}, wait_timeout=10)
    assert reasons == [{"message": "Rejoignez d'abord l'atelier avec son code."}]
