"""Staff synthesis pages: duplicate suggestions, the synthesis editor and their actions."""

from __future__ import annotations

import re
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from diagnostic import services, supports
from diagnostic.models import (
    Contribution,
    RejectedPair,
    Role,
    SynthesisAuditEntry,
    SynthesisItem,
    Vocabulary,
)
from diagnostic.synthesis import editing
from tests.conftest import IsolatedClient, new_client_id


@pytest.fixture
def seeded(db, make_diagnostic, make_workshop, make_participant):
    """Three workshops: one initiative cited three times, another one, two alike needs."""
    diagnostic = make_diagnostic()
    workshops = [make_workshop(diagnostic, title=f"Atelier {n}", date=date(2011, 4, 10 + n))
                 for n in range(3)]
    people = [make_participant(w, f"P{w.id}", organisation=f"Structure {w.id}")
              for w in workshops]
    category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id

    def submit(who, kind, **fields):
        data = {"kind": kind, "client_id": new_client_id(), **fields}
        if kind == "need":
            data["need_category_id"] = category
        return services.submit_contribution(db.session, who, data)[0]

    items = {
        "restos_a": submit(people[0], "initiative", name="Les Restos du Cœur",
                           description="Aide alimentaire", commune="Toulouse"),
        "restos_b": submit(people[1], "initiative", name="restos du coeur",
                           description="Distribution de repas", commune="Toulouse"),
        "restos_c": submit(people[2], "initiative", name="Restos du coeur 31",
                           description="Repas chauds", commune="Toulouse"),
        "garage": submit(people[2], "initiative", name="Garage solidaire",
                         description="Réparation à prix réduit", commune="Blagnac"),
        "locaux_a": submit(people[0], "need", description="Trouver des locaux abordables"),
        "locaux_b": submit(people[1], "need", description="Trouver des locaux à loyer abordable"),
        "finance": submit(people[2], "need", description="Financer le démarrage des projets"),
        "benevoles": submit(people[2], "need", description="Former les bénévoles à la gestion"),
        "pepiniere": submit(people[2], "recommendation",
                            description="Créer une pépinière ESS",
                            stake_id=diagnostic.stakes[0].id),
    }
    return diagnostic, workshops, items


@pytest.fixture
def staff(client, login, make_user):
    """The test client, logged in as staff."""
    login(make_user())
    return client


def base(diagnostic) -> str:
    return f"/staff/diagnostics/{diagnostic.id}/synthesis"


def block(page: str, anchor: str) -> str:
    """The card of a list that starts at ``anchor``, up to the next card or the list's end."""
    start = page.index(anchor)
    ends = [i for i in (page.find('<li class="card', start), page.find("</ol>", start)) if i > 0]
    return page[start:min(ends)]


def fresh(db, model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def actions(db) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(SynthesisAuditEntry.action)
                                   .order_by(SynthesisAuditEntry.id)))


def groups(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(SynthesisItem))


@pytest.fixture
def similarity():
    """The suggestion engine."""
    from diagnostic.synthesis import similarity

    return similarity


# -- access --------------------------------------------------------------------------------

URLS = [("get", ""), ("get", "/suggestions"), ("post", "/merge"), ("post", "/reject"),
        ("post", "/items/1"), ("post", "/units/1/split"), ("post", "/groups/1/dissolve")]


