"""Staff: stakes (ordered), territorial sectors, themes and taxonomy terms over HTTP."""

import pytest

from diagnostic.frame import planning
from diagnostic.live import participation
from diagnostic.models import Diagnostic, Vocabulary, WorkshopKind


@pytest.fixture
def diagnostic(make_user, login, make_diagnostic):
    login(make_user())
    return make_diagnostic(stakes=["A", "B", "C"])


def reload(db, diagnostic):
    db.session.expire_all()
    return db.session.get(Diagnostic, diagnostic.id)


def stake_titles(db, diagnostic):
    return [s.title for s in reload(db, diagnostic).stakes]


def test_settings_pages_list_everything(client, diagnostic):
    page = client.get(f"/staff/diagnostics/{diagnostic.id}/settings").get_data(as_text=True)
    for text in ("Enjeux", "Secteurs territoriaux", "Thèmes", "Nord", "Sud",
                 "Entrepreneuriat solidaire", 'aria-label="Monter « B »"'):
        assert text in page
    page = client.get(f"/staff/diagnostics/{diagnostic.id}/taxonomies").get_data(as_text=True)
    for text in ("Familles de l&#39;ESS", "Catégories de besoins", "Types d&#39;acteurs",
                 "Secteurs d&#39;activité / filières", "Acteurs de la mise en œuvre",
                 "Coopérative", "Commande publique"):
        assert text in page


