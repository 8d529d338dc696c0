"""Diagnostics: the list with counts, creation, the overview page and its edit form."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from diagnostic import queries
from diagnostic.errors import DomainError, ValidationError
from diagnostic.frame import editing, planning
from diagnostic.models import Diagnostic
from diagnostic.time_zones import DEFAULT_TIME_ZONE

from ..archive_import import import_archive, refusal_lines
from ..auth import staff_required
from ..extensions import csrf, db
from ..forms import DiagnosticForm, ImportArchiveForm, NewDiagnosticForm, attach_errors
from ..i18n import field_errors
from ..transport.limits import LARGER_BODIES
from .blueprint import bp

# Room for the multipart envelope, the title and the CSRF token around the file.
UPLOAD_OVERHEAD = 64 * 1024


def _list_page(form: NewDiagnosticForm, status: int = 200,
               import_form: ImportArchiveForm | None = None):
    """The diagnostics list with the creation and import forms."""
    summaries = queries.list_diagnostics(db.session)
    if import_form is None:
        import_form = ImportArchiveForm(formdata=None)
    return render_template("staff/diagnostics.html", summaries=summaries, form=form,
                           import_form=import_form), status


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
                time_zone=form.time_zone.data or DEFAULT_TIME_ZONE,
            )
        except ValidationError as exc:
            attach_errors(form, field_errors(exc))
        else:
            db.session.commit()
            flash(_("Diagnostic « %(title)s » créé.", title=diagnostic.title), "success")
            return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic.id))
    return _list_page(form, 400)


IMPORT_RULE = "/diagnostics/import"


@bp.record_once
def _accept_larger_imports(state) -> None:
    """Let the transport's body check (transport/limits.py) pass an import's upload."""
    limit = state.app.config["IMPORT_MAX_BYTES"] + UPLOAD_OVERHEAD
    path = (state.url_prefix or "") + IMPORT_RULE
    state.app.extensions.setdefault(LARGER_BODIES, {})[path] = limit


@bp.post(IMPORT_RULE)
@csrf.exempt  # the form checks its own token, once the larger body limit below is set
@staff_required
def import_diagnostic():
    """Restore a diagnostic from an uploaded JSON report or archive; nothing on refusal.

    The upload may be larger than MAX_CONTENT_LENGTH, up to IMPORT_MAX_BYTES (Flask's
    per-view ``request.max_content_length``); the global CSRF check would read the body
    under the smaller limit first, so this view is exempt from it and the form, a
    FlaskForm, checks the token itself.
    """
    request.max_content_length = current_app.config["IMPORT_MAX_BYTES"] + UPLOAD_OVERHEAD
    empty = NewDiagnosticForm(formdata=None)
    try:
        form = ImportArchiveForm()
    except RequestEntityTooLarge:
        form = ImportArchiveForm(formdata=None)
        form.form_errors.append(_(
            "Le fichier dépasse la taille maximale d'une importation (%(megabytes)s Mo).",
            megabytes=f"{current_app.config['IMPORT_MAX_BYTES'] / 1_048_576:.3g}"))
        return _list_page(empty, 413, form)
    if form.validate_on_submit():
        try:
            diagnostic = import_archive(form.archive.data.stream, title=form.title.data or None)
        except DomainError as exc:
            db.session.rollback()
            form.form_errors.extend(refusal_lines(exc))
        else:
            db.session.commit()
            flash(_("Diagnostic « %(title)s » importé.", title=diagnostic.title), "success")
            return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic.id))
    return _list_page(empty, 400, form)


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
                time_zone=form.time_zone.data,
            )
        except ValidationError as exc:
            attach_errors(form, field_errors(exc))
        else:
            db.session.commit()
            flash(_("Diagnostic enregistré."), "success")
            return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic.id))
    return _overview(diagnostic, form, 400)
