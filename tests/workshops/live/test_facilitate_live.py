"""Facilitator events over /live: authorised, broadcast, and refused from phones and boards."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import func, select

from diagnostic.live import moderation
from diagnostic.models import AuditEntry, Contribution, Role, Vocabulary
from tests.conftest import PASSWORD, IsolatedClient, new_client_id
from tests.workshops.conftest import NS, events, stored
from workshops.extensions import socketio


@pytest.fixture
def console(app, make_user):
    """A facilitator console: a logged-in account's socket in the facilitator role."""

    def factory(workshop, user=None):
        http = IsolatedClient(app, app.response_class, use_cookies=True)
        user = user or make_user(role=Role.STAFF)
        http.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        forget_user()
        return socketio.test_client(app, namespace=NS, flask_test_client=http,
                                    auth={"workshop_id": workshop.id, "role": "facilitator"})

    return factory


def forget_user() -> None:
    """Drop Flask-Login's cached user: the test sockets share the fixture's app context
    (and its ``g``), where in production each event has its own."""
    g.pop("_login_user", None)


def ask(socket, event, payload):
    """Emit a facilitator event and return its acknowledgement."""
    forget_user()
    return socket.emit(event, payload, namespace=NS, callback=True)


def submit(socket, data):
    return socket.emit("submit_contribution", data, namespace=NS, callback=True)


def state_of(db, workshop):
    """Everything a forged event could change."""
    db.session.expire_all()
    rows = db.session.execute(select(Contribution.id, Contribution.status,
                                     Contribution.description, Contribution.merged_into_id)
                              .order_by(Contribution.id)).all()
    return (workshop.phase, workshop.phase_ends_at, workshop.moderation, workshop.dot_budget,
            workshop.dot_max_per_item, workshop.status, [tuple(r) for r in rows],
            db.session.scalar(select(func.count()).select_from(AuditEntry)))


def test_console_state_lists_every_item_with_its_status(console, phone, make_workshop,
                                                        initiative_data, db):
    workshop = make_workshop()
    first = submit(phone(workshop), initiative_data(workshop))
    second = submit(phone(workshop, "Alex"), initiative_data(workshop, name="Autre"))
    moderation.hide(db.session, workshop, None, second["id"])
    db.session.commit()
    facilitator = console(workshop)
    [state] = events(facilitator, "console_state")
    assert {(c["id"], c["status"]) for c in state["contributions"]} == {
        (first["id"], "published"), (second["id"], "hidden")}
    assert state["workshop"]["phase"] == "welcome"


def test_only_staff_and_assigned_facilitators_connect(console, make_workshop, make_user, app, db):
    workshop = make_workshop()
    stranger = make_user(role=Role.FACILITATOR)
    assert not console(workshop, stranger).is_connected(NS)
    assigned = make_user(role=Role.FACILITATOR)
    workshop.facilitators.append(assigned)
    db.session.commit()
    assert console(workshop, assigned).is_connected(NS)
    forget_user()
    anonymous = socketio.test_client(app, namespace=NS, flask_test_client=app.test_client(),
                                     auth={"workshop_id": workshop.id, "role": "facilitator"})
    assert not anonymous.is_connected(NS)


def test_set_phase_reaches_phones_and_board_with_the_prompt(console, phone, board,
                                                            make_workshop, db):
    workshop = make_workshop()
    facilitator, watcher, projector = console(workshop), phone(workshop), board(workshop)
    for socket in (watcher, projector):
        socket.get_received(NS)
    ack = ask(facilitator, "set_phase", {"phase": "needs"})
    assert ack["ok"] is True and ack["workshop"]["phase"] == "needs"
    for socket in (watcher, projector):
        [updated] = events(socket, "workshop_updated")
        assert updated["phase"] == "needs" and updated["phase_kind"] == "need"
        assert updated["phase_prompt"].startswith("De quoi les structures")
    ack = ask(facilitator, "set_phase", {"phase": "bogus"})
    assert ack["ok"] is False and "phase" in ack["fields"]
    assert events(watcher, "workshop_updated") == []


def test_the_closed_phase_is_refused_closing_has_its_own_event(console, phone, make_workshop,
                                                                initiative_data, db):
    workshop = make_workshop()
    facilitator, watcher = console(workshop), phone(workshop)
    watcher.get_received(NS)
    refused = ask(facilitator, "set_phase", {"phase": "closed"})
    assert refused["ok"] is False and "Clore l'atelier" in refused["error"]
    assert events(watcher, "workshop_updated") + events(watcher, "workshop_status") == []
    assert ask(facilitator, "close_workshop", {})["ok"]
    [closed] = events(watcher, "workshop_status")
    assert (closed["status"], closed["phase"], closed["seq"]) == ("closed", "closed", 2)
    assert submit(watcher, initiative_data(workshop))["ok"] is False
    assert stored(db) == 0


