"""Comptes: the accounts, creating one (invitation link), deactivating, resetting, unlocking.

The tool sends no e-mail: creating an account or resetting a password shows a one-time
link, once, for the staff member to hand over (diagnostic.account_admin). Accounts
belong to no workshop, so these actions are not in a workshop's audit log: each is
logged here (``diagnostic.accounts`` logger, WARNING: who did what to which account).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from diagnostic import account_admin, accounts
from diagnostic.errors import DomainError, ValidationError
from diagnostic.models import LinkPurpose, User

from ..account_forms import NewAccountForm
from ..auth import staff_required
from ..extensions import db
from ..forms import attach_errors
from ..i18n import error_message, field_errors
from .blueprint import bp

log = logging.getLogger("diagnostic.accounts")


def _lifetime() -> timedelta:
    return timedelta(days=current_app.config["ACCOUNT_LINK_DAYS"])


def _page(status: int = 200):
    rows = account_admin.account_rows(db.session)
    return render_template("staff/accounts.html", rows=rows, active="accounts",
                           statuses=account_admin.AccountStatus), status


def _link_page(user: User, token: str):
    """The one-time link, shown once (never cached: only its hash is stored)."""
    link = account_admin.pending_link(db.session, user)
    response = current_app.make_response(render_template(
        "staff/account_link.html", account=user, link=link,
        url=url_for("auth.choose_password", token=token, _external=True),
        invitation=link.purpose is LinkPurpose.INVITATION, active="accounts"))
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(error: DomainError):
    """The Comptes page with the domain's reason, nothing changed (409)."""
    db.session.rollback()
    flash(error_message(error), "error")
    return _page(409)


@bp.get("/accounts")
@staff_required
def accounts_page():
    """The accounts with their status and actions."""
    return _page()


@bp.route("/accounts/new", methods=["GET", "POST"])
@staff_required
def new_account():
    """Create a facilitator or staff account; its invitation link is shown once."""
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            user, token = account_admin.create_account(
                db.session, name=form.name.data, email=form.email.data,
                role=form.role.data, actor=current_user, lifetime=_lifetime())
        except ValidationError as exc:
            db.session.rollback()
            attach_errors(form, field_errors(exc))
        else:
            db.session.commit()
            log.warning("Account %s (%s) created by %s.", user.email, user.role.value,
                        current_user.email)
            return _link_page(user, token)
    status = 400 if form.is_submitted() else 200
    return render_template("staff/account_form.html", form=form, active="accounts"), status


def _confirm_page(user: User, action: str):
    return render_template("staff/account_confirm.html", account=user, action=action,
                           form=FlaskForm(), active="accounts")


@bp.get("/accounts/<int:user_id>/deactivate")
@staff_required
def confirm_deactivate(user_id: int):
    """Ask before deactivating: what it does, for whom."""
    return _confirm_page(db.get_or_404(User, user_id), "deactivate")


@bp.post("/accounts/<int:user_id>/deactivate")
@staff_required
def deactivate_account(user_id: int):
    """Deactivate an account: no more logins, its open ones end now."""
    user = db.get_or_404(User, user_id)
    try:
        changed = account_admin.deactivate(db.session, user, actor=current_user)
    except DomainError as exc:
        return _refused(exc)
    db.session.commit()
    if changed:
        log.warning("Account %s deactivated by %s.", user.email, current_user.email)
        flash(_("Le compte de %(name)s est désactivé ; ses connexions en cours sont fermées.",
                name=user.name), "success")
    else:
        flash(_("Le compte de %(name)s était déjà désactivé.", name=user.name), "info")
    return redirect(url_for("staff.accounts_page"), code=303)


@bp.post("/accounts/<int:user_id>/reactivate")
@staff_required
def reactivate_account(user_id: int):
    """Let a deactivated account log in again (with its password, or a new link)."""
    user = db.get_or_404(User, user_id)
    if account_admin.reactivate(db.session, user):
        db.session.commit()
        log.warning("Account %s reactivated by %s.", user.email, current_user.email)
        flash(_("Le compte de %(name)s est réactivé.", name=user.name), "success")
    else:
        flash(_("Le compte de %(name)s était déjà actif.", name=user.name), "info")
    return redirect(url_for("staff.accounts_page"), code=303)


@bp.get("/accounts/<int:user_id>/reset")
@staff_required
def confirm_reset(user_id: int):
    """Ask before resetting a password: its logins end, the old password stops working."""
    return _confirm_page(db.get_or_404(User, user_id), "reset")


@bp.post("/accounts/<int:user_id>/reset")
@staff_required
def reset_account(user_id: int):
    """A new one-time link for another account (shown once); its logins end."""
    user = db.get_or_404(User, user_id)
    try:
        token = account_admin.reset_password(db.session, user, actor=current_user,
                                             lifetime=_lifetime())
    except DomainError as exc:
        return _refused(exc)
    db.session.commit()
    log.warning("Password of %s reset by %s.", user.email, current_user.email)
    return _link_page(user, token)


@bp.post("/accounts/<int:user_id>/unlock")
@staff_required
def unlock_account(user_id: int):
    """Unlock an account that failed logins locked (logged: who unlocked whom)."""
    user = db.get_or_404(User, user_id)
    if accounts.unlock(db.session, user):
        db.session.commit()
        log.warning("Account %s unlocked by %s.", user.email, current_user.email)
        flash(_("Le compte %(email)s est débloqué.", email=user.email), "success")
    else:
        flash(_("Le compte %(email)s n'était pas bloqué.", email=user.email), "info")
    return redirect(url_for("staff.accounts_page"), code=303)
