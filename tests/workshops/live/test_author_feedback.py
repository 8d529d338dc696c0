"""Under pre-moderation, the author (and only the author) sees their own pending item, in
full, live and after any reconnection; a refusal reaches them with its reason."""

from __future__ import annotations

import json

import pytest

from diagnostic.models import AuditEntry, Contribution, ModerationMode
from tests.workshops.conftest import NS, events
from tests.workshops.live.test_facilitate_live import (  # noqa: F401 - console: a fixture
    ask,
    console,
)
from workshops.extensions import socketio

SECRET = "Texte que seule son autrice peut lire"
REASON = "Merci de préciser la commune."


@pytest.fixture
def pre_workshop(db, make_workshop):
    workshop = make_workshop()
    workshop.moderation = ModerationMode.PRE
    db.session.commit()
    return workshop


@pytest.fixture
def join(app):
    """``join(workshop, name)``: a phone's HTTP client, joined; ``.socket(auth)`` opens a
    socket with its cookie (so the same person can reconnect)."""
    def factory(workshop, name):
        http = app.test_client()
        assert http.post(f"/j/{workshop.join_code}", data={"display_name": name}).status_code \
            == 302

        def socket(**auth):
            return socketio.test_client(app, namespace=NS, flask_test_client=http,
                                        auth={"workshop_id": workshop.id, **auth})
        http.socket = socket
        return http
    return factory


def received_text(socket) -> str:
    return json.dumps(socket.get_received(NS), ensure_ascii=False)


def mine(socket) -> list[dict]:
    """The items of the last ``my_contributions`` the socket received."""
    return events(socket, "my_contributions")[-1]["contributions"]


def submit_pending(socket, workshop, initiative_data) -> int:
    ack = socket.emit("submit_contribution",
                      initiative_data(workshop, name="Épicerie", description=SECRET),
                      namespace=NS, callback=True)
    assert ack["ok"] is True and ack["pending"] is True, ack
    return ack["id"]


def test_the_author_alone_sees_their_pending_item_live_and_after_reconnecting(
    db, pre_workshop, join, initiative_data
):
    author = join(pre_workshop, "Autrice")
    witness = join(pre_workshop, "Témoin")
    phone, other = author.socket(), witness.socket()
    assert mine(phone) == [] and mine(other) == []
    item_id = submit_pending(phone, pre_workshop, initiative_data)

    [live] = events(phone, "my_contribution")
    assert live["id"] == item_id and live["description"] == SECRET
    assert live["status"] == "pending" and live["refused"] is False
    assert SECRET not in received_text(other)

    # A reload (whole state), a reconnection with an old last_seq (replay), a sync.
    for auth in ({}, {"last_seq": 0}):
        again = author.socket(**auth)
        [item] = mine(again)
        assert (item["id"], item["description"], item["status"]) == (item_id, SECRET, "pending")
        stranger = witness.socket(**auth)
        assert mine(stranger) == []
        assert SECRET not in received_text(stranger)
    assert phone.emit("sync", None, namespace=NS, callback=True)["ok"] is True
    assert [item["id"] for item in mine(phone)] == [item_id]
    assert other.emit("sync", None, namespace=NS, callback=True)["ok"] is True
    assert mine(other) == []


def test_approval_makes_the_item_a_normal_one_for_everyone(
    db, pre_workshop, join, console, initiative_data  # noqa: F811
):
    author = join(pre_workshop, "Autrice")
    phone = author.socket()
    item_id = submit_pending(phone, pre_workshop, initiative_data)
    phone.get_received(NS)
    assert ask(console(pre_workshop), "approve", {"id": item_id})["ok"] is True
    [added] = events(phone, "contribution_added")
    assert added["id"] == item_id and added["status"] == "published"
    assert mine(author.socket()) == []


def test_a_refusal_with_its_reason_reaches_the_author_only_and_is_kept(
    db, pre_workshop, join, console, initiative_data  # noqa: F811
):
    author = join(pre_workshop, "Autrice")
    witness = join(pre_workshop, "Témoin")
    phone, other = author.socket(), witness.socket()
    item_id = submit_pending(phone, pre_workshop, initiative_data)
    facilitator = console(pre_workshop)
    phone.get_received(NS)
    other.get_received(NS)

    ack = ask(facilitator, "reject", {"id": item_id, "reason": f"  {REASON} "})
    assert ack["ok"] is True, ack
    assert ack["item"]["refused"] is True and ack["item"]["refusal_reason"] == REASON

    [told] = events(phone, "my_contribution")
    assert (told["id"], told["refused"], told["refusal_reason"]) == (item_id, True, REASON)
    assert told["description"] == SECRET
    seen = received_text(other)
    assert REASON not in seen and SECRET not in seen

    db.session.expire_all()
    stored = db.session.get(Contribution, item_id)
    assert stored.refusal_reason == REASON and stored.refused_at is not None
    entry = db.session.query(AuditEntry).filter_by(action="reject").one()
    assert entry.after == {"status": "hidden", "refusal_reason": REASON}

    # Offline when it happened: told on the next connection, whichever way it comes back.
    for auth in ({}, {"last_seq": 0}):
        [item] = mine(author.socket(**auth))
        assert (item["id"], item["refused"], item["refusal_reason"]) == (item_id, True, REASON)
        assert mine(witness.socket(**auth)) == []


def test_a_reason_too_long_is_refused_and_nothing_changes(
    db, pre_workshop, join, console, initiative_data  # noqa: F811
):
    phone = join(pre_workshop, "Autrice").socket()
    item_id = submit_pending(phone, pre_workshop, initiative_data)
    phone.get_received(NS)
    ack = ask(console(pre_workshop), "reject", {"id": item_id, "reason": "x" * 201})
    assert ack["ok"] is False and "reason" in ack["fields"]
    assert events(phone, "my_contribution") == []
    db.session.expire_all()
    assert db.session.get(Contribution, item_id).status.value == "pending"