@pytest.mark.parametrize("method, path", URLS)
def test_anonymous_is_sent_to_login(client, seeded, method, path):
    response = getattr(client, method)(base(seeded[0]) + path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("method, path", URLS)
def test_facilitators_are_refused(client, login, make_user, seeded, db, method, path):
    login(make_user(role=Role.FACILITATOR))
    items = seeded[2]
    data = {"contribution_ids": [items["restos_a"].id, items["restos_b"].id]}
    assert getattr(client, method)(base(seeded[0]) + path, data=data).status_code == 403
    assert groups(db) == 0 and actions(db) == []


@pytest.mark.parametrize("query", ["?kind=vote", "?page=0", "?page=x"])
def test_unknown_kind_or_page_is_404(staff, seeded, query):
    assert staff.get(base(seeded[0]) + query).status_code == 404
    assert staff.get(base(seeded[0]) + "/suggestions" + query).status_code == 404


def test_the_diagnostic_tabs_lead_to_the_synthesis(staff, seeded):
    page = staff.get(f"/staff/diagnostics/{seeded[0].id}").get_data(as_text=True)
    assert f'href="{base(seeded[0])}"' in page and ">Synthèse</a>" in page


# -- suggestions ---------------------------------------------------------------------------

def test_suggestions_show_both_sides_the_score_and_why(staff, seeded, similarity):
    diagnostic, workshops, items = seeded
    response = staff.get(base(diagnostic) + "/suggestions")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    pair = f'id="pair-{items["restos_a"].id}-{items["restos_b"].id}"'
    assert pair in page
    card = block(page, pair)
    assert "Les Restos du Cœur" in card and "restos du coeur" in card
    assert "Atelier 0" in card and "Atelier 1" in card and "Toulouse" in card
    assert re.search(r'class="score">\d+ %<', card)
    assert "Même commune : Toulouse" in card
    assert ">Regrouper</button>" in card and ">Pas un doublon</button>" in card
    assert "Garage solidaire" not in page
    # Tabs count the contributions of each kind; needs have their own tab.
    assert re.search(r'kind=initiative" aria-current="page">Initiatives <span class="count">4<',
                     page)
    needs = staff.get(base(diagnostic) + "/suggestions?kind=need").get_data(as_text=True)
    assert "Trouver des locaux abordables" in needs and "Les Restos" not in needs


def test_merging_a_suggested_pair_groups_it_and_comes_back(staff, seeded, db, similarity):
    diagnostic, workshops, items = seeded
    first, second = items["restos_a"].id, items["restos_b"].id
    response = staff.post(base(diagnostic) + "/merge?kind=initiative&page=1&from=suggestions",
                          data={"contribution_ids": [first, second]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        base(diagnostic) + "/suggestions?kind=initiative&page=1")
    group = fresh(db, Contribution, first).synthesis_item_id
    assert group is not None and fresh(db, Contribution, second).synthesis_item_id == group
    assert actions(db) == ["merge"]
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Contributions regroupées" in page
    assert f'id="pair-{first}-{second}"' not in page
    # The third mention is still suggested, and says its partner is already in a group.
    assert f'pair-{first}-{items["restos_c"].id}' in page
    assert "Déjà regroupée avec 1 autre contribution" in page


def test_rejecting_a_pair_hides_it_for_good(staff, seeded, db, similarity):
    diagnostic, workshops, items = seeded
    first, second = items["locaux_a"].id, items["locaux_b"].id
    url = base(diagnostic) + "/suggestions?kind=need"
    assert f'id="pair-{first}-{second}"' in staff.get(url).get_data(as_text=True)
    response = staff.post(base(diagnostic) + "/reject?kind=need&page=1",
                          data={"first_id": second, "second_id": first})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        base(diagnostic) + "/suggestions?kind=need&page=1")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(RejectedPair)) == 1
    assert actions(db) == ["reject"]
    page = staff.get(url).get_data(as_text=True)
    assert "ne seront plus proposées" in page and f'id="pair-{first}-{second}"' not in page
    assert "parmi 4 contributions" in page


