"""Participants' personal data, for staff: find a person, show and hand over what is stored
about them (right of access), erase it (right to erasure); a workshop's participant list
(émargement) as XLSX or PDF (:mod:`diagnostic.privacy.attendance`, consents applied).

Staff only: facilitators never see this page. The search and the reading are
:mod:`diagnostic.privacy.access`, the erasure :mod:`diagnostic.privacy.erasure`; after an
erasure the diagnostic's generated export files, which may quote the person, are removed.
"""

from __future__ import annotations

import json

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import gettext as _
from flask_login import current_user

from diagnostic.frame.identity import file_stem, workshop_slug
from diagnostic.models import (
    ConsentRecord,
    Contribution,
    Diagnostic,
    Participant,
    Workshop,
    utcnow,
)
from diagnostic.privacy.access import find_participants, participant_data, participant_in
from diagnostic.privacy.attendance import attendance_sheet
from diagnostic.privacy.erasure import erase_participant
from exports.attendance import render_attendance_pdf, render_attendance_xlsx

from .. import export_jobs
from ..auth import staff_required
from ..extensions import db
from .blueprint import bp
from .reports import attachment

MAX_QUERY = 200


def _participant(diagnostic_id: int, participant_id: int) -> tuple[Diagnostic, Participant]:
    """The diagnostic and its participant named by the URL (404 otherwise)."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    participant = participant_in(db.session, diagnostic, participant_id)
    if participant is None:
        abort(404)
    return diagnostic, participant


def remove_export_files(diagnostic: Diagnostic) -> int:
    """Remove the diagnostic's finished export jobs (report and every workshop's minutes)."""
    return export_jobs.remove_jobs_of(current_app, diagnostic.id,
                                      [w.id for w in diagnostic.workshops])


@bp.get("/diagnostics/<int:diagnostic_id>/participants")
@staff_required
def participants(diagnostic_id: int):
    """Search the diagnostic's participants by workshop and text (name, organisation,
    contact); an unknown workshop or an overlong text gives 400 and a message."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    query = (request.args.get("q") or "").strip()
    workshop_arg = request.args.get("workshop") or ""
    error, workshop_id = None, None
    if workshop_arg:
        ids = {str(w.id): w.id for w in diagnostic.workshops}
        workshop_id = ids.get(workshop_arg)
        if workshop_id is None:
            error = _("Cet atelier n'appartient pas au diagnostic.")
    if len(query) > MAX_QUERY:
        error = _("Recherche trop longue (%(max)d caractères au plus).", max=MAX_QUERY)
    page = None
    if error is None:
        page = find_participants(db.session, diagnostic, workshop_id=workshop_id, query=query,
                                 page=request.args.get("page", 1, type=int) or 1)
    return render_template(
        "staff/participants.html", diagnostic=diagnostic, page=page, query=query,
        workshop_id=workshop_id, error=error, active="participants",
        filters={k: v for k, v in (("q", query), ("workshop", workshop_id)) if v},
    ), 400 if error else 200


@bp.get("/diagnostics/<int:diagnostic_id>/participants/<int:participant_id>")
@staff_required
def participant(diagnostic_id: int, participant_id: int):
    """What is stored about one participant, with the download and erase actions."""
    diagnostic, person = _participant(diagnostic_id, participant_id)
    data = participant_data(db.session, person)
    consents = db.session.scalars(db.select(ConsentRecord).where(
        ConsentRecord.participant_id == person.id).order_by(ConsentRecord.id)).all()
    contributions = db.session.scalars(db.select(Contribution).where(
        Contribution.participant_id == person.id).order_by(Contribution.id)).all()
    return render_template(
        "staff/participant.html", diagnostic=diagnostic, person=person, consents=consents,
        contributions=contributions, data=data, active="participants",
    )


@bp.get("/diagnostics/<int:diagnostic_id>/participants/<int:participant_id>/data.json")
@staff_required
def participant_json(diagnostic_id: int, participant_id: int):
    """Everything stored about the participant as a JSON download (never cached)."""
    _diagnostic, person = _participant(diagnostic_id, participant_id)
    body = json.dumps(participant_data(db.session, person), ensure_ascii=False, indent=2)
    response = attachment(body.encode("utf-8"), "application/json",
                          f"participant-{person.id}.json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/diagnostics/<int:diagnostic_id>/participants/<int:participant_id>/erase")
@staff_required
def confirm_erasure(diagnostic_id: int, participant_id: int):
    """The confirmation step: what will be removed, what will be kept."""
    diagnostic, person = _participant(diagnostic_id, participant_id)
    count = db.session.scalar(db.select(db.func.count(Contribution.id)).where(
        Contribution.participant_id == person.id))
    return render_template("staff/participant_erase.html", diagnostic=diagnostic,
                           person=person, count=count, active="participants")


@bp.post("/diagnostics/<int:diagnostic_id>/participants/<int:participant_id>/erase")
@staff_required
def erase(diagnostic_id: int, participant_id: int):
    """Erase the participant's personal data, then the export files that may hold it."""
    diagnostic, person = _participant(diagnostic_id, participant_id)
    erased = erase_participant(db.session, person, user=current_user, at=utcnow())
    db.session.commit()
    if erased:
        remove_export_files(diagnostic)
        flash(_("Les données personnelles de la personne participante n° %(id)d ont été "
                "effacées ; ses contributions sont conservées, anonymisées.", id=person.id),
              "success")
    else:
        flash(_("Les données de cette personne étaient déjà effacées."), "info")
    return redirect(url_for("staff.participant", diagnostic_id=diagnostic.id,
                            participant_id=person.id))


ATTENDANCE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@bp.get("/workshops/<int:workshop_id>/emargement.<any(xlsx, pdf):fmt>")
@staff_required
def attendance(workshop_id: int, fmt: str):
    """The workshop's participant list (émargement) for the authority's records; names
    only with consent, never a contact (never cached)."""
    workshop = db.get_or_404(Workshop, workshop_id)
    sheet = attendance_sheet(db.session, workshop, translate=gettext)
    render = render_attendance_xlsx if fmt == "xlsx" else render_attendance_pdf
    body = render(sheet, gettext, lang=get_locale().language)
    name = f"{file_stem(workshop.diagnostic)}-emargement-atelier-{workshop_slug(workshop)}.{fmt}"
    response = attachment(body, ATTENDANCE_TYPES[fmt], name)
    response.headers["Cache-Control"] = "no-store"
    return response
