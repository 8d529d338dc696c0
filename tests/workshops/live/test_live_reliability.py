"""Catch-up after a reconnection (replay by seq, ``sync``) and retryable refusals."""

from __future__ import annotations

from workshops.extensions import socketio

from ..conftest import NS, events, stored


def post(socket, workshop, initiative_data, name: str) -> dict:
    """Submit an initiative named ``name`` from ``socket``; return the ack."""
    return socket.emit("submit_contribution", initiative_data(workshop, name=name),
                       namespace=NS, callback=True)


def test_a_phone_that_drops_and_reconnects_gets_exactly_the_events_it_missed(
    app, phone, board, make_workshop, initiative_data
):
    workshop = make_workshop()
    alice = phone(workshop, "Alice")
    screen = board(workshop)
    post(alice, workshop, initiative_data, "Avant")
    seen = events(screen, "contribution_added")
    last_seq = seen[-1]["seq"]
    http = screen.flask_test_client
    screen.disconnect(NS)

    missed = [post(alice, workshop, initiative_data, f"Pendant {n}") for n in range(2)]

    again = socketio.test_client(app, namespace=NS, flask_test_client=http, auth={
        "workshop_id": workshop.id, "role": "board", "last_seq": last_seq})
    received = again.get_received(NS)
    # ``presence`` is ephemeral (never numbered nor replayed): it comes on every connect.
    assert [e["name"] for e in received if e["name"] != "presence"] == ["events_replay"]
    replay = next(e["args"][0] for e in received if e["name"] == "events_replay")["events"]
    assert [(e["name"], e["seq"]) for e in replay] == [
        ("contribution_added", last_seq + 1), ("contribution_added", last_seq + 2)]
    assert [e["payload"]["id"] for e in replay] == [a["id"] for a in missed]
    assert [e["payload"]["seq"] for e in replay] == [last_seq + 1, last_seq + 2]
    # Afterwards it is live again like everybody.
    post(alice, workshop, initiative_data, "Après")
    assert [e["seq"] for e in events(again, "contribution_added")] == [last_seq + 3]


def test_a_client_that_is_up_to_date_gets_an_empty_replay(phone, make_workshop,
                                                          initiative_data):
    workshop = make_workshop()
    alice = phone(workshop, "Alice")
    ack = post(alice, workshop, initiative_data, "Seul")
    seq = events(alice, "contribution_added")[0]["seq"]
    bob = phone(workshop, "Bob", auth={"workshop_id": workshop.id, "last_seq": seq})
    assert events(bob, "events_replay") == [{"events": []}]
    assert ack["ok"] and not events(bob, "workshop_state")


def test_sync_sends_the_whole_state_to_that_socket_only(phone, board, make_workshop,
                                                        initiative_data):
    workshop = make_workshop()
    alice = phone(workshop, "Alice")
    bob = phone(workshop, "Bob")
    screen = board(workshop)
    ack = post(alice, workshop, initiative_data, "Coopérative Ozon")
    for socket in (alice, bob, screen):
        socket.get_received(NS)

    reply = bob.emit("sync", namespace=NS, callback=True)

    state = events(bob, "workshop_state")
    assert reply == {"ok": True, "seq": 2}  # opening the workshop, then the contribution
    assert len(state) == 1 and state[0]["seq"] == 2
    assert [c["id"] for c in state[0]["contributions"]] == [ack["id"]]
    assert state[0]["workshop"]["id"] == workshop.id
    assert not events(alice, "workshop_state") and not events(screen, "workshop_state")
    assert screen.emit("sync", namespace=NS, callback=True)["ok"] is True  # boards too
    assert events(screen, "workshop_state")[0]["seq"] == 2


def test_an_unexpected_error_is_acknowledged_as_retryable_and_stores_nothing(
    phone, make_workshop, initiative_data, db, monkeypatch
):
    workshop = make_workshop()
    alice = phone(workshop, "Alice")

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("workshops.live.submission.submit_contribution", broken)
    payload = initiative_data(workshop)
    ack = alice.emit("submit_contribution", payload, namespace=NS, callback=True)
    assert ack["ok"] is False and ack["retry_after"] > 0
    assert ack["error"] == "Erreur inattendue, réessayez."
    assert stored(db) == 0 and alice.is_connected(NS)
    monkeypatch.undo()
    # The outbox's resend of the same client_id then goes through, once.
    assert alice.emit("submit_contribution", payload, namespace=NS, callback=True)["ok"]
    assert stored(db) == 1


def test_a_validation_refusal_is_definitive(phone, make_workshop, initiative_data, db):
    workshop = make_workshop()
    ack = phone(workshop).emit("submit_contribution", initiative_data(workshop, name=""),
                               namespace=NS, callback=True)
    assert ack["ok"] is False and "name" in ack["fields"]
    assert "retry_after" not in ack  # the browser gives it back to the form
    assert stored(db) == 0
