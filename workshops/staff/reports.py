"""The diagnostic report: a staff page and downloads (HTML, CSV, JSON).

The report is composed by :mod:`diagnostic.reporting` and rendered by the pure exporters of
:mod:`exports`; they are imported inside the views so the app starts without them.
"""

from __future__ import annotations

from datetime import date

from flask import Response, abort, render_template
from flask_babel import get_locale, gettext
from markupsafe import Markup

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


def report_filename(diagnostic: Diagnostic, fmt: str, day: date | None = None) -> str:
    """A safe download name: ``diagnostic-<id>-<yyyy-mm-dd>.<fmt>``."""
    return f"diagnostic-{diagnostic.id}-{(day or date.today()).isoformat()}.{fmt}"


def _lang() -> str:
    """The interface language, for the dates and numbers of the HTML report."""
    return get_locale().language


def _render(report, fmt: str, diagnostic: Diagnostic) -> bytes:
    """The report's bytes in one format; the JSON carries the diagnostic's full archive."""
    from exports.formats import render

    archive = None
    if fmt == "json":
        from diagnostic.archive.dump import dump_diagnostic

        archive = dump_diagnostic(db.session, diagnostic)
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
    """Download the report as an attachment; an unknown format is a 404."""
    if fmt not in MIMETYPES:
        abort(404)
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    body = _render(_compose(diagnostic), fmt, diagnostic)
    filename = report_filename(diagnostic, fmt)
    return Response(
        body,
        headers={
            "Content-Type": MIMETYPES[fmt],
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
