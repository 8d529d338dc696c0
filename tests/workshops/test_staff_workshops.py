"""Staff: planning, editing, opening and closing workshops; the workshop page."""

from datetime import date

import pytest
from sqlalchemy import func, select

from diagnostic import audit_queries
from diagnostic.live import participation
from diagnostic.models import (
    ContributionKind,
    Phase,
    Vocabulary,
    Workshop,
    WorkshopKind,
    WorkshopStatus,
)


@pytest.fixture
def diagnostic(make_user, login, make_diagnostic):
    login(make_user())
    return make_diagnostic()


def workshops(db):
    db.session.expire_all()
    return db.session.scalars(select(Workshop).order_by(Workshop.id)).all()


def test_plan_a_thematic_workshop(client, db, diagnostic):
    url = f"/staff/diagnostics/{diagnostic.id}/workshops/new"
    page = client.get(url).get_data(as_text=True)
    assert "Atelier territorial" in page and "Entrepreneuriat solidaire" in page
    theme = diagnostic.themes[0]
    response = client.post(url, data={
        "kind": "thematic", "title": "Entreprendre autrement", "theme_id": str(theme.id),
        "sector_id": str(diagnostic.sectors[0].id), "date": "2011-05-12",
        "place": "Maison de l'économie solidaire",
    })
    [workshop] = workshops(db)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/workshops/{workshop.id}"
    assert workshop.kind == WorkshopKind.THEMATIC and workshop.theme_id == theme.id
    assert workshop.sector_id is None and workshop.date == date(2011, 5, 12)
    assert workshop.status == WorkshopStatus.DRAFT


