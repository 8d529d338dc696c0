"""HTTP side of the participant flow: join by code, choose a name, the no-JS fallback."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from diagnostic.live import lifecycle
from diagnostic.models import Contribution, Participant, Vocabulary
from tests.conftest import new_client_id


def _count(db, model) -> int:
    """Rows of ``model`` in the database."""
    return db.session.scalar(select(func.count()).select_from(model))


def test_join_page_has_a_big_code_input(client):
    response = client.get("/join")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="code"' in page
    assert 'autocomplete="off"' in page and 'autocapitalize="characters"' in page


def test_unknown_code_says_so_in_french(client, db):
    response = client.post("/join", data={"code": "ZZZZZZ"})
    assert response.status_code == 404
    assert "Aucun atelier ne correspond au code « ZZZZZZ »." in response.get_data(as_text=True)
    assert _count(db, Participant) == 0


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("closed", "est clos : il ne reçoit plus de contributions."),
        ("draft", "n'est pas encore ouvert."),
    ],
)
def test_workshop_not_open_is_refused_with_its_reason(client, make_workshop, status, message):
    workshop = make_workshop(status=status, title="Atelier confidentiel des élus")
    for response in (
        client.post("/join", data={"code": workshop.join_code}),
        client.get(f"/j/{workshop.join_code}"),
        client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"}),
    ):
        assert response.status_code == 409
        page = html.unescape(response.get_data(as_text=True))
        assert message in page
        # Whoever tries codes must not learn the title of a draft or closed workshop.
        assert "confidentiel" not in page


def test_code_is_found_however_it_is_typed(client, make_workshop):
    workshop = make_workshop()
    typed = " " + workshop.join_code[:3].lower() + "-" + workshop.join_code[3:].lower()
    response = client.post("/join", data={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.join_code}")


def test_join_flow_remembers_the_participant(client, db, make_workshop):
    workshop = make_workshop()
    actor = workshop.diagnostic.terms_of(Vocabulary.ACTOR_TYPE)[0]
    form = html.unescape(client.get(f"/j/{workshop.join_code}").get_data(as_text=True))
    assert "J'accepte que mon nom apparaisse dans le rapport" in form
    assert actor.label in form

    response = client.post(
        f"/j/{workshop.join_code}",
        data={"display_name": "Sam", "organisation": "Régie de quartier",
              "actor_type_id": str(actor.id), "agreed_to_be_named": "y"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.join_code}/contribute")
    participant = db.session.scalars(select(Participant)).one()
    assert (participant.display_name, participant.actor_type_id) == ("Sam", actor.id)
    assert participant.agreed_to_be_named is True
    with client.session_transaction() as session:
        assert session["participants"] == {str(workshop.id): participant.token}

    # Coming back through the direct link goes straight to the contribute page.
    again = client.get(f"/j/{workshop.join_code}")
    assert again.status_code == 302 and again.headers["Location"].endswith("/contribute")
    assert _count(db, Participant) == 1


def test_join_form_asks_the_consent_to_publish_contacts_unticked(client, db, make_workshop):
    workshop = make_workshop()
    form = html.unescape(client.get(f"/j/{workshop.join_code}").get_data(as_text=True))
    box = re.search(r'<input[^>]*name="agreed_to_publish_contact"[^>]*>', form).group(0)
    assert 'type="checkbox"' in box and "checked" not in box
    assert "J'accepte que mes coordonnées (contact) figurent dans le rapport" in form
    hint = re.search(r'aria-describedby="([^"]+)"', box).group(1)
    assert f'id="{hint}"' in form and "reste réservé" in form

    response = client.post(f"/j/{workshop.join_code}",
                           data={"display_name": "Sam", "agreed_to_publish_contact": "y"})
    assert response.status_code == 302
    agreed = db.session.scalars(select(Participant)).one()
    assert agreed.agreed_to_publish_contact is True and agreed.agreed_to_be_named is False
    assert agreed.contact_consent_at is not None

    other = client.application.test_client()
    assert other.post(f"/j/{workshop.join_code}", data={"display_name": "Lou"}).status_code == 302
    refused = db.session.scalars(select(Participant).where(Participant.id != agreed.id)).one()
    assert refused.agreed_to_publish_contact is False and refused.contact_consent_at is None


def test_the_contact_field_says_when_it_is_published(client, make_workshop):
    workshop = make_workshop()
    join(client, workshop)
    page = html.unescape(
        client.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True))
    field = re.search(r'<input[^>]*id="initiative-contact"[^>]*>', page).group(0)
    assert "initiative-contact-hint" in re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert re.search(r'id="initiative-contact-hint">Il figure dans le rapport seulement si '
                     r"vous l'avez accepté", page)


def test_join_without_a_name_is_refused(client, db, make_workshop):
    workshop = make_workshop()
    response = client.post(f"/j/{workshop.join_code}", data={"display_name": "  "})
    assert response.status_code == 400
    assert "Indiquez un nom ou un pseudonyme." in response.get_data(as_text=True)
    assert _count(db, Participant) == 0


def test_join_with_control_characters_is_refused(client, db, make_workshop):
    """A NUL byte in a name would be refused by PostgreSQL at commit: a form error instead."""
    workshop = make_workshop()
    for data in ({"display_name": "Sam\x00"}, {"display_name": "Sam", "organisation": "A\x07B"}):
        response = client.post(f"/j/{workshop.join_code}", data=data)
        assert response.status_code == 400
        assert "Ce texte contient des caractères non autorisés." in response.get_data(as_text=True)
    assert _count(db, Participant) == 0


def test_contribute_page_requires_joining(client, make_workshop):
    workshop = make_workshop()
    response = client.get(f"/j/{workshop.join_code}/contribute")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.join_code}")
    assert client.get("/j/NOPE99/contribute").status_code == 404


def join(client, workshop, name: str = "Sam") -> None:
    """Join ``workshop`` through the real pages, as a phone does."""
    response = client.post(f"/j/{workshop.join_code}", data={"display_name": name})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_contribute_page_has_the_dom_contract(client, make_workshop):
    workshop = make_workshop()
    join(client, workshop)
    page = client.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)
    for kind in ("initiative", "need", "recommendation"):
        assert f'data-show-kind="{kind}"' in page
        assert f'id="form-{kind}"' in page
    for name in ("name", "ess_family_id", "activity_sector_id", "commune", "jobs_fte", "stage",
                 "contact", "website", "need_category_id", "urgency", "stake_id",
                 "responsible_party_id", "horizon", "answered_need_ids", "client_id"):
        assert f'name="{name}"' in page
    assert 'id="feed"' in page and 'aria-live="polite"' in page
    assert 'id="live-config"' in page


def test_http_fallback_stores_once_and_shows_it(client, db, make_workshop, initiative_data):
    workshop = make_workshop()
    join(client, workshop)
    data = initiative_data(workshop, name="Épicerie <b>solidaire</b>")
    url = f"/j/{workshop.join_code}/contribute"
    first = client.post(url, data=data)
    resent = client.post(url, data=data)  # a double tap on "Envoyer"
    assert first.status_code == resent.status_code == 302
    assert _count(db, Contribution) == 1
    page = client.get(url).get_data(as_text=True)
    assert 'class="contribution kind-initiative"' in page
    assert "Épicerie &lt;b&gt;solidaire&lt;/b&gt;" in page


def test_http_fallback_redisplays_errors_and_keeps_input(client, db, make_workshop):
    workshop = make_workshop()
    join(client, workshop)
    response = client.post(
        f"/j/{workshop.join_code}/contribute",
        data={"kind": "need", "client_id": new_client_id(), "description": "Des locaux partagés"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="need-need_category_id-error"' in page
    assert "Ce champ est obligatoire." in page
    assert "Des locaux partagés</textarea>" in page
    assert _count(db, Contribution) == 0


def test_http_fallback_answers_needs(client, db, make_workshop):
    workshop = make_workshop()
    join(client, workshop)
    url = f"/j/{workshop.join_code}/contribute"
    category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0]
    client.post(url, data={"kind": "need", "client_id": new_client_id(),
                           "description": "Trouver des locaux", "need_category_id": category.id})
    need = db.session.scalars(select(Contribution)).one()
    assert "Trouver des locaux" in client.get(url).get_data(as_text=True)
    client.post(url, data={"kind": "recommendation", "client_id": new_client_id(),
                           "description": "Ouvrir une pépinière",
                           "stake_id": workshop.diagnostic.stakes[0].id,
                           "answered_need_ids": [str(need.id)]})
    recommendation = db.session.scalars(
        select(Contribution).where(Contribution.kind == "recommendation")
    ).one()
    assert [n.id for n in recommendation.answered_needs] == [need.id]


def test_http_fallback_refuses_a_closed_workshop(client, db, make_workshop, initiative_data):

    workshop = make_workshop()
    join(client, workshop)
    lifecycle.close_workshop(db.session, workshop, None)
    db.session.commit()
    response = client.post(f"/j/{workshop.join_code}/contribute", data=initiative_data(workshop))
    assert response.status_code == 409
    assert "est clos : il ne reçoit plus de contributions." in response.get_data(as_text=True)
    assert _count(db, Contribution) == 0