@pytest.mark.parametrize("data, message, status", [
    ({"contribution_ids": ["1"]}, "Choisissez au moins deux contributions à regrouper.", 409),
    ({"contribution_ids": ["999999", "x"]}, "Contribution introuvable.", 404),
])
def test_a_refused_merge_says_why_and_changes_nothing(staff, seeded, db, similarity, data,
                                                       message, status):
    diagnostic = seeded[0]
    response = staff.post(base(diagnostic) + "/merge?kind=initiative&from=suggestions",
                          data=data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert groups(db) == 0 and actions(db) == []


def test_merging_different_kinds_is_refused(staff, seeded, db):
    diagnostic, workshops, items = seeded
    response = staff.post(base(diagnostic) + "/merge?kind=need", data={
        "contribution_ids": [items["locaux_a"].id, items["garage"].id]})
    assert response.status_code == 409
    assert "On ne regroupe que des contributions de même nature." in response.get_data(
        as_text=True)
    assert groups(db) == 0


def test_rejecting_a_pair_of_another_diagnostic_is_404(staff, seeded, db, make_diagnostic,
                                                       make_workshop, make_participant,
                                                       initiative_data, similarity):
    other = make_workshop(make_diagnostic(title="Autre"))
    stranger = services.submit_contribution(
        db.session, make_participant(other), initiative_data(other))[0]
    response = staff.post(base(seeded[0]) + "/reject", data={
        "first_id": seeded[2]["garage"].id, "second_id": stranger.id})
    assert response.status_code == 404
    assert "Contribution introuvable." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(RejectedPair)) == 0


# -- editor --------------------------------------------------------------------------------

def test_the_editor_lists_items_in_report_order_with_their_figures(staff, seeded, db,
                                                                   make_participant):
    diagnostic, workshops, items = seeded
    editing.merge(db.session, diagnostic, None,
                  [items["locaux_a"].id, items["locaux_b"].id])
    db.session.commit()
    for name in ("Ana", "Léo"):
        supports.support_contribution(db.session, make_participant(workshops[0], name),
                                      items["locaux_a"].id)
    page = staff.get(base(diagnostic) + "?kind=need").get_data(as_text=True)
    item = block(page, f'id="item-{items["locaux_a"].id}"')
    assert "Soulevé dans 2 ateliers sur 3, par 2 structures" in item
    assert "2 mentions" in item and "2 ateliers" in item and "2 structures" in item
    assert "2 soutiens" in item and "gommette" not in item
    assert "2 contributions regroupées" in item and item.count(">Détacher<") == 2
    assert "Défaire le regroupement" in item
    assert 'placeholder="Trouver des locaux abordables"' in item
    assert f'href="{base(diagnostic)}/suggestions?kind=need"' in page
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # labels find their fields
    initiatives = staff.get(base(diagnostic)).get_data(as_text=True)
    titles = re.findall(r'<h3 id="item-\d+-title">([^<]+)</h3>', initiatives)
    assert titles == ["Garage solidaire", "Les Restos du Cœur", "restos du coeur",
                      "Restos du coeur 31"]


def test_manual_merge_of_a_selection(staff, seeded, db):
    diagnostic, workshops, items = seeded
    chosen = [items["restos_a"].id, items["restos_b"].id, items["restos_c"].id]
    response = staff.post(base(diagnostic) + "/merge?kind=initiative&page=1",
                          data={"contribution_ids": chosen})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(base(diagnostic) + "?kind=initiative&page=1")
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 mentions" in page and "3 ateliers" in page
    assert re.findall(r'<h3 id="item-\d+-title">([^<]+)</h3>', page) == [
        "Garage solidaire", "Les Restos du Cœur"]
    audit = page[page.index('id="synthesis-audit"'):]
    assert "<td>Regroupement</td>" in audit and "Contributions isolées" in audit
    assert "Contributions : n° {}, n° {}, n° {}".format(*chosen) in audit


