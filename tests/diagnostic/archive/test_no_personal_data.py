"""The JSON report and archive without personal data: nothing personal left, still restores."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from diagnostic.archive.anonymise import anonymised, personal_values
from diagnostic.archive.dump import dump_diagnostic
from diagnostic.archive.restore import restore_diagnostic
from diagnostic.models import Contribution, Participant, Role, Workshop
from diagnostic.privacy.public_copy import without_personal_data
from diagnostic.reporting.report_build import compose_report
from exports.formats import render
from tests.privacy_data import (
    EDITED_CONTACT,
    SCRIBED_FOR,
    personal_diagnostic,
    personal_strings,
)


@pytest.fixture
def personal(db, make_diagnostic, make_workshop, make_participant, initiative_data, make_user):
    facilitator = make_user(role=Role.FACILITATOR, email="anim@example.org")
    return personal_diagnostic(db, make_diagnostic, make_workshop, make_participant,
                               initiative_data, facilitator)


def text_of(document) -> str:
    return json.dumps(document, ensure_ascii=False)


def leaks(text: str) -> list[str]:
    return [value for value in personal_strings() if value in text]


def test_the_staff_documents_do_hold_the_personal_data(db, personal):
    """The fixture is worth something: every value is in the staff archive, and the
    consented names, organisations and contacts in the report itself."""
    archive = dump_diagnostic(db.session, personal)
    assert leaks(text_of(archive)) == personal_strings()
    report = render("json", compose_report(db.session, personal)).decode()
    for value in ("Zéphyrine Quillard", "Les Ateliers Brindille", EDITED_CONTACT,
                  "Anatole Vernier", "06 12 34 56 78", SCRIBED_FOR):
        assert value in report


def test_the_anonymised_archive_holds_none_of_it(db, personal):
    archive = dump_diagnostic(db.session, personal)
    clean = anonymised(archive)
    assert leaks(text_of(clean)) == []
    assert [p["display_name"] for p in clean["participants"]] == [
        "Participant·e 1", "Participant·e 2"]
    assert all(p["organisation"] == "" and p["restitution_contact"] is None
               and not p["agreed_to_be_named"] for p in clean["participants"])
    assert clean["consent_records"] == [] and clean["workshop_events"] == []
    assert archive["consent_records"] and archive["workshop_events"]  # the original kept
    edit = next(e for e in clean["audit_entries"] if e["action"] == "edit")
    assert edit["before"] == {} and edit["after"] == {}
    scribe = next(e for e in clean["audit_entries"] if e["action"] == "scribe")
    assert "on_behalf_of" not in scribe["after"] and scribe["after"]["description"]
    assert scribe["user_email"] == "anim@example.org"  # staff, not a participant
    assert len(clean["contributions"]) == len(archive["contributions"]) == 3
    assert personal_values(archive) >= {SCRIBED_FOR, EDITED_CONTACT}


def test_the_json_report_without_personal_data_holds_none_of_it(db, personal):
    archive = dump_diagnostic(db.session, personal)
    report, clean = without_personal_data(compose_report(db.session, personal), archive)
    text = render("json", report, archive=clean).decode()
    assert leaks(text) == []
    data = json.loads(text)
    assert {i["name"] for i in data["initiatives"]} == {
        "Initiative de Brindille", "Initiative de Hirondelle", "Jardin partagé"}
    assert data["organisations"] == []
    assert data["minutes"][0]["participation"]["named"] == []
    assert data["minutes"][0]["participation"]["total"] == 2  # counts stay
    report_only, none = without_personal_data(compose_report(db.session, personal), archive,
                                              keep_archive=False)
    assert none is None and leaks(render("json", report_only).decode()) == []


def test_the_anonymised_archive_restores(db, personal):
    clean = anonymised(dump_diagnostic(db.session, personal))
    restored = restore_diagnostic(db.session, json.loads(text_of(clean)), title="Copie")
    db.session.commit()
    names = db.session.scalars(select(Participant.display_name).join(Workshop)
                               .where(Workshop.diagnostic_id == restored.id)).all()
    assert sorted(names) == ["Participant·e 1", "Participant·e 2"]
    rows = db.session.scalars(select(Contribution).join(Workshop)
                              .where(Workshop.diagnostic_id == restored.id)).all()
    assert len(rows) == 3 and all(c.contact is None and c.on_behalf_of is None for c in rows)
    assert leaks(text_of(dump_diagnostic(db.session, restored))) == []
    assert leaks(render("json", compose_report(db.session, restored)).decode()) == []


def test_an_erased_participant_stays_anonymised(db, personal):
    from datetime import UTC, datetime

    participant = db.session.scalars(select(Participant).order_by(Participant.id)).first()
    participant.erased_at = datetime(2026, 1, 1, tzinfo=UTC)
    db.session.commit()
    clean = anonymised(dump_diagnostic(db.session, personal))
    assert [p["display_name"] for p in clean["participants"]] == [
        "Participant·e anonymisé·e", "Participant·e 1"]
