"""Right of access and right to erasure, in the domain: search, the JSON, the erasure."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select

from diagnostic.audit_text import describe
from diagnostic.live import moderation, participation
from diagnostic.live.events import record_event, stage_event
from diagnostic.models import (
    AuditEntry,
    ConsentPurpose,
    ConsentRecord,
    Contribution,
    Support,
    Vocabulary,
    Vote,
    WorkshopEvent,
)
from diagnostic.privacy.access import find_participants, participant_data
from diagnostic.privacy.erasure import ERASED_NAME, REDACTED, erase_participant

NAME = "Zélie Brandouin"
ORGANISATION = "Coopérative des Lilas Bleus"
EMAIL = "zelie.brandouin@lilas.example"
PHONE = "06 12 34 56 78"
AT = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def person(db, make_diagnostic, make_workshop, make_participant, initiative_data):
    """A named participant with consents, an initiative (contact), a need naming their
    organisation, a hidden item, a support and dots on someone else's item, an edit in the
    audit log and a recorded live event; and another participant."""
    session = db.session
    diagnostic = make_diagnostic()
    category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
    workshop = make_workshop(diagnostic)
    other = make_participant(workshop, "Paul", organisation="Mairie")
    zelie = make_participant(workshop, NAME, organisation=ORGANISATION,
                             agreed_to_be_named=True, agreed_to_publish_contact=True)
    zelie.agreed_to_be_contacted, zelie.restitution_contact = True, "zelie@perso.example"
    # A known register instead of the rows the joins wrote at the wall-clock time.
    session.execute(delete(ConsentRecord))
    for purpose in ConsentPurpose:
        session.add(ConsentRecord(participant_id=zelie.id, purpose=purpose, granted=True,
                                  notice_version=1, at=AT))
    initiative, _ = participation.submit_contribution(session, zelie, initiative_data(
        workshop, name="Jardin des Lilas", contact=f"{EMAIL} / {PHONE}",
        description=f"Portée par {NAME} ; appelez le 0612345678. Zelie BRANDOUIN aussi."))
    need, _ = participation.submit_contribution(session, zelie, {
        "kind": "need", "client_id": "need-zelie", "need_category_id": category,
        "description": f"La {ORGANISATION.lower()} manque de locaux."})
    hidden, _ = participation.submit_contribution(session, zelie, {
        "kind": "need", "client_id": "hidden-zelie", "need_category_id": category,
        "description": f"Écrire à {EMAIL}"})
    moderation.hide(session, workshop, None, hidden.id)
    moderation.edit(session, workshop, None, need.id,
                    {"description": f"{ORGANISATION} : besoin de locaux."})
    theirs, _ = participation.submit_contribution(session, other, {
        "kind": "need", "client_id": "need-paul", "need_category_id": category,
        "description": "Un local partagé."})
    session.add(Support(contribution_id=theirs.id, participant_id=zelie.id))
    session.add(Vote(contribution_id=theirs.id, participant_id=zelie.id, dots=2))
    record_event(session, workshop, "note", {"text": f"Merci {NAME} !", "author": NAME})
    session.commit()
    return zelie, other, initiative, need, hidden


def test_find_participants_by_name_organisation_and_contact(db, person):
    zelie, other, *_ = person
    diagnostic = zelie.workshop.diagnostic
    for query in ("zelie", "BRANDOUIN", "lilas bleus", "zelie@perso", "06 12 34", ""):
        found = find_participants(db.session, diagnostic, query=query)
        ids = [m.participant.id for m in found.items]
        assert zelie.id in ids, query
    assert [m.participant.id for m in find_participants(db.session, diagnostic,
                                                        query="mairie").items] == [other.id]
    assert find_participants(db.session, diagnostic, query="personne").total == 0
    assert find_participants(db.session, diagnostic, workshop_id=-1).total == 0
    page = find_participants(db.session, diagnostic, page=2, per_page=1)
    assert (page.total, page.pages, len(page.items), page.has_prev) == (2, 2, 1, True)
    match = find_participants(db.session, diagnostic, query="zelie").items[0]
    assert match.contacts == [f"{EMAIL} / {PHONE}"]


def test_participant_data_holds_everything(db, person):
    zelie, _other, initiative, need, hidden = person
    data = participant_data(db.session, zelie)
    text = json.dumps(data, ensure_ascii=False)  # JSON builtins only
    assert data["schema"] == "diagnostic-participant-data" and data["version"] == 1
    assert data["participant"]["display_name"] == NAME
    assert data["participant"]["organisation"] == ORGANISATION
    assert "token" not in data["participant"] and zelie.token not in text
    assert {c["purpose"] for c in data["consents"]} == {"name", "contact", "restitution"}
    assert data["consents"][0]["at"].endswith("+02:00")  # the diagnostic's zone, with offset
    assert [c["id"] for c in data["contributions"]] == [initiative.id, need.id, hidden.id]
    assert data["contributions"][0]["contact"] == f"{EMAIL} / {PHONE}"
    assert data["contributions"][2]["status"] == "hidden"
    assert len(data["supports"]) == 1 and data["votes"][0]["dots"] == 2
    assert {a["action"] for a in data["audit_entries"]} == {"hide", "edit"}
    assert any(e["name"] == "note" for e in data["live_events"])
    assert data["workshop"]["title"] == zelie.workshop.title


def everything_about(db, workshop_id) -> str:
    """Every stored text of the workshop (contributions, audit, events) as one string."""
    db.session.expire_all()
    rows = [*db.session.scalars(select(Contribution)), *db.session.scalars(select(AuditEntry)),
            *db.session.scalars(select(WorkshopEvent))]
    return json.dumps([{c.key: str(getattr(r, c.key)) for c in r.__table__.columns}
                       for r in rows], ensure_ascii=False)


@pytest.mark.parametrize("staged_before", [False, True], ids=["logged", "staged-too"])
def test_erasure_removes_name_organisation_and_contacts_everywhere(db, person, staged_before):
    zelie, other, initiative, need, hidden = person
    old_token = zelie.token
    if staged_before:  # an event of the erasure's own transaction: logged at its commit
        stage_event(db.session, zelie.workshop, "note", {"text": f"Bravo {NAME}", "by": EMAIL})
    assert erase_participant(db.session, zelie, user=None, at=AT)
    db.session.commit()
    db.session.expire_all()
    assert zelie.display_name == ERASED_NAME and zelie.organisation == ""
    assert zelie.restitution_contact is None and zelie.erased_at is not None
    assert not (zelie.agreed_to_be_named or zelie.agreed_to_publish_contact
                or zelie.agreed_to_be_contacted)
    assert zelie.token != old_token and zelie.actor_type_id is None  # (none was given)
    assert participation.participant_by_token(db.session, old_token) is None
    text = everything_about(db, zelie.workshop_id).lower()
    for secret in (NAME, ORGANISATION, EMAIL, PHONE, "0612345678", "zelie@perso"):
        assert secret.lower() not in text, secret
    initiative = db.session.get(Contribution, initiative.id)
    need = db.session.get(Contribution, need.id)
    assert initiative.contact is None
    assert initiative.description == (f"Portée par {REDACTED} ; appelez le {REDACTED}. "
                                      f"{REDACTED} aussi.")
    assert need.description == f"{REDACTED} : besoin de locaux."
    assert initiative.name == "Jardin des Lilas"  # not their organisation: kept
    # Votes, supports and the consent register stay; their counts are unchanged.
    assert db.session.scalar(select(Vote.dots).where(Vote.participant_id == zelie.id)) == 2
    assert db.session.scalars(select(Support).where(Support.participant_id == zelie.id)).all()
    assert len(db.session.scalars(select(ConsentRecord)).all()) == 3
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "participant_erased")).one()
    assert entry.after == {"participant": zelie.id, "reason": "request"}
    assert entry.before is None and entry.workshop_id == zelie.workshop_id
    assert describe(entry) == ("Données personnelles de la personne participante n° "
                               f"{zelie.id} effacées à sa demande (ligne de commande)")
    # The other participant's data is untouched.
    assert other.display_name == "Paul" and other.organisation == "Mairie"


def test_erasing_twice_changes_nothing(db, person, make_user):
    zelie, *_ = person
    staff = make_user()
    assert erase_participant(db.session, zelie, user=staff, at=AT, reason="retention")
    db.session.commit()
    token = zelie.token
    assert not erase_participant(db.session, zelie, user=staff, at=AT)
    db.session.commit()
    assert zelie.token == token
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "participant_erased")).all()
    assert len(entries) == 1 and entries[0].after["reason"] == "retention"
    assert describe(entries[0]).endswith("fin de leur durée de conservation")


def test_short_strings_are_not_searched_for_in_texts(db, make_participant, initiative_data):
    shorty = make_participant(None, "Al", organisation="Al")
    contribution, _ = participation.submit_contribution(db.session, shorty, initiative_data(
        shorty.workshop, description="Un local à Albi."))
    erase_participant(db.session, shorty, user=None, at=AT)
    assert contribution.description == "Un local à Albi."


def test_unknown_reason_is_refused(db, person):
    with pytest.raises(ValueError):
        erase_participant(db.session, person[0], user=None, at=AT, reason="whim")
    assert not person[0].is_erased
