"""A workshop's paper form: the printable PDF and the spreadsheet templates to download,
then upload → preview → import of the filled spreadsheet (diagnostic/paper).

Staff only, like the workshop's page. The upload is kept server-side (a PaperImport row)
between the preview and the confirmation. As for the archive import, the upload may be
larger than ``MAX_CONTENT_LENGTH`` (up to the paper limit, refused with a French message
beyond): the view is exempt from the global CSRF check, which would read the body under
the smaller limit, and its FlaskForm checks the token itself.
"""

from __future__ import annotations

import re

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from diagnostic.errors import DomainError, NotFound
from diagnostic.frame.identity import file_stem, workshop_slug
from diagnostic.models import Workshop
from diagnostic.paper import columns, importer, template
from diagnostic.paper.parse import MAX_ROWS, TOO_LARGE

from ..auth import staff_required
from ..extensions import csrf, db
from ..forms import PaperUploadForm
from ..i18n import error_message, gettext
from ..transport.limits import LARGER_BODIES
from .blueprint import bp
from .reports import attachment

UPLOAD_OVERHEAD = 64 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_limit(config) -> int:
    """The largest body the upload form accepts: a file too large still arrives (up to
    ``IMPORT_MAX_BYTES``), to be refused with a message on the form."""
    return max(config["IMPORT_MAX_BYTES"], config["PAPER_MAX_BYTES"]) + UPLOAD_OVERHEAD


@bp.record_once
def _accept_paper_uploads(state) -> None:
    """Let the transport's body check (transport/limits.py) pass a paper upload."""
    path = re.compile(re.escape(state.url_prefix or "") + r"/workshops/\d+/paper")
    state.app.extensions.setdefault(LARGER_BODIES, {})[path] = upload_limit(state.app.config)


def _filename(workshop: Workshop, what: str, fmt: str) -> str:
    return f"{file_stem(workshop.diagnostic)}-{what}-{workshop_slug(workshop)}.{fmt}"


def _page(workshop: Workshop, form: PaperUploadForm, status: int = 200):
    """The paper-form page: downloads, upload form, imports done so far."""
    uploads = importer.imports_of(db.session, workshop)
    return render_template(
        "staff/paper_import.html", workshop=workshop, diagnostic=workshop.diagnostic,
        form=form, active="overview", uploads=uploads, max_rows=MAX_ROWS,
        megabytes=_megabytes(),
    ), status


@bp.get("/workshops/<int:workshop_id>/paper")
@staff_required
def paper_form(workshop_id: int):
    """Download the paper form and its templates; upload a filled spreadsheet."""
    workshop = db.get_or_404(Workshop, workshop_id)
    return _page(workshop, PaperUploadForm())


@bp.get("/workshops/<int:workshop_id>/paper/fiches.pdf")
@staff_required
def paper_form_pdf(workshop_id: int):
    """The printable paper form: one A4 page per kind of contribution."""
    from weasyprint import HTML

    from exports.pdf import DataOnlyFetcher

    workshop = db.get_or_404(Workshop, workshop_id)
    diagnostic = workshop.diagnostic
    fields = {column.field: column for column in columns.COLUMNS}
    html = render_template("staff/paper_form_pdf.html", workshop=workshop,
                           diagnostic=diagnostic, fields=fields,
                           options=lambda f: columns.options(diagnostic, fields[f]))
    pdf = HTML(string=html, url_fetcher=DataOnlyFetcher()).write_pdf()
    return attachment(pdf, "application/pdf", _filename(workshop, "fiches-papier", "pdf"))


@bp.get("/workshops/<int:workshop_id>/paper/modele.<any(xlsx, csv):fmt>")
@staff_required
def paper_template(workshop_id: int, fmt: str):
    """The spreadsheet template to type the cards into (XLSX or CSV)."""
    workshop = db.get_or_404(Workshop, workshop_id)
    name = _filename(workshop, "saisie-papier", fmt)
    if fmt == "xlsx":
        return attachment(template.xlsx_template(workshop, _), XLSX_TYPE, name)
    return attachment(template.csv_template(), "text/csv; charset=utf-8", name)


