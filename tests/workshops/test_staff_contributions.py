"""Staff: every contribution of a diagnostic, filtered by workshop and kind, paginated."""

import html
import re

import pytest

from diagnostic import queries
from diagnostic.live import participation
from diagnostic.models import ContributionKind, Vocabulary
from tests.conftest import new_client_id


@pytest.fixture
def setting(db, make_user, login, make_diagnostic, make_workshop, make_participant,
            initiative_data):
    """Two workshops: north has an initiative and a need, south a recommendation."""
    login(make_user())
    diagnostic = make_diagnostic()
    north = make_workshop(diagnostic, title="Atelier Nord")
    south = make_workshop(diagnostic, title="Atelier Sud", sector_id=diagnostic.sectors[1].id)
    alice = make_participant(north, display_name="Alice", organisation="Ozon SCOP")
    bob = make_participant(south, display_name="Bob")
    participation.submit_contribution(db.session, alice, initiative_data(north, name="Ozon"))
    need, _ = participation.submit_contribution(db.session, alice, {
        "kind": "need", "client_id": new_client_id(), "description": "Des locaux partagés",
        "need_category_id": diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[1].id,
        "urgency": "high",
    })
    participation.submit_contribution(db.session, bob, {
        "kind": "recommendation", "client_id": new_client_id(),
        "description": "Ouvrir une pépinière ESS", "stake_id": diagnostic.stakes[1].id,
        "horizon": "medium", "answered_need_ids": [need.id],
    })
    db.session.commit()
    return diagnostic, north, south


def test_all_contributions_with_their_fields(client, setting):
    diagnostic, _, _ = setting
    response = client.get(f"/staff/diagnostics/{diagnostic.id}/contributions")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in ("3 contributions", "Ozon", "Alice", "Ozon SCOP", "Bob", "Coopérative",
                 "4,5", "Consolidée", "Locaux", "Forte", "Ouvrir une pépinière ESS",
                 "Mieux répondre aux attentes", "Moyen terme", "Des locaux partagés",
                 "Atelier Nord", "Atelier Sud", "Publiée"):
        assert text in page, text


@pytest.mark.parametrize("query, expected, absent", [
    ("workshop={north}", ["Ozon", "Des locaux partagés"], ["Ouvrir une pépinière"]),
    ("workshop={south}", ["Ouvrir une pépinière"], ['class="kind-initiative"']),
    ("kind=need", ['class="kind-need"'], ['class="kind-initiative"', "Ouvrir une pépinière"]),
    ("workshop={north}&kind=initiative", ['class="kind-initiative"'], ['class="kind-need"']),
    ("workshop={south}&kind=need", ["Aucune contribution pour ce filtre."], ["<tbody>"]),
])
def test_filters(client, setting, query, expected, absent):
    diagnostic, north, south = setting
    url = f"/staff/diagnostics/{diagnostic.id}/contributions?"
    response = client.get(url + query.format(north=north.id, south=south.id))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in expected:
        assert text in page, text
    for text in absent:
        assert text not in page, text


@pytest.mark.parametrize("query", ["kind=vote", "workshop=abc", "workshop=9999", "page=0",
                                   "page=x"])
def test_unknown_filter_values_are_400(client, setting, query):
    diagnostic, _, _ = setting
    response = client.get(f"/staff/diagnostics/{diagnostic.id}/contributions?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ce filtre n&#39;est pas valide" in page or "Ce filtre n'est pas valide" in page
    assert "<tbody>" not in page


def test_a_workshop_of_another_diagnostic_is_not_a_filter(client, setting, make_workshop):
    diagnostic, _, _ = setting
    foreign = make_workshop(title="Ailleurs")
    response = client.get(
        f"/staff/diagnostics/{diagnostic.id}/contributions?workshop={foreign.id}"
    )
    assert response.status_code == 400


def test_pagination(client, db, setting, make_participant, initiative_data):
    diagnostic, north, _ = setting
    author = make_participant(north, display_name="Prolifique")
    for number in range(60):
        participation.submit_contribution(db.session, author,
                                     initiative_data(north, name=f"Structure {number:02d}"))
        db.session.commit()
    url = f"/staff/diagnostics/{diagnostic.id}/contributions?kind=initiative"
    first = client.get(url).get_data(as_text=True)
    assert "61 contributions" in first and "page 1 sur 2" in first
    assert first.count('class="kind-initiative"') == 50
    assert "page=2" in first and "kind=initiative" in first
    second = client.get(url + "&page=2").get_data(as_text=True)
    assert second.count('class="kind-initiative"') == 11 and "Structure 59" in second
    assert "Structure 59" not in first
    last = client.get(url + "&page=7")  # past the end: the last page
    assert last.status_code == 200 and "Structure 59" in last.get_data(as_text=True)


def test_contributions_page_query(db, setting):
    diagnostic, north, _ = setting
    page = queries.contributions_page(db.session, diagnostic, kind=ContributionKind.NEED)
    assert [c.description for c in page.items] == ["Des locaux partagés"]
    page = queries.contributions_page(db.session, diagnostic, workshop_id=north.id, per_page=1,
                                      page=2)
    assert page.total == 2 and page.pages == 2 and not page.has_next and page.has_prev
    assert page.items[0].kind == ContributionKind.NEED


def test_staff_see_every_contact_and_whether_it_is_published(
        client, db, make_user, login, make_workshop, make_participant, initiative_data):
    login(make_user())
    workshop = make_workshop()
    agrees = make_participant(workshop, "Camille", agreed_to_publish_contact=True)
    refuses = make_participant(workshop, "Dominique")
    for participant, contact in ((agrees, "oui@coop.example"), (refuses, "non@coop.example")):
        participation.submit_contribution(db.session, participant,
                                          initiative_data(workshop, contact=contact))
    db.session.commit()
    page = client.get(f"/staff/diagnostics/{workshop.diagnostic_id}/contributions")
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 200
    assert re.search(r"oui@coop\.example <span class=\"hint\">\(publié dans le rapport\)", text)
    assert re.search(r"non@coop\.example <span class=\"hint\">\(non publié : pas d'accord",
                     text)


def test_contacts_are_for_staff_only(client, db, make_user, login, make_workshop,
                                     make_participant, initiative_data):
    from diagnostic.models import Role

    workshop = make_workshop()
    participant = make_participant(workshop)
    participation.submit_contribution(db.session, participant,
                                      initiative_data(workshop, contact="non@coop.example"))
    db.session.commit()
    url = f"/staff/diagnostics/{workshop.diagnostic_id}/contributions"
    anonymous = client.get(url)
    assert anonymous.status_code in (302, 401, 403)
    assert "non@coop.example" not in anonymous.get_data(as_text=True)
    login(make_user(Role.FACILITATOR, email="anim@example.org"))
    facilitator = client.get(url)
    assert facilitator.status_code in (302, 403)
    assert "non@coop.example" not in facilitator.get_data(as_text=True)
