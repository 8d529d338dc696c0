"""Diagnostics: the list with counts, creation, the overview page and its edit form."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from diagnostic import queries
from diagnostic.errors import ValidationError
from diagnostic.frame import editing, planning
from diagnostic.models import Diagnostic

from ..auth import staff_required
from ..extensions import db
from ..forms import DiagnosticForm, NewDiagnosticForm, attach_errors
from ..i18n import field_errors
from .blueprint import bp


def _list_page(form: NewDiagnosticForm, status: int = 200):
    """The diagnostics list with the creation form."""
    summaries = queries.list_diagnostics(db.session)
    return render_template("staff/diagnostics.html", summaries=summaries, form=form), status


@bp.get("/")
@login_required
def diagnostics():
    """Every diagnostic as a card; facilitators are sent to the workshops they run."""
    if not current_user.is_staff:
        return redirect(url_for("staff.facilitation"))
    return _list_page(NewDiagnosticForm(formdata=None))


@bp.post("/diagnostics")
@staff_required
def create_diagnostic():
    """Create a diagnostic with its stakes and the default ESS taxonomies."""
    form = NewDiagnosticForm()
    if form.validate_on_submit():
        try:
            diagnostic = planning.create_diagnostic(
                db.session,
                title=form.title.data,
                territory=form.territory.data,
                period=form.period.data or "",
                description=form.description.data or "",
                stakes=form.stake_list(),
            )
        except ValidationError as exc:
            attach_errors(form, field_errors(exc))
        else:
            db.session.commit()
            flash(_("Diagnostic « %(title)s » créé.", title=diagnostic.title), "success")
            return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic.id))
    return _list_page(form, 400)


def _overview(diagnostic: Diagnostic, form: DiagnosticForm, status: int = 200):
    """The diagnostic's overview page with its edit form and workshops."""
    return render_template(
        "staff/diagnostic.html", diagnostic=diagnostic, form=form, active="overview"
    ), status


@bp.get("/diagnostics/<int:diagnostic_id>")
@staff_required
def diagnostic(diagnostic_id: int):
    """Overview of a diagnostic: frame, workshops, links to its settings and report."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    return _overview(diagnostic, DiagnosticForm(formdata=None, obj=diagnostic))


@bp.post("/diagnostics/<int:diagnostic_id>")
@staff_required
def edit_diagnostic(diagnostic_id: int):
    """Change the title, territory, period and description."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    form = DiagnosticForm()
    if form.validate_on_submit():
        try:
            editing.update_diagnostic(
                db.session, diagnostic, title=form.title.data, territory=form.territory.data,
                period=form.period.data or "", description=form.description.data or "",
            )
        except ValidationError as exc:
            attach_errors(form, field_errors(exc))
        else:
            db.session.commit()
            flash(_("Diagnostic enregistré."), "success")
            return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic.id))
    return _overview(diagnostic, form, 400)
