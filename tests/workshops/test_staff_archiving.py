"""Staff pages: workshop times, duplicating, archiving, restoring and deleting."""

from datetime import time

import pytest
from sqlalchemy import func, select

from diagnostic.frame import archiving
from diagnostic.live import lifecycle
from diagnostic.models import Diagnostic, Workshop, WorkshopStatus


@pytest.fixture
def staff(make_user, login):
    user = make_user()
    login(user)
    return user


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_times_are_planned_validated_and_shown(client, db, staff, make_diagnostic):
    diagnostic = make_diagnostic()
    url = f"/staff/diagnostics/{diagnostic.id}/workshops/new"
    fields = {"kind": "territorial", "title": "Atelier Nord",
              "sector_id": str(diagnostic.sectors[0].id), "date": "2011-05-12"}
    refused = client.post(url, data={**fields, "start_time": "17:00", "end_time": "14:00"})
    assert refused.status_code == 400
    assert "L&#39;heure de fin doit être après l&#39;heure de début." in refused.get_data(
        as_text=True)
    garbage = client.post(url, data={**fields, "start_time": "25:99"})
    assert "Heure invalide" in garbage.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Workshop.id))) == 0

    response = client.post(url, data={**fields, "start_time": "14:00", "end_time": "17:30"})
    assert response.status_code == 302
    workshop = db.session.scalars(select(Workshop)).one()
    assert (workshop.start_time, workshop.end_time) == (time(14), time(17, 30))
    assert "14:00\u201317:30" in page(client, f"/staff/workshops/{workshop.id}")
    assert "14:00\u201317:30" in page(client, f"/staff/diagnostics/{diagnostic.id}")
    edit = page(client, f"/staff/workshops/{workshop.id}/edit")
    assert 'value="14:00"' in edit and 'value="17:30"' in edit
    lifecycle.open_workshop(db.session, workshop, None)
    db.session.commit()
    client.get("/auth/logout")
    phone = page(client, f"/j/{workshop.join_code}")
    assert "14:00\u201317:30" in phone


def test_duplicate_from_the_workshop_page(client, db, staff, make_participant):
    workshop = make_participant().workshop
    response = client.post(f"/staff/workshops/{workshop.id}/duplicate")
    copy = db.session.scalars(select(Workshop).where(Workshop.id != workshop.id)).one()
    assert response.headers["Location"].endswith(f"/staff/workshops/{copy.id}/edit")
    assert copy.title == "Atelier Nord (copie)" and copy.status == WorkshopStatus.DRAFT
    assert copy.participants == []
    assert "sans participant·es ni contributions" in page(client, response.headers["Location"])


def test_a_workshop_with_participants_is_offered_archiving_only(
        client, db, staff, make_participant):
    workshop = make_participant().workshop
    removal = page(client, f"/staff/workshops/{workshop.id}/remove")
    assert "L'atelier est ouvert : clôturez-le d'abord" in removal
    assert 'id="archive-button"' not in removal and 'id="delete-button"' not in removal
    lifecycle.close_workshop(db.session, workshop, None)
    db.session.commit()
    removal = page(client, f"/staff/workshops/{workshop.id}/remove")
    assert "1 participant·e" in removal
    assert 'id="archive-button"' in removal and 'id="delete-button"' not in removal
    refused = client.post(f"/staff/workshops/{workshop.id}/delete",
                          data={"confirmation": workshop.title})
    assert refused.status_code == 400 and "archivez-le" in refused.get_data(as_text=True)

    client.post(f"/staff/workshops/{workshop.id}/archive")
    db.session.expire_all()
    assert workshop.archived_at is not None
    overview = page(client, f"/staff/diagnostics/{workshop.diagnostic_id}")
    assert f"/staff/workshops/{workshop.id}\"" not in overview and "Archivés (1)" in overview
    archived = page(client, f"/staff/diagnostics/{workshop.diagnostic_id}?archived=1")
    assert f"/staff/workshops/{workshop.id}\"" in archived
    workshop_page = page(client, f"/staff/workshops/{workshop.id}")
    assert "Atelier archivé : en lecture seule" in workshop_page
    assert "Ouvrir l'atelier" not in workshop_page and "Rouvrir" not in workshop_page
    client.post(f"/staff/workshops/{workshop.id}/open")
    db.session.expire_all()
    assert workshop.status == WorkshopStatus.CLOSED
    edit = client.get(f"/staff/workshops/{workshop.id}/edit")
    assert edit.status_code == 302
    # Still exportable: the report lists it.
    assert workshop.title in page(client, f"/staff/diagnostics/{workshop.diagnostic_id}/report")

    client.post(f"/staff/workshops/{workshop.id}/restore")
    db.session.expire_all()
    assert workshop.archived_at is None


