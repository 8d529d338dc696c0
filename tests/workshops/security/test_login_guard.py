"""Guessing passwords (issue 14, findings 5 and 6): throttling, lockout, constant cost.

The probe sent 25 wrong passwords at 4/s and the right one was accepted at once; an
existing e-mail took 191 ms to refuse and an unknown one 16 ms (the hash was computed
only for existing accounts).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from diagnostic import accounts
from diagnostic.models import LoginSession, Role, User
from tests.conftest import PASSWORD

WRONG = "wrong password!"


def attempt(client, email, password=WRONG, address="198.51.100.7"):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def logged_in(client) -> bool:
    return client.get("/staff/").status_code == 200


# -- Throttling (the project's limiter) ---------------------------------------------------


def test_the_probes_25_wrong_passwords_then_the_right_one_is_refused(client, make_user):
    user = make_user()
    statuses = [attempt(client, user.email).status_code for _ in range(25)]
    assert statuses[:10] == [401] * 10  # LOGIN_RATE_PER_ACCOUNT: 10 failures a minute
    assert set(statuses[10:]) == {429}
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    assert "Trop de tentatives" in response.get_data(as_text=True)
    assert not logged_in(client)


def test_the_per_account_budget_is_shared_by_every_address(client, make_user):
    user = make_user()
    for number in range(10):
        assert attempt(client, user.email, address=f"203.0.113.{number}").status_code == 401
    assert attempt(client, user.email, PASSWORD, address="203.0.113.99").status_code == 429


def test_one_address_spraying_many_accounts_is_throttled(app, client, make_user):
    app.config["LOGIN_RATE_PER_ACCOUNT"] = "off"  # out of the way: the address's rule alone
    victims = [make_user() for _ in range(3)]
    statuses = [attempt(client, f"nobody{n}@example.org").status_code for n in range(30)]
    assert statuses == [401] * 30  # LOGIN_RATE_PER_ADDRESS: 30 failures in 10 minutes
    for victim in victims:
        assert attempt(client, victim.email, PASSWORD).status_code == 429
    # Another address is not affected.
    assert attempt(client, victims[0].email, PASSWORD, address="192.0.2.1").status_code == 302


def test_successes_do_not_spend_the_budgets(client, make_user):
    user = make_user()
    for _ in range(40):
        assert attempt(client, user.email, PASSWORD).status_code == 302
        client.post("/auth/logout")


def test_a_success_clears_the_accounts_budget_but_not_the_addresss(app, client, make_user):
    app.config["LOGIN_RATE_PER_ACCOUNT"] = "3/minute"
    user = make_user()
    for _ in range(2):
        attempt(client, user.email)
    assert attempt(client, user.email, PASSWORD).status_code == 302
    client.post("/auth/logout")
    for _ in range(3):  # a fresh per-account budget
        assert attempt(client, user.email).status_code == 401
    assert attempt(client, user.email).status_code == 429


def test_a_malformed_form_spends_nothing(client, make_user):
    user = make_user()
    for _ in range(40):
        response = client.post("/auth/login", data={"email": "not an address", "password": "x"})
        assert response.status_code == 400
    assert attempt(client, user.email, PASSWORD).status_code == 302


# -- Lockout (in the database, staff unlock) -----------------------------------------------


@pytest.fixture
def no_throttle(app):
    app.config["LOGIN_RATE_PER_ADDRESS"] = "off"
    app.config["LOGIN_RATE_PER_ACCOUNT"] = "off"


def reload(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_twenty_failures_lock_the_account_even_for_the_right_password(
        client, db, make_user, no_throttle):
    user = make_user()
    statuses = [attempt(client, user.email).status_code for _ in range(20)]
    assert statuses == [401] * 19 + [429]
    assert reload(db, user).is_locked and reload(db, user).failed_logins == 20
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Trop de tentatives de connexion. Contactez l&#39;équipe" in page
    assert "mot de passe incorrect" not in page  # says nothing of the password
    assert not logged_in(client)


def test_a_success_resets_the_count(client, db, make_user, no_throttle):
    user = make_user()
    for _ in range(19):
        attempt(client, user.email)
    assert attempt(client, user.email, PASSWORD).status_code == 302
    client.post("/auth/logout")
    assert reload(db, user).failed_logins == 0
    for _ in range(19):
        attempt(client, user.email)
    assert not reload(db, user).is_locked


def test_the_threshold_is_configuration_and_zero_disables_it(app, client, db, make_user,
                                                              no_throttle):
    app.config["LOGIN_LOCKOUT_FAILURES"] = 3
    user = make_user()
    for _ in range(3):
        attempt(client, user.email)
    assert reload(db, user).is_locked
    app.config["LOGIN_LOCKOUT_FAILURES"] = 0
    other = make_user()
    for _ in range(30):
        attempt(client, other.email)
    assert not reload(db, other).is_locked


@pytest.fixture
def locked(db, make_user):
    user = make_user(role=Role.FACILITATOR)
    user.failed_logins, user.locked_at = 20, accounts.utcnow()
    db.session.commit()
    return user


def test_staff_see_locked_accounts_and_unlock_them(client, db, make_user, login, locked,
                                                   caplog):
    staff = make_user()
    login(staff)
    page = client.get("/staff/accounts").get_data(as_text=True)
    assert locked.email in page and staff.email in page and "Bloqué" in page
    assert f'action="/staff/accounts/{locked.id}/unlock"' in page
    assert page.count("Débloquer</button>") == 1  # only the locked account has the button
    assert f'aria-label="Débloquer le compte {locked.email}"' in page  # named for its row
    with caplog.at_level("WARNING", logger="diagnostic.accounts"):
        response = client.post(f"/staff/accounts/{locked.id}/unlock")
    assert response.status_code == 303
    assert f"{locked.email} unlocked by {staff.email}" in caplog.text
    assert not reload(db, locked).is_locked and reload(db, locked).failed_logins == 0
    client.post("/auth/logout")
    assert attempt(client, locked.email, PASSWORD).status_code == 302


def test_only_staff_may_see_or_unlock_accounts(client, db, make_user, login, locked):
    assert client.post(f"/staff/accounts/{locked.id}/unlock").status_code == 302  # to login
    login(make_user(role=Role.FACILITATOR))
    assert client.get("/staff/accounts").status_code == 403
    assert client.post(f"/staff/accounts/{locked.id}/unlock").status_code == 403
    assert reload(db, locked).is_locked


def test_unlock_needs_the_csrf_token(app, client, db, make_user, login, locked):
    login(make_user())
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/staff/accounts/{locked.id}/unlock").status_code == 400
    assert reload(db, locked).is_locked


def test_the_cli_unlocks_an_account(runner, db, locked):
    result = runner.invoke(args=["unlock-user", locked.email.upper()])
    assert result.exit_code == 0 and f"Unlocked {locked.email}" in result.output
    assert not reload(db, locked).is_locked
    result = runner.invoke(args=["unlock-user", locked.email])
    assert result.exit_code == 0 and "was not locked" in result.output
    result = runner.invoke(args=["unlock-user", "nobody@example.org"])
    assert result.exit_code != 0 and "No account" in result.output


# -- One password hash per attempt, whoever asks ------------------------------------------


@pytest.fixture
def hash_checks(monkeypatch):
    """The (stored hash, password) pairs accounts.authenticate checks."""
    calls = []
    real = accounts.check_password_hash

    def counting(stored, password):
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return calls


@pytest.mark.parametrize("case", ["unknown", "inactive", "wrong", "right", "locked"])
def test_every_attempt_costs_exactly_one_hash(client, db, make_user, hash_checks, case):
    user = make_user()
    email, password = user.email, WRONG
    if case == "unknown":
        email = "nobody@example.org"
    elif case == "inactive":
        user.active = False
    elif case == "right":
        password = PASSWORD
    elif case == "locked":
        user.locked_at = accounts.utcnow()
    db.session.commit()
    attempt(client, email, password)
    assert len(hash_checks) == 1


def test_the_dummy_hash_has_the_accounts_algorithm_and_cost(make_user):
    method = make_user().password_hash.split("$")[0]  # e.g. scrypt:32768:8:1
    assert accounts.dummy_password_hash().split("$")[0] == method
    assert accounts.dummy_password_hash() is accounts.dummy_password_hash()  # made once


def test_failed_logins_open_no_session(client, db, make_user, no_throttle):
    user = make_user()
    attempt(client, user.email)
    assert db.session.scalars(select(LoginSession)).all() == []
