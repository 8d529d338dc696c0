"""The /live namespace with Flask-SocketIO's test client sharing the HTTP session cookie."""

from __future__ import annotations

import pytest

from diagnostic.live import lifecycle
from diagnostic.models import Contribution
from tests.conftest import new_client_id
from tests.workshops.conftest import NS, events, stored
from workshops.extensions import socketio


def test_connect_sends_the_workshop_state(phone, make_workshop, initiative_data, db):
    workshop = make_workshop()
    first = phone(workshop)
    first.emit("submit_contribution", initiative_data(workshop), namespace=NS, callback=True)
    second = phone(workshop, "Alex")
    assert second.is_connected(NS)
    [state] = events(second, "workshop_state")
    assert state["workshop"]["id"] == workshop.id
    assert state["workshop"]["status"] == "open"
    assert state["counts"] == {"initiative": 1, "need": 0, "recommendation": 0}
    assert [c["name"] for c in state["contributions"]] == ["Coopérative Ozon"]


def test_two_phones_and_the_board_receive_a_contribution(
    phone, board, make_workshop, initiative_data, db
):
    workshop = make_workshop()
    sender, other, projector = phone(workshop), phone(workshop, "Alex"), board(workshop)
    for socket in (sender, other, projector):
        socket.get_received(NS)

    ack = sender.emit("submit_contribution", initiative_data(workshop), namespace=NS, callback=True)

    assert ack["ok"] is True and isinstance(ack["id"], int)
    for socket in (sender, other, projector):
        [added] = events(socket, "contribution_added")
        assert added["id"] == ack["id"]
        assert added["kind"] == "initiative" and added["kind_label"] == "Initiative"
        assert added["name"] == "Coopérative Ozon"
        assert added["ess_family"] == "Coopérative"
        assert "contact" not in added
    assert stored(db) == 1


def test_resend_is_acknowledged_once_stored_once_broadcast_once(
    phone, make_workshop, initiative_data, db
):
    workshop = make_workshop()
    sender, other = phone(workshop), phone(workshop, "Alex")
    other.get_received(NS)
    data = initiative_data(workshop)
    first = sender.emit("submit_contribution", data, namespace=NS, callback=True)
    again = sender.emit("submit_contribution", data, namespace=NS, callback=True)
    assert first == again == {"ok": True, "id": first["id"], "client_id": data["client_id"]}
    assert stored(db) == 1
    assert len(events(other, "contribution_added")) == 1


def test_http_fallback_contribution_reaches_the_room(
    app, phone, make_workshop, initiative_data
):
    workshop = make_workshop()
    watcher = phone(workshop)
    watcher.get_received(NS)
    http = app.test_client()
    http.post(f"/j/{workshop.join_code}", data={"display_name": "Sans JS"})
    data = initiative_data(workshop, name="Fallback")
    http.post(f"/j/{workshop.join_code}/contribute", data=data)
    assert [c["name"] for c in events(watcher, "contribution_added")] == ["Fallback"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "initiative", "description": "Sans nom"}, "name"),
        ({"kind": "need", "description": "Sans catégorie"}, "need_category_id"),
        ({"kind": "recommendation", "description": "Sans enjeu"}, "stake_id"),
        ({"kind": "initiative", "name": ["liste"], "description": "x"}, "name"),
        ({"kind": "initiative", "name": "A", "description": "x", "jobs_fte": "beaucoup"},
         "jobs_fte"),
        ({"kind": "initiative", "name": "A", "description": {"html": 1}}, "description"),
        ({"kind": "rumour", "description": "x"}, "kind"),
        ({"kind": "initiative", "name": "A", "description": "x", "client_id": "no"}, "client_id"),
    ],
)
def test_invalid_payloads_are_refused_with_field_errors(
    phone, make_workshop, db, payload, field
):
    workshop = make_workshop()
    socket = phone(workshop)
    socket.get_received(NS)
    payload = {"client_id": new_client_id(), **payload}
    ack = socket.emit("submit_contribution", payload, namespace=NS, callback=True)
    assert ack["ok"] is False
    assert ack["error"] == "Certains champs sont invalides."
    assert field in ack["fields"] and ack["fields"][field]
    assert stored(db) == 0
    assert events(socket, "contribution_added") == []