def test_delete_an_empty_workshop_after_typing_its_title(client, db, staff, make_workshop):
    workshop = make_workshop(status="draft")
    removal = page(client, f"/staff/workshops/{workshop.id}/remove")
    assert 'id="delete-button"' in removal and 'id="archive-button"' in removal
    wrong = client.post(f"/staff/workshops/{workshop.id}/delete", data={"confirmation": "non"})
    assert wrong.status_code == 400
    assert "Recopiez le titre de l&#39;atelier" in wrong.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Workshop.id))) == 1
    response = client.post(f"/staff/workshops/{workshop.id}/delete",
                           data={"confirmation": "Atelier Nord"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Workshop.id))) == 0


def test_archive_and_delete_diagnostics_from_their_pages(
        client, db, staff, make_diagnostic, make_participant):
    full = make_participant().workshop
    lifecycle.close_workshop(db.session, full, None)
    db.session.commit()
    full_id = full.diagnostic_id
    empty = make_diagnostic(title="Brouillon")
    empty_id = empty.id

    removal = page(client, f"/staff/diagnostics/{full_id}/remove")
    assert 'id="delete-button"' not in removal and 'id="archive-button"' in removal
    client.post(f"/staff/diagnostics/{full_id}/archive")
    listing = page(client, "/staff/")
    assert f"/staff/diagnostics/{full_id}\"" not in listing and "Archivés (1)" in listing
    assert f"/staff/diagnostics/{full_id}\"" in page(client, "/staff/?archived=1")
    assert "Diagnostic archivé : en lecture seule" in page(client, f"/staff/diagnostics/{full_id}")
    assert client.get(f"/staff/diagnostics/{full_id}/workshops/new").status_code == 302
    client.post(f"/staff/diagnostics/{full_id}/restore")
    assert f"/staff/diagnostics/{full_id}\"" in page(client, "/staff/")

    removal = page(client, f"/staff/diagnostics/{empty_id}/remove")
    assert 'id="delete-button"' in removal
    response = client.post(f"/staff/diagnostics/{empty_id}/delete",
                           data={"confirmation": "brouillon"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Diagnostic.id)).all() == [full_id]


def test_an_archived_workshop_cannot_be_joined(client, db, make_workshop):

    workshop = make_workshop(status="closed")
    archiving.archive_workshop(db.session, workshop, None)
    db.session.commit()
    response = client.post(f"/j/{workshop.join_code}", data={"display_name": "Alex"})
    assert response.status_code != 302


def test_limited_fields_show_a_counter_instead_of_cutting(client, db, staff, make_diagnostic):
    diagnostic = make_diagnostic()
    form = page(client, f"/staff/diagnostics/{diagnostic.id}")
    title = form.split('id="title"')[0].rsplit("<input", 1)[1] + form.split('id="title"')[1][:200]
    assert 'data-maxlength="200"' in title and ' maxlength=' not in title
    assert 'aria-describedby="title-counter"' in title
    assert 'id="title-counter"' in form and "14 / 200 caractères" in form  # "Diagnostic ESS"


