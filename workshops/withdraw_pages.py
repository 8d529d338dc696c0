"""Withdrawing one's own contribution without JavaScript: a confirmation page and its form.

The contribute page links each of the participant's own items here; this page asks for a
confirmation and POSTs (with CSRF) to the same service the ``withdraw_contribution`` socket
event calls (``live.submission.withdraw``): one commit, after which every board and phone
removes the item. With JavaScript the phone asks in a dialog and uses the socket instead.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from diagnostic.errors import DomainError
from diagnostic.live import participation
from diagnostic.live.serialize import serialize_contribution
from diagnostic.live.withdrawal import own_contribution
from diagnostic.models import Participant, Workshop

from . import participant_limits
from .extensions import db
from .i18n import error_message
from .i18n import gettext as _
from .limits import Limited
from .live.acks import Refusal
from .live.binding import participant_token
from .live.submission import withdraw
from .participant import status_of

bp = Blueprint("withdraw", __name__)


def _participant(workshop: Workshop) -> Participant | None:
    """The participant this browser joined ``workshop`` as, if any."""
    participant = participation.participant_by_token(db.session, participant_token(workshop.id))
    return participant if participant is not None and participant.workshop_id == workshop.id \
        else None


def _page(workshop: Workshop, item: dict | None, contribution_id: int, error: str | None = None):
    """The confirmation page (or, with ``error``, why it cannot be withdrawn)."""
    return render_template(
        "participant/withdraw.html", workshop=workshop, item=item, error=error,
        action_url=url_for("withdraw.withdraw_page", code=workshop.join_code,
                           contribution_id=contribution_id),
        back_url=url_for("participant.contribute", code=workshop.join_code))


@bp.route("/j/<code>/withdraw/<int:contribution_id>", methods=["GET", "POST"])
def withdraw_page(code: str, contribution_id: int):
    """GET: "Retirer cette contribution ?"; POST: withdraw it and go back to the page."""
    try:
        workshop = participant_limits.workshop_by_code(code)
    except Limited:
        abort(429)
    if workshop is None:
        abort(404)
    participant = _participant(workshop)
    if participant is None:
        return redirect(url_for("participant.join_code", code=workshop.join_code))
    if request.method == "GET":
        try:
            participation.require_open(workshop)
            contribution = own_contribution(db.session, participant, contribution_id)
        except DomainError as error:
            return _page(workshop, None, contribution_id, error_message(error)), \
                status_of(error)
        if contribution.withdrawn_at is not None:
            return _page(workshop, None, contribution_id,
                         _("Cette contribution a déjà été retirée.")), 410
        return _page(workshop, serialize_contribution(contribution, _), contribution_id)
    join_code = workshop.join_code
    try:
        withdraw(participant, contribution_id)
        db.session.commit()  # every board and phone removes it now (live.rooms)
    except Refusal as refusal:  # too fast: nothing changed
        db.session.rollback()
        headers = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after else {}
        return _page(workshop, None, contribution_id, refusal.message), 429, headers
    except DomainError as error:
        db.session.rollback()
        return _page(workshop, None, contribution_id, error_message(error)), \
            status_of(error)
    flash(_("Votre contribution a été retirée : elle n'apparaît plus nulle part."), "success")
    return redirect(url_for("participant.contribute", code=join_code))
