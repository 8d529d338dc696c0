"""A participant's personal data on their phone: the full privacy notice and "Mes données".

``/j/<code>/confidentialite`` shows the notice of the workshop's diagnostic to anyone who
may see the join page (an open workshop) and to whoever joined it; no login.
``/j/<code>/mes-donnees`` shows the joined participant the notice version they accepted
and their consents, and changes them (a plain form with CSRF: no JavaScript needed); every
change is a consent record with the source "phone".
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from diagnostic.errors import DomainError, ValidationError
from diagnostic.live import participation
from diagnostic.models import ConsentPurpose, Participant, Workshop
from diagnostic.privacy.consent import consents_of, latest_consents, record_consents
from diagnostic.privacy.notice import current_notice

from . import participant_limits
from .extensions import db
from .i18n import field_errors
from .i18n import gettext as _
from .limits import Limited
from .participant import _current_participant, _join_error, _too_many_codes, bp
from .participant_forms import MyDataForm


@bp.get("/j/<code>/confidentialite")
def privacy_notice(code: str):
    """The full privacy notice of the workshop's diagnostic, readable on a phone."""
    try:
        workshop = participant_limits.workshop_by_code(code)
    except Limited as limited:
        return _too_many_codes(limited, code)
    joined = workshop is not None and _current_participant(workshop) is not None
    if not joined:
        try:  # like the join page: a draft or closed workshop says no more than that
            participation.ensure_joinable(workshop, code)
        except DomainError as error:
            return _join_error(error, code)
    return render_template("participant/privacy.html", workshop=workshop, joined=joined,
                           notice=current_notice(db.session, workshop.diagnostic))


def _my_data_page(workshop: Workshop, participant: Participant, form: MyDataForm):
    latest = latest_consents(db.session, participant)
    purposes = [p for p in ConsentPurpose
                if not (workshop.anonymous and p == ConsentPurpose.NAME)]
    return render_template(
        "participant/my_data.html", workshop=workshop, participant=participant, form=form,
        consents=consents_of(participant), latest=latest, purposes=purposes,
        notice=current_notice(db.session, workshop.diagnostic),
    )


@bp.route("/j/<code>/mes-donnees", methods=["GET", "POST"])
def my_data(code: str):
    """What the participant agreed to, and changing it (withdraw or give each consent)."""
    try:
        workshop = participant_limits.workshop_by_code(code)
    except Limited as limited:
        return _too_many_codes(limited, code)
    participant = _current_participant(workshop) if workshop is not None else None
    if participant is None or participant.is_erased:
        return redirect(url_for("participant.join_code", code=code))
    form = MyDataForm(data={
        "agreed_to_be_named": participant.agreed_to_be_named,
        "agreed_to_publish_contact": participant.agreed_to_publish_contact,
        "agreed_to_be_contacted": participant.agreed_to_be_contacted,
        "restitution_contact": participant.restitution_contact or "",
    })
    if workshop.anonymous:
        del form.agreed_to_be_named
    if form.validate_on_submit():
        try:
            records = record_consents(
                db.session, participant,
                named=None if workshop.anonymous else form.agreed_to_be_named.data,
                contact=form.agreed_to_publish_contact.data,
                restitution=form.agreed_to_be_contacted.data,
                restitution_contact=form.restitution_contact.data or "",
                source="phone", only_changes=True,
            )
        except ValidationError as error:
            db.session.rollback()
            for name, message in field_errors(error).items():
                getattr(form, name).errors = [message]
        else:
            db.session.commit()
            flash(_("Vos choix ont été enregistrés.") if records
                  else _("Aucun changement : vos choix restent les mêmes."),
                  "success" if records else "info")
            return redirect(url_for("participant.my_data", code=workshop.join_code))
        return _my_data_page(workshop, participant, form), 400
    status = 400 if form.is_submitted() else 200
    return _my_data_page(workshop, participant, form), status