def test_the_phone_refuses_an_over_long_text_and_keeps_it(client, make_workshop):
    workshop = make_workshop()
    response = client.post(f"/j/{workshop.join_code}", data={"display_name": "Alex"})
    phone = client.get(response.headers["Location"]).get_data(as_text=True)
    textarea = phone.split('id="need-description"')[1].split(">", 1)[0]
    assert 'data-maxlength="2000"' in textarea and "maxlength=" not in textarea.replace(
        "data-maxlength", "")
    assert "need-description-counter" in textarea
    text = "Des locaux partagés.\r\n" * 95  # 2,090 as posted, 1,995 as counted
    refused = client.post(f"/j/{workshop.join_code}/contribute", data={
        "kind": "need", "client_id": "c" * 16, "description": text + "x" * 10})
    assert refused.status_code == 400
    page_text = refused.get_data(as_text=True)
    assert "Ce texte est trop long." in page_text
    assert "Des locaux partagés.\r\n" * 3 in page_text  # back in its field, not lost


# ---------------------------------------------------------------- archived means read-only


def test_an_archived_diagnostic_s_pages_are_read_only_until_restored(
        client, db, staff, make_workshop):
    workshop = make_workshop(status="closed")
    diagnostic = workshop.diagnostic
    archiving.archive_diagnostic(db.session, diagnostic)
    db.session.commit()
    d = diagnostic.id
    for url in (f"/staff/diagnostics/{d}/settings", f"/staff/diagnostics/{d}/taxonomies",
                f"/staff/diagnostics/{d}/synthesis", f"/staff/diagnostics/{d}",
                f"/staff/workshops/{workshop.id}", f"/facilitate/{workshop.id}"):
        html = page(client, url)
        assert "archived-notice" in html, url
        assert "Ajouter" not in html and "Regrouper la sélection" not in html, url
        assert "Dupliquer" not in html and "Saisir pour une personne" not in html, url
    assert "Supprimer" not in page(client, f"/staff/diagnostics/{d}/settings")
    console = page(client, f"/facilitate/{workshop.id}")
    assert '"read_only": true' in console
    assert 'id="moderation-mode" disabled' in console
    assert client.get(f"/staff/diagnostics/{d}/report").status_code == 200  # still there

    refused = client.post(f"/staff/diagnostics/{d}/stakes",
                          data={"new-stakes-title": "Nouvel enjeu"})
    assert refused.status_code == 409
    assert "Ce diagnostic est archivé : restaurez-le pour le modifier." in refused.get_data(
        as_text=True)
    stake = diagnostic.stakes[0]
    assert client.post(f"/staff/stakes/{stake.id}/move",
                       data={"direction": "down"}).status_code == 409
    assert client.post(f"/staff/diagnostics/{d}/workshops/new", data={
        "kind": "territorial", "title": "Encore un", "sector_id": diagnostic.sectors[0].id,
    }).status_code == 302
    assert client.post(f"/staff/diagnostics/{d}", data={
        "title": "Autre", "territory": "Ailleurs", "time_zone": "Europe/Paris"},
    ).status_code == 302
    assert client.post(f"/staff/workshops/{workshop.id}/duplicate").status_code == 302
    db.session.expire_all()
    assert "Nouvel enjeu" not in [s.title for s in diagnostic.stakes]
    assert diagnostic.stakes[0].id == stake.id
    assert diagnostic.title == "Diagnostic ESS" and len(diagnostic.workshops) == 1

    archiving.restore_diagnostic(db.session, diagnostic)
    db.session.commit()
    html = page(client, f"/staff/diagnostics/{d}/settings")
    assert "archived-notice" not in html and "Ajouter un enjeu" in html
    assert client.post(f"/staff/diagnostics/{d}/stakes",
                       data={"new-stakes-title": "Nouvel enjeu"}).status_code == 302


def test_the_join_page_counts_characters_and_keeps_an_over_long_name(client, make_workshop):
    workshop = make_workshop()
    html = page(client, f"/j/{workshop.join_code}")
    assert 'data-maxlength="80"' in html and 'id="display_name-counter"' in html
    assert 'data-maxlength="200"' in html and 'id="organisation-counter"' in html
    refused = client.post(f"/j/{workshop.join_code}", data={"display_name": "Alex" * 25})
    assert refused.status_code == 400
    assert 'value="' + "Alex" * 25 + '"' in refused.get_data(as_text=True)

