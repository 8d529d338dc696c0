"""The restitution's comments for staff: moderation (approve, reject) and exports.

Exports (staff only) list every comment with the need, recommendation or report it
concerns, its status, the name a commenter chose to give (anonymous mode) or the
participant who wrote it (participant mode), and its date in the diagnostic's zone (named
in the header; spreadsheets have no zones).
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user

from diagnostic.errors import N_, DomainError
from diagnostic.frame.identity import file_stem
from diagnostic.models import CommentStatus, Diagnostic, RestitutionComment
from diagnostic.privacy.erasure import ERASED_NAME
from diagnostic.reporting.report_build import compose_report
from diagnostic.restitution import comments
from diagnostic.time_zones import zone_place

from ..auth import staff_required
from ..extensions import db
from ..i18n import error_message, gettext
from .blueprint import bp
from .restitution import RULE
from .restitution_rows import comment_rows

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DONE = {
    CommentStatus.APPROVED: N_("Commentaire publié."),
    CommentStatus.REJECTED: N_("Commentaire refusé."),
    CommentStatus.PENDING: N_("Commentaire remis en attente."),
}


@bp.post(RULE + "/comments/<int:comment_id>")
@staff_required
def moderate_comment(diagnostic_id: int, comment_id: int):
    """Approve, reject or put back in the queue one comment."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    comment = db.get_or_404(RestitutionComment, comment_id)
    if comment.diagnostic_id != diagnostic.id:
        abort(404)
    try:
        status = CommentStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    try:
        comments.moderate(db.session, comment, diagnostic, current_user, status)
    except DomainError as error:
        db.session.rollback()
        flash(error_message(error), "error")
        return redirect(url_for("staff.restitution", diagnostic_id=diagnostic.id))
    db.session.commit()
    flash(gettext(DONE[status]), "success")
    target = request.form.get("next")
    if target == "synthesis":
        return redirect(url_for("staff.synthesis", diagnostic_id=diagnostic.id,
                                kind=request.form.get("kind") or None))
    return redirect(url_for("staff.restitution", diagnostic_id=diagnostic.id,
                            _anchor="moderation"))


def _author(participant) -> str:
    """A commenting participant as staff name them ("" in anonymous mode)."""
    if participant is None:
        return ""
    return gettext(ERASED_NAME) if participant.is_erased else participant.display_name


@bp.get(RULE + "/comments.<fmt>")
@staff_required
def export_comments(diagnostic_id: int, fmt: str):
    """Every comment as CSV or XLSX (an unknown format is a 404)."""
    from exports.comments import render_comments_csv, render_comments_xlsx

    if fmt not in MIMETYPES:
        abort(404)
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    report = compose_report(db.session, diagnostic, translate=gettext, with_minutes=False)
    found = comments.comments_of(db.session, diagnostic.id)
    rows = comment_rows(report, found, diagnostic.time_zone)
    authors = comments.authors_of(db.session, found)
    header = [gettext("N°"), gettext("Concerne"), gettext("Élément"), gettext("Commentaire"),
              gettext("Statut"), gettext("Nom donné"), gettext("Participant·e"),
              gettext("Date (%(zone)s)", zone=zone_place(diagnostic.time_zone, gettext))]
    cells = [[r.comment.id, r.kind_label, r.item_title, r.comment.text, r.status_label,
              r.comment.author_name or "", _author(authors.get(r.comment.participant_id)),
              r.local_time.replace(tzinfo=None)] for r in rows]
    if fmt == "csv":
        data = render_comments_csv(header, cells)
    else:
        data = render_comments_xlsx(header, cells, gettext("Commentaires"))
    name = f"{file_stem(diagnostic)}-commentaires-restitution.{fmt}"
    return Response(data, mimetype=MIMETYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}"'})
