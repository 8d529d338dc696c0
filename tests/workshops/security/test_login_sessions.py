"""Sessions that outlive logout (issue 14, finding 7).

The probe found the remember-me cookie identical across logins (it signed the account's
id) and still valid after logout, a session cookie copied before logout still working,
and neither cookie ``Secure`` nor ``SameSite`` with ``SESSION_COOKIE_SECURE=1``. Now both
cookies carry a login's random token, which logout deletes.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from diagnostic import accounts
from diagnostic.models import LoginSession
from tests.conftest import PASSWORD, IsolatedClient
from workshops import create_app
from workshops.config import resolve_cookie_security
from workshops.extensions import db as flask_db

REMEMBER = "remember_token"


@pytest.fixture(autouse=True)
def isolated_browsers(app):
    """Every browser of these tests: each request in its own app context (no leaked user)."""
    app.test_client_class = IsolatedClient


def log_in(client, user, remember=True):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302
    return response


def cookie(client, name):
    found = client.get_cookie(name)
    return found.value if found is not None else None


def replay(app, **cookies):
    """A new browser holding only copies of ``cookies``: may it see the staff pages?"""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief.get("/staff/").status_code == 200


def test_the_remember_cookie_differs_at_every_login(app, client, make_user):
    user = make_user()
    log_in(client, user)
    first = cookie(client, REMEMBER)
    client.post("/auth/logout")
    log_in(client, user)
    second = cookie(client, REMEMBER)
    assert first and second and first != second
    assert str(user.id) not in (first.split("|")[0], second.split("|")[0])


def test_copies_of_the_cookies_work_until_logout_then_never(app, client, make_user):
    user = make_user()
    log_in(client, user)
    session_copy, remember_copy = cookie(client, "session"), cookie(client, REMEMBER)
    # The copies are real credentials before logout (else the test would prove nothing).
    assert replay(app, session=session_copy)
    assert replay(app, remember_token=remember_copy)
    assert client.post("/auth/logout").status_code == 302
    assert not replay(app, session=session_copy)
    assert not replay(app, remember_token=remember_copy)
    assert not replay(app, session=session_copy, remember_token=remember_copy)
    assert client.get("/staff/").status_code == 302  # and the browser itself is out


def test_logout_ends_only_this_login(app, make_user):
    """A facilitator with the console on a laptop and the board on the projector."""
    user = make_user()
    laptop, projector = app.test_client(), app.test_client()
    log_in(laptop, user)
    log_in(projector, user)
    projector.post("/auth/logout")
    assert laptop.get("/staff/").status_code == 200
    assert projector.get("/staff/").status_code == 302


def test_a_password_change_ends_every_login(app, db, make_user):
    user = make_user()
    browsers = [app.test_client(), app.test_client()]
    for browser in browsers:
        log_in(browser, user)
    accounts.change_password(db.session, user, "another good password")
    db.session.commit()
    assert [b.get("/staff/").status_code for b in browsers] == [302, 302]


def test_a_deactivated_account_is_logged_out(app, client, db, make_user):
    user = make_user()
    log_in(client, user)
    user.active = False
    db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_a_login_expires_server_side_after_the_remember_duration(db, make_user):
    user = make_user()
    start = accounts.utcnow()
    token = accounts.open_session(db.session, user, now=start)
    db.session.commit()
    age = timedelta(days=14)
    assert accounts.resume_session(db.session, token, max_age=age,
                                   now=start + age - timedelta(seconds=1)) is user
    assert accounts.resume_session(db.session, token, max_age=age,
                                   now=start + age + timedelta(seconds=1)) is None
    # A later login forgets the expired ones.
    accounts.open_session(db.session, user, max_age=age, now=start + age + timedelta(days=1))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1


def test_the_account_id_or_odd_ids_log_nobody_in(app, client, db, make_user):
    user = make_user()
    log_in(client, user)
    for odd in (str(user.id), "", "x" * 500):
        assert accounts.resume_session(db.session, odd) is None


@pytest.fixture
def production_app(app_config, tmp_path, monkeypatch):
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DIAGNOSTIC_INSTANCE_PATH", str(tmp_path / "instance"))
    config = dict(app_config, ENV_NAME="production", SECRET_KEY=secrets.token_urlsafe(48),
                  SESSION_COOKIE_SECURE=None,
                  REMEMBER_COOKIE_SECURE=None)
    production = create_app(config)
    production.test_client_class = IsolatedClient
    yield production
    with production.app_context():
        flask_db.engine.dispose()  # its own pool: give the connections back


def set_cookie_headers(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def test_production_cookies_are_secure_httponly_and_lax(production_app, app, make_user):
    user = make_user()
    client = production_app.test_client()
    response = client.post("/auth/login", base_url="https://localhost",
                           data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    headers = set_cookie_headers(response)
    assert set(headers) >= {"session", REMEMBER}
    for name in ("session", REMEMBER):
        assert "Secure" in headers[name], headers[name]
        assert "HttpOnly" in headers[name], headers[name]
        assert "SameSite=Lax" in headers[name], headers[name]


def test_development_cookies_are_httponly_and_lax_but_not_secure(client, make_user):
    headers = set_cookie_headers(log_in(client, make_user()))
    for name in ("session", REMEMBER):
        assert "HttpOnly" in headers[name] and "SameSite=Lax" in headers[name]
        assert "Secure" not in headers[name]


@pytest.mark.parametrize(("env", "session", "remember", "expected"), [
    ("production", None, None, (True, True)),
    ("production", False, None, (False, False)),  # a plain-HTTP intranet, on purpose
    ("production", True, False, (True, False)),
    ("development", None, None, (False, False)),
    ("development", True, None, (True, True)),
])
def test_secure_flags_default_to_production(env, session, remember, expected):
    config = {"ENV_NAME": env, "SESSION_COOKIE_SECURE": session,
              "REMEMBER_COOKIE_SECURE": remember}
    resolve_cookie_security(config)
    assert (config["SESSION_COOKIE_SECURE"], config["REMEMBER_COOKIE_SECURE"]) == expected
