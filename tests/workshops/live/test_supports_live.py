"""The support, unsupport and vote socket events, and my_votes on connect."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from diagnostic.models import Phase, Support, Vote
from tests.workshops.conftest import NS, events


@pytest.fixture
def workshop_with_item(db, make_workshop, phone, initiative_data):
    """An open workshop and the id of one item posted by its author's phone."""
    workshop = make_workshop()
    author = phone(workshop, "Autrice")
    ack = author.emit("submit_contribution", initiative_data(workshop), namespace=NS,
                      callback=True)
    return workshop, ack["id"]


def vote_phase(db, workshop, budget: int = 5, per_item: int = 3) -> None:
    """Switch the workshop to the vote phase."""
    workshop.phase = Phase.VOTE
    workshop.dot_budget, workshop.dot_max_per_item = budget, per_item
    db.session.commit()


def rows(db, model) -> int:
    """Rows of ``model`` in the database."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_support_is_acknowledged_stored_once_and_tallied_live(
    db, phone, board, workshop_with_item
):
    workshop, item = workshop_with_item
    fan, projector = phone(workshop, "Fan"), board(workshop)
    fan.get_received(NS), projector.get_received(NS)

    ack = fan.emit("support", {"id": item}, namespace=NS, callback=True)
    again = fan.emit("support", {"id": item}, namespace=NS, callback=True)

    assert ack == again == {"ok": True, "id": item, "supports": 1, "supported": True}
    assert rows(db, Support) == 1
    [updated] = events(projector, "contribution_updated")  # broadcast once, not twice
    assert (updated["id"], updated["supports"], updated["dots"]) == (item, 1, 0)


def test_unsupport_takes_the_support_back(db, phone, workshop_with_item):
    workshop, item = workshop_with_item
    fan = phone(workshop, "Fan")
    fan.emit("support", {"id": item}, namespace=NS, callback=True)
    fan.get_received(NS)
    ack = fan.emit("unsupport", {"id": item}, namespace=NS, callback=True)
    assert ack == {"ok": True, "id": item, "supports": 0, "supported": False}
    assert rows(db, Support) == 0
    assert events(fan, "contribution_updated")[0]["supports"] == 0


def test_supporting_ones_own_item_is_refused_in_french(db, app, make_workshop, initiative_data):
    from workshops.extensions import socketio

    workshop = make_workshop()
    http = app.test_client()
    http.post(f"/j/{workshop.join_code}", data={"display_name": "Autrice"})
    author = socketio.test_client(app, namespace=NS, flask_test_client=http,
                                  auth={"workshop_id": workshop.id})
    item = author.emit("submit_contribution", initiative_data(workshop), namespace=NS,
                       callback=True)["id"]
    ack = author.emit("support", {"id": item}, namespace=NS, callback=True)
    assert ack["ok"] is False and "propre contribution" in ack["error"]
    assert rows(db, Support) == 0


def test_dot_votes_respect_the_budget_and_are_tallied_live(
    db, phone, board, workshop_with_item, initiative_data
):
    workshop, item = workshop_with_item
    other_item = phone(workshop, "Autre").emit(
        "submit_contribution", initiative_data(workshop, name="Régie"), namespace=NS,
        callback=True)["id"]
    vote_phase(db, workshop, budget=4, per_item=3)
    voter, projector = phone(workshop, "Votant"), board(workshop)
    projector.get_received(NS)

    assert voter.emit("vote", {"id": item, "dots": 3}, namespace=NS, callback=True) == {
        "ok": True, "id": item, "dots": 3, "dots_left": 1, "total_dots": 3}
    [updated] = events(projector, "contribution_updated")
    assert (updated["id"], updated["dots"]) == (item, 3)

    refused = voter.emit("vote", {"id": other_item, "dots": 2}, namespace=NS, callback=True)
    assert refused["ok"] is False
    assert refused["error"] == (
        "Pas assez de gommettes : vous en avez 4 en tout, il vous en reste 1.")
    assert events(projector, "contribution_updated") == []
    db.session.expire_all()
    assert [(v.contribution_id, v.dots) for v in db.session.scalars(select(Vote))] == [(item, 3)]

    too_many = voter.emit("vote", {"id": other_item, "dots": 4}, namespace=NS, callback=True)
    assert too_many["ok"] is False and "Au plus 3 gommettes" in too_many["error"]


def test_voting_outside_the_vote_phase_is_refused(db, phone, workshop_with_item):
    workshop, item = workshop_with_item
    ack = phone(workshop, "Votant").emit("vote", {"id": item, "dots": 1}, namespace=NS,
                                         callback=True)
    assert ack["ok"] is False and "vote n'est pas ouvert" in ack["error"]
    assert rows(db, Vote) == 0


def test_voting_on_another_workshops_item_is_refused(
    db, phone, make_workshop, workshop_with_item
):
    workshop, item = workshop_with_item
    other = make_workshop(title="Atelier Sud")
    vote_phase(db, other)
    ack = phone(other, "Intrus").emit("vote", {"id": item, "dots": 1}, namespace=NS,
                                      callback=True)
    assert ack == {"ok": False, "error": "Contribution introuvable.", "fields": {}}
    assert rows(db, Vote) == 0


@pytest.mark.parametrize("event", ["support", "unsupport", "vote"])
def test_a_board_cannot_support_or_vote(db, board, workshop_with_item, event):
    workshop, item = workshop_with_item
    if event == "vote":
        vote_phase(db, workshop)
    ack = board(workshop).emit(event, {"id": item, "dots": 1}, namespace=NS, callback=True)
    assert ack["ok"] is False and "participant" in ack["error"]
    assert rows(db, Vote) == rows(db, Support) == 0


@pytest.mark.parametrize("payload", [None, "x", [1], {"id": "1"}, {}])
def test_unreadable_payloads_are_refused(db, phone, workshop_with_item, payload):
    workshop, _ = workshop_with_item
    fan = phone(workshop, "Fan")
    ack = fan.emit("support", payload, namespace=NS, callback=True)
    assert ack["ok"] is False and ack["error"]
    assert fan.is_connected(NS)
    assert rows(db, Support) == 0


def test_a_reconnecting_phone_gets_its_votes_and_dots_left(
    db, app, workshop_with_item
):
    from workshops.extensions import socketio

    workshop, item = workshop_with_item
    http = app.test_client()
    http.post(f"/j/{workshop.join_code}", data={"display_name": "Votant"})
    connect = lambda: socketio.test_client(  # noqa: E731 - the same phone, twice
        app, namespace=NS, flask_test_client=http, auth={"workshop_id": workshop.id})
    first = connect()
    [mine] = events(first, "my_votes")
    assert mine["supported"] == [] and mine["dots_left"] == 5 and mine["own"] == []
    first.emit("support", {"id": item}, namespace=NS, callback=True)
    vote_phase(db, workshop, budget=5, per_item=3)
    first.emit("vote", {"id": item, "dots": 2}, namespace=NS, callback=True)
    first.disconnect(namespace=NS)

    [again] = events(connect(), "my_votes")
    assert again == {"supported": [item], "votes": {str(item): 2}, "own": [],
                     "dots_left": 3, "dot_budget": 5, "dot_max_per_item": 3}