def test_editing_an_item_saves_it_and_the_report_follows(staff, seeded, db):
    diagnostic, workshops, items = seeded
    group = editing.merge(db.session, diagnostic, None,
                          [items["restos_a"].id, items["restos_b"].id])
    db.session.commit()
    prefix = f"edit-{items['restos_a'].id}"
    response = staff.post(
        base(diagnostic) + f"/items/{items['restos_a'].id}?kind=initiative&page=1",
        data={f"{prefix}-title": "Restos du Cœur (Haute-Garonne)",
              f"{prefix}-summary": "Aide alimentaire et repas chauds",
              f"{prefix}-position": "1", f"{prefix}-priority": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#item-{items['restos_a'].id}")
    saved = fresh(db, SynthesisItem, group.id)
    assert (saved.title, saved.summary, saved.position, saved.priority) == (
        "Restos du Cœur (Haute-Garonne)", "Aide alimentaire et repas chauds", 1, True)
    assert actions(db) == ["merge", "edit"]
    page = staff.get(base(diagnostic)).get_data(as_text=True)
    titles = re.findall(r'<h3 id="item-\d+-title">([^<]+)</h3>', page)
    assert titles[0] == "Restos du Cœur (Haute-Garonne)"
    assert "Rang 1" in page and 'class="badge priority"' in page
    assert "Titre : « Restos du Cœur (Haute-Garonne) »" in page and "Priorité : oui" in page
    report = staff.get(f"/staff/diagnostics/{diagnostic.id}/report").get_data(as_text=True)
    assert "Restos du Cœur (Haute-Garonne)" in report


def test_editing_a_lone_item_makes_a_group_of_one(staff, seeded, db):
    diagnostic, workshops, items = seeded
    garage = items["garage"].id
    response = staff.post(base(diagnostic) + f"/items/{garage}",
                          data={f"edit-{garage}-priority": "y"})
    assert response.status_code == 302
    assert fresh(db, Contribution, garage).synthesis_item_id is not None
    page = staff.get(base(diagnostic)).get_data(as_text=True)
    item = block(page, f'id="item-{garage}"')
    assert "Priorité" in item and "Défaire le regroupement" not in item


@pytest.mark.parametrize("field, value, message", [
    ("position", "premier", "Le rang doit être un nombre entier positif."),
    ("position", "0", "Le rang doit être un nombre entier positif."),
    ("title", "x" * 301, "Le titre ne doit pas dépasser 300 caractères."),
    ("stake_id", "999999", "Choisissez un enjeu de ce diagnostic."),
    ("stake_id", "abc", "Choisissez un enjeu de ce diagnostic."),
])
def test_invalid_edits_show_the_french_error_and_change_nothing(staff, seeded, db, field,
                                                                 value, message):
    diagnostic, workshops, items = seeded
    unit = items["pepiniere"].id
    prefix = f"edit-{unit}"
    response = staff.post(base(diagnostic) + f"/items/{unit}?kind=recommendation",
                          data={f"{prefix}-title": "Nouveau titre", f"{prefix}-{field}": value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="{prefix}-{field}-error">{message}</p>' in page
    assert "Rien n&#39;a été enregistré" in page
    # The refused form is shown open, with what was typed.
    typed = 'value="Nouveau titre"' if field != "title" else f'value="{value}"'
    assert 'class="item-edit" open' in page and typed in page
    assert groups(db) == 0 and actions(db) == []
    assert fresh(db, Contribution, unit).synthesis_item_id is None


def test_a_recommendation_gets_a_stake_from_the_editor(staff, seeded, db):
    diagnostic, workshops, items = seeded
    unit = items["pepiniere"].id
    page = staff.get(base(diagnostic) + "?kind=recommendation").get_data(as_text=True)
    assert '<option selected value="">Enjeu choisi en atelier</option>' in page
    second = diagnostic.stakes[1]
    response = staff.post(base(diagnostic) + f"/items/{unit}?kind=recommendation",
                          data={f"edit-{unit}-stake_id": str(second.id)})
    assert response.status_code == 302
    page = staff.get(base(diagnostic) + "?kind=recommendation").get_data(as_text=True)
    assert f"Enjeu : {escape(second.title)}" in page
    assert f'<option selected value="{second.id}">' in page


def test_detaching_a_source_and_undoing_a_group(staff, seeded, db):
    diagnostic, workshops, items = seeded
    a, b, c = (items[k].id for k in ("restos_a", "restos_b", "restos_c"))
    group = editing.merge(db.session, diagnostic, None, [a, b, c])
    db.session.commit()
    response = staff.post(base(diagnostic) + f"/units/{c}/split?kind=initiative&page=1")
    assert response.status_code == 302
    assert fresh(db, Contribution, c).synthesis_item_id is None
    assert fresh(db, Contribution, a).synthesis_item_id == group.id
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Contribution détachée" in page and f"Détachée : n° {c}" in page
    response = staff.post(base(diagnostic) + f"/groups/{group.id}/dissolve?kind=initiative")
    assert response.status_code == 302
    assert fresh(db, SynthesisItem, group.id) is None
    assert fresh(db, Contribution, a).synthesis_item_id is None
    assert actions(db) == ["merge", "split", "dissolve"]
    page = staff.get(base(diagnostic)).get_data(as_text=True)
    assert "Regroupement défait" in page
    # Detaching a contribution that is in no group is refused with its reason.
    response = staff.post(base(diagnostic) + f"/units/{a}/split")
    assert response.status_code == 409
    assert "Cette contribution n&#39;est regroupée avec aucune autre." in response.get_data(
        as_text=True)
    assert actions(db) == ["merge", "split", "dissolve"]


def test_dissolving_an_unknown_group_is_404(staff, seeded, db):
    response = staff.post(base(seeded[0]) + "/groups/999999/dissolve")
    assert response.status_code == 404
    assert "Élément de synthèse introuvable." in response.get_data(as_text=True)


def test_the_editor_pages_fifty_items(staff, db, make_workshop, make_participant):
    workshop = make_workshop()
    author = make_participant(workshop)
    category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
    for n in range(55):
        services.submit_contribution(db.session, author, {
            "kind": "need", "client_id": new_client_id(), "need_category_id": category,
            "description": f"Besoin numéro {n:02d}"})
    url = base(workshop.diagnostic) + "?kind=need"
    first = staff.get(url).get_data(as_text=True)
    assert first.count('class="card synthesis-item') == 50
    assert "page 1 sur 2" in first and 'rel="next"' in first
    second = staff.get(url + "&page=2").get_data(as_text=True)
    assert second.count('class="card synthesis-item') == 5 and 'rel="prev"' in second
    # A page past the end shows the last one.
    assert staff.get(url + "&page=9").get_data(as_text=True).count(
        'class="card synthesis-item') == 5


# -- CSRF ----------------------------------------------------------------------------------

@pytest.fixture
def csrf_client(app, make_user):
    """A staff client with CSRF protection on (as in production)."""
    app.config["WTF_CSRF_ENABLED"] = True
    app.test_client_class = IsolatedClient
    client = app.test_client()
    user = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client


def test_synthesis_actions_need_the_csrf_token(csrf_client, seeded, db):
    diagnostic, workshops, items = seeded
    ids = [items["restos_a"].id, items["restos_b"].id]
    url = base(diagnostic) + "/merge"
    assert csrf_client.post(url, data={"contribution_ids": ids}).status_code == 400
    assert csrf_client.post(url, data={"contribution_ids": ids,
                                       "csrf_token": "forged"}).status_code == 400
    unit = items["garage"].id
    assert csrf_client.post(base(diagnostic) + f"/items/{unit}",
                            data={f"edit-{unit}-title": "X"}).status_code == 400
    assert groups(db) == 0 and actions(db) == []
    page = csrf_client.get(base(diagnostic)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = csrf_client.post(url, data={"contribution_ids": ids, "csrf_token": token})
    assert response.status_code == 302
    assert groups(db) == 1
    prefixed = re.search(rf'id="edit-{unit}-csrf_token" name="edit-{unit}-csrf_token" '
                         r'type="hidden" value="([^"]+)"', page)
    response = csrf_client.post(base(diagnostic) + f"/items/{unit}", data={
        f"edit-{unit}-title": "Garage", f"edit-{unit}-csrf_token": prefixed.group(1)})
    assert response.status_code == 302
