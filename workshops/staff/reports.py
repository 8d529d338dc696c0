"""The diagnostic report: a staff page and downloads (HTML, CSV, JSON).

The report is composed by :mod:`diagnostic.reporting` and rendered by the pure exporters of
:mod:`exports`; they are imported inside the views so the app starts without them.
"""

from __future__ import annotations

import io

from flask import Response, abort, render_template, request, send_file
from flask_babel import get_locale, gettext
from markupsafe import Markup

from diagnostic.frame.identity import report_filename
from diagnostic.models import Diagnostic

from ..auth import staff_required
from ..extensions import db
from .blueprint import bp

MIMETYPES = {
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _compose(diagnostic: Diagnostic):
    """The composed report of ``diagnostic``, translated to the interface language."""
    from diagnostic.reporting.report_build import compose_report

    return compose_report(db.session, diagnostic, translate=gettext)


def _lang() -> str:
    """The interface language, for the dates and numbers of the HTML report."""
    return get_locale().language


def _render(report, fmt: str, diagnostic: Diagnostic, personal_data: bool = True) -> bytes:
    """The report's bytes in one format; the JSON carries the diagnostic's full archive
    (pseudonymised, and the report naming nobody, without ``personal_data``)."""
    from exports.formats import render

    archive = None
    if fmt == "json":
        from diagnostic.archive.dump import dump_diagnostic

        archive = dump_diagnostic(db.session, diagnostic)
        if not personal_data:
            from diagnostic.privacy.public_copy import without_personal_data

            report, archive = without_personal_data(report, archive)
    return render(fmt, report, translate=gettext, lang=_lang(), archive=archive)


@bp.get("/diagnostics/<int:diagnostic_id>/report")
@staff_required
def report(diagnostic_id: int):
    """The composed report inside the staff layout, with the download buttons."""
    from exports.html import REPORT_CSS, render_report_fragment

    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    fragment = render_report_fragment(_compose(diagnostic), translate=gettext, lang=_lang())
    return render_template(
        "staff/report.html", diagnostic=diagnostic, fragment=Markup(fragment),
        report_css=Markup(REPORT_CSS), formats=list(MIMETYPES), active="report",
        job_formats=("pdf", "docx", "odt", "xlsx"),
    )


@bp.get("/diagnostics/<int:diagnostic_id>/report.<fmt>")
@staff_required
def download_report(diagnostic_id: int, fmt: str):
    """Download the report as an attachment; an unknown format is a 404.

    ``?personal_data=0`` (JSON): the copy *sans données personnelles*, named
    ``<stem>-rapport-anonyme.json``.
    """
    if fmt not in MIMETYPES:
        abort(404)
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    personal_data = request.args.get("personal_data") != "0"
    if not personal_data and fmt != "json":
        abort(404)
    body = _render(_compose(diagnostic), fmt, diagnostic, personal_data)
    filename = report_filename(diagnostic, fmt)
    if not personal_data:
        filename = filename.removesuffix(".json") + "-anonyme.json"
    return attachment(body, MIMETYPES[fmt], filename)


def attachment(body: bytes, mimetype: str, filename: str) -> Response:
    """``body`` as a download named ``filename`` (``<stem>-rapport.pdf``...), its
    Content-Disposition written by Werkzeug (an ASCII name, and ``filename*`` in UTF-8
    for any other)."""
    # Werkzeug adds "; charset=utf-8" to a text type itself.
    return send_file(io.BytesIO(body), mimetype=mimetype.split(";")[0], as_attachment=True,
                     download_name=filename, max_age=0)
