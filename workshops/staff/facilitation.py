"""The facilitator's page: the workshops they run, with console, board and minutes links."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from diagnostic import queries

from ..extensions import db
from .blueprint import bp


@bp.get("/facilitation")
@login_required
def facilitation():
    """The workshops this account may run (all of them for staff)."""
    return render_template(
        "staff/facilitation.html",
        workshops=queries.workshops_to_facilitate(db.session, current_user),
    )
