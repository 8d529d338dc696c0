"""Loose types and control characters are refused with a field error, nothing stored.

JSON gives ``true``, ``12345`` or ``NaN`` where text is expected; Python takes ``True`` as
the id 1. A NUL byte would be refused by PostgreSQL at commit: the phone would get a
"server error, retry later" ack and resend forever. Each is a clean, definitive refusal
(``ok: false`` without ``retry_after``, so the outbox gives the item back to its form).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from diagnostic.models import Contribution, Phase, Support, Vocabulary, Vote
from tests.conftest import new_client_id
from tests.workshops.conftest import NS, stored
from tests.workshops.live.test_facilitate_live import ask, console  # noqa: F401 - fixture

NOT_TEXT = [True, 12345, float("nan"), 1.5, [], {"a": 1}]
CONTROL = ["a\x00b", "nul\x00", "bell\x07", "esc\x1b[31m", "del\x7f"]


def assert_refused(ack, field):
    assert ack["ok"] is False, ack
    assert field in ack["fields"], ack
    assert "retry_after" not in ack  # definitive: the outbox does not resend it


@pytest.mark.parametrize("value", NOT_TEXT, ids=repr)
@pytest.mark.parametrize("field", ["description", "name", "commune", "website", "contact"])
def test_a_text_field_that_is_not_text_is_refused(db, phone, make_workshop, initiative_data,
                                                   field, value):
    workshop = make_workshop()
    ack = phone(workshop).emit("submit_contribution",
                               initiative_data(workshop, **{field: value}),
                               namespace=NS, callback=True)
    assert_refused(ack, field)
    assert ack["fields"][field] == "Valeur invalide."
    assert stored(db) == 0


@pytest.mark.parametrize("value", CONTROL, ids=repr)
@pytest.mark.parametrize("field", ["description", "name", "commune"])
def test_control_characters_are_refused_over_the_socket(db, phone, make_workshop,
                                                         initiative_data, field, value):
    workshop = make_workshop()
    ack = phone(workshop).emit("submit_contribution",
                               initiative_data(workshop, **{field: value}),
                               namespace=NS, callback=True)
    assert_refused(ack, field)
    assert ack["fields"][field] == "Ce texte contient des caractères non autorisés."
    assert stored(db) == 0


def test_tabs_and_newlines_are_kept(db, phone, make_workshop, initiative_data):
    workshop = make_workshop()
    ack = phone(workshop).emit("submit_contribution", initiative_data(
        workshop, description="Ligne 1\r\nLigne 2\tfin"), namespace=NS, callback=True)
    assert ack["ok"] is True
    db.session.expire_all()
    assert db.session.get(Contribution, ack["id"]).description == "Ligne 1\r\nLigne 2\tfin"


@pytest.mark.parametrize("field, value", [
    ("kind", True), ("client_id", 12345678901), ("stage", True), ("stage", 1),
    ("ess_family_id", True), ("ess_family_id", 1.0), ("ess_family_id", "1\x00"),
    ("jobs_fte", True), ("jobs_fte", float("nan")), ("jobs_fte", float("inf")),
    ("jobs_fte", "4\x00"),
])
def test_choices_ids_and_numbers_of_the_wrong_type_are_refused(
    db, phone, make_workshop, initiative_data, field, value
):
    workshop = make_workshop()
    ack = phone(workshop).emit("submit_contribution", initiative_data(workshop, **{field: value}),
                               namespace=NS, callback=True)
    assert ack["ok"] is False and field in ack["fields"] and "retry_after" not in ack
    assert stored(db) == 0


def recommendation(workshop, **overrides):
    data = {"kind": "recommendation", "client_id": new_client_id(),
            "description": "Une charte commune", "stake_id": workshop.diagnostic.stakes[0].id}
    data.update(overrides)
    return data


@pytest.mark.parametrize("field, value", [
    ("stake_id", True), ("answered_need_ids", [True]), ("answered_need_ids", [1.0]),
    ("answered_need_ids", True),
])
def test_recommendation_ids_must_be_integers(db, phone, make_workshop, field, value):
    workshop = make_workshop()
    sam = phone(workshop)
    need = sam.emit("submit_contribution", {
        "kind": "need", "client_id": new_client_id(), "description": "Des locaux",
        "need_category_id": workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id,
    }, namespace=NS, callback=True)
    assert need["ok"] is True and need["id"] == 1  # so True would be taken for it
    ack = sam.emit("submit_contribution", recommendation(workshop, **{field: value}),
                   namespace=NS, callback=True)
    assert ack["ok"] is False and field in ack["fields"]
    assert stored(db) == 1


def test_the_http_fallback_refuses_a_nul_byte(client, db, make_workshop, initiative_data):
    workshop = make_workshop()
    client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    response = client.post(f"/j/{workshop.join_code}/contribute",
                           data=initiative_data(workshop, description="Des\x00 locaux"))
    assert response.status_code == 400
    assert "Ce texte contient des caractères non autorisés." in response.get_data(as_text=True)
    assert stored(db) == 0


@pytest.mark.parametrize("payload", [
    {"on_behalf_of": 12}, {"on_behalf_of": "Léa\x00"}, {"description": "x\x00y"},
    {"description": True},
], ids=repr)
def test_scribe_entries_refuse_loose_types(db, console, make_workshop,  # noqa: F811
                                           initiative_data, payload):
    workshop = make_workshop()
    ack = ask(console(workshop), "scribe_contribution", initiative_data(workshop, **payload))
    assert ack["ok"] is False and set(payload) <= set(ack["fields"])
    assert stored(db) == 0


@pytest.mark.parametrize("event, extra", [
    ("edit", {"fields": {"description": "x\x00y"}}),
    ("edit", {"fields": {"description": 12345}}),
    ("edit", {"fields": {"name": False}}),
    ("split", {"parts": ["Première", "Seconde\x00"]}),
    ("split", {"parts": ["Première", 2]}),
], ids=repr)
def test_moderation_refuses_loose_types(db, console, phone, make_workshop,  # noqa: F811
                                        initiative_data, event, extra):
    workshop = make_workshop()
    item = phone(workshop).emit("submit_contribution", initiative_data(workshop),
                                namespace=NS, callback=True)["id"]
    ack = ask(console(workshop), event, {"id": item, **extra})
    assert ack["ok"] is False and ack["fields"], ack
    db.session.expire_all()
    assert db.session.get(Contribution, item).description == initiative_data(
        workshop)["description"]
    assert stored(db) == 1


def test_true_is_not_the_contribution_id_1(db, phone, make_workshop, initiative_data):
    workshop = make_workshop()
    item = phone(workshop, "Autrice").emit("submit_contribution", initiative_data(workshop),
                                           namespace=NS, callback=True)["id"]
    assert item == 1
    fan = phone(workshop, "Fan")
    for event, payload in [("support", {"id": True}), ("support", {"id": 1.0}),
                           ("support", {"id": "1"})]:
        ack = fan.emit(event, payload, namespace=NS, callback=True)
        assert ack["ok"] is False and ack["error"] == "Contribution introuvable.", ack
    workshop.phase = Phase.VOTE
    db.session.commit()
    for payload in [{"id": True, "dots": 1}, {"id": 1, "dots": True},
                    {"id": 1, "dots": 1.0}, {"id": 1, "dots": float("nan")}]:
        ack = fan.emit("vote", payload, namespace=NS, callback=True)
        assert ack["ok"] is False, ack
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Support)) == 0
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_ids_beyond_any_row_are_refused_cleanly(db, phone, console, make_workshop,  # noqa: F811
                                                initiative_data):
    """SQLite cannot bind an int beyond 2**63: it must be a clean refusal, not a server
    error the phone would retry forever."""
    huge = 10**30
    workshop = make_workshop()
    sam = phone(workshop)
    ack = sam.emit("submit_contribution", initiative_data(workshop, ess_family_id=huge),
                   namespace=NS, callback=True)
    assert_refused(ack, "ess_family_id")
    ack = sam.emit("submit_contribution", recommendation(workshop, answered_need_ids=[huge]),
                   namespace=NS, callback=True)
    assert_refused(ack, "answered_need_ids")
    for event in ("support", "unsupport"):
        ack = sam.emit(event, {"id": huge}, namespace=NS, callback=True)
        assert ack == {"ok": False, "error": "Contribution introuvable.", "fields": {}}
    ack = ask(console(workshop), "hide", {"id": huge})
    assert ack["ok"] is False and "retry_after" not in ack
    late = phone(workshop, "Tard", auth={"workshop_id": workshop.id, "last_seq": huge})
    assert late.is_connected(NS)
    assert [e["name"] for e in late.get_received(NS)].count("workshop_state") == 1
    assert stored(db) == 0


def test_a_lone_surrogate_is_refused_by_the_shared_text_rule():
    """JSON can carry "\\ud800", which no database can store: the socket refuses the whole
    payload as unreadable (it cannot be encoded), the shared rule names the field."""
    from diagnostic.errors import ValidationError
    from diagnostic.validation import clean_text

    with pytest.raises(ValidationError) as refused:
        clean_text("description", "lone \ud800 surrogate", 2000)
    assert refused.value.errors == {
        "description": "Ce texte contient des caractères non autorisés."}
