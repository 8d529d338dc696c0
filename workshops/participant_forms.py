"""WTForms of the participant pages: join by code, then choose a display name.

They carry CSRF and render the fields; the domain services still validate every value,
so these forms only declare the fields and the obvious required checks.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired


def _optional_int(value: object) -> int | None:
    """Coerce a select value to an id, '' (no choice) to None; garbage is left to the domain."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1  # never a term id: the service answers "Choix invalide."


class JoinCodeForm(FlaskForm):
    """The code shown in the room (e.g. ``K7Q-M3X``)."""

    code = StringField(
        _l("Code de l'atelier"),
        validators=[DataRequired(message=_l("Saisissez le code affiché dans la salle."))],
        render_kw={
            "autocomplete": "off",
            "inputmode": "text",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "autofocus": True,
            "class": "code-input",
            "maxlength": 20,
        },
    )
    submit = SubmitField(_l("Rejoindre"))


class ParticipantForm(FlaskForm):
    """How the participant appears: a display name, optionally an organisation and type."""

    display_name = StringField(
        _l("Votre nom ou pseudonyme"),
        validators=[DataRequired(message=_l("Indiquez un nom ou un pseudonyme."))],
        render_kw={"autocomplete": "nickname", "maxlength": 80},
    )
    organisation = StringField(
        _l("Structure (facultatif)"), render_kw={"autocomplete": "organization", "maxlength": 200}
    )
    actor_type_id = SelectField(
        _l("Type d'acteur (facultatif)"), coerce=_optional_int, validate_choice=False
    )
    agreed_to_be_named = BooleanField(_l("J'accepte que mon nom apparaisse dans le rapport"))
    agreed_to_publish_contact = BooleanField(
        _l("J'accepte que mes coordonnées (contact) figurent dans le rapport"),
        description=_l("Sans votre accord, le contact que vous donnez avec une initiative "
                       "reste réservé à l'équipe qui organise le diagnostic."),
    )
    submit = SubmitField(_l("Participer"))
