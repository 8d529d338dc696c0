"""Document exports run as background jobs: start, follow, download.

PDF, DOCX, ODT and XLSX take seconds to minutes on a large diagnostic; the request only
starts a job (:mod:`workshops.export_jobs`), the browser lands on a page that refreshes
until the file is ready, then downloads it. Report jobs are for staff; minutes jobs for
the workshop's team. A job is visible to the person who started it (and to staff).

Each job is a process: an account may start ``EXPORT_RATE_PER_ACCOUNT`` of them and have
``EXPORT_JOBS_PER_ACCOUNT`` running at once, the instance ``EXPORT_JOBS_RUNNING``; a
refusal (429, or 503 when the server as a whole is busy) says so and starts nothing.
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from diagnostic.frame.identity import minutes_filename, report_filename
from diagnostic.models import Diagnostic, Workshop

from .. import export_jobs, limits
from ..auth import staff_required
from ..extensions import db
from .blueprint import bp
from .minutes import MINUTES_JOB_FORMATS, _workshop_for_team

REPORT_JOB_FORMATS = ("pdf", "docx", "odt", "xlsx")
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


RATE = "EXPORT_RATE_PER_ACCOUNT"
BUSY_RETRY_AFTER = 60  # seconds: a job takes seconds to minutes


def _start(kind: str, object_id: int, fmt: str, filename: str, back: str):
    """Start a job within the quotas, or say why not (nothing started, nothing spent)."""
    account = str(current_user.id)
    wait = limits.exhausted(RATE, account)
    if wait is not None:
        return _refused(_("Vous avez demandé beaucoup d'exports : réessayez dans "
                          "quelques minutes."), back, 429, wait)
    try:
        job = export_jobs.start_job(
            current_app._get_current_object(), kind=kind, object_id=object_id, fmt=fmt,
            lang=get_locale().language, user_id=current_user.id, filename=filename,
        )
    except export_jobs.JobRefused as refused:
        if refused.scope == "account":
            return _refused(_("Vos exports précédents sont encore en cours : attendez "
                              "qu'ils se terminent."), back, 429, BUSY_RETRY_AFTER)
        return _refused(_("Le serveur génère déjà d'autres documents : réessayez dans "
                          "une minute."), back, 503, BUSY_RETRY_AFTER)
    limits.count(RATE, account)
    return redirect(url_for("staff.export_job", job_id=job.id), code=303)


def _refused(message: str, back: str, status: int, retry_after: int):
    """The refusal page: why no export was started, and the way back."""
    page = render_template("staff/export_refused.html", message=message, back=back)
    return page, status, {"Retry-After": str(retry_after)}


@bp.post("/diagnostics/<int:diagnostic_id>/report/export")
@staff_required
def export_report(diagnostic_id: int):
    """Start generating the report in one of the heavy formats."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    fmt = request.form.get("fmt", "")
    if fmt not in REPORT_JOB_FORMATS:
        abort(400, description="format")
    return _start("report", diagnostic.id, fmt, report_filename(diagnostic, fmt),
                  url_for("staff.report", diagnostic_id=diagnostic.id))


@bp.post("/workshops/<int:workshop_id>/minutes/export")
@login_required
def export_minutes(workshop_id: int):
    """Start generating a workshop's minutes as PDF or DOCX."""
    workshop = _workshop_for_team(workshop_id)
    fmt = request.form.get("fmt", "")
    if fmt not in MINUTES_JOB_FORMATS:
        abort(400, description="format")
    return _start("minutes", workshop.id, fmt, minutes_filename(workshop, fmt),
                  url_for("staff.minutes", workshop_id=workshop.id))


def _own_job(job_id: str) -> export_jobs.Job:
    job = export_jobs.get_job(current_app._get_current_object(), job_id)
    if job is None:
        abort(404)
    if job.user_id != current_user.id and not current_user.is_staff:
        abort(404)
    return job


def _back_link(job: export_jobs.Job) -> str:
    if job.kind == "report":
        return url_for("staff.report", diagnostic_id=job.object_id)
    return url_for("staff.minutes", workshop_id=job.object_id)


@bp.get("/exports/<job_id>")
@login_required
def export_job(job_id: str):
    """Where a job stands; the page refreshes itself until the file is ready."""
    job = _own_job(job_id)
    subject = (db.session.get(Diagnostic, job.object_id) if job.kind == "report"
               else db.session.get(Workshop, job.object_id))
    return render_template("staff/export_job.html", job=job, subject=subject,
                           back=_back_link(job))


@bp.get("/exports/<job_id>/download")
@login_required
def export_download(job_id: str):
    """The finished document, as an attachment."""
    job = _own_job(job_id)
    if job.status != "done":
        abort(409)
    return send_file(
        export_jobs.job_file(current_app._get_current_object(), job),
        mimetype=MIMETYPES.get(job.fmt, "application/octet-stream"),
        as_attachment=True, download_name=job.filename, max_age=0,
    )
