"""What a participant receives never holds text it may not see now.

A reconnecting phone (``last_seq``) is replayed the events it missed; each carries the
item's current public state: a hidden item is withdrawn without its text, an edited item
has its current wording. Merges and need links never carry a hidden or pending item's
text to the room. The consoles still see everything.
"""

from __future__ import annotations

import json

from diagnostic.models import Role, Vocabulary
from tests.conftest import PASSWORD, IsolatedClient, new_client_id
from tests.workshops.conftest import NS, events
from tests.workshops.live.test_facilitate_live import (  # noqa: F401 - console: a fixture
    ask,
    console,
    forget_user,
)
from workshops.extensions import socketio

HIDDEN = "Texte masqué par l'animation"
OLD = "Ancienne formulation maladroite"
NEW = "Nouvelle formulation claire"
PENDING = "Texte en attente de validation"


def everything(socket) -> str:
    """All the socket received so far, as one JSON text."""
    return json.dumps(socket.get_received(NS), ensure_ascii=False)


def submit(socket, data):
    ack = socket.emit("submit_contribution", data, namespace=NS, callback=True)
    assert ack["ok"] is True, ack
    return ack["id"]


def test_replay_sends_current_state_not_hidden_or_old_text(
    db, phone, console, make_workshop, initiative_data  # noqa: F811
):
    workshop = make_workshop()
    author = phone(workshop, "Autrice")
    hidden = submit(author, initiative_data(workshop, name="Masquée", description=HIDDEN))
    edited = submit(author, initiative_data(workshop, name="Reformulée", description=OLD))
    facilitator = console(workshop)
    watcher = phone(workshop, "Témoin")  # connected while the facilitator acts
    watcher.get_received(NS)
    assert ask(facilitator, "hide", {"id": hidden})["ok"] is True
    assert ask(facilitator, "edit", {"id": edited, "fields": {"description": NEW}})["ok"]

    live = everything(watcher)
    assert HIDDEN not in live  # the hide itself does not send the text again
    assert NEW in live

    late = phone(workshop, "Retardataire", auth={"workshop_id": workshop.id, "last_seq": 0})
    received = late.get_received(NS)
    [replay] = [e["args"][0] for e in received if e["name"] == "events_replay"]
    text = json.dumps(received, ensure_ascii=False)
    assert HIDDEN not in text and OLD not in text
    assert NEW in text
    seqs = [e["seq"] for e in replay["events"]]
    assert seqs == list(range(1, len(seqs) + 1))  # contiguous for sequence.js
    last_of = {e["payload"]["id"]: e for e in replay["events"] if "id" in e["payload"]}
    assert last_of[hidden]["name"] == "contribution_updated"
    assert last_of[hidden]["payload"]["status"] == "hidden"
    assert last_of[hidden]["payload"]["redacted"] is True
    assert last_of[hidden]["payload"]["description"] is None
    assert last_of[edited]["payload"]["description"] == NEW


def test_a_consoles_replay_keeps_the_hidden_text(db, app, make_user, phone, make_workshop,
                                                 initiative_data):
    workshop = make_workshop()
    hidden = submit(phone(workshop, "Autrice"),
                    initiative_data(workshop, description=HIDDEN))

    http = IsolatedClient(app, app.response_class, use_cookies=True)
    user = make_user(role=Role.STAFF)
    http.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    forget_user()
    facilitator = socketio.test_client(app, namespace=NS, flask_test_client=http, auth={
        "workshop_id": workshop.id, "role": "facilitator"})
    assert ask(facilitator, "hide", {"id": hidden})["ok"] is True
    forget_user()
    back = socketio.test_client(app, namespace=NS, flask_test_client=http, auth={
        "workshop_id": workshop.id, "role": "facilitator", "last_seq": 0})
    [replay] = events(back, "events_replay")
    [item] = [e["payload"] for e in replay["events"] if e["payload"].get("id") == hidden][-1:]
    assert item["description"] == HIDDEN and item["status"] == "hidden"


def test_merging_a_hidden_or_pending_item_never_shows_its_text(
    db, phone, console, make_workshop, initiative_data  # noqa: F811
):
    workshop = make_workshop()
    author = phone(workshop, "Autrice")
    target = submit(author, initiative_data(workshop, name="Cible", description="Texte public"))
    hidden = submit(author, initiative_data(workshop, name="Masquée", description=HIDDEN))
    facilitator = console(workshop)
    assert ask(facilitator, "hide", {"id": hidden})["ok"] is True
    assert ask(facilitator, "set_moderation", {"mode": "pre"})["ok"] is True
    pending = submit(author, initiative_data(workshop, name="En attente", description=PENDING))
    watcher = phone(workshop, "Témoin")
    watcher.get_received(NS)

    for source in (hidden, pending):
        ack = ask(facilitator, "merge", {"source_id": source, "target_id": target})
        assert ack["ok"] is True, ack
        # The facilitator's ack still lists the source with its text.
        assert any(s["id"] == source for s in ack["target"]["merged_sources"])

    live = everything(watcher)
    assert HIDDEN not in live and PENDING not in live
    fresh = phone(workshop, "Nouvelle")  # workshop_state
    state = everything(fresh)
    assert HIDDEN not in state and PENDING not in state and "Texte public" in state
    late = phone(workshop, "Retard", auth={"workshop_id": workshop.id, "last_seq": 0})
    replayed = everything(late)
    assert "events_replay" in replayed
    assert HIDDEN not in replayed and PENDING not in replayed


def test_a_recommendation_cannot_link_a_hidden_or_pending_need(
    db, phone, console, make_workshop  # noqa: F811
):
    workshop = make_workshop()
    author = phone(workshop, "Autrice")
    category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id

    def need(text):
        return {"kind": "need", "client_id": new_client_id(), "description": text,
                "need_category_id": category}

    hidden = submit(author, need(HIDDEN))
    facilitator = console(workshop)
    assert ask(facilitator, "hide", {"id": hidden})["ok"] is True
    assert ask(facilitator, "set_moderation", {"mode": "pre"})["ok"] is True
    pending = submit(author, need(PENDING))
    assert ask(facilitator, "set_moderation", {"mode": "post"})["ok"] is True
    for need_id in (hidden, pending):
        ack = author.emit("submit_contribution", {
            "kind": "recommendation", "client_id": new_client_id(),
            "description": "Une charte", "stake_id": workshop.diagnostic.stakes[0].id,
            "answered_need_ids": [need_id]}, namespace=NS, callback=True)
        assert ack["ok"] is False and "answered_need_ids" in ack["fields"], ack