@pytest.mark.parametrize("payload", [None, "texte", ["kind", "initiative"], 42])
def test_a_payload_that_is_not_an_object_is_refused(phone, make_workshop, db, payload):
    socket = phone(make_workshop())
    ack = socket.emit("submit_contribution", payload, namespace=NS, callback=True)
    assert ack == {"ok": False, "error": "Contribution illisible.", "fields": {}}
    assert socket.is_connected(NS)
    assert stored(db) == 0


def test_oversized_payload_is_refused_and_the_socket_survives(
    app, phone, make_workshop, initiative_data, db
):
    workshop = make_workshop()
    socket = phone(workshop)
    limit = app.config["LIVE_MAX_PAYLOAD_BYTES"]
    big = initiative_data(workshop, description="é" * (limit // 2 + 10))  # 2 bytes each
    ack = socket.emit("submit_contribution", big, namespace=NS, callback=True)
    assert ack["ok"] is False and "trop volumineuse" in ack["error"]
    assert stored(db) == 0
    ok = socket.emit("submit_contribution", initiative_data(workshop), namespace=NS, callback=True)
    assert ok["ok"] is True and stored(db) == 1


def test_socketio_buffer_lets_slightly_oversized_messages_reach_the_check(app):
    limit = app.config["LIVE_MAX_PAYLOAD_BYTES"]
    assert socketio.server.eio.max_http_buffer_size > limit * 3 // 2


def test_payload_cannot_choose_another_workshop(phone, make_workshop, initiative_data, db):
    mine = make_workshop()
    theirs = make_workshop(diagnostic=mine.diagnostic, title="Atelier Sud")
    socket = phone(mine)
    payload = {**initiative_data(mine), "workshop_id": theirs.id, "workshop": theirs.id}
    ack = socket.emit("submit_contribution", payload, namespace=NS, callback=True)
    assert ack["ok"] is True
    assert db.session.get(Contribution, ack["id"]).workshop_id == mine.id


def test_cannot_connect_to_a_workshop_not_joined(app, phone, make_workshop):
    mine = make_workshop()
    theirs = make_workshop(diagnostic=mine.diagnostic, title="Atelier Sud")
    intruder = phone(mine, auth={"workshop_id": theirs.id})
    assert not intruder.is_connected(NS)


def test_a_phone_of_workshop_a_hears_nothing_from_b(phone, make_workshop, initiative_data):
    a = make_workshop()
    b = make_workshop(diagnostic=a.diagnostic, title="Atelier Sud")
    listener, speaker = phone(a), phone(b, "Alex")
    listener.get_received(NS)
    ack = speaker.emit("submit_contribution", initiative_data(b), namespace=NS, callback=True)
    assert ack["ok"] is True
    assert listener.get_received(NS) == []


def test_closed_workshop_refuses_with_its_message(phone, make_workshop, initiative_data, db):
    workshop = make_workshop()
    socket = phone(workshop)
    lifecycle.close_workshop(db.session, workshop, None)
    db.session.commit()
    ack = socket.emit("submit_contribution", initiative_data(workshop), namespace=NS, callback=True)
    assert ack["ok"] is False
    assert ack["error"] == "Cet atelier est clos : il ne reçoit plus de contributions."
    assert stored(db) == 0


@pytest.mark.parametrize("auth", [None, {}, {"workshop_id": "x"}, {"workshop_id": True}, "id"])
def test_anonymous_socket_is_refused(app, client, make_workshop, auth):
    workshop = make_workshop()
    if auth == "id":  # the right workshop, but this browser never joined it
        auth = {"workshop_id": workshop.id}
    socket = socketio.test_client(app, namespace=NS, flask_test_client=client, auth=auth)
    assert not socket.is_connected(NS)


def test_board_role_needs_a_login(app, client, make_workshop):
    workshop = make_workshop()
    socket = socketio.test_client(
        app, namespace=NS, flask_test_client=client,
        auth={"workshop_id": workshop.id, "role": "board"},
    )
    assert not socket.is_connected(NS)


def test_a_board_cannot_submit(board, make_workshop, initiative_data, db):
    workshop = make_workshop()
    projector = board(workshop)
    assert projector.is_connected(NS)
    ack = projector.emit(
        "submit_contribution", initiative_data(workshop), namespace=NS, callback=True
    )
    assert ack["ok"] is False and "participant" in ack["error"]
    assert stored(db) == 0


def test_unexpected_error_is_an_ack_not_a_dead_socket(
    phone, make_workshop, initiative_data, db, monkeypatch
):
    workshop = make_workshop()
    socket = phone(workshop)

    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("workshops.live.submission.submit_contribution", broken)
    ack = socket.emit("submit_contribution", initiative_data(workshop), namespace=NS, callback=True)
    assert ack == {"ok": False, "error": "Erreur inattendue, réessayez.", "fields": {},
                   "retry_after": 5}  # nothing stored: the outbox resends it later
    assert socket.is_connected(NS)


def test_events_are_numbered_and_a_reconnecting_client_gets_what_it_missed(
    phone, make_workshop, initiative_data, db
):
    workshop = make_workshop()  # opening it was event 1 (workshop_status)
    first = phone(workshop, "Alice")
    state = events(first, "workshop_state")[0]
    assert state["seq"] == 1
    acks = [first.emit("submit_contribution", initiative_data(workshop, name=f"Item {n}"),
                       namespace=NS, callback=True) for n in range(3)]
    added = events(first, "contribution_added")
    assert [e["seq"] for e in added] == [2, 3, 4]
    assert [e["id"] for e in added] == [a["id"] for a in acks]

    late = phone(workshop, "Bob", auth={"workshop_id": workshop.id, "last_seq": 2})
    replay = events(late, "events_replay")[0]["events"]
    assert [(e["name"], e["seq"]) for e in replay] == [
        ("contribution_added", 3), ("contribution_added", 4)
    ]
    assert replay[0]["payload"]["name"] == "Item 1" and not events(late, "workshop_state")


@pytest.mark.parametrize("last_seq", [-1, 99, "1", None])
def test_an_impossible_last_seq_gets_the_whole_state(phone, make_workshop, last_seq):
    workshop = make_workshop()  # opening it was event 1
    socket = phone(workshop, auth={"workshop_id": workshop.id, "last_seq": last_seq})
    assert events(socket, "workshop_state")[0]["seq"] == 1


def test_a_contribution_and_its_event_are_stored_together_or_not_at_all(
    phone, make_workshop, initiative_data, db, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from diagnostic.live import events as live_events

    workshop = make_workshop()
    socket = phone(workshop)
    socket.get_received(NS)
    data = initiative_data(workshop)
    real_record = live_events.record_events

    def locked(*args, **kwargs):
        raise OperationalError("UPDATE workshop", {}, Exception("database is locked"))

    monkeypatch.setattr(live_events, "record_events", locked)
    ack = socket.emit("submit_contribution", data, namespace=NS, callback=True)
    assert ack["ok"] is False and stored(db) == 0  # nothing stored: the phone retries
    monkeypatch.setattr(live_events, "record_events", real_record)
    ack = socket.emit("submit_contribution", data, namespace=NS, callback=True)
    assert ack["ok"] is True and stored(db) == 1
    assert [e["id"] for e in events(socket, "contribution_added")] == [ack["id"]]
