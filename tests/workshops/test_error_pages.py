"""HTTP errors are pages in the interface's language, styled like the rest, status kept."""

from __future__ import annotations

import pytest


def test_an_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Page introuvable" in page and "Retour à l'accueil" in page
    assert "Not Found" not in page and 'href="/static/css/app.css"' in page


def test_the_404_follows_the_chosen_language(client):
    page = client.get("/nulle-part?lang=en").get_data(as_text=True)
    assert "Page not found" in page and "Page introuvable" not in page


def test_a_facilitator_on_a_staff_page_gets_a_french_403(client, make_user, login):
    from diagnostic.models import Role

    login(make_user(role=Role.FACILITATOR))
    response = client.get("/staff/accounts")
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)


def test_a_wrong_method_keeps_its_allow_header(client):
    response = client.put("/join")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert "Action impossible" in response.get_data(as_text=True)


@pytest.fixture
def app_config(app_config):
    app_config["PROPAGATE_EXCEPTIONS"] = False  # as in production: a 500 page, not a raise
    return app_config


def test_an_unexpected_error_is_a_french_500(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = client.get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur inattendue" in page and "secret detail" not in page


def test_an_expired_form_says_so_and_stores_nothing(app, client, db, make_workshop):
    from diagnostic.models import Participant

    app.config["WTF_CSRF_ENABLED"] = True
    workshop = make_workshop()
    response = client.post(f"/j/{workshop.join_code}", data={"display_name": "Sam"})
    assert response.status_code == 400
    assert "Formulaire expiré" in response.get_data(as_text=True)
    assert db.session.query(Participant).count() == 0
