"""Managing accounts: create (with an invitation link), deactivate, reset, change a password.

The tool sends no e-mail, so a new account or a password reset produces a **one-time
link** that a staff member copies and hands over: its holder chooses the password and is
logged in. The link carries a random token; only its SHA-256 is stored
(:class:`~diagnostic.models.AccountLink`), it expires after :data:`LINK_LIFETIME` and
works once. An account has at most one link: a new one replaces it, using it or
deactivating the account deletes it.

Staff never choose or see anyone's password: the link is the only way in for a new
account (the ``create-user`` command still sets one directly, for the first account).

A deactivated account cannot log in and its logins end at once (its
:class:`~diagnostic.models.LoginSession` rows are deleted); nobody deactivates their own
account, and the last active staff account is never deactivated. Accounts are not part
of any workshop, so these actions have no entry in the workshops' audit log: the views
log them (``diagnostic.accounts`` logger, who did what to whom).

Services flush and never commit; they raise a :class:`~diagnostic.errors.DomainError`
with nothing changed.
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from . import queries
from .accounts import end_all_sessions
from .errors import N_, DomainError, Forbidden, ValidationError
from .models import AccountLink, LinkPurpose, LoginSession, Role, User, utcnow

MIN_PASSWORD_LENGTH = 8  # as the create-user command has always required
MAX_PASSWORD_LENGTH = 200  # as the login form accepts
MAX_NAME_LENGTH = 120
MAX_EMAIL_LENGTH = 254
LINK_LIFETIME = timedelta(days=7)
# Something@something.something, no spaces: the shape; the person's own test is the link.
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class LinkInvalid(DomainError):
    """The link is unknown, used, replaced, expired, or its account is deactivated."""

    def __init__(self) -> None:
        super().__init__(N_("Ce lien n'est pas valable : il a déjà servi, a expiré ou a été "
                            "remplacé. Demandez un nouveau lien à l'équipe d'étude."))


class AccountStatus(enum.Enum):
    """What the Comptes page says of an account (a lock is shown besides)."""

    ACTIVE = "active"
    DEACTIVATED = "deactivated"
    INVITED = "invited"  # an invitation link waits to be used
    INVITATION_EXPIRED = "invitation_expired"  # never used: a new link is needed
    RESET_PENDING = "reset_pending"  # a reset link waits to be used
    RESET_EXPIRED = "reset_expired"


@dataclass(frozen=True)
class AccountRow:
    """One account as the Comptes page lists it."""

    user: User
    status: AccountStatus
    link: AccountLink | None


def normalise_email(email: str | None) -> str:
    """The e-mail as accounts store and look it up: trimmed, lower case."""
    return (email or "").strip().lower()


def hash_token(token: str) -> str:
    """What is stored of a link's token (hex SHA-256: the token has 256 random bits)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_password_rules(password: str | None, field: str = "password") -> None:
    """Raise ValidationError on ``field`` unless ``password`` is acceptable."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError({field: N_("Le mot de passe doit compter au moins 8 caractères.")})
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError({field: N_("Le mot de passe doit compter au plus 200 "
                                         "caractères.")})
    if not password.strip():
        raise ValidationError({field: N_("Le mot de passe ne peut pas être fait que "
                                         "d'espaces.")})


def _unusable_password_hash() -> str:
    """The hash of a random password nobody knows: the account waits for its link."""
    return generate_password_hash(secrets.token_urlsafe(32))


def _aware(moment: datetime) -> datetime:
    """A stored time as UTC-aware (SQLite gives naive values back)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def create_account(session: Session, *, name: str, email: str, role: Role | str,
                   actor: User | None, now: datetime | None = None,
                   lifetime: timedelta = LINK_LIFETIME) -> tuple[User, str]:
    """A new active account with an invitation link; returns it and the link's token.

    The e-mail is unique (case-insensitive); the account cannot log in until its person
    chooses a password through the link.
    """
    name = (name or "").strip()
    email = normalise_email(email)
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = N_("Ce champ est obligatoire.")
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = N_("Ce texte est trop long.")
    if not email:
        errors["email"] = N_("Ce champ est obligatoire.")
    elif len(email) > MAX_EMAIL_LENGTH or not EMAIL_SHAPE.match(email):
        errors["email"] = N_("Adresse e-mail invalide.")
    elif queries.user_by_email(session, email) is not None:
        errors["email"] = N_("Un compte existe déjà pour cette adresse e-mail.")
    try:
        role = Role(role)
    except ValueError:
        errors["role"] = N_("Choix invalide.")
    if errors:
        raise ValidationError(errors)
    user = User(email=email, name=name, role=role, active=True,
                password_hash=_unusable_password_hash(), created_at=now or utcnow())
    session.add(user)
    session.flush()
    token = issue_link(session, user, LinkPurpose.INVITATION, actor=actor, now=now,
                       lifetime=lifetime)
    return user, token


def issue_link(session: Session, user: User, purpose: LinkPurpose, *, actor: User | None,
               now: datetime | None = None, lifetime: timedelta = LINK_LIFETIME) -> str:
    """A new one-time link for ``user`` (any previous one stops working); its token."""
    now = now or utcnow()
    session.execute(delete(AccountLink).where(AccountLink.user_id == user.id))
    token = secrets.token_urlsafe(32)
    session.add(AccountLink(user_id=user.id, purpose=purpose, token_hash=hash_token(token),
                            created_at=now, expires_at=now + lifetime,
                            created_by_id=actor.id if actor is not None else None))
    session.flush()
    return token


