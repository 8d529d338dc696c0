"""The consent register and anonymous participation: what is recorded, when, under which
notice version, and the participant's flags kept in step."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from diagnostic.errors import Forbidden, ValidationError
from diagnostic.live import participation
from diagnostic.models import ConsentPurpose, ConsentRecord, Participant
from diagnostic.privacy.consent import consent_history, latest_consents, record_consents
from diagnostic.privacy.notice import set_notice
from diagnostic.privacy.pseudonyms import WORDS, draw_pseudonym

JOINED = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
CHANGED = datetime(2026, 5, 4, 11, 15, tzinfo=UTC)


def aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def rows(db) -> list[tuple]:
    return [(r.purpose, r.granted, r.notice_version, aware(r.at), r.source) for r in
            db.session.scalars(select(ConsentRecord).order_by(ConsentRecord.id))]


def join(db, workshop, **kwargs):
    participant = participation.join_workshop(db.session, workshop, now=JOINED, **kwargs)
    db.session.commit()
    return participant


def test_join_records_every_consent_with_the_notice_version_and_time(db, make_workshop):
    workshop = make_workshop()
    sam = join(db, workshop, display_name="Sam", agreed_to_be_named=True,
               agreed_to_be_contacted=True, restitution_contact=" sam@exemple.fr ")
    assert sam.notice_version == 1
    assert rows(db) == [
        (ConsentPurpose.NAME, True, 1, JOINED, "join"),
        (ConsentPurpose.CONTACT, False, 1, JOINED, "join"),
        (ConsentPurpose.RESTITUTION, True, 1, JOINED, "join"),
    ]
    assert sam.agreed_to_be_named and not sam.agreed_to_publish_contact
    assert sam.contact_consent_at is None
    assert sam.agreed_to_be_contacted and sam.restitution_contact == "sam@exemple.fr"


def test_consents_name_the_version_in_force(db, make_workshop):
    workshop = make_workshop()
    set_notice(db.session, workshop.diagnostic, None, controller="Métropole", purpose="Le "
               "diagnostic.", legal_basis="6.1.e", dpo_contact="dpo@exemple.fr",
               rights="Écrire.", retention_months=6)
    set_notice(db.session, workshop.diagnostic, None, controller="Métropole", purpose="Le "
               "diagnostic.", legal_basis="6.1.e", dpo_contact="dpo@exemple.fr",
               rights="Écrire.", retention_months=9)
    sam = join(db, workshop, display_name="Sam", agreed_to_publish_contact=True)
    assert sam.notice_version == 2
    assert {version for _, _, version, _, _ in rows(db)} == {2}
    assert aware(sam.contact_consent_at) == JOINED


def test_changes_from_the_phone_record_only_what_changed(db, make_workshop):
    sam = join(db, make_workshop(), display_name="Sam", agreed_to_publish_contact=True)
    before = len(rows(db))
    records = record_consents(db.session, sam, named=False, contact=False, restitution=True,
                              restitution_contact="sam@exemple.fr", source="phone",
                              at=CHANGED, only_changes=True)
    db.session.commit()
    assert [(r.purpose, r.granted) for r in records] == [
        (ConsentPurpose.CONTACT, False), (ConsentPurpose.RESTITUTION, True)]
    assert rows(db)[before:] == [(ConsentPurpose.CONTACT, False, 1, CHANGED, "phone"),
                                 (ConsentPurpose.RESTITUTION, True, 1, CHANGED, "phone")]
    assert not sam.agreed_to_publish_contact and sam.contact_consent_at is None
    assert sam.agreed_to_be_contacted and sam.restitution_contact == "sam@exemple.fr"
    # Nothing changed: nothing recorded. A new address is a change of that consent.
    assert record_consents(db.session, sam, named=False, contact=False, restitution=True,
                           restitution_contact="sam@exemple.fr", source="phone",
                           only_changes=True) == []
    record_consents(db.session, sam, named=False, contact=False, restitution=True,
                    restitution_contact="sam@ailleurs.fr", source="phone", at=CHANGED,
                    only_changes=True)
    assert sam.restitution_contact == "sam@ailleurs.fr"
    # Withdrawn: the address is forgotten.
    record_consents(db.session, sam, named=False, contact=False, restitution=False,
                    source="phone", at=CHANGED, only_changes=True)
    assert not sam.agreed_to_be_contacted and sam.restitution_contact is None
    latest = latest_consents(db.session, sam)
    assert latest[ConsentPurpose.RESTITUTION].granted is False
    assert len(consent_history(db.session, sam)) == before + 4


@pytest.mark.parametrize("address", ["", "sam", "sam@", "sam@exemple", "a b@exemple.fr",
                                     "x" * 200 + "@exemple.fr"])
def test_restitution_needs_a_valid_address_and_nothing_changes_otherwise(db, make_workshop,
                                                                         address):
    workshop = make_workshop()
    with pytest.raises(ValidationError) as refused:
        participation.join_workshop(db.session, workshop, display_name="Sam",
                                    agreed_to_be_contacted=True, restitution_contact=address)
    assert set(refused.value.errors) == {"restitution_contact"}
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 0
    sam = join(db, workshop, display_name="Sam")
    before = rows(db)
    with pytest.raises(ValidationError):
        record_consents(db.session, sam, contact=True, restitution=True,
                        restitution_contact=address, source="phone", only_changes=True)
    db.session.rollback()
    assert rows(db) == before and not sam.agreed_to_publish_contact


def test_anonymous_workshop_gives_a_pseudonym_and_never_a_name(db, make_workshop):
    workshop = make_workshop(anonymous=True)
    first = join(db, workshop, display_name="Camille Dupont", organisation="Asso",
                 agreed_to_be_named=True)
    word, number = first.display_name.rsplit(" ", 1)
    assert word in WORDS and 1 <= int(number) <= 99
    assert first.organisation == "" and not first.agreed_to_be_named
    assert ConsentPurpose.NAME not in {purpose for purpose, *_ in rows(db)}
    record_consents(db.session, first, named=True, source="phone", only_changes=True)
    assert not first.agreed_to_be_named
    second = join(db, workshop)
    assert second.display_name != first.display_name


def test_pseudonyms_avoid_the_names_taken_while_draws_allow():
    draws = iter(["Colibri", 27, "Colibri", 27, "Héron", 3])
    assert draw_pseudonym({"Colibri 27"}, choice=lambda _: next(draws)) == "Héron 3"
    assert draw_pseudonym(set()).rsplit(" ", 1)[0] in WORDS


def test_an_erased_participant_cannot_consent_again(db, make_workshop):
    sam = join(db, make_workshop(), display_name="Sam")
    sam.erased_at = CHANGED
    db.session.commit()
    before = rows(db)
    with pytest.raises(Forbidden):
        record_consents(db.session, sam, named=True, source="phone", only_changes=True)
    assert rows(db) == before and not sam.agreed_to_be_named
