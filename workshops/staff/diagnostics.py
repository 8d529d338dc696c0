"""Diagnostics: the list with counts, creation, the overview page and its edit form;
archive, restore or delete (diagnostic/frame/archiving.py); publish or withdraw the
directory of initiatives as open data (diagnostic/opendata/publication.py)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from diagnostic import queries
from diagnostic.errors import DomainError, ValidationError
from diagnostic.frame import archiving, editing, planning
from diagnostic.models import Diagnostic
from diagnostic.opendata.publication import publish_open_data, unpublish_open_data
from diagnostic.time_zones import DEFAULT_TIME_ZONE

from ..archive_import import import_archive, refusal_lines
from ..auth import staff_required
from ..extensions import csrf, db
from ..forms import (
    ConfirmDeletionForm,
    DiagnosticForm,
    ImportArchiveForm,
    NewDiagnosticForm,
    attach_errors,
)
from ..i18n import error_message, field_errors
from ..transport.limits import LARGER_BODIES
from .blueprint import bp

# Room for the multipart envelope, the title and the CSRF token around the file.
UPLOAD_OVERHEAD = 64 * 1024


def _list_page(form: NewDiagnosticForm, status: int = 200,
               import_form: ImportArchiveForm | None = None):
    """The diagnostics list (``?archived=1``: the archived ones) with the creation and
    import forms."""
    archived = request.args.get("archived") == "1"
    summaries = queries.list_diagnostics(db.session, archived=archived)
    if import_form is None:
        import_form = ImportArchiveForm(formdata=None)
    return render_template("staff/diagnostics.html", summaries=summaries, form=form,
                           import_form=import_form, archived=archived,
                           archived_count=queries.archived_diagnostic_count(db.session)), status


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
    """The diagnostic's overview page with its edit form and workshops (``?archived=1``:
    the archived workshops)."""
    show_archived = request.args.get("archived") == "1"
    archived = [w for w in diagnostic.workshops if w.archived_at is not None]
    listed = archived if show_archived else [w for w in diagnostic.workshops
                                             if w.archived_at is None]
    return render_template(
        "staff/diagnostic.html", diagnostic=diagnostic, form=form, active="overview",
        workshops=listed, show_archived=show_archived, archived_count=len(archived),
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
        except DomainError as exc:  # archived: read-only
            flash(error_message(exc), "error")
            return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic.id))
        else:
            db.session.commit()
            flash(_("Diagnostic enregistré."), "success")
            return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic.id))
    return _overview(diagnostic, form, 400)


def _removal_page(diagnostic: Diagnostic, form: ConfirmDeletionForm, error: str | None = None,
                  status: int = 200):
    """What deleting would lose, and the action offered: delete, archive or restore."""
    holdings = archiving.diagnostic_holdings(db.session, diagnostic)
    return render_template(
        "staff/remove.html", diagnostic=diagnostic, subject=diagnostic,
        subject_kind="diagnostic", holdings=holdings,
        may_delete=archiving.may_delete(holdings),
        is_open=any(w.is_open for w in diagnostic.workshops), form=form, error=error,
        active="overview",
        back_url=url_for("staff.diagnostic", diagnostic_id=diagnostic.id),
        archive_url=url_for("staff.diagnostic_lifecycle", diagnostic_id=diagnostic.id,
                            action="archive"),
        restore_url=url_for("staff.diagnostic_lifecycle", diagnostic_id=diagnostic.id,
                            action="restore"),
        delete_url=url_for("staff.delete_diagnostic", diagnostic_id=diagnostic.id),
    ), status


@bp.get("/diagnostics/<int:diagnostic_id>/remove")
@staff_required
def remove_diagnostic(diagnostic_id: int):
    """The confirmation page of archiving or deleting a diagnostic."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    return _removal_page(diagnostic, ConfirmDeletionForm(formdata=None))


@bp.post("/diagnostics/<int:diagnostic_id>/<any(archive, restore):action>")
@staff_required
def diagnostic_lifecycle(diagnostic_id: int, action: str):
    """Archive a diagnostic whose workshops are closed, or restore an archived one."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    try:
        if action == "archive":
            archiving.archive_diagnostic(db.session, diagnostic)
        else:
            archiving.restore_diagnostic(db.session, diagnostic)
    except DomainError as exc:
        db.session.rollback()
        flash(error_message(exc), "error")
        return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic.id))
    db.session.commit()
    if action == "archive":
        flash(_("Diagnostic « %(title)s » archivé : il reste consultable et exportable, en "
                "lecture seule, sous « Archivés ».", title=diagnostic.title), "success")
    else:
        flash(_("Diagnostic « %(title)s » restauré.", title=diagnostic.title), "success")
    return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic.id))


@bp.post("/diagnostics/<int:diagnostic_id>/delete")
@staff_required
def delete_diagnostic(diagnostic_id: int):
    """Delete a diagnostic that collected nothing, its title typed back."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    form = ConfirmDeletionForm()
    title = diagnostic.title
    try:
        archiving.delete_diagnostic(db.session, diagnostic, form.confirmation.data)
    except DomainError as exc:
        db.session.rollback()
        return _removal_page(diagnostic, form, error_message(exc), 400)
    db.session.commit()
    flash(_("Diagnostic « %(title)s » supprimé.", title=title), "success")
    return redirect(url_for("staff.diagnostics"))


@bp.post("/diagnostics/<int:diagnostic_id>/open-data/<any(publish, unpublish):action>")
@staff_required
def open_data_publication(diagnostic_id: int, action: str):
    """Publish the directory of initiatives as open data, or withdraw it (audited)."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    try:
        if action == "publish":
            publish_open_data(db.session, diagnostic, current_user)
        else:
            unpublish_open_data(db.session, diagnostic, current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(error_message(exc), "error")
        return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic.id))
    db.session.commit()
    if action == "publish":
        flash(_("Répertoire des initiatives publié en données ouvertes."), "success")
    else:
        flash(_("Répertoire des initiatives retiré des données ouvertes."), "success")
    return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic.id) + "#open-data")
