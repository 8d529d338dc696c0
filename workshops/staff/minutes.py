"""A workshop's minutes (compte-rendu): a page and an HTML download, for the workshop's team.

Staff and the facilitators assigned to the workshop may read them; they are never shown to
participants, as they may hold personal data (names of those who agreed to be named,
organisations, the names a facilitator typed in scribe mode).
"""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required
from markupsafe import Markup

from diagnostic.frame.identity import minutes_filename
from diagnostic.models import Workshop
from diagnostic.reporting.minutes import Minutes
from diagnostic.reporting.minutes_build import compose_minutes

from ..extensions import db
from .blueprint import bp
from .reports import attachment

MINUTES_JOB_FORMATS = ("pdf", "docx", "odt")
"""The minutes' formats rendered by an export job (HTML downloads at once)."""


def _workshop_for_team(workshop_id: int) -> Workshop:
    """The workshop named by the URL, if the current user may facilitate it (else 403)."""
    workshop = db.get_or_404(Workshop, workshop_id)
    if not workshop.can_facilitate(current_user):
        abort(403)
    return workshop


def _compose(workshop: Workshop) -> Minutes:
    """The minutes of ``workshop`` in the interface language."""
    return compose_minutes(db.session, workshop, translate=gettext)


@bp.get("/workshops/<int:workshop_id>/minutes")
@login_required
def minutes(workshop_id: int):
    """The minutes inside the staff layout, with the download button."""
    from exports.minutes_html import MINUTES_CSS, render_minutes_fragment

    workshop = _workshop_for_team(workshop_id)
    fragment = render_minutes_fragment(
        _compose(workshop), translate=gettext, lang=get_locale().language
    )
    return render_template(
        "staff/minutes.html", workshop=workshop, fragment=Markup(fragment),
        minutes_css=Markup(MINUTES_CSS), job_formats=MINUTES_JOB_FORMATS,
    )


@bp.get("/workshops/<int:workshop_id>/minutes.html")
@login_required
def download_minutes(workshop_id: int):
    """Download the minutes as a standalone HTML file (attachment)."""
    from exports.minutes_html import render_minutes_html

    workshop = _workshop_for_team(workshop_id)
    body = render_minutes_html(_compose(workshop), translate=gettext, lang=get_locale().language)
    return attachment(body.encode("utf-8") if isinstance(body, str) else body,
                      "text/html; charset=utf-8", minutes_filename(workshop, "html"))
