"""The HTTP side of a workshop's status changes, shared by the staff page and the console.

``POST …/open``, ``…/close`` and ``…/reopen`` call the one service
(``diagnostic.live.lifecycle.change_status``), as the console's socket events do, and
commit once. Closing asks first: a ``close`` without ``confirm=1`` answers with a page that
says what closing does and a button that confirms (the console's dialog sends ``confirm``,
so does the page). A refused change (e.g. closing a workshop already closed) answers 409
with the reason and changes nothing.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from diagnostic.errors import DomainError
from diagnostic.live import lifecycle
from diagnostic.models import Workshop

from .extensions import db
from .i18n import error_message


def done_message(action: str) -> str:
    """What the person is told once ``action`` is done."""
    return {
        "open": _("L'atelier est ouvert : les participant·es peuvent le rejoindre."),
        "close": _("L'atelier est clos : il ne reçoit plus de contributions."),
        "reopen": _("L'atelier est rouvert : les participant·es peuvent à nouveau contribuer."),
    }[action]


def status_change(workshop: Workshop, action: str, back_url: str):
    """Apply ``action`` to ``workshop`` for the current user, then go back to ``back_url``."""
    if action == "close" and request.form.get("confirm") != "1":
        return render_template("facilitate/status_change.html", workshop=workshop,
                               action_url=request.path, back_url=back_url, error=None)
    try:
        lifecycle.change_status(db.session, workshop, current_user, action)
    except DomainError as error:
        db.session.rollback()
        return render_template("facilitate/status_change.html", workshop=workshop,
                               action_url=None, back_url=back_url,
                               error=error_message(error)), 409
    db.session.commit()
    flash(done_message(action), "success")
    return redirect(back_url)
