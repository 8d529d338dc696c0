"""Workshops of a diagnostic: plan, edit, see the join code, open and close."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from diagnostic import audit_queries, queries
from diagnostic.errors import ValidationError
from diagnostic.frame import planning
from diagnostic.live import facilitation, participation
from diagnostic.models import ContributionKind, Diagnostic, Workshop

from ..audit_log import audit_lines
from ..auth import staff_required
from ..extensions import db
from ..forms import WorkshopForm, attach_errors
from ..i18n import field_errors
from ..lifecycle_pages import status_change
from .blueprint import bp


def _offer_facilitators(form: WorkshopForm, workshop: Workshop | None) -> None:
    """Offer the facilitator accounts; preselect the workshop's on a fresh form."""
    form.facilitator_ids.choices = [
        SelectChoice(u.id, f"{u.name} <{u.email}>")
        for u in audit_queries.facilitator_accounts(db.session)
    ]
    if workshop is not None and not form.is_submitted():
        form.facilitator_ids.data = [u.id for u in workshop.facilitators]


def _save_facilitators(form: WorkshopForm, workshop: Workshop) -> None:
    """Assign the chosen facilitators (audited)."""
    facilitation.set_facilitators(db.session, workshop, current_user,
                                  form.facilitator_ids.data or [])


def _form_page(diagnostic: Diagnostic, form: WorkshopForm, workshop: Workshop | None,
               status: int = 200):
    """The workshop create / edit form."""
    return render_template(
        "staff/workshop_form.html", diagnostic=diagnostic, form=form, workshop=workshop,
        active="overview",
    ), status


@bp.route("/diagnostics/<int:diagnostic_id>/workshops/new", methods=["GET", "POST"])
@staff_required
def new_workshop(diagnostic_id: int):
    """Plan a workshop (draft) about a territorial sector or a theme."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    form = WorkshopForm(diagnostic)
    _offer_facilitators(form, None)
    if form.validate_on_submit():
        try:
            workshop = planning.create_workshop(db.session, diagnostic, **form.service_fields())
            _save_facilitators(form, workshop)
        except ValidationError as exc:
            db.session.rollback()
            attach_errors(form, field_errors(exc))
        else:
            db.session.commit()
            flash(_("Atelier « %(title)s » créé.", title=workshop.title), "success")
            return redirect(url_for("staff.workshop", workshop_id=workshop.id))
    status = 400 if form.is_submitted() else 200
    return _form_page(diagnostic, form, None, status)


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_workshop(workshop_id: int):
    """Change a workshop's subject, title, date or place."""
    workshop = db.get_or_404(Workshop, workshop_id)
    form = WorkshopForm(workshop.diagnostic, obj=workshop)
    _offer_facilitators(form, workshop)
    if form.validate_on_submit():
        try:
            planning.update_workshop(db.session, workshop, **form.service_fields())
            _save_facilitators(form, workshop)
        except ValidationError as exc:
            db.session.rollback()
            attach_errors(form, field_errors(exc))
        else:
            db.session.commit()
            flash(_("Atelier enregistré."), "success")
            return redirect(url_for("staff.workshop", workshop_id=workshop.id))
    status = 400 if form.is_submitted() else 200
    return _form_page(workshop.diagnostic, form, workshop, status)


@bp.get("/workshops/<int:workshop_id>")
@staff_required
def workshop(workshop_id: int):
    """A workshop: join code and link, board link, participation, open / close buttons."""
    workshop = db.get_or_404(Workshop, workshop_id)
    return render_template(
        "staff/workshop.html",
        diagnostic=workshop.diagnostic,
        workshop=workshop,
        participants=queries.participant_count(db.session, workshop),
        counts=participation.count_contributions(db.session, workshop),
        kinds=list(ContributionKind),
        audit=audit_lines(db.session, workshop, audit_queries.audit_log(db.session, workshop)),
        active="overview",
    )


@bp.post("/workshops/<int:workshop_id>/<any(open, close, reopen):action>")
@staff_required
def change_status(workshop_id: int, action: str):
    """Open, close (after a confirmation) or reopen a workshop; its room (phones, board,
    consoles) hears of it on the commit."""
    workshop = db.get_or_404(Workshop, workshop_id)
    return status_change(workshop, action, url_for("staff.workshop", workshop_id=workshop.id))