def test_timer_moderation_and_vote_settings(console, phone, make_workshop, db):
    workshop = make_workshop()
    facilitator, watcher = console(workshop), phone(workshop)
    watcher.get_received(NS)
    assert ask(facilitator, "set_timer", {"seconds": 300})["ok"]
    assert ask(facilitator, "set_moderation", {"mode": "pre"})["ok"]
    assert ask(facilitator, "set_vote_settings", {"dot_budget": 8, "dot_max_per_item": 2})["ok"]
    updates = events(watcher, "workshop_updated")
    assert updates[0]["phase_ends_at"] is not None
    assert updates[1]["moderation"] == "pre"
    assert (updates[2]["dot_budget"], updates[2]["dot_max_per_item"]) == (8, 2)
    refused = ask(facilitator, "set_timer", {"seconds": 9000})
    assert refused["ok"] is False and refused["fields"]["seconds"]
    refused = ask(facilitator, "set_vote_settings", {"dot_budget": 3, "dot_max_per_item": 5})
    assert "dot_max_per_item" in refused["fields"]
    assert ask(facilitator, "set_timer", {"seconds": 0})["ok"]
    assert events(watcher, "workshop_updated")[-1]["phase_ends_at"] is None


EVENTS = [
    ("set_phase", {"phase": "needs"}),
    ("set_timer", {"seconds": 60}),
    ("set_moderation", {"mode": "pre"}),
    ("set_vote_settings", {"dot_budget": 9, "dot_max_per_item": 2}),
    ("approve", {"id": "ITEM"}),
    ("reject", {"id": "ITEM"}),
    ("hide", {"id": "ITEM"}),
    ("restore", {"id": "ITEM"}),
    ("edit", {"id": "ITEM", "fields": {"description": "Forgé"}}),
    ("split", {"id": "ITEM", "parts": ["a", "b"]}),
    ("merge", {"source_id": "ITEM", "target_id": "OTHER"}),
    ("unmerge", {"id": "ITEM"}),
    ("scribe_contribution", {"kind": "need", "description": "Forgé", "client_id": "forged-123"}),
]


@pytest.mark.parametrize(("event", "payload"), EVENTS, ids=[e for e, _ in EVENTS])
@pytest.mark.parametrize("who", ["participant", "board"])
def test_forged_facilitator_events_are_refused(phone, board, make_workshop, initiative_data, db,
                                               event, payload, who):
    workshop = make_workshop()
    sender = phone(workshop)
    item = submit(sender, initiative_data(workshop))["id"]
    other = submit(sender, initiative_data(workshop, name="Autre"))["id"]
    forger = sender if who == "participant" else board(workshop)
    payload = {k: {"ITEM": item, "OTHER": other}.get(v, v) if isinstance(v, str) else v
               for k, v in payload.items()}
    if event == "scribe_contribution":
        category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0]
        payload["need_category_id"] = category.id
    before = state_of(db, workshop)
    forger.get_received(NS)
    ack = ask(forger, event, payload)
    assert ack == {"ok": False, "error": "Seule l'animation de l'atelier peut faire cela.",
                   "fields": {}}
    assert state_of(db, workshop) == before
    assert forger.is_connected(NS)
    assert events(forger, "workshop_updated") + events(forger, "contribution_updated") == []


def test_a_facilitator_removed_from_the_workshop_is_refused_at_once(
    console, make_workshop, make_user, db
):
    workshop = make_workshop()
    animator = make_user(role=Role.FACILITATOR)
    workshop.facilitators.append(animator)
    db.session.commit()
    facilitator = console(workshop, animator)
    workshop.facilitators.clear()
    db.session.commit()
    assert ask(facilitator, "set_phase", {"phase": "needs"})["ok"] is False
    db.session.refresh(workshop)
    assert workshop.phase.value == "welcome"


def test_pre_moderation_holds_items_for_the_console(console, phone, make_workshop,
                                                   initiative_data, db):
    workshop = make_workshop()
    facilitator = console(workshop)
    assert ask(facilitator, "set_moderation", {"mode": "pre"})["ok"]
    author, other = phone(workshop), phone(workshop, "Alex")
    for socket in (author, other, facilitator):
        socket.get_received(NS)
    ack = submit(author, initiative_data(workshop))
    assert ack["ok"] is True and ack["pending"] is True
    assert events(other, "contribution_added") == [] and events(author, "contribution_added") == []
    [pending] = events(facilitator, "contribution_pending")
    assert pending["id"] == ack["id"] and pending["status"] == "pending"
    approved = ask(facilitator, "approve", {"id": ack["id"]})
    assert approved["ok"] and approved["item"]["status"] == "published"
    [added] = events(other, "contribution_added")
    assert added["id"] == ack["id"] and added["status"] == "published"
    assert ask(facilitator, "approve", {"id": ack["id"]})["ok"] is False


