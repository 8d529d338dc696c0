"""One unit of work per edge: stored means announced, a rollback announces nothing.

The HTTP fallback and the socket share the submission path (and its rate limit); room
events are staged by the services and sent by the after-commit hook only.
"""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from diagnostic.live import events as live_events
from diagnostic.live import moderation
from tests.workshops.conftest import NS, events, stored


@pytest.fixture
def app_config(app_config, request):
    """Server errors become 500 pages (as in production) instead of test exceptions;
    a test may add settings (``indirect`` parametrisation)."""
    return {**app_config, "PROPAGATE_EXCEPTIONS": False, **getattr(request, "param", {})}


def post_form(socket, workshop, data):
    """The phone's no-JavaScript form post, with the same browser session as its socket."""
    return socket.flask_test_client.post(f"/j/{workshop.join_code}/contribute", data=data)


def added_names(socket) -> list[str]:
    """Names of the contributions announced to ``socket`` since last asked."""
    return [item["name"] for item in events(socket, "contribution_added")]


def test_http_fallback_stores_nothing_when_its_event_cannot_be_recorded(
    phone, board, make_workshop, initiative_data, db, monkeypatch
):
    workshop = make_workshop()
    alice, screen = phone(workshop, "Alice"), board(workshop)
    screen.get_received(NS)
    data = initiative_data(workshop, name="Garage solidaire")

    def locked(*args, **kwargs):
        raise OperationalError("UPDATE workshop", {}, Exception("database is locked"))

    monkeypatch.setattr(live_events, "record_events", locked)
    assert post_form(alice, workshop, data).status_code == 500
    assert stored(db) == 0 and added_names(screen) == []
    monkeypatch.undo()
    # The same form sent again is stored once, and the room hears of it.
    assert post_form(alice, workshop, data).status_code == 302
    assert stored(db) == 1 and added_names(screen) == ["Garage solidaire"]
    resent = post_form(alice, workshop, data)
    assert resent.status_code == 302 and stored(db) == 1 and added_names(screen) == []


def test_a_send_that_fails_after_the_commit_leaves_the_event_replayable(
    app, phone, board, make_workshop, initiative_data, db, monkeypatch
):
    from workshops.live import rooms

    workshop = make_workshop()
    alice, screen = phone(workshop, "Alice"), board(workshop)
    last_seq = events(screen, "workshop_state")[0]["seq"]

    def unreachable(message):
        raise ConnectionError("message queue away")

    monkeypatch.setattr(rooms, "send", unreachable)
    assert post_form(alice, workshop, initiative_data(workshop, name="Recyclerie")).status_code \
        == 302
    monkeypatch.undo()
    assert stored(db) == 1 and added_names(screen) == []
    late = phone(workshop, "Bob", auth={"workshop_id": workshop.id, "last_seq": last_seq})
    replay = events(late, "events_replay")[0]["events"]
    assert [(e["name"], e["payload"]["name"]) for e in replay] == [
        ("contribution_added", "Recyclerie")]


@pytest.mark.parametrize("app_config", [{"LIVE_RATE_SUBMIT": "2/600"}], indirect=True)
def test_the_http_fallback_spends_the_same_tokens_as_the_socket(
    phone, make_workshop, initiative_data, db
):
    workshop = make_workshop()
    alice = phone(workshop, "Alice")
    first = initiative_data(workshop, name="Un")
    for data in (first, initiative_data(workshop, name="Deux")):
        assert alice.emit("submit_contribution", data, namespace=NS, callback=True)["ok"]
    refused = post_form(alice, workshop, initiative_data(workshop, name="Trois"))
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Vous envoyez trop vite" in page and "Trois" in page  # the form keeps the text
    assert stored(db) == 2
    # A resend of what is stored already is never refused: the outbox must hear it arrived.
    resent = post_form(alice, workshop, first)
    assert resent.status_code == 302 and stored(db) == 2


def test_a_rolled_back_change_tells_nobody_and_a_committed_one_tells_the_room(
    phone, board, make_workshop, initiative_data, db
):
    workshop = make_workshop()
    alice, screen = phone(workshop, "Alice"), board(workshop)
    ack = alice.emit("submit_contribution", initiative_data(workshop), namespace=NS,
                     callback=True)
    screen.get_received(NS)
    moderation.hide(db.session, workshop, None, ack["id"])
    db.session.rollback()
    assert events(screen, "contribution_updated") == []
    moderation.hide(db.session, workshop, None, ack["id"])
    assert events(screen, "contribution_updated") == []  # staged, not yet committed
    db.session.commit()
    [hidden] = events(screen, "contribution_updated")
    assert hidden["id"] == ack["id"] and hidden["status"] == "hidden"