@pytest.mark.parametrize("data, field, message", [
    ({"kind": "thematic"}, "theme_id", "Choisissez le thème de l&#39;atelier."),
    ({"kind": "thematic", "theme_id": "9999"}, "theme_id",
     "Choisissez le thème de l&#39;atelier."),
    ({"kind": "territorial"}, "sector_id",
     "Choisissez le secteur territorial de l&#39;atelier."),
    ({"kind": "territorial", "sector_id": "abc"}, "sector_id",
     "Choisissez le secteur territorial de l&#39;atelier."),
    ({"kind": "territorial", "title": ""}, "title", "Ce champ est obligatoire."),
    ({"kind": "territorial", "place": "x" * 201}, "place", "Ce texte est trop long."),
    ({"kind": "territorial", "date": "12/05/2011"}, "date", "N&#39;est pas une date valide."),
    ({"kind": "online"}, "kind", "N&#39;est pas un choix valide."),
])
def test_workshop_errors_are_french_on_the_right_field(client, db, diagnostic, data, field,
                                                       message):
    form = {"title": "Atelier", "sector_id": "", "theme_id": "", "date": "", "place": ""}
    if data.get("kind") == "territorial" and "sector_id" not in data and field != "sector_id":
        form["sector_id"] = str(diagnostic.sectors[0].id)
    form.update(data)
    response = client.post(f"/staff/diagnostics/{diagnostic.id}/workshops/new", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    if field == "kind":
        assert message in page
    else:
        assert f'<p class="error" id="{field}-error">{message}</p>' in page
    assert workshops(db) == []


def test_edit_a_workshop(client, db, diagnostic, make_workshop):
    workshop = make_workshop(diagnostic, status="draft")
    url = f"/staff/workshops/{workshop.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Atelier Nord"' in page
    response = client.post(url, data={
        "kind": "territorial", "title": "Atelier Sud", "sector_id": diagnostic.sectors[1].id,
        "date": "2011-04-07", "place": "Muret",
    })
    assert response.status_code == 302
    [stored] = workshops(db)
    assert (stored.title, stored.subject, stored.place) == ("Atelier Sud", "Sud", "Muret")
    response = client.post(url, data={"kind": "thematic", "title": "Atelier Sud"})
    assert response.status_code == 400
    assert "Choisissez le thème de l&#39;atelier." in response.get_data(as_text=True)
    [stored] = workshops(db)
    assert stored.kind == WorkshopKind.TERRITORIAL and stored.subject == "Sud"


def test_workshop_page_shows_code_links_and_counts(
    client, db, diagnostic, make_workshop, make_participant, initiative_data
):
    workshop = make_workshop(diagnostic)
    author = make_participant(workshop)
    make_participant(workshop, display_name="Claude")
    participation.submit_contribution(db.session, author, initiative_data(workshop))
    participation.submit_contribution(db.session, author, {
        "kind": "need", "client_id": "need-0000001", "description": "Des locaux partagés",
        "need_category_id": diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id,
    })
    db.session.commit()
    page = client.get(f"/staff/workshops/{workshop.id}").get_data(as_text=True)
    assert f'<p class="join-code">{workshop.join_code}</p>' in page
    assert f"http://localhost/j/{workshop.join_code}" in page
    assert f'href="/board/{workshop.id}"' in page
    assert "<dt>Participant·es</dt><dd>2</dd>" in page
    counts = participation.count_contributions(db.session, workshop)
    assert counts[ContributionKind.NEED] == 1
    assert "<dt>Initiatives</dt><dd>1</dd>" in page and "<dt>Besoins</dt><dd>1</dd>" in page
    assert "<dt>Préconisations</dt><dd>0</dd>" in page
    assert "Clore l'atelier" in page


def test_open_and_close_change_status_and_tell_the_room(client, db, diagnostic, make_workshop,
                                                        monkeypatch):
    from workshops.live import rooms

    told = []  # what the after-commit hook sends
    monkeypatch.setattr(rooms, "send", lambda message: told.append(
        (message.workshop_id, message.name, message.payload["status"])))
    workshop = make_workshop(diagnostic, status="draft")
    assert "Ouvrir l'atelier" in client.get(f"/staff/workshops/{workshop.id}").text
    response = client.post(f"/staff/workshops/{workshop.id}/open")
    assert response.status_code == 302
    assert workshops(db)[0].status == WorkshopStatus.OPEN
    # Closing asks first, and says what it does; nothing changes until confirmed.
    confirmation = client.post(f"/staff/workshops/{workshop.id}/close")
    assert confirmation.status_code == 200
    assert "ne pourront plus contribuer, soutenir ni voter" in confirmation.text
    assert 'name="confirm" value="1"' in confirmation.text
    assert workshops(db)[0].status == WorkshopStatus.OPEN
    client.post(f"/staff/workshops/{workshop.id}/close", data={"confirm": "1"})
    assert workshops(db)[0].status == WorkshopStatus.CLOSED
    assert workshops(db)[0].phase == Phase.CLOSED
    assert told == [(workshop.id, "workshop_status", "open"),
                    (workshop.id, "workshop_status", "closed")]
    assert "Rouvrir l'atelier" in client.get(f"/staff/workshops/{workshop.id}").text
    refused = client.post(f"/staff/workshops/{workshop.id}/open")  # reopen is its own step
    assert refused.status_code == 409 and "rouvrez-le" in refused.text
    assert workshops(db)[0].status == WorkshopStatus.CLOSED
    assert client.post(f"/staff/workshops/{workshop.id}/reopen").status_code == 302
    assert workshops(db)[0].status == WorkshopStatus.OPEN
    assert told[-1] == (workshop.id, "workshop_status", "open")
    assert [e.action for e in audit_queries.audit_log(db.session, workshops(db)[0])] == [
        "reopen_workshop", "close_workshop", "open_workshop"]
    assert client.get(f"/staff/workshops/{workshop.id}/open").status_code == 405
    assert client.post("/staff/workshops/999/open").status_code == 404


def test_the_status_broadcast_reaches_the_workshop_room(client, app, db, diagnostic,
                                                        make_workshop):
    from workshops.extensions import socketio

    workshop = make_workshop(diagnostic, status="draft")
    other = make_workshop(diagnostic, status="draft", title="Autre")
    emitted = []
    original = socketio.emit

    def spy(event, data, **kwargs):
        emitted.append((event, data, kwargs.get("to")))
        return original(event, data, **kwargs)

    socketio.emit = spy
    try:
        client.post(f"/staff/workshops/{workshop.id}/open")
    finally:
        socketio.emit = original
    [(payload, to)] = [(data, to) for event, data, to in emitted if event == "workshop_status"]
    assert to == f"workshop:{workshop.id}"
    assert (payload["workshop_id"], payload["status"], payload["phase"], payload["seq"]) == (
        workshop.id, "open", "welcome", 1)
    assert all(to != f"workshop:{other.id}" for _, _, to in emitted)
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == 2
