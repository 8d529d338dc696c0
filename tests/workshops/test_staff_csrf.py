"""CSRF is enforced on the staff forms when it is enabled (as in production)."""

import re

import pytest
from sqlalchemy import func, select

from diagnostic.models import Diagnostic, Stake, Workshop, WorkshopStatus
from tests.conftest import logged_in_client


@pytest.fixture
def app_config(app_config):
    """The test app with CSRF protection on."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def client(app, db, make_user):
    """A client logged in as staff without going through the (protected) login form."""
    return logged_in_client(app, db, make_user())


def token_of(client, url):
    """The CSRF token of the page at ``url``, as a browser would submit it."""
    page = client.get(url).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def count(db, model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_creating_a_diagnostic_needs_the_token(client, db):
    data = {"title": "Diagnostic", "territory": "Toulouse"}
    assert client.post("/staff/diagnostics", data=data).status_code == 400
    assert client.post("/staff/diagnostics",
                       data={**data, "csrf_token": "forged"}).status_code == 400
    assert count(db, Diagnostic) == 0
    response = client.post("/staff/diagnostics",
                           data={**data, "csrf_token": token_of(client, "/staff/")})
    assert response.status_code == 302
    assert count(db, Diagnostic) == 1


def test_closing_a_workshop_needs_the_token(client, db, make_workshop):
    workshop = make_workshop()
    url = f"/staff/workshops/{workshop.id}"
    assert client.post(f"{url}/close").status_code == 400
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).status == WorkshopStatus.OPEN
    response = client.post(f"{url}/close",
                           data={"csrf_token": token_of(client, url), "confirm": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).status == WorkshopStatus.CLOSED


def test_prefixed_item_forms_carry_the_token(client, db, make_diagnostic):
    diagnostic = make_diagnostic()
    url = f"/staff/diagnostics/{diagnostic.id}/settings"
    stake = diagnostic.stakes[0]
    assert client.post(f"/staff/stakes/{stake.id}/delete").status_code == 400
    assert client.post(f"/staff/diagnostics/{diagnostic.id}/stakes",
                       data={"new-stakes-title": "C"}).status_code == 400
    assert count(db, Stake) == 2
    page = client.get(url).get_data(as_text=True)
    prefixed = re.search(r'name="new-stakes-csrf_token" type="hidden" value="([^"]+)"', page)
    response = client.post(f"/staff/diagnostics/{diagnostic.id}/stakes",
                           data={"new-stakes-title": "C",
                                 "new-stakes-csrf_token": prefixed.group(1)})
    assert response.status_code == 302
    assert count(db, Stake) == 3


def test_logout_needs_the_token(client):
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/staff/").status_code == 200
