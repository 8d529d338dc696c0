"""The withdraw_contribution socket event: the author's phone withdraws, every screen hears."""

from __future__ import annotations

from sqlalchemy import select

from diagnostic.live import lifecycle
from diagnostic.models import Contribution, Phase
from tests.workshops.conftest import NS, events, stored
from tests.workshops.live.test_facilitate_live import console  # noqa: F401 - fixture
from workshops.live.ratelimit import Rule

TEXT = "Une coopérative d'activité et d'emploi."


def submit(socket, data):
    return socket.emit("submit_contribution", data, namespace=NS, callback=True)


def withdraw(socket, cid):
    return socket.emit("withdraw_contribution", {"id": cid}, namespace=NS, callback=True)


def test_the_author_withdraws_and_every_screen_removes_it(
    db, phone, board, console, make_workshop, initiative_data  # noqa: F811
):
    workshop = make_workshop()
    author, neighbour, projector = phone(workshop, "Autrice"), phone(workshop, "Voisin"), \
        board(workshop)
    facilitator = console(workshop)
    item = submit(author, initiative_data(workshop))["id"]
    for socket in (author, neighbour, projector, facilitator):
        socket.get_received(NS)

    assert withdraw(author, item) == {"ok": True, "id": item, "withdrawn": True}

    for socket in (neighbour, projector, author):
        [gone] = [e for e in events(socket, "contribution_updated") if e["id"] == item]
        assert gone["withdrawn"] is True and gone["redacted"] is True
        assert gone["description"] is None and gone["name"] is None
    full = [e for e in events(facilitator, "contribution_updated") if e["id"] == item]
    assert full and all(e["withdrawn"] for e in full)  # the console drops it
    assert TEXT not in repr(full)
    db.session.expire_all()
    row = db.session.get(Contribution, item)
    assert row.withdrawn_at is not None and row.description == ""

    # Again: acknowledged, nothing new is told.
    assert withdraw(author, item) == {"ok": True, "id": item, "withdrawn": True}
    assert events(projector, "contribution_updated") == []


def test_someone_elses_item_or_a_board_is_refused(db, phone, board, make_workshop,
                                                   initiative_data):
    workshop = make_workshop()
    author, other, projector = phone(workshop, "Autrice"), phone(workshop, "Autre"), \
        board(workshop)
    item = submit(author, initiative_data(workshop))["id"]
    ack = withdraw(other, item)
    assert ack["ok"] is False
    assert ack["error"] == "Vous ne pouvez retirer que vos propres contributions."
    assert withdraw(other, 10_000)["error"] == "Contribution introuvable."
    assert other.emit("withdraw_contribution", "x", namespace=NS,
                      callback=True)["error"] == "Demande illisible."
    refused = withdraw(projector, item)
    assert refused["ok"] is False and "participant" in refused["error"]
    db.session.expire_all()
    assert db.session.get(Contribution, item).withdrawn_at is None


def test_a_closed_workshop_refuses_it(db, phone, make_workshop, initiative_data):
    workshop = make_workshop()
    author = phone(workshop, "Autrice")
    item = submit(author, initiative_data(workshop))["id"]
    lifecycle.close_workshop(db.session, workshop, None)
    db.session.commit()
    ack = withdraw(author, item)
    assert ack["ok"] is False and "clos" in ack["error"]


def test_a_resend_after_withdrawal_is_acknowledged_not_stored(db, phone, board, make_workshop,
                                                              initiative_data):
    workshop = make_workshop()
    author, projector = phone(workshop, "Autrice"), board(workshop)
    data = initiative_data(workshop)
    item = submit(author, data)["id"]
    withdraw(author, item)
    projector.get_received(NS)
    ack = submit(author, data)  # the outbox sends it again (it missed the first ack)
    assert ack == {"ok": True, "id": item, "client_id": data["client_id"], "withdrawn": True}
    assert stored(db) == 1
    assert events(projector, "contribution_added") == []


def test_voters_get_their_dots_back_on_their_phones(db, phone, make_workshop, initiative_data):
    workshop = make_workshop()
    author, voter = phone(workshop, "Autrice"), phone(workshop, "Votant")
    item = submit(author, initiative_data(workshop))["id"]
    workshop.phase, workshop.dot_budget, workshop.dot_max_per_item = Phase.VOTE, 5, 3
    db.session.commit()
    assert voter.emit("vote", {"id": item, "dots": 3}, namespace=NS,
                      callback=True)["dots_left"] == 2
    voter.get_received(NS)
    withdraw(author, item)
    [mine] = events(voter, "my_votes")
    assert mine["dots_left"] == 5 and mine["votes"] == {}


def test_a_reconnecting_phone_replays_no_text(db, phone, make_workshop, initiative_data):
    workshop = make_workshop()
    author = phone(workshop, "Autrice")
    item = submit(author, initiative_data(workshop))["id"]
    withdraw(author, item)
    late = phone(workshop, "Retard", auth={"workshop_id": workshop.id, "last_seq": 0})
    received = late.get_received(NS)
    [replay] = [e["args"][0] for e in received if e["name"] == "events_replay"]
    assert replay["events"] and TEXT not in repr(replay) and "Ozon" not in repr(replay)
    [mine] = [e["args"][0] for e in received if e["name"] == "my_contributions"]
    assert mine == {"contributions": []}


def test_withdrawing_spends_the_support_rate_limit(app, db, phone, make_workshop,
                                                   initiative_data):
    workshop = make_workshop()
    author = phone(workshop, "Autrice")
    first, second = (submit(author, initiative_data(workshop))["id"] for _ in range(2))
    app.extensions["live_rate_limiter"].rules["support"] = Rule(1, 60)
    assert withdraw(author, first)["ok"] is True
    ack = withdraw(author, second)
    assert ack["ok"] is False and ack["retry_after"] >= 1
    db.session.expire_all()
    assert db.session.scalar(select(Contribution.withdrawn_at)
                             .where(Contribution.id == second)) is None
