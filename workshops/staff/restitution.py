"""The restitution page of a diagnostic, for staff: publish it, set it up, moderate.

Publish / unpublish the participant page, its closing date (typed in the diagnostic's
zone) and who may comment, a new link (the old one stops), a printable QR code, the
moderation queue (:mod:`.restitution_comments`: approve, reject, export), and marking the
report validated. Every change goes through :mod:`diagnostic.restitution` (audited).
"""

from __future__ import annotations

from datetime import datetime, time

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, TimeField
from wtforms.validators import Optional

from diagnostic.errors import N_, DomainError, ValidationError
from diagnostic.models import CommentStatus, Diagnostic, IdentificationMode, ReportStatus
from diagnostic.reporting.report_build import compose_report
from diagnostic.restitution import comments, publishing
from diagnostic.time_zones import local, zone_of

from ..auth import staff_required
from ..board_qr import join_qr_svg
from ..extensions import db
from ..forms import BAD_DATE, BAD_TIME
from ..i18n import error_message, gettext
from .blueprint import bp
from .restitution_rows import comment_rows

RULE = "/diagnostics/<int:diagnostic_id>/restitution"
CLOSING_TIME = time(23, 59)
MODES = {
    IdentificationMode.ANONYMOUS: _l("Tout le monde, avec le lien (un nom facultatif)"),
    IdentificationMode.PARTICIPANT: _l("Seulement les participant·es d'un atelier, depuis "
                                       "l'appareil avec lequel ils l'ont rejoint"),
}


class RestitutionForm(FlaskForm):
    """The closing date of the comments (in the diagnostic's zone) and who may comment."""

    closes_on = DateField(
        _l("Date de clôture des commentaires"), validators=[Optional()], format="%Y-%m-%d",
        render_kw={"type": "date"}, invalid_value_message=BAD_DATE,
        description=_l("Vide : les commentaires restent ouverts tant que la page est publiée."))
    closes_at_time = TimeField(
        _l("Heure de clôture"), validators=[Optional()], format=["%H:%M", "%H:%M:%S"],
        render_kw={"type": "time"}, invalid_value_message=BAD_TIME)
    identification = RadioField(
        _l("Qui peut commenter ?"),
        choices=[SelectChoice(mode.value, label) for mode, label in MODES.items()],
        default=IdentificationMode.ANONYMOUS.value)


def settings_form(diagnostic: Diagnostic, restitution) -> RestitutionForm:
    """The form filled with the current settings, the closing date in local time."""
    data = {"identification": (restitution.identification.value if restitution
                               else IdentificationMode.ANONYMOUS.value)}
    if restitution is not None and restitution.closes_at is not None:
        closes = local(restitution.closes_at, diagnostic.time_zone)
        data.update(closes_on=closes.date(), closes_at_time=closes.time().replace(second=0))
    return RestitutionForm(formdata=None, data=data)


def public_url(restitution) -> str:
    """The public link of the page (absolute)."""
    return url_for("restitution.page", token=restitution.token, _external=True)


def render(diagnostic: Diagnostic, form: RestitutionForm | None = None, status: int = 200):
    """The staff page: link, settings, moderation queue, exports, validation."""
    restitution = publishing.restitution_of(db.session, diagnostic)
    report = compose_report(db.session, diagnostic, translate=gettext, with_minutes=False)
    rows = comment_rows(report, comments.comments_of(db.session, diagnostic.id),
                        diagnostic.time_zone)
    by_status = {status: [r for r in rows if r.comment.status == status]
                 for status in CommentStatus}
    return render_template(
        "staff/restitution.html", diagnostic=diagnostic, active="restitution",
        restitution=restitution, form=form or settings_form(diagnostic, restitution),
        url=public_url(restitution) if restitution else None,
        is_open=restitution is not None and publishing.is_open(restitution),
        by_status=by_status, statuses=CommentStatus, validated=(
            diagnostic.report_status == ReportStatus.VALIDATED),
    ), status


def _back(diagnostic: Diagnostic, anchor: str | None = None):
    return redirect(url_for("staff.restitution", diagnostic_id=diagnostic.id, _anchor=anchor))


def _refused(diagnostic: Diagnostic, error: DomainError):
    """A refused change (an archived diagnostic): the message, nothing changed."""
    db.session.rollback()
    flash(error_message(error), "error")
    return _back(diagnostic)


@bp.get(RULE)
@staff_required
def restitution(diagnostic_id: int):
    """The staff page of the diagnostic's restitution."""
    return render(db.get_or_404(Diagnostic, diagnostic_id))


def _act(diagnostic_id: int, service, done: str, anchor: str | None = None):
    """One page action: the service, one commit, the flash ``done``, back to the page."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    try:
        service(db.session, diagnostic, current_user)
    except DomainError as error:
        return _refused(diagnostic, error)
    db.session.commit()
    flash(gettext(done), "success")
    return _back(diagnostic, anchor)


@bp.post(RULE + "/publish")
@staff_required
def publish_restitution(diagnostic_id: int):
    """Publish the participant page (the link answers)."""
    return _act(diagnostic_id, publishing.publish, N_("Page de restitution publiée."))


@bp.post(RULE + "/unpublish")
@staff_required
def unpublish_restitution(diagnostic_id: int):
    """Withdraw the participant page (its link answers 404; comments are kept)."""
    return _act(diagnostic_id, publishing.unpublish,
                N_("Page de restitution retirée : son lien ne répond plus."))


@bp.post(RULE + "/new-link")
@staff_required
def regenerate_restitution_link(diagnostic_id: int):
    """A new link: the old one stops working at once."""
    return _act(diagnostic_id, publishing.regenerate_token,
                N_("Nouveau lien créé : l'ancien ne fonctionne plus."))


@bp.post(RULE + "/settings")
@staff_required
def restitution_settings(diagnostic_id: int):
    """Set the closing date (typed in the diagnostic's zone) and who may comment."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    form = RestitutionForm()
    if not form.validate_on_submit():
        return render(diagnostic, form, 400)
    closes_at = None
    if form.closes_on.data is not None:
        closes_at = datetime.combine(form.closes_on.data, form.closes_at_time.data or CLOSING_TIME,
                                     tzinfo=zone_of(diagnostic))
    try:
        publishing.configure(db.session, diagnostic, current_user, closes_at=closes_at,
                             identification=form.identification.data)
    except ValidationError as error:
        db.session.rollback()
        for name, message in error.errors.items():
            field = form.closes_on if name == "closes_at" else form.identification
            field.errors = [gettext(message)]
        return render(diagnostic, form, 400)
    except DomainError as error:
        return _refused(diagnostic, error)
    db.session.commit()
    flash(gettext("Réglages de la restitution enregistrés."), "success")
    return _back(diagnostic, "settings")


@bp.get(RULE + "/qr")
@staff_required
def restitution_qr(diagnostic_id: int):
    """A printable page: the QR code of the public link, with the link in words."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    restitution = publishing.restitution_of(db.session, diagnostic)
    if restitution is None:
        return _back(diagnostic)
    url = public_url(restitution)
    qr_svg = join_qr_svg(url, gettext("QR code de la page de restitution : %(url)s", url=url))
    return render_template("staff/restitution_qr.html", diagnostic=diagnostic,
                           restitution=restitution, url=url, qr_svg=qr_svg)


@bp.post(RULE + "/validate")
@staff_required
def validate_report(diagnostic_id: int):
    """Mark the report validated today (the cover of every document says so)."""
    return _act(diagnostic_id, publishing.mark_validated,
                N_("Rapport marqué comme validé : la couverture des documents l'indique."),
                "validation")