def test_add_rename_move_and_delete_stakes(client, db, diagnostic):
    url = f"/staff/diagnostics/{diagnostic.id}"
    response = client.post(f"{url}/stakes", data={"new-stakes-title": "D"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{url}/settings#stakes"
    assert stake_titles(db, diagnostic) == ["A", "B", "C", "D"]
    d = reload(db, diagnostic).stakes[3]
    assert client.post(f"/staff/stakes/{d.id}/move", data={"direction": "up"}).status_code == 302
    assert stake_titles(db, diagnostic) == ["A", "B", "D", "C"]
    a = reload(db, diagnostic).stakes[0]
    client.post(f"/staff/stakes/{a.id}/move", data={"direction": "down"})
    assert stake_titles(db, diagnostic) == ["B", "A", "D", "C"]
    client.post(f"/staff/stakes/{a.id}", data={f"stakes-{a.id}-title": "A reworded"})
    assert stake_titles(db, diagnostic) == ["B", "A reworded", "D", "C"]
    assert client.post(f"/staff/stakes/{d.id}/delete").status_code == 302
    assert stake_titles(db, diagnostic) == ["B", "A reworded", "C"]
    page = client.get(f"{url}/settings").get_data(as_text=True)
    assert page.index(">B<") < page.index(">A reworded<") < page.index(">C<")


@pytest.mark.parametrize("direction", ["", "sideways"])
def test_bad_move_is_400(client, db, diagnostic, direction):
    stake = diagnostic.stakes[1]
    response = client.post(f"/staff/stakes/{stake.id}/move", data={"direction": direction})
    assert response.status_code == 400
    assert stake_titles(db, diagnostic) == ["A", "B", "C"]


@pytest.mark.parametrize("title, message", [
    ("", "Ce champ est obligatoire."), ("x" * 301, "Ce texte est trop long."),
])
def test_stake_errors_are_shown_on_the_right_form(client, db, diagnostic, title, message):
    url = f"/staff/diagnostics/{diagnostic.id}/stakes"
    response = client.post(url, data={"new-stakes-title": title})
    assert response.status_code == 400
    assert f'id="new-stakes-title-error">{message}</p>' in response.get_data(as_text=True)
    b = diagnostic.stakes[1]
    response = client.post(f"/staff/stakes/{b.id}", data={f"stakes-{b.id}-title": title})
    assert response.status_code == 400
    assert f'id="stakes-{b.id}-title-error">{message}</p>' in response.get_data(as_text=True)
    assert stake_titles(db, diagnostic) == ["A", "B", "C"]


def test_sectors_and_themes(client, db, diagnostic):
    url = f"/staff/diagnostics/{diagnostic.id}"
    client.post(f"{url}/sectors", data={"new-sectors-name": "Est",
                                        "new-sectors-communes": "Balma, L'Union"})
    client.post(f"{url}/themes", data={"new-themes-name": "Services à la personne"})
    stored = reload(db, diagnostic)
    assert [(s.name, s.communes) for s in stored.sectors][-1] == ("Est", "Balma, L'Union")
    assert [t.name for t in stored.themes] == ["Entrepreneuriat solidaire",
                                               "Services à la personne"]
    response = client.post(f"{url}/sectors", data={"new-sectors-name": "NORD"})
    assert response.status_code == 400
    assert "Ce nom est déjà utilisé." in response.get_data(as_text=True)
    assert len(reload(db, diagnostic).sectors) == 3
    nord = stored.sectors[0]
    client.post(f"/staff/sectors/{nord.id}", data={f"sectors-{nord.id}-name": "Nord-Ouest",
                                                   f"sectors-{nord.id}-communes": "Blagnac"})
    assert reload(db, diagnostic).sectors[0].name == "Nord-Ouest"


def test_used_sector_and_theme_cannot_be_deleted_but_can_be_renamed(client, db, diagnostic):
    sector, theme = diagnostic.sectors[0], diagnostic.themes[0]
    planning.create_workshop(db.session, diagnostic, kind=WorkshopKind.TERRITORIAL,
                             title="Atelier Nord", sector_id=sector.id)
    planning.create_workshop(db.session, diagnostic, kind=WorkshopKind.THEMATIC,
                             title="Atelier ES", theme_id=theme.id)
    db.session.commit()
    for name, item, label in (("sectors", sector, "Le secteur « Nord »"),
                              ("themes", theme, "Le thème « Entrepreneuriat solidaire »")):
        response = client.post(f"/staff/{name}/{item.id}/delete")
        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert f"{label} est le sujet de 1 atelier(s)" in page
    stored = reload(db, diagnostic)
    assert len(stored.sectors) == 2 and len(stored.themes) == 1
    client.post(f"/staff/sectors/{sector.id}", data={f"sectors-{sector.id}-name": "Nord-Est"})
    assert reload(db, diagnostic).workshops[0].subject == "Nord-Est"
    unused = stored.sectors[1]
    assert client.post(f"/staff/sectors/{unused.id}/delete").status_code == 302
    assert [s.name for s in reload(db, diagnostic).sectors] == ["Nord-Est"]


def test_terms(client, db, diagnostic, make_workshop, make_participant, initiative_data):
    url = f"/staff/diagnostics/{diagnostic.id}/terms/need_category"
    response = client.post(url, data={"new-need_category-label": "Foncier"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/taxonomies#need_category")
    labels = [t.label for t in reload(db, diagnostic).terms_of(Vocabulary.NEED_CATEGORY)]
    assert labels[-1] == "Foncier"
    response = client.post(url, data={"new-need_category-label": "foncier"})
    assert response.status_code == 400 and "Ce nom est déjà utilisé." in response.text
    assert client.post(f"/staff/diagnostics/{diagnostic.id}/terms/colours",
                       data={"new-colours-label": "Bleu"}).status_code == 404

    workshop = make_workshop(diagnostic)
    family = diagnostic.terms_of(Vocabulary.ESS_FAMILY)[1]
    participation.submit_contribution(db.session, make_participant(workshop),
                                      initiative_data(workshop))
    db.session.commit()
    response = client.post(f"/staff/terms/{family.id}/delete")
    assert response.status_code == 409
    assert "Le terme « Coopérative » est utilisé par 1 contribution(s)" in response.text
    client.post(f"/staff/terms/{family.id}", data={f"terms-{family.id}-label": "SCOP"})
    stored = reload(db, diagnostic)
    assert stored.workshops[0].contributions[0].ess_family.label == "SCOP"
    foncier = stored.terms_of(Vocabulary.NEED_CATEGORY)[-1]
    assert client.post(f"/staff/terms/{foncier.id}/delete").status_code == 302
    assert "Foncier" not in [t.label for t in reload(db, diagnostic).terms]


def test_unknown_items_are_404(client, diagnostic):
    for url in ("/staff/stakes/999", "/staff/sectors/999/delete", "/staff/terms/999/move",
                "/staff/widgets/1/delete", "/staff/diagnostics/999/stakes"):
        assert client.post(url, data={"direction": "up"}).status_code == 404
