"""WTForms of the participant pages: join by code, then choose a display name.

They carry CSRF and render the fields; the domain services still validate every value,
so these forms only declare the fields and the obvious required checks.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
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


class ConsentForm(FlaskForm):
    """The consents a participant gives, at join and later on "Mes données"."""

    agreed_to_be_named = BooleanField(_l("J'accepte que mon nom apparaisse dans le rapport"))
    agreed_to_publish_contact = BooleanField(
        _l("J'accepte que mes coordonnées (contact) figurent dans le rapport"),
        description=_l("Sans votre accord, le contact que vous donnez avec une initiative "
                       "reste réservé à l'équipe qui organise le diagnostic."),
    )
    agreed_to_be_contacted = BooleanField(
        _l("J'accepte d'être recontacté·e pour la restitution du diagnostic"),
        description=_l("Pour recevoir le projet de rapport et être invité·e à la "
                       "restitution, à l'adresse ci-dessous."),
    )
    restitution_contact = EmailField(  # type email: a phone shows its e-mail keyboard
        _l("Adresse électronique pour la restitution"),
        description=_l("Seulement si vous cochez la case ci-dessus."),
        render_kw={"autocomplete": "email", "maxlength": 200, "spellcheck": "false"},
    )


class ParticipantForm(ConsentForm):
    """How the participant appears: a display name, optionally an organisation and type.

    An anonymous workshop's page removes the name, the organisation and the consent to be
    named (``del form.display_name``...): the service gives a pseudonym.
    """

    display_name = StringField(
        _l("Votre nom ou pseudonyme"),
        validators=[DataRequired(message=_l("Indiquez un nom ou un pseudonyme."))],
        render_kw={"autocomplete": "nickname", "maxlength": 80},
    )
    organisation = StringField(
        _l("Structure (facultatif)"),
        description=_l("Elle figure dans la liste des structures participantes du rapport."),
        render_kw={"autocomplete": "organization", "maxlength": 200},
    )
    actor_type_id = SelectField(
        _l("Type d'acteur (facultatif)"), coerce=_optional_int, validate_choice=False
    )
    submit = SubmitField(_l("Participer"))

    def anonymise(self) -> None:
        """Ask no name, no organisation and no consent to be named (anonymous workshop)."""
        del self.display_name
        del self.organisation
        del self.agreed_to_be_named


class MyDataForm(ConsentForm):
    """"Mes données": change one's consents (the restitution address with its consent)."""

    submit = SubmitField(_l("Enregistrer mes choix"))