def test_reject_stays_with_the_facilitators(console, phone, make_workshop, initiative_data, db):
    workshop = make_workshop()
    facilitator = console(workshop)
    ask(facilitator, "set_moderation", {"mode": "pre"})
    author = phone(workshop)
    ack = submit(author, initiative_data(workshop))
    author.get_received(NS)
    facilitator.get_received(NS)
    assert ask(facilitator, "reject", {"id": ack["id"]})["item"]["status"] == "hidden"
    assert events(author, "contribution_updated") == []
    assert events(facilitator, "contribution_updated")[0]["status"] == "hidden"


def test_moderation_actions_are_broadcast(console, phone, board, make_workshop,
                                          initiative_data, db):
    workshop = make_workshop()
    facilitator, sender, projector = console(workshop), phone(workshop), board(workshop)
    first = submit(sender, initiative_data(workshop))["id"]
    second = submit(sender, initiative_data(workshop, name="Ozon bis"))["id"]
    projector.get_received(NS)

    assert ask(facilitator, "hide", {"id": first})["ok"]
    [hidden] = events(projector, "contribution_updated")
    assert (hidden["id"], hidden["status"]) == (first, "hidden")
    assert ask(facilitator, "restore", {"id": first})["ok"]
    assert events(projector, "contribution_updated")[0]["status"] == "published"

    edited = ask(facilitator, "edit", {"id": first, "fields": {"description": "Reformulée"}})
    assert edited["item"]["description"] == "Reformulée"
    assert events(projector, "contribution_updated")[0]["description"] == "Reformulée"
    refused = ask(facilitator, "edit", {"id": first, "fields": {"description": ""}})
    assert refused["ok"] is False
    assert refused["fields"] == {"description": "Ce champ est obligatoire."}

    split = ask(facilitator, "split", {"id": first, "parts": ["Partie un", "Partie deux"]})
    assert split["new_item"]["split_from_id"] == first
    received = projector.get_received(NS)
    [(name, one), (name_two, two)] = [(e["name"], e["args"][0]) for e in received]
    assert (name, one["description"]) == ("contribution_updated", "Partie un")
    assert (name_two, two["description"]) == ("contribution_added", "Partie deux")

    merged = ask(facilitator, "merge", {"source_id": second, "target_id": first})
    assert merged["item"]["merged_into_id"] == first
    updates = events(projector, "contribution_updated")
    assert [(u["id"], u["merged_into_id"]) for u in updates] == [(second, first), (first, None)]
    assert [s["id"] for s in updates[1]["merged_sources"]] == [second]
    assert ask(facilitator, "merge", {"source_id": first, "target_id": first})["ok"] is False

    assert ask(facilitator, "unmerge", {"id": second})["item"]["merged_into_id"] is None
    assert [u["merged_sources"] for u in events(projector, "contribution_updated")][-1] == []
    assert ask(facilitator, "hide", {"id": 999999})["error"] == "Contribution introuvable."
    assert facilitator.is_connected(NS)


def test_scribe_contribution_is_labelled_and_sent_once(console, phone, make_workshop,
                                                       initiative_data, db):
    workshop = make_workshop()
    facilitator, watcher = console(workshop), phone(workshop)
    watcher.get_received(NS)
    data = {**initiative_data(workshop), "on_behalf_of": "M. Durand"}
    first = ask(facilitator, "scribe_contribution", data)
    again = ask(facilitator, "scribe_contribution", data)
    assert first["ok"] and again["id"] == first["id"]
    [added] = events(watcher, "contribution_added")
    assert added["scribe"] is True and added["on_behalf_of"] == "M. Durand"
    assert added["author"] is None
    assert stored(db) == 1
    bad = ask(facilitator, "scribe_contribution", {"kind": "initiative", "client_id":
                                                   new_client_id(), "description": "x"})
    assert bad["ok"] is False and "name" in bad["fields"]


def test_an_archived_workshop_refuses_the_console_s_moderation(
        console, phone, make_workshop, initiative_data, db):
    from diagnostic.frame import archiving
    from diagnostic.live import lifecycle

    workshop = make_workshop()
    client = phone(workshop)
    first = submit(client, initiative_data(workshop))["id"]
    second = submit(client, initiative_data(workshop, name="Autre"))["id"]
    lifecycle.close_workshop(db.session, workshop, None)
    archiving.archive_workshop(db.session, workshop, None)
    db.session.commit()
    socket = console(workshop)
    before = state_of(db, workshop)
    for event, payload in [
        ("hide", {"id": first}), ("edit", {"id": first, "fields": {"description": "Autre"}}),
        ("split", {"id": first, "parts": ["Un", "Deux"]}),
        ("merge", {"source_id": first, "target_id": second}),
        ("set_moderation", {"mode": "pre"}), ("reopen_workshop", {}),
        ("scribe_contribution", initiative_data(workshop, name="Saisie")),
    ]:
        ack = ask(socket, event, payload)
        assert ack["ok"] is False, event
        assert ack["error"] == "Cet atelier est archivé : restaurez-le pour le modifier.", event
    assert state_of(db, workshop) == before
