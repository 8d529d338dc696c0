"""Comptes: staff create accounts (invitation links), deactivate, reset; everyone's own password."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from diagnostic import account_admin, accounts
from diagnostic.models import AccountLink, Role, User
from tests.conftest import PASSWORD, IsolatedClient, logged_in_client
from tests.workshops.conftest import NS
from tests.workshops.live.test_facilitate_live import ask, forget_user
from workshops.extensions import socketio

NEW_PASSWORD = "une phrase de passe"


@pytest.fixture(autouse=True)
def isolated_browsers(app):
    """Every browser of these tests: each request in its own app context."""
    app.test_client_class = IsolatedClient


@pytest.fixture
def staff(make_user):
    user = make_user(role=Role.STAFF)
    user.name = "Chargée d'étude"
    return user


@pytest.fixture
def staff_client(app, db, staff):
    return logged_in_client(app, db, staff)


def reload(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def link_in(page: str) -> str:
    """The path of the one-time link shown on a page."""
    return re.search(r'>http://localhost(/auth/link/[^<]+)</textarea>', page).group(1)


def create(client, name="Claire Martin", email="claire.martin@example.org",
           role="facilitator"):
    return client.post("/staff/accounts/new", data={"name": name, "email": email, "role": role})


def test_staff_create_a_facilitator_and_get_a_link_shown_once(app, db, staff_client, caplog):
    assert 'href="/staff/accounts/new"' in staff_client.get("/staff/accounts").get_data(
        as_text=True)
    with caplog.at_level("WARNING", logger="diagnostic.accounts"):
        response = create(staff_client, email=" Claire.Martin@Example.org")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Lien d'invitation pour Claire Martin" in page
    path = link_in(page)
    user = db.session.scalar(select(User).where(User.email == "claire.martin@example.org"))
    assert user.role is Role.FACILITATOR and user.active
    assert "claire.martin@example.org (facilitator) created by" in caplog.text
    listing = staff_client.get("/staff/accounts").get_data(as_text=True)
    assert "Invitation en attente" in listing
    assert 'aria-label="Nouveau lien d\'invitation pour Claire Martin"' in listing
    assert path not in listing  # shown once: only its hash is stored

    invitee = app.test_client()
    form = invitee.get(path)
    assert form.status_code == 200 and "Choisir votre mot de passe" in form.get_data(as_text=True)
    assert form.headers["Referrer-Policy"] == "no-referrer"
    mismatch = invitee.post(path, data={"password": NEW_PASSWORD, "confirm": "autre chose"})
    assert mismatch.status_code == 400
    assert "Les deux mots de passe ne sont pas identiques." in mismatch.get_data(as_text=True)
    short = invitee.post(path, data={"password": "court", "confirm": "court"})
    assert short.status_code == 400
    assert "au moins 8 caractères" in short.get_data(as_text=True)
    done = invitee.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303
    assert invitee.get("/staff/facilitation").status_code == 200  # logged in
    assert reload(db, user).last_login_at is not None
    # Single use: the link is spent.
    again = app.test_client().get(path)
    assert again.status_code == 404 and "Lien non valable" in again.get_data(as_text=True)
    assert "Actif" in staff_client.get("/staff/accounts").get_data(as_text=True)


def test_a_duplicate_email_gets_a_french_error(staff_client, staff, db):
    response = create(staff_client, email=staff.email.upper())
    assert response.status_code == 400
    assert "Un compte existe déjà pour cette adresse e-mail." in response.get_data(as_text=True)
    bad = create(staff_client, name="", email="pas-une-adresse")
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Ce champ est obligatoire." in text and "Adresse e-mail invalide." in text
    assert len(db.session.scalars(select(User)).all()) == 1


def test_deactivation_asks_first_then_logs_the_person_out(app, db, staff_client, make_user,
                                                          caplog):
    user = make_user(role=Role.FACILITATOR)
    user.name = "Claire Martin"
    db.session.commit()
    browser = logged_in_client(app, db, user)
    assert browser.get("/staff/facilitation").status_code == 200
    listing = staff_client.get("/staff/accounts").get_data(as_text=True)
    assert f'href="/staff/accounts/{user.id}/deactivate" aria-label="Désactiver Claire Martin"' \
        in listing
    assert 'aria-label="Réinitialiser le mot de passe de Claire Martin"' in listing
    confirm = staff_client.get(f"/staff/accounts/{user.id}/deactivate").get_data(as_text=True)
    assert "Désactiver le compte de Claire Martin ?" in confirm
    assert reload(db, user).active  # asking changed nothing
    with caplog.at_level("WARNING", logger="diagnostic.accounts"):
        response = staff_client.post(f"/staff/accounts/{user.id}/deactivate")
    assert response.status_code == 303
    assert f"{user.email} deactivated by" in caplog.text
    assert not reload(db, user).active
    assert browser.get("/staff/facilitation").status_code == 302  # to the login page
    login = app.test_client().post("/auth/login", data={"email": user.email,
                                                        "password": PASSWORD})
    assert login.status_code == 403
    assert "Ce compte est désactivé." in login.get_data(as_text=True)
    wrong = app.test_client().post("/auth/login", data={"email": user.email,
                                                        "password": "mauvais mot"})
    assert "désactivé" not in wrong.get_data(as_text=True)  # only the password holder knows
    listing = staff_client.get("/staff/accounts").get_data(as_text=True)
    assert 'aria-label="Réactiver Claire Martin"' in listing
    assert staff_client.post(f"/staff/accounts/{user.id}/reactivate").status_code == 303
    assert reload(db, user).active


def test_staff_cannot_deactivate_themselves(staff_client, staff, db, make_user):
    make_user(role=Role.STAFF)
    listing = staff_client.get("/staff/accounts").get_data(as_text=True)
    assert f"/staff/accounts/{staff.id}/deactivate" not in listing
    response = staff_client.post(f"/staff/accounts/{staff.id}/deactivate")
    assert response.status_code == 409
    assert "Vous ne pouvez pas désactiver votre propre compte." in response.get_data(
        as_text=True)
    assert reload(db, staff).active


def test_a_reset_gives_a_new_link_and_logs_the_person_out(app, db, staff_client, make_user):
    user = make_user(role=Role.FACILITATOR)
    browser = logged_in_client(app, db, user)
    confirm = staff_client.get(f"/staff/accounts/{user.id}/reset")
    assert "Réinitialiser le mot de passe de Camille ?" in confirm.get_data(as_text=True)
    response = staff_client.post(f"/staff/accounts/{user.id}/reset")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    path = link_in(response.get_data(as_text=True))
    assert browser.get("/staff/facilitation").status_code == 302
    assert app.test_client().post("/auth/login", data={
        "email": user.email, "password": PASSWORD}).status_code == 401  # old password gone
    assert "Nouveau mot de passe en attente" in staff_client.get("/staff/accounts").get_data(
        as_text=True)
    assert browser.post(path, data={"password": NEW_PASSWORD,
                                    "confirm": NEW_PASSWORD}).status_code == 303
    assert browser.get("/staff/facilitation").status_code == 200


def test_facilitators_get_403_on_account_management(app, db, make_user, staff):
    other = make_user(role=Role.FACILITATOR)
    browser = logged_in_client(app, db, make_user(role=Role.FACILITATOR))
    for url in ("/staff/accounts", "/staff/accounts/new", f"/staff/accounts/{other.id}/reset",
                f"/staff/accounts/{staff.id}/deactivate"):
        assert browser.get(url).status_code == 403, url
    for url in ("/staff/accounts/new", f"/staff/accounts/{other.id}/reset",
                f"/staff/accounts/{staff.id}/deactivate",
                f"/staff/accounts/{other.id}/reactivate"):
        assert browser.post(url, data={"name": "X", "email": "x@y.fr",
                                       "role": "staff"}).status_code == 403, url
    assert reload(db, staff).active and reload(db, other).check_password(PASSWORD)
    assert db.session.scalar(select(User).where(User.email == "x@y.fr")) is None
    anonymous = app.test_client()
    assert anonymous.get("/staff/accounts/new").status_code == 302


def test_everyone_changes_their_own_password_and_keeps_this_login(app, db, make_user):
    user = make_user(role=Role.FACILITATOR)
    here, elsewhere = logged_in_client(app, db, user), logged_in_client(app, db, user)
    page = here.get("/staff/facilitation").get_data(as_text=True)
    assert 'href="/auth/account"' in page  # "Mon compte" in the navigation
    assert "Changer mon mot de passe" in here.get("/auth/account").get_data(as_text=True)
    wrong = here.post("/auth/account", data={"current_password": "pas le bon",
                                             "new_password": NEW_PASSWORD,
                                             "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400
    assert "Mot de passe actuel incorrect." in wrong.get_data(as_text=True)
    assert reload(db, user).check_password(PASSWORD)
    response = here.post("/auth/account", data={"current_password": PASSWORD,
                                                "new_password": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert reload(db, user).check_password(NEW_PASSWORD)
    assert here.get("/staff/facilitation").status_code == 200
    assert elsewhere.get("/staff/facilitation").status_code == 302


def test_guessing_the_current_password_is_throttled(app, db, make_user):
    app.config["LOGIN_RATE_PER_ACCOUNT"] = "3/minute"
    user = make_user()
    browser = logged_in_client(app, db, user)
    data = {"current_password": "pas le bon", "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD}
    assert [browser.post("/auth/account", data=data).status_code
            for _ in range(4)] == [400, 400, 400, 429]
    response = browser.post("/auth/account", data={**data, "current_password": PASSWORD})
    assert response.status_code == 429
    assert reload(db, user).check_password(PASSWORD)


def test_guessing_link_tokens_is_throttled(app, db, staff):
    app.config["ACCOUNT_LINK_RATE_PER_ADDRESS"] = "3/10minutes"
    user, token = account_admin.create_account(db.session, name="C", email="c@example.org",
                                               role="facilitator", actor=staff)
    db.session.commit()
    client = app.test_client()
    statuses = [client.get(f"/auth/link/guess{i}").status_code for i in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert client.get(f"/auth/link/{token}").status_code == 429  # even the right one, now
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"  # another address: its own budget
    assert other.get(f"/auth/link/{token}").status_code == 200


def test_an_expired_link_is_refused(app, db, staff, monkeypatch):
    from datetime import timedelta

    user, token = account_admin.create_account(
        db.session, name="C", email="c@example.org", role="facilitator", actor=staff,
        now=accounts.utcnow() - timedelta(days=8))
    db.session.commit()
    response = app.test_client().post(f"/auth/link/{token}", data={
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 404
    assert not reload(db, user).check_password(NEW_PASSWORD)
    assert db.session.scalar(select(AccountLink)) is not None  # kept: shown as expired


def test_a_deactivated_facilitator_is_not_offered_for_new_assignments(
        db, staff_client, make_user, make_workshop):
    workshop = make_workshop()
    kept, gone, fresh = (make_user(role=Role.FACILITATOR) for _ in range(3))
    workshop.facilitators = [kept]
    db.session.commit()
    for user in (kept, gone):
        account_admin.deactivate(db.session, user, actor=None)
    db.session.commit()
    url = f"/staff/workshops/{workshop.id}/edit"
    form = staff_client.get(url).get_data(as_text=True)
    assert f'value="{fresh.id}"' in form and f'value="{gone.id}"' not in form
    assert "(compte désactivé)" in form  # the one already assigned stays, marked
    data = {"kind": "territorial", "title": workshop.title, "sector_id": workshop.sector_id}
    refused = staff_client.post(url, data={**data, "facilitator_ids": [kept.id, gone.id]})
    assert refused.status_code == 400
    assert "Un compte désactivé ne peut pas être chargé d&#39;animer" in refused.get_data(
        as_text=True)
    kept_ok = staff_client.post(url, data={**data, "facilitator_ids": [kept.id, fresh.id]})
    assert kept_ok.status_code == 302
    db.session.expire_all()
    assert sorted(f.id for f in workshop.facilitators) == sorted([kept.id, fresh.id])


def test_the_accounts_page_speaks_english_too(staff_client, make_user):
    make_user(role=Role.FACILITATOR)
    staff_client.post("/lang", data={"lang": "en", "next": "/"})
    page = staff_client.get("/staff/accounts").get_data(as_text=True)
    assert "Last login" in page and 'aria-label="Deactivate Camille"' in page
    assert "My account" in page and "Dernière connexion" not in page


def test_a_deactivated_facilitators_open_console_is_refused(app, db, make_user,
                                                            make_workshop):
    workshop = make_workshop()
    user = make_user(role=Role.FACILITATOR)
    workshop.facilitators.append(user)
    db.session.commit()
    http = app.test_client()
    http.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    forget_user()
    socket = socketio.test_client(app, namespace=NS, flask_test_client=http,
                                  auth={"workshop_id": workshop.id, "role": "facilitator"})
    assert ask(socket, "set_timer", {"seconds": 60})["ok"]
    account_admin.deactivate(db.session, user, actor=None)
    db.session.commit()
    refused = ask(socket, "set_timer", {"seconds": 120})
    assert refused["ok"] is False
