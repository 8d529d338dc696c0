"""Accounts: staff members and facilitators (participants never have one), their logins."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from .base import Base, enum_column, utcnow
from .enums import LinkPurpose, Role


def new_login_token() -> str:
    """An unguessable login session token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class User(Base):
    """A staff member or facilitator account (participants never have one)."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"), default=Role.STAFF)
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Consecutive failed logins since the last success or unlock; past the configured
    # threshold the account is locked (``locked_at``) until a staff member unlocks it.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the account last logged in (a login form or a one-time link); None: never.
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # The token of the login session this object was loaded for (not stored on the row):
    # set by diagnostic.accounts when a login opens a session or a request resumes one.
    login_token = None

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password`` (accounts.change_password also ends sessions)."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_locked(self) -> bool:
        """Whether too many failed logins locked the account."""
        return self.locked_at is not None

    # The four attributes Flask-Login expects, without importing it into the domain.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """Flask-Login's alternative id: the login session's token, never the row id.

        So the session and remember-me cookies name one login, which logout or a
        password change ends server-side (see diagnostic.accounts).
        """
        if not self.login_token:
            raise RuntimeError("No login session: use diagnostic.accounts.open_session.")
        return self.login_token

    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF


class LoginSession(Base):
    """One login of an account (one browser): what its session and remember cookies carry."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_login_token)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AccountLink(Base):
    """A one-time link that lets its holder choose the account's password (then logs in).

    Staff hand it over themselves (the tool sends no e-mail): an invitation for a new
    account, or a reset for an existing one. Only a SHA-256 of the random token is stored,
    so the database does not hold a usable link. An account has at most one link; using it
    deletes it (see diagnostic.account_admin).
    """

    __tablename__ = "account_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(enum_column(LinkPurpose, "link_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
