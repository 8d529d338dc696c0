"""The contribute page's forms, rendered once and filled per request: never stale, never
shared where they must differ (CSRF token, client ids)."""

from __future__ import annotations

import re

import pytest

from diagnostic.live import lifecycle, participation
from diagnostic.models import Vocabulary
from tests.conftest import IsolatedClient, new_client_id


@pytest.fixture
def app_config(app_config):
    """CSRF on, as in production: the cached forms must carry each session's own token."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


def join(app, workshop, name: str):
    """A phone joined through the real pages; returns its client and contribute page."""
    app.test_client_class = IsolatedClient  # each request in its own context, as in production
    http = app.test_client()
    page = http.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = http.post(f"/j/{workshop.join_code}",
                         data={"csrf_token": token, "display_name": name})
    assert response.status_code == 302
    return http, http.get(response.headers["Location"]).get_data(as_text=True)


def form_values(page: str, name: str) -> list[str]:
    """The value of every hidden input ``name`` of the page's forms."""
    return re.findall(rf'name="{name}" value="([^"]*)"', page)


def test_each_phone_gets_its_own_token_and_ids_in_the_same_forms(app, db, make_workshop,
                                                                initiative_data):
    workshop = make_workshop()
    alice, alice_page = join(app, workshop, "Alice")
    bob, bob_page = join(app, workshop, "Bob")
    for page in (alice_page, bob_page):
        assert len(set(form_values(page, "csrf_token"))) == 1  # one per session, three forms
        assert len(set(form_values(page, "client_id"))) == 3  # one per form
        assert "csrf-" not in page and "client-initiative-" not in page  # no mark left
    assert form_values(alice_page, "csrf_token") != form_values(bob_page, "csrf_token")
    assert not set(form_values(alice_page, "client_id")) & set(form_values(bob_page, "client_id"))
    strip = re.compile(r'name="(csrf_token|client_id)" value="[^"]*"')

    def forms(page: str) -> str:
        return strip.sub("", page.split('<section class="contribute"')[1].split("</section>")[0])

    assert forms(alice_page) == forms(bob_page)

    # Bob's own token (from the cached forms) is accepted when the form is posted without JS.
    data = initiative_data(workshop, client_id=form_values(bob_page, "client_id")[0])
    data["csrf_token"] = form_values(bob_page, "csrf_token")[0]
    response = bob.post(f"/j/{workshop.join_code}/contribute", data=data)
    assert response.status_code == 302
    data["csrf_token"] = form_values(alice_page, "csrf_token")[0]  # Alice's token: refused
    data["client_id"] = new_client_id()
    assert bob.post(f"/j/{workshop.join_code}/contribute", data=data).status_code == 400


def test_a_new_option_or_a_closed_workshop_shows_at_once(app, db, make_workshop,
                                                        make_participant):
    workshop = make_workshop()
    _, before = join(app, workshop, "Alice")
    assert "Un local partagé à Borderouge" not in before
    participant = make_participant(workshop)
    category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0]
    participation.submit_contribution(db.session, participant, {
        "kind": "need", "client_id": new_client_id(), "need_category_id": category.id,
        "description": "Un local partagé à Borderouge"})
    db.session.commit()
    http, after = join(app, workshop, "Bob")
    options = after.split('id="recommendation-answered_need_ids"')[1].split("</select>")[0]
    assert "Un local partagé à Borderouge" in options  # a recommendation may now answer it

    lifecycle.close_workshop(db.session, workshop, None)
    db.session.commit()
    page = http.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)
    assert page.count('class="button primary big" disabled') == 3


def test_the_forms_follow_the_language(app, db, make_workshop):
    workshop = make_workshop()
    http, french = join(app, workshop, "Alice")
    assert "Nom de la structure ou du projet" in french
    english = http.get(f"/j/{workshop.join_code}/contribute?lang=en").get_data(as_text=True)
    assert "Nom de la structure ou du projet" not in english
    assert 'name="csrf_token"' in english


def test_a_refused_entry_comes_back_filled_in(app, db, make_workshop):
    workshop = make_workshop()
    http, page = join(app, workshop, "Alice")
    response = http.post(f"/j/{workshop.join_code}/contribute", data={
        "csrf_token": form_values(page, "csrf_token")[0], "kind": "initiative",
        "client_id": new_client_id(), "name": "", "description": "Sans nom, refusée"})
    assert response.status_code == 400
    again = response.get_data(as_text=True)
    assert "Sans nom, refusée" in again and 'aria-invalid="true"' in again
    fresh = http.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)
    assert "Sans nom, refusée" not in fresh  # the refused values never reach the cache


def test_the_join_form_is_the_same_for_every_phone_but_its_token(app, db, make_workshop):
    workshop = make_workshop()
    anonymous = make_workshop(anonymous=True)
    app.test_client_class = IsolatedClient
    pages = [app.test_client().get(f"/j/{workshop.join_code}").get_data(as_text=True)
             for _ in range(2)]
    tokens = [form_values(page, "csrf_token") or re.findall(
        r'name="csrf_token" type="hidden" value="([^"]+)"', page) for page in pages]
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1]
    assert pages[0].replace(tokens[0][0], "T") == pages[1].replace(tokens[1][0], "T")
    assert 'name="display_name"' in pages[0]
    english = app.test_client().get(f"/j/{workshop.join_code}?lang=en").get_data(as_text=True)
    assert "Votre nom ou pseudonyme" in pages[0]
    assert "Votre nom ou pseudonyme" not in english
    anonymous_page = app.test_client().get(f"/j/{anonymous.join_code}").get_data(as_text=True)
    assert 'name="display_name"' not in anonymous_page
    assert f'action="/j/{anonymous.join_code}"' in anonymous_page
    # Each phone's token is its own: the second phone joins with the form it was given.
    http = app.test_client()
    page = http.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert http.post(f"/j/{workshop.join_code}", data={
        "csrf_token": token, "display_name": "Alex"}).status_code == 302


def test_a_refused_join_form_keeps_what_was_typed(app, db, make_workshop):
    workshop = make_workshop()
    app.test_client_class = IsolatedClient
    http = app.test_client()
    page = http.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    refused = http.post(f"/j/{workshop.join_code}", data={
        "csrf_token": token, "display_name": "", "organisation": "Les Amis du Quartier"})
    assert refused.status_code == 400
    assert "Les Amis du Quartier" in refused.get_data(as_text=True)
    again = http.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    assert "Les Amis du Quartier" not in again
