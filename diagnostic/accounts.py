"""Logging in: password checks at a constant cost, lockout after failures, login sessions.

Every attempt costs exactly one password hash, whether the e-mail is known or not, so
the response time does not tell which addresses have an account. ``max_failures``
consecutive failures lock an account (refused even with the right password) until a
staff member unlocks it. A login opens a :class:`LoginSession` whose random token is what
the session and remember-me cookies carry (``User.get_id``): logout deletes it, a
password change deletes them all, so a copied cookie dies with the login it names.

Services flush and never commit (the edge does).
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from . import queries
from .models import LoginSession, User, utcnow


class Outcome(enum.Enum):
    """What a login attempt came to."""

    OK = "ok"
    REFUSED = "refused"  # unknown e-mail or wrong password
    DEACTIVATED = "deactivated"  # the right password of a deactivated account
    LOCKED = "locked"  # too many failures: only a staff unlock opens it again


@dataclass(frozen=True)
class Attempt:
    """A login attempt's outcome and, when it succeeded, the account."""

    outcome: Outcome
    user: User | None = None


@cache
def dummy_password_hash() -> str:
    """A hash of a random password, made once with the accounts' own hashing parameters."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(session: Session, email: str, password: str, *, max_failures: int,
                 now: datetime | None = None) -> Attempt:
    """Check ``password`` for ``email``: one hash computed in every case.

    A deactivated account is refused; only with its right password does the outcome say
    so (DEACTIVATED), which tells nothing to someone who does not know it. A failure on
    an existing, active account counts towards its lockout; the ``max_failures``-th
    consecutive one locks it (0 disables lockout). A success resets the count, unless the
    account is locked: then even the right password is refused.
    """
    user = queries.user_by_email(session, email)
    matches = check_password_hash(user.password_hash if user is not None
                                  else dummy_password_hash(), password or "")
    if user is None:
        return Attempt(Outcome.REFUSED)
    if not user.active:
        return Attempt(Outcome.DEACTIVATED if matches else Outcome.REFUSED)
    if user.is_locked:
        return Attempt(Outcome.LOCKED)
    if matches:
        if user.failed_logins:
            user.failed_logins = 0
        return Attempt(Outcome.OK, user)
    # An SQL increment, so concurrent failures all count.
    user.failed_logins = User.failed_logins + 1
    session.flush()
    if max_failures > 0 and user.failed_logins >= max_failures:
        user.locked_at = now or utcnow()
        session.flush()
        return Attempt(Outcome.LOCKED)
    return Attempt(Outcome.REFUSED)


def unlock(session: Session, user: User) -> bool:
    """Unlock ``user`` and reset its failure count; False when it was not locked."""
    was_locked = user.is_locked
    user.locked_at = None
    user.failed_logins = 0
    session.flush()
    return was_locked


def open_session(session: Session, user: User, *, max_age: timedelta | None = None,
                 now: datetime | None = None) -> str:
    """Start a login of ``user``: a new token (set as ``user.login_token``), returned.

    The account's ``last_login_at`` becomes ``now``.

    Logins of the account older than ``max_age`` are forgotten on the way (their
    remember-me cookies have expired; a browser kept open that long logs in again).
    """
    if max_age is not None:
        cutoff = (now or utcnow()) - max_age
        session.execute(delete(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.created_at < cutoff))
    login = LoginSession(user_id=user.id, created_at=now or utcnow())
    user.last_login_at = login.created_at
    session.add(login)
    session.flush()
    user.login_token = login.token
    return login.token


def resume_session(session: Session, token: str, *, max_age: timedelta | None = None,
                   now: datetime | None = None) -> User | None:
    """The active account whose login ``token`` names (not older than ``max_age``), or None."""
    if not token or len(token) > 64:
        return None
    query = select(LoginSession, User).join(User, User.id == LoginSession.user_id).where(
        LoginSession.token == token, User.active.is_(True))
    if max_age is not None:
        query = query.where(LoginSession.created_at >= (now or utcnow()) - max_age)
    row = session.execute(query).first()
    if row is None:
        return None
    user = row.User
    user.login_token = token
    return user


def close_session(session: Session, token: str | None) -> None:
    """End the login ``token`` names: its cookies, and every copy of them, stop working."""
    if token:
        session.execute(delete(LoginSession).where(LoginSession.token == token))


def end_all_sessions(session: Session, user: User) -> None:
    """End every login of ``user`` (every browser must log in again)."""
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    user.login_token = None


def change_password(session: Session, user: User, password: str) -> None:
    """Set a new password and end every login made with the old one."""
    user.set_password(password)
    end_all_sessions(session, user)
    session.flush()
