"""Workshops of a diagnostic: plan, edit, see the join code, open and close; duplicate,
archive, restore or delete (diagnostic/frame/planning.py, archiving.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from diagnostic import audit_queries, queries
from diagnostic.errors import DomainError, ValidationError
from diagnostic.frame import archiving, planning
from diagnostic.live import facilitation, participation
from diagnostic.models import ContributionKind, Diagnostic, Workshop

from ..audit_log import audit_lines
from ..auth import staff_required
from ..extensions import db
from ..forms import ConfirmDeletionForm, WorkshopForm, attach_errors
from ..i18n import error_message, field_errors
from ..lifecycle_pages import status_change
from .blueprint import bp


def _offer_facilitators(form: WorkshopForm, workshop: Workshop | None) -> None:
    """Offer the active facilitator accounts; preselect the workshop's on a fresh form.

    A deactivated account already assigned stays offered (marked), so saving the form
    for another change does not drop it silently; it cannot be chosen anew.
    """
    form.facilitator_ids.choices = [
        SelectChoice(u.id, f"{u.name} <{u.email}>")
        for u in audit_queries.facilitator_accounts(db.session)
    ]
    if workshop is not None:
        form.facilitator_ids.choices += [
            SelectChoice(u.id, _("%(name)s <%(email)s> (compte désactivé)", name=u.name,
                                 email=u.email))
            for u in workshop.facilitators if not u.active
        ]
    if workshop is not None and not form.is_submitted():
        form.facilitator_ids.data = [u.id for u in workshop.facilitators]


def _save_facilitators(form: WorkshopForm, workshop: Workshop) -> None:
    """Assign the chosen facilitators (audited)."""
    facilitation.set_facilitators(db.session, workshop, current_user,
                                  form.facilitator_ids.data or [])


def _refused(back_url: str, error: DomainError):
    """Back to the diagnostic's or workshop's page with the domain's refusal (archived)."""
    db.session.rollback()
    flash(error_message(error), "error")
    return redirect(back_url)


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
    back = url_for("staff.diagnostic", diagnostic_id=diagnostic.id)
    try:  # an archived diagnostic is not offered the form (and the service refuses)
        archiving.require_not_archived(diagnostic)
    except DomainError as exc:
        return _refused(back, exc)
    form = WorkshopForm(diagnostic)
    _offer_facilitators(form, None)
    if form.validate_on_submit():
        try:
            workshop = planning.create_workshop(db.session, diagnostic, **form.service_fields())
            _save_facilitators(form, workshop)
        except ValidationError as exc:
            db.session.rollback()
            attach_errors(form, field_errors(exc))
        except DomainError as exc:
            return _refused(back, exc)
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
    back = url_for("staff.workshop", workshop_id=workshop.id)
    try:  # an archived workshop is not offered the form (and the service refuses)
        archiving.require_not_archived(workshop)
    except DomainError as exc:
        return _refused(back, exc)
    form = WorkshopForm(workshop.diagnostic, obj=workshop)
    _offer_facilitators(form, workshop)
    if form.validate_on_submit():
        try:
            planning.update_workshop(db.session, workshop, **form.service_fields())
            _save_facilitators(form, workshop)
        except ValidationError as exc:
            db.session.rollback()
            attach_errors(form, field_errors(exc))
        except DomainError as exc:
            return _refused(back, exc)
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


@bp.post("/workshops/<int:workshop_id>/duplicate")
@staff_required
def duplicate_workshop(workshop_id: int):
    """A draft copy of the workshop's settings; then its form, to set its day and title."""
    workshop = db.get_or_404(Workshop, workshop_id)
    try:
        copy = planning.duplicate_workshop(db.session, workshop, current_user,
                                            suffix=_(" (copie)"))
    except DomainError as exc:  # into an archived diagnostic
        return _refused(url_for("staff.workshop", workshop_id=workshop.id), exc)
    db.session.commit()
    flash(_("Copie « %(title)s » créée, sans participant·es ni contributions : indiquez "
            "sa date et vérifiez son titre.", title=copy.title), "success")
    return redirect(url_for("staff.edit_workshop", workshop_id=copy.id))


def _removal_page(workshop: Workshop, form: ConfirmDeletionForm, error: str | None = None,
                  status: int = 200):
    """What deleting would lose, and the action offered: delete, archive or restore."""
    holdings = archiving.workshop_holdings(db.session, workshop)
    return render_template(
        "staff/remove.html", diagnostic=workshop.diagnostic, subject=workshop,
        subject_kind="workshop", holdings=holdings, may_delete=archiving.may_delete(holdings),
        is_open=workshop.is_open, form=form, error=error, active="overview",
        back_url=url_for("staff.workshop", workshop_id=workshop.id),
        archive_url=url_for("staff.workshop_lifecycle", workshop_id=workshop.id,
                            action="archive"),
        restore_url=url_for("staff.workshop_lifecycle", workshop_id=workshop.id,
                            action="restore"),
        delete_url=url_for("staff.delete_workshop", workshop_id=workshop.id),
    ), status


@bp.get("/workshops/<int:workshop_id>/remove")
@staff_required
def remove_workshop(workshop_id: int):
    """The confirmation page of archiving or deleting a workshop."""
    workshop = db.get_or_404(Workshop, workshop_id)
    return _removal_page(workshop, ConfirmDeletionForm(formdata=None))


@bp.post("/workshops/<int:workshop_id>/<any(archive, restore):action>")
@staff_required
def workshop_lifecycle(workshop_id: int, action: str):
    """Archive a closed workshop, or restore an archived one."""
    workshop = db.get_or_404(Workshop, workshop_id)
    try:
        if action == "archive":
            archiving.archive_workshop(db.session, workshop, current_user)
        else:
            archiving.restore_workshop(db.session, workshop, current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(error_message(exc), "error")
        return redirect(url_for("staff.workshop", workshop_id=workshop.id))
    db.session.commit()
    if action == "archive":
        flash(_("Atelier « %(title)s » archivé : il reste consultable et exportable, en "
                "lecture seule.", title=workshop.title), "success")
    else:
        flash(_("Atelier « %(title)s » restauré.", title=workshop.title), "success")
    return redirect(url_for("staff.workshop", workshop_id=workshop.id))


@bp.post("/workshops/<int:workshop_id>/delete")
@staff_required
def delete_workshop(workshop_id: int):
    """Delete a workshop that collected nothing, its title typed back."""
    workshop = db.get_or_404(Workshop, workshop_id)
    form = ConfirmDeletionForm()
    diagnostic_id, title = workshop.diagnostic_id, workshop.title
    try:
        archiving.delete_workshop(db.session, workshop, form.confirmation.data)
    except DomainError as exc:
        db.session.rollback()
        return _removal_page(workshop, form, error_message(exc), 400)
    db.session.commit()
    flash(_("Atelier « %(title)s » supprimé.", title=title), "success")
    return redirect(url_for("staff.diagnostic", diagnostic_id=diagnostic_id))
