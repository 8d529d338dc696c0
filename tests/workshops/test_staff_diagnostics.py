"""Staff: the diagnostics list, creating a diagnostic and editing its frame."""

import pytest
from sqlalchemy import select

from diagnostic.live import participation
from diagnostic.models import Diagnostic, Vocabulary
from diagnostic.taxonomy import DEFAULT_TERMS


@pytest.fixture
def staff(make_user, login):
    user = make_user()
    login(user)
    return user


def diagnostics(db):
    db.session.expire_all()
    return db.session.scalars(select(Diagnostic).order_by(Diagnostic.id)).all()


def test_list_shows_cards_with_counts_and_demo_badge(
    client, db, staff, make_diagnostic, make_workshop, make_participant, initiative_data
):

    demo = make_diagnostic("Grand Toulouse 2011", is_demo=True)
    workshop = make_workshop(demo)
    make_workshop(demo, title="Atelier Sud", sector_id=demo.sectors[1].id)
    author = make_participant(workshop)
    for _ in range(3):
        participation.submit_contribution(db.session, author, initiative_data(workshop))
        db.session.commit()
    make_diagnostic("Autre diagnostic", territory="Montpellier")
    page = client.get("/staff/").get_data(as_text=True)
    # Newest first.
    other = page[page.index("Autre diagnostic"):page.index("Grand Toulouse 2011")]
    card = page[page.index("Grand Toulouse 2011"):page.index('id="new-diagnostic"')]
    assert "Démo" in card and "2 ateliers" in card and "3 contributions" in card
    assert "Montpellier" in other and "0 atelier" in other and "Démo" not in other
    assert f'href="/staff/diagnostics/{demo.id}"' in page


def test_create_a_diagnostic_with_stakes_and_default_taxonomies(client, db, staff):
    response = client.post("/staff/diagnostics", data={
        "title": "Diagnostic ESS 2025", "territory": "Toulouse Métropole", "period": "2025",
        "description": "Deuxième édition.",
        "stakes": "Favoriser l'emploi\n\n  Mieux accompagner l'entrepreneuriat solidaire  \n",
    })
    [diagnostic] = diagnostics(db)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/diagnostics/{diagnostic.id}"
    assert diagnostic.title == "Diagnostic ESS 2025" and diagnostic.period == "2025"
    assert [s.title for s in diagnostic.stakes] == [
        "Favoriser l'emploi", "Mieux accompagner l'entrepreneuriat solidaire"]
    assert [t.label for t in diagnostic.terms_of(Vocabulary.ESS_FAMILY)] == (
        DEFAULT_TERMS[Vocabulary.ESS_FAMILY])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Diagnostic « Diagnostic ESS 2025 » créé." in page
    assert "Mieux accompagner l&#39;entrepreneuriat solidaire" in page


@pytest.mark.parametrize("field, value, message", [
    ("title", "", "Ce champ est obligatoire."),
    ("title", "x" * 201, "Ce texte est trop long."),
    ("territory", "   ", "Ce champ est obligatoire."),
    ("stakes", "x" * 301, "Ce texte est trop long."),
])
def test_create_refuses_bad_input_in_french(client, db, staff, field, value, message):
    data = {"title": "Diagnostic", "territory": "Toulouse", "stakes": "A"}
    data[field] = value
    response = client.post("/staff/diagnostics", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="{field}-error">{message}</p>' in page
    assert diagnostics(db) == []


def test_edit_a_diagnostic(client, db, staff, make_diagnostic):
    diagnostic = make_diagnostic()
    page = client.get(f"/staff/diagnostics/{diagnostic.id}").get_data(as_text=True)
    assert 'value="Grand Toulouse"' in page
    response = client.post(f"/staff/diagnostics/{diagnostic.id}", data={
        "title": "ESS Grand Toulouse", "territory": "Grand Toulouse", "period": "avril-juin 2011",
        "description": "Un état des lieux partagé.",
    })
    assert response.status_code == 302
    [stored] = diagnostics(db)
    assert (stored.title, stored.period, stored.description) == (
        "ESS Grand Toulouse", "avril-juin 2011", "Un état des lieux partagé.")


def test_edit_refuses_an_empty_title_and_changes_nothing(client, db, staff, make_diagnostic):
    diagnostic = make_diagnostic()
    response = client.post(f"/staff/diagnostics/{diagnostic.id}",
                           data={"title": "", "territory": "Ailleurs"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.get_data(as_text=True)
    [stored] = diagnostics(db)
    assert (stored.title, stored.territory) == ("Diagnostic ESS", "Grand Toulouse")


def test_unknown_diagnostic_is_404(client, staff):
    assert client.get("/staff/diagnostics/999").status_code == 404
    assert client.post("/staff/diagnostics/999", data={"title": "x"}).status_code == 404


def test_user_text_is_escaped(client, db, staff, make_diagnostic):
    diagnostic = make_diagnostic("<script>alert(1)</script>")
    for url in ("/staff/", f"/staff/diagnostics/{diagnostic.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
