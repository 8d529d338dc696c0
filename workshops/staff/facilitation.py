"""The facilitator's page: workshops to run (draft or open) with their board and join code."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from diagnostic import queries

from ..extensions import db
from . import bp


@bp.get("/facilitation")
@login_required
def facilitation():
    """Open and planned workshops of every diagnostic, for facilitators (and staff)."""
    return render_template(
        "staff/facilitation.html", workshops=queries.workshops_to_facilitate(db.session)
    )