@bp.post("/workshops/<int:workshop_id>/paper")
@csrf.exempt  # the form checks its own token, once the larger body limit below is set
@staff_required
def upload_paper(workshop_id: int):
    """Keep an uploaded spreadsheet and show its preview; a French error if unreadable."""
    request.max_content_length = upload_limit(current_app.config)
    workshop = db.get_or_404(Workshop, workshop_id)
    try:
        form = PaperUploadForm()
    except RequestEntityTooLarge:
        form = PaperUploadForm(formdata=None)
        form.spreadsheet.errors = [gettext(TOO_LARGE, megabytes=_megabytes())]
        return _page(workshop, form, 413)
    if not form.validate_on_submit():
        return _page(workshop, form, 400)
    upload = form.spreadsheet.data
    limit = current_app.config["PAPER_MAX_BYTES"]
    data = upload.stream.read(limit + 1)  # one byte past the limit is enough to refuse
    try:
        stored = importer.store_upload(db.session, workshop, current_user,
                                       upload.filename or "", data, max_bytes=limit)
    except DomainError as exc:
        db.session.rollback()
        form.spreadsheet.errors = [error_message(exc)]
        return _page(workshop, form, 400)
    db.session.commit()
    return redirect(url_for("staff.paper_preview", workshop_id=workshop.id,
                            upload_id=stored.id))


def _megabytes() -> str:
    return f"{current_app.config['PAPER_MAX_BYTES'] / 1_048_576:.3g}"


@bp.get("/workshops/<int:workshop_id>/paper/<int:upload_id>")
@staff_required
def paper_preview(workshop_id: int, upload_id: int):
    """Every row of the upload with its errors; the import button when all are clean."""
    workshop = db.get_or_404(Workshop, workshop_id)
    try:
        upload = importer.upload_of(db.session, workshop, upload_id)
        checked = importer.preview(db.session, workshop, upload)
    except DomainError as exc:
        flash(error_message(exc), "error")
        return redirect(url_for("staff.paper_form", workshop_id=workshop.id))
    return render_template(
        "staff/paper_preview.html", workshop=workshop, diagnostic=workshop.diagnostic,
        upload=upload, preview=checked, headers=_shown_headers(checked), active="overview",
        form=PaperUploadForm(),
    ), 200 if checked.ready else 422


def _shown_headers(checked: importer.Preview) -> list[str]:
    """The preview's columns: those any row fills or has an error in (in template order)."""
    used = {header for row in checked.rows for header, text in row.cells.items() if text}
    used |= {error.header for row in checked.rows for error in row.errors}
    return [header for header in columns.HEADERS if header in used]


@bp.post("/workshops/<int:workshop_id>/paper/<int:upload_id>/import")
@staff_required
def import_paper(workshop_id: int, upload_id: int):
    """Import the previewed upload (all or nothing), then back to the workshop."""
    workshop = db.get_or_404(Workshop, workshop_id)
    try:
        upload = importer.upload_of(db.session, workshop, upload_id)
        done = importer.import_upload(db.session, workshop, current_user, upload)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(error_message(exc), "error")
        if isinstance(exc, NotFound) or upload.status != importer.PENDING:
            return redirect(url_for("staff.paper_form", workshop_id=workshop.id))
        return redirect(url_for("staff.paper_preview", workshop_id=workshop.id,
                                upload_id=upload_id))
    except IntegrityError:  # the same rows imported at the same moment by someone else
        db.session.rollback()
        flash(_("Ces lignes viennent d'être importées par ailleurs : rien n'a été ajouté. "
                "Vérifiez l'aperçu."), "error")
        return redirect(url_for("staff.paper_preview", workshop_id=workshop.id,
                                upload_id=upload_id))
    flash(ngettext("%(num)d contribution importée (saisie papier).",
                   "%(num)d contributions importées (saisie papier).", len(done.new)),
          "success")
    skipped = done.already + done.repeated
    if skipped:
        flash(ngettext("%(num)d ligne déjà importée, ignorée.",
                       "%(num)d lignes déjà importées, ignorées.", skipped), "info")
    return redirect(url_for("staff.paper_form", workshop_id=workshop.id))



