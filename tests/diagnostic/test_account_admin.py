"""Managing accounts in the domain: invitation links, deactivation, resets, own passwords."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from diagnostic import account_admin, accounts
from diagnostic.account_admin import AccountStatus, LinkInvalid
from diagnostic.errors import Forbidden, ValidationError
from diagnostic.models import AccountLink, LinkPurpose, LoginSession, Role, User
from tests.conftest import PASSWORD

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
NEW_PASSWORD = "une phrase de passe"


def sessions_of(db, user) -> int:
    return db.session.scalar(select(func.count()).select_from(LoginSession)
                             .where(LoginSession.user_id == user.id))


def log_in(db, user, password):
    return accounts.authenticate(db.session, user.email, password, max_failures=20)


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.STAFF)


@pytest.fixture
def invited(db, staff):
    """A facilitator just created, with the token of their invitation link."""
    user, token = account_admin.create_account(
        db.session, name="Claire Martin", email="  Claire.Martin@Example.org ",
        role=Role.FACILITATOR, actor=staff, now=NOW)
    db.session.commit()
    return user, token


def test_creating_an_account_normalises_the_email_and_stores_only_a_hash(db, staff, invited):
    user, token = invited
    assert (user.email, user.name, user.role, user.active) == (
        "claire.martin@example.org", "Claire Martin", Role.FACILITATOR, True)
    link = db.session.scalar(select(AccountLink))
    assert link.user_id == user.id and link.purpose is LinkPurpose.INVITATION
    assert link.created_by_id == staff.id
    assert token not in link.token_hash and link.token_hash == account_admin.hash_token(token)
    assert link.expires_at.replace(tzinfo=UTC) == NOW + timedelta(days=7)
    # No password works before the person chooses one.
    assert log_in(db, user, PASSWORD).outcome is accounts.Outcome.REFUSED


@pytest.mark.parametrize("email", ["claire.martin@example.org", "CLAIRE.MARTIN@example.org "])
def test_a_second_account_for_the_same_email_is_refused(db, staff, invited, email):
    with pytest.raises(ValidationError) as refused:
        account_admin.create_account(db.session, name="Autre", email=email,
                                     role=Role.STAFF, actor=staff)
    assert refused.value.errors == {"email": "Un compte existe déjà pour cette adresse e-mail."}
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


@pytest.mark.parametrize(("fields", "errors"), [
    ({"name": " ", "email": "a@b.fr", "role": "facilitator"}, {"name"}),
    ({"name": "A", "email": "pas-une-adresse", "role": "facilitator"}, {"email"}),
    ({"name": "A", "email": "a@b.fr", "role": "admin"}, {"role"}),
])
def test_invalid_fields_are_refused_with_nothing_created(db, staff, fields, errors):
    with pytest.raises(ValidationError) as refused:
        account_admin.create_account(db.session, actor=staff, **fields)
    assert set(refused.value.errors) == errors
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_the_invitation_link_sets_the_password_once(db, invited):
    user, token = invited
    link, account = account_admin.link_account(db.session, token, NOW)
    assert account is user and link.purpose is LinkPurpose.INVITATION
    assert account_admin.use_link(db.session, token, NEW_PASSWORD, now=NOW) is user
    db.session.commit()
    assert log_in(db, user, NEW_PASSWORD).outcome is accounts.Outcome.OK
    with pytest.raises(LinkInvalid):  # single use
        account_admin.use_link(db.session, token, "encore un autre", now=NOW)
    assert db.session.scalar(select(func.count()).select_from(AccountLink)) == 0


def test_the_link_expires_after_seven_days(db, invited):
    user, token = invited
    just_before = NOW + timedelta(days=7) - timedelta(seconds=1)
    assert account_admin.link_account(db.session, token, just_before)[1] is user
    with pytest.raises(LinkInvalid):
        account_admin.use_link(db.session, token, NEW_PASSWORD, now=NOW + timedelta(days=7))
    rows = {row.user.id: row.status for row in
            account_admin.account_rows(db.session, NOW + timedelta(days=8))}
    assert rows[user.id] is AccountStatus.INVITATION_EXPIRED
    assert {row.user.id: row.status for row in account_admin.account_rows(
        db.session, NOW)}[user.id] is AccountStatus.INVITED


@pytest.mark.parametrize("token", ["", "x" * 43, "y" * 500, None])
def test_unknown_tokens_are_invalid(db, invited, token):
    with pytest.raises(LinkInvalid):
        account_admin.link_account(db.session, token, NOW)


def test_a_password_too_short_leaves_the_link_usable(db, invited):
    user, token = invited
    with pytest.raises(ValidationError) as refused:
        account_admin.use_link(db.session, token, "court", now=NOW)
    assert set(refused.value.errors) == {"password"}
    db.session.rollback()
    assert account_admin.link_account(db.session, token, NOW)[1] is user


def test_a_new_link_replaces_the_previous_one(db, staff, invited):
    user, first = invited
    second = account_admin.reset_password(db.session, user, actor=staff, now=NOW)
    db.session.commit()
    with pytest.raises(LinkInvalid):
        account_admin.link_account(db.session, first, NOW)
    link, _ = account_admin.link_account(db.session, second, NOW)
    assert link.purpose is LinkPurpose.INVITATION  # never used: still an invitation


def test_deactivating_ends_every_login_and_the_link(db, staff, make_user):
    user = make_user(role=Role.FACILITATOR)
    tokens = [accounts.open_session(db.session, user) for _ in range(2)]
    account_admin.reset_password(db.session, user, actor=staff)
    tokens += [accounts.open_session(db.session, user)]
    db.session.commit()
    assert account_admin.deactivate(db.session, user, actor=staff) is True
    db.session.commit()
    assert not user.active and sessions_of(db, user) == 0
    assert all(accounts.resume_session(db.session, t) is None for t in tokens)
    assert db.session.scalar(select(func.count()).select_from(AccountLink)) == 0
    assert account_admin.deactivate(db.session, user, actor=staff) is False


def test_a_deactivated_account_is_told_so_only_with_its_right_password(db, staff, make_user):
    user = make_user(role=Role.FACILITATOR)
    account_admin.deactivate(db.session, user, actor=staff)
    db.session.commit()
    assert log_in(db, user, PASSWORD).outcome is accounts.Outcome.DEACTIVATED
    assert log_in(db, user, "wrong password").outcome is accounts.Outcome.REFUSED
    assert account_admin.reactivate(db.session, user) is True
    assert log_in(db, user, PASSWORD).outcome is accounts.Outcome.OK


def test_a_deactivated_account_cannot_use_a_link(db, staff, invited):
    user, token = invited
    user.active = False
    db.session.commit()
    with pytest.raises(LinkInvalid):
        account_admin.use_link(db.session, token, NEW_PASSWORD, now=NOW)


def test_nobody_deactivates_themselves(db, staff, make_user):
    make_user(role=Role.STAFF)  # another staff account: not the last one
    with pytest.raises(Forbidden):
        account_admin.deactivate(db.session, staff, actor=staff)
    assert staff.active


def test_the_last_active_staff_account_stays_active(db, staff, make_user):
    other = make_user(role=Role.STAFF)
    # Two staff members deactivate each other at the same moment: the second is refused.
    account_admin.deactivate(db.session, other, actor=staff)
    db.session.commit()
    with pytest.raises(Forbidden) as refused:
        account_admin.deactivate(db.session, staff, actor=other)
    assert "dernier compte actif" in refused.value.message
    with pytest.raises(Forbidden):  # nor from the command line (no actor)
        account_admin.deactivate(db.session, staff, actor=None)
    db.session.rollback()
    assert staff.active
    # A facilitator is never "the last staff".
    facilitator = make_user(role=Role.FACILITATOR)
    assert account_admin.deactivate(db.session, facilitator, actor=None)


def test_a_reset_ends_logins_and_the_old_password(db, staff, make_user):
    user = make_user(role=Role.FACILITATOR)
    token = accounts.open_session(db.session, user)
    user.failed_logins, user.locked_at = 20, NOW
    db.session.commit()
    link_token = account_admin.reset_password(db.session, user, actor=staff, now=NOW)
    db.session.commit()
    assert accounts.resume_session(db.session, token) is None
    assert not user.check_password(PASSWORD)
    assert {r.user.id: r.status for r in account_admin.account_rows(
        db.session, NOW)}[user.id] is AccountStatus.RESET_PENDING
    account_admin.use_link(db.session, link_token, NEW_PASSWORD, now=NOW)
    db.session.commit()
    assert not user.is_locked  # the link lifts a lock from failed logins
    assert log_in(db, user, NEW_PASSWORD).outcome is accounts.Outcome.OK


def test_staff_reset_neither_their_own_password_nor_a_deactivated_account(db, staff,
                                                                         make_user):
    with pytest.raises(Forbidden):
        account_admin.reset_password(db.session, staff, actor=staff)
    user = make_user(role=Role.FACILITATOR)
    user.active = False
    with pytest.raises(Forbidden):
        account_admin.reset_password(db.session, user, actor=staff)
    assert user.check_password(PASSWORD)


def test_changing_ones_own_password_keeps_this_login_only(db, make_user):
    user = make_user(role=Role.FACILITATOR)
    here, elsewhere = (accounts.open_session(db.session, user) for _ in range(2))
    db.session.commit()
    account_admin.change_own_password(db.session, user, PASSWORD, NEW_PASSWORD,
                                      keep_token=here)
    db.session.commit()
    assert accounts.resume_session(db.session, here) is user
    assert accounts.resume_session(db.session, elsewhere) is None
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(("current", "new", "field"), [
    ("wrong password", NEW_PASSWORD, "current_password"),
    (PASSWORD, "court", "new_password"),
    (PASSWORD, PASSWORD, "new_password"),
])
def test_a_refused_change_changes_nothing(db, make_user, current, new, field):
    user = make_user(role=Role.FACILITATOR)
    elsewhere = accounts.open_session(db.session, user)
    db.session.commit()
    with pytest.raises(ValidationError) as refused:
        account_admin.change_own_password(db.session, user, current, new, keep_token=None)
    assert set(refused.value.errors) == {field}
    db.session.rollback()
    assert user.check_password(PASSWORD)
    assert accounts.resume_session(db.session, elsewhere) is user


def test_the_password_rules_message_matches_the_minimum():
    with pytest.raises(ValidationError) as refused:
        account_admin.check_password_rules("x" * (account_admin.MIN_PASSWORD_LENGTH - 1))
    assert f"{account_admin.MIN_PASSWORD_LENGTH} caractères" in refused.value.errors["password"]
    account_admin.check_password_rules("x" * account_admin.MIN_PASSWORD_LENGTH)


def test_logging_in_records_the_time(db, make_user):
    user = make_user()
    assert user.last_login_at is None
    accounts.open_session(db.session, user, now=NOW)
    assert user.last_login_at == NOW
