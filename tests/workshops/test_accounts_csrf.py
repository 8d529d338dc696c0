"""CSRF is enforced on the account forms when it is enabled (as in production)."""

import pytest

from diagnostic import account_admin
from diagnostic.models import Role, User
from tests.conftest import PASSWORD, logged_in_client
from tests.workshops.test_staff_csrf import token_of

NEW_PASSWORD = "une phrase de passe"


@pytest.fixture
def app_config(app_config):
    """The test app with CSRF protection on."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.STAFF)


def reload(db, user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_deactivating_needs_the_token(app, db, staff, make_user):
    client = logged_in_client(app, db, staff)
    user = make_user(role=Role.FACILITATOR)
    url = f"/staff/accounts/{user.id}/deactivate"
    assert client.post(url).status_code == 400
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 400
    assert reload(db, user).active
    assert client.post(url, data={"csrf_token": token_of(client, url)}).status_code == 303
    assert not reload(db, user).active


def test_creating_and_resetting_need_the_token(app, db, staff, make_user):
    client = logged_in_client(app, db, staff)
    data = {"name": "Claire", "email": "claire@example.org", "role": "facilitator"}
    assert client.post("/staff/accounts/new", data=data).status_code == 400
    assert db.session.query(User).count() == 1
    token = token_of(client, "/staff/accounts/new")
    assert client.post("/staff/accounts/new",
                       data={**data, "csrf_token": token}).status_code == 200
    user = make_user(role=Role.FACILITATOR)
    assert client.post(f"/staff/accounts/{user.id}/reset").status_code == 400
    assert reload(db, user).check_password(PASSWORD)


def test_choosing_and_changing_a_password_need_the_token(app, db, staff, make_user):
    _, link = account_admin.create_account(db.session, name="C", email="c@example.org",
                                           role="facilitator", actor=staff)
    db.session.commit()
    invitee = app.test_client()
    path = f"/auth/link/{link}"
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert invitee.post(path, data=data).status_code == 400
    assert invitee.post(path, data={**data, "csrf_token": token_of(invitee, path)}
                        ).status_code == 303
    user = make_user(role=Role.FACILITATOR)
    client = logged_in_client(app, db, user)
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
              "confirm": NEW_PASSWORD}
    assert client.post("/auth/account", data=change).status_code == 400
    assert reload(db, user).check_password(PASSWORD)
    assert client.post("/auth/account", data={
        **change, "csrf_token": token_of(client, "/auth/account")}).status_code == 303