def pending_link(session: Session, user: User) -> AccountLink | None:
    """The account's link, used or not, expired or not (None when it has none)."""
    return session.scalar(select(AccountLink).where(AccountLink.user_id == user.id))


def reset_password(session: Session, user: User, *, actor: User | None,
                   now: datetime | None = None,
                   lifetime: timedelta = LINK_LIFETIME) -> str:
    """Give ``user`` a new one-time link (returned) and end every login of the account.

    The old password stops working at once (it may be the reason for the reset). An
    account whose invitation was never used gets a new invitation instead.
    """
    if actor is not None and actor.id == user.id:
        raise Forbidden(N_("Pour changer votre propre mot de passe, utilisez « Mon compte »."))
    if not user.active:
        raise Forbidden(N_("Ce compte est désactivé : réactivez-le d'abord."))
    current = pending_link(session, user)
    purpose = (LinkPurpose.INVITATION if current is not None
               and current.purpose is LinkPurpose.INVITATION else LinkPurpose.RESET)
    user.password_hash = _unusable_password_hash()
    end_all_sessions(session, user)
    return issue_link(session, user, purpose, actor=actor, now=now, lifetime=lifetime)


def link_account(session: Session, token: str | None,
                 now: datetime | None = None) -> tuple[AccountLink, User]:
    """The valid link ``token`` names and its account; LinkInvalid otherwise."""
    if not token or len(token) > 100:
        raise LinkInvalid()
    row = session.execute(
        select(AccountLink, User).join(User, User.id == AccountLink.user_id)
        .where(AccountLink.token_hash == hash_token(token))).first()
    if row is None or not row.User.active:
        raise LinkInvalid()
    if _aware(row.AccountLink.expires_at) <= (now or utcnow()):
        raise LinkInvalid()
    return row.AccountLink, row.User


def use_link(session: Session, token: str | None, password: str, *,
             now: datetime | None = None) -> User:
    """Set the password of the account ``token``'s link names; the link is then spent.

    Every previous login of the account ends and a lock from failed logins is lifted
    (the link proves a staff member's trust). The caller opens the new login.
    """
    link, user = link_account(session, token, now)
    check_password_rules(password)
    session.delete(link)
    user.set_password(password)
    user.failed_logins = 0
    user.locked_at = None
    end_all_sessions(session, user)
    session.flush()
    return user


def deactivate(session: Session, user: User, *, actor: User | None) -> bool:
    """Deactivate ``user``: no more logins, current ones end now, its link is deleted.

    False when it was already deactivated. Nobody deactivates their own account, and the
    last active staff account stays active (checked under a row lock where the database
    has them, so two staff members cannot deactivate each other at the same moment).
    """
    if actor is not None and actor.id == user.id:
        raise Forbidden(N_("Vous ne pouvez pas désactiver votre propre compte."))
    if not user.active:
        return False
    if user.role is Role.STAFF:
        others = session.scalars(
            select(User.id).where(User.role == Role.STAFF, User.active.is_(True),
                                  User.id != user.id).with_for_update()).all()
        if not others:
            raise Forbidden(N_("Le dernier compte actif de l'équipe d'étude ne peut pas être "
                               "désactivé."))
    user.active = False
    end_all_sessions(session, user)
    session.execute(delete(AccountLink).where(AccountLink.user_id == user.id))
    session.flush()
    return True


def reactivate(session: Session, user: User) -> bool:
    """Let ``user`` log in again with its password; False when it was active."""
    if user.active:
        return False
    user.active = True
    session.flush()
    return True


def change_own_password(session: Session, user: User, current: str, new: str,
                        keep_token: str | None) -> None:
    """``user`` changes their password: every other login ends, ``keep_token``'s stays.

    The current password is required (a borrowed open session is not enough).
    """
    if not user.check_password(current or ""):
        raise ValidationError({"current_password": N_("Mot de passe actuel incorrect.")})
    check_password_rules(new, "new_password")
    if new == current:
        raise ValidationError({"new_password": N_("Le nouveau mot de passe doit être "
                                                  "différent de l'actuel.")})
    user.set_password(new)
    others = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_token:
        others = others.where(LoginSession.token != keep_token)
    session.execute(others)
    session.flush()


def account_rows(session: Session, now: datetime | None = None) -> list[AccountRow]:
    """Every account with its status: locked first, then active, by name and e-mail."""
    now = now or utcnow()
    links = {link.user_id: link for link in session.scalars(select(AccountLink))}
    users = session.scalars(select(User).order_by(
        User.locked_at.is_(None), User.active.is_(False), func.lower(User.name),
        func.lower(User.email)))
    return [AccountRow(user, account_status(user, links.get(user.id), now), links.get(user.id))
            for user in users]


def account_status(user: User, link: AccountLink | None, now: datetime) -> AccountStatus:
    """The status the Comptes page shows for ``user`` whose link (if any) is ``link``."""
    if not user.active:
        return AccountStatus.DEACTIVATED
    if link is None:
        return AccountStatus.ACTIVE
    expired = _aware(link.expires_at) <= now
    if link.purpose is LinkPurpose.INVITATION:
        return AccountStatus.INVITATION_EXPIRED if expired else AccountStatus.INVITED
    return AccountStatus.RESET_EXPIRED if expired else AccountStatus.RESET_PENDING
