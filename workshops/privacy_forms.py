"""The staff form of a diagnostic's privacy notice (settings page, "Protection des données").

The service (diagnostic/privacy/notice.py) checks every value; the form declares the
fields, their limits and the obvious required checks.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from diagnostic.models import PrivacyNotice
from diagnostic.privacy.notice import MAX_LENGTHS, RETENTION_MAX, RETENTION_MIN

REQUIRED = _l("Ce champ est obligatoire.")
TOO_LONG = _l("Ce texte est trop long.")
BAD_MONTHS = _l("Indiquez une durée de conservation entre 1 et 120 mois.")


def _text(field: str) -> list:
    return [DataRequired(message=REQUIRED), Length(max=MAX_LENGTHS[field], message=TOO_LONG)]


class PrivacyNoticeForm(FlaskForm):
    """The notice shown to participants: who, why, on which basis, how long, whom to ask."""

    controller = TextAreaField(
        _l("Responsable du traitement"), validators=_text("controller"),
        render_kw={"rows": 2, "maxlength": MAX_LENGTHS["controller"]},
        description=_l("La collectivité ou l'organisme qui conduit le diagnostic (par "
                       "défaut, celle de « Publication du rapport »)."))
    purpose = TextAreaField(_l("Finalité"), validators=_text("purpose"),
                            render_kw={"rows": 6, "maxlength": MAX_LENGTHS["purpose"]})
    legal_basis = TextAreaField(_l("Base légale"), validators=_text("legal_basis"),
                                render_kw={"rows": 5, "maxlength": MAX_LENGTHS["legal_basis"]})
    dpo_contact = TextAreaField(
        _l("Contact du délégué ou de la déléguée à la protection des données"),
        validators=_text("dpo_contact"),
        render_kw={"rows": 2, "maxlength": MAX_LENGTHS["dpo_contact"]},
        description=_l("Une adresse électronique ou postale où exercer ses droits."))
    rights = TextAreaField(_l("Droits des personnes et comment les exercer"),
                           validators=_text("rights"),
                           render_kw={"rows": 8, "maxlength": MAX_LENGTHS["rights"]})
    # Text, not IntegerField: the service answers "abc" in French like any other value.
    retention_months = StringField(
        _l("Durée de conservation (mois après la validation du rapport)"),
        validators=[DataRequired(message=BAD_MONTHS)],
        render_kw={"type": "number", "min": RETENTION_MIN, "max": RETENTION_MAX,
                   "inputmode": "numeric"},
        description=_l("Ensuite, les participant·es sont anonymisé·es : leurs contributions "
                       "restent, sans nom, structure ni coordonnées."))

    def service_fields(self) -> dict:
        """The keyword arguments of :func:`diagnostic.privacy.notice.set_notice`."""
        return {name: self[name].data for name in
                ("controller", "purpose", "legal_basis", "dpo_contact", "rights",
                 "retention_months")}


def notice_form(notice: PrivacyNotice) -> PrivacyNoticeForm:
    """The form filled with ``notice`` (the version in force or the default)."""
    return PrivacyNoticeForm(formdata=None, prefix="privacy", data={
        "controller": notice.controller, "purpose": notice.purpose,
        "legal_basis": notice.legal_basis, "dpo_contact": notice.dpo_contact,
        "rights": notice.rights, "retention_months": notice.retention_months,
    })
