"""Accounts: who may log in, which accounts too many failed logins locked, unlocking them."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from diagnostic import accounts
from diagnostic.models import User

from ..auth import staff_required
from ..extensions import db
from .blueprint import bp

log = logging.getLogger("diagnostic.accounts")


@bp.get("/accounts")
@staff_required
def accounts_page():
    """The accounts, locked ones first with an unlock button."""
    return render_template("staff/accounts.html", accounts=accounts.all_accounts(db.session),
                           active="accounts")


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
