"""Pages of issue 17's notice and consents: the staff settings section, the join page's
summary, the full notice, "Mes données" on the phone and anonymous workshops."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from diagnostic.live import lifecycle
from diagnostic.models import ConsentPurpose, ConsentRecord, Participant, PrivacyNotice, Workshop

NOTICE = {"privacy-controller": "Toulouse Métropole", "privacy-purpose": "Le diagnostic.",
          "privacy-legal_basis": "Mission d'intérêt public.",
          "privacy-dpo_contact": "dpo@toulouse-metropole.fr",
          "privacy-rights": "Écrivez au DPO ; réclamation à la CNIL.",
          "privacy-retention_months": "18"}


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def page_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def staff(make_user, login):
    user = make_user()
    login(user)
    return user


def test_settings_show_the_notice_and_warn_until_the_dpo_is_filled(client, db, staff,
                                                                  make_diagnostic):
    diagnostic = make_diagnostic()
    url = f"/staff/diagnostics/{diagnostic.id}"
    page = page_of(client.get(f"{url}/settings"))
    assert "Protection des données" in page and 'id="dpo-warning"' in page
    assert "Aucune version enregistrée." in page
    response = client.post(f"{url}/privacy-notice", data=NOTICE)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{url}/settings#privacy"
    page = page_of(client.get(f"{url}/settings"))
    assert 'id="dpo-warning"' not in page
    assert "Notice d'information enregistrée (version 1)." in page
    assert "Version en vigueur : 1." in page and staff.name in page and "18 mois" in page
    db.session.expire_all()
    assert diagnostic.retention_months == 18
    client.post(f"{url}/privacy-notice", data=NOTICE)
    assert "Aucun changement" in page_of(client.get(f"{url}/settings"))
    assert count(db, PrivacyNotice) == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("privacy-retention_months", "0", "entre 1 et 120 mois"),
    ("privacy-retention_months", "douze", "entre 1 et 120 mois"),
    ("privacy-controller", "", "Ce champ est obligatoire."),
    ("privacy-rights", "x" * 4001, "Ce texte est trop long."),
])
def test_settings_refuse_a_bad_notice_in_french(client, db, staff, make_diagnostic, field,
                                                 value, message):
    diagnostic = make_diagnostic()
    response = client.post(f"/staff/diagnostics/{diagnostic.id}/privacy-notice",
                           data={**NOTICE, field: value})
    assert response.status_code == 400
    assert message in page_of(response)
    assert count(db, PrivacyNotice) == 0 and diagnostic.retention_months == 12


def test_join_page_summarises_the_notice_before_the_name_form(client, make_workshop):
    workshop = make_workshop()
    page = page_of(client.get(f"/j/{workshop.join_code}"))
    summary = page.index('class="privacy-summary"')
    assert summary < page.index('name="display_name"')
    for text in ("Vos données personnelles", "responsable du traitement",
                 "12 mois après la validation du rapport", "CNIL",
                 f'href="/j/{workshop.join_code}/confidentialite"',
                 'name="agreed_to_be_contacted"', 'name="restitution_contact"'):
        assert text in page


def test_full_notice_is_public_for_an_open_workshop(client, make_workshop):
    workshop = make_workshop()
    response = client.get(f"/j/{workshop.join_code}/confidentialite")
    page = page_of(response)
    assert response.status_code == 200
    for text in ("Responsable du traitement", "Base légale", "6.1.e", "Durée de conservation",
                 "À compléter", "CNIL", f'href="/j/{workshop.join_code}"'):
        assert text in page
    closed = make_workshop(status="closed", title="Atelier secret")
    response = client.get(f"/j/{closed.join_code}/confidentialite")
    assert response.status_code == 409 and "secret" not in page_of(response)
    assert client.get("/j/ZZZZZZ/confidentialite").status_code == 404


def test_join_records_consents_and_my_data_changes_them(client, db, make_workshop):
    workshop = make_workshop()
    code = workshop.join_code
    assert client.get(f"/j/{code}/mes-donnees").headers["Location"] == f"/j/{code}"
    response = client.post(f"/j/{code}", data={
        "display_name": "Sam", "agreed_to_publish_contact": "y",
        "agreed_to_be_contacted": "y", "restitution_contact": "sam@exemple.fr"})
    assert response.status_code == 302
    sam = db.session.scalar(select(Participant))
    assert sam.notice_version == 1 and sam.agreed_to_be_contacted
    assert count(db, ConsentRecord) == 3
    assert f'href="/j/{code}/mes-donnees"' in page_of(client.get(f"/j/{code}/contribute"))
    page = page_of(client.get(f"/j/{code}/mes-donnees"))
    for text in ("version 1", "Vos coordonnées figurent dans le rapport",
                 "Vous serez recontacté·e pour la restitution</strong> (sam@exemple.fr)",
                 "Votre nom n'apparaît pas dans le rapport"):
        assert text in page
    response = client.post(f"/j/{code}/mes-donnees", data={
        "agreed_to_be_named": "y", "agreed_to_be_contacted": "y",
        "restitution_contact": "sam@exemple.fr"})
    assert response.status_code == 302
    page = page_of(client.get(f"/j/{code}/mes-donnees"))
    assert "Vos choix ont été enregistrés." in page
    assert "Vos coordonnées ne figurent pas dans le rapport" in page
    db.session.expire_all()
    sam = db.session.get(Participant, sam.id)
    assert sam.agreed_to_be_named and not sam.agreed_to_publish_contact
    phone = db.session.scalars(select(ConsentRecord).where(ConsentRecord.source == "phone")
                               .order_by(ConsentRecord.id)).all()
    assert [(r.purpose, r.granted, r.notice_version) for r in phone] == [
        (ConsentPurpose.NAME, True, 1), (ConsentPurpose.CONTACT, False, 1)]


def test_my_data_refuses_a_bad_address_and_changes_nothing(client, db, make_workshop):
    workshop = make_workshop()
    client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    response = client.post(f"/j/{workshop.join_code}/mes-donnees", data={
        "agreed_to_publish_contact": "y", "agreed_to_be_contacted": "y",
        "restitution_contact": "pas-une-adresse"})
    assert response.status_code == 400
    assert "Indiquez une adresse électronique valide" in page_of(response)
    assert count(db, ConsentRecord) == 3
    sam = db.session.scalar(select(Participant))
    assert not sam.agreed_to_publish_contact and not sam.agreed_to_be_contacted


def test_anonymous_workshop_asks_no_name_and_shows_the_pseudonym(client, db, make_workshop):
    workshop = make_workshop(anonymous=True)
    code = workshop.join_code
    page = page_of(client.get(f"/j/{code}"))
    assert "Cet atelier est anonyme" in page
    for absent in ('name="display_name"', 'name="organisation"', 'name="agreed_to_be_named"'):
        assert absent not in page
    assert 'name="actor_type_id"' in page
    assert client.post(f"/j/{code}", data={"display_name": "Camille Dupont"}).status_code == 302
    participant = db.session.scalar(select(Participant))
    assert participant.display_name != "Camille Dupont" and not participant.agreed_to_be_named
    page = page_of(client.get(f"/j/{code}/contribute"))
    assert ("Vous participez sous le pseudonyme "
            f"<strong>{participant.display_name}</strong>.") in page
    page = page_of(client.get(f"/j/{code}/mes-donnees"))
    assert "Votre nom" not in page and 'name="agreed_to_be_named"' not in page


def test_staff_plan_an_anonymous_workshop_fixed_once_joined(client, db, staff,
                                                            make_diagnostic, make_participant):
    diagnostic = make_diagnostic()
    url = f"/staff/diagnostics/{diagnostic.id}/workshops/new"
    assert "Participation anonyme" in page_of(client.get(url))
    client.post(url, data={"kind": "territorial", "title": "Atelier anonyme",
                           "sector_id": str(diagnostic.sectors[0].id), "anonymous": "y"})
    workshop = db.session.scalar(select(Workshop))
    assert workshop.anonymous
    assert "Participation anonyme" in page_of(client.get(f"/staff/workshops/{workshop.id}"))
    copy_response = client.post(f"/staff/workshops/{workshop.id}/duplicate")
    assert copy_response.status_code == 302
    assert all(w.anonymous for w in db.session.scalars(select(Workshop)))
    lifecycle.open_workshop(db.session, workshop, None)
    make_participant(workshop)
    response = client.post(f"/staff/workshops/{workshop.id}/edit", data={
        "kind": "territorial", "title": "Atelier anonyme",
        "sector_id": str(diagnostic.sectors[0].id)})
    assert response.status_code == 400
    assert "sa participation anonyme ne peut plus changer" in page_of(response)
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).anonymous
