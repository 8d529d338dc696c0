"""Account forms (Flask-WTF): a new account, choosing a password, changing one's own.

The forms check the shape of the input (French messages); the rules (unique e-mail,
password length, the current password) are the domain's, in diagnostic.account_admin,
whose field errors are attached back with ``forms.attach_errors``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from diagnostic.account_admin import (
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
)
from diagnostic.models import Role

from .forms import REQUIRED, TOO_LONG


def _strip(value):
    """Leading and trailing spaces (a pasted address often has some) are not input."""
    return value.strip() if isinstance(value, str) else value


NOT_THE_SAME = _l("Les deux mots de passe ne sont pas identiques.")
PASSWORD_HINT = _l("Au moins %(num)d caractères. Une phrase de plusieurs mots est facile à "
                   "retenir et difficile à deviner.", num=MIN_PASSWORD_LENGTH)


def _password(label) -> PasswordField:
    """A password field: required, at most the length the login form accepts."""
    return PasswordField(label, validators=[DataRequired(message=REQUIRED),
                                            Length(max=MAX_PASSWORD_LENGTH, message=TOO_LONG)],
                         render_kw={"autocomplete": "new-password"})


class NewAccountForm(FlaskForm):
    """Staff create an account; its person chooses the password through a one-time link."""

    name = StringField(_l("Nom"), validators=[
        DataRequired(message=REQUIRED), Length(max=MAX_NAME_LENGTH, message=TOO_LONG)],
        filters=[_strip], render_kw={"autocomplete": "off"})
    email = EmailField(_l("Adresse e-mail"), validators=[
        DataRequired(message=REQUIRED), Email(message=_l("Adresse e-mail invalide.")),
        Length(max=MAX_EMAIL_LENGTH, message=TOO_LONG)], filters=[_strip],
        render_kw={"autocomplete": "off"})
    role = RadioField(_l("Rôle"), default=Role.FACILITATOR.value, choices=[
        SelectChoice(Role.FACILITATOR.value, _l("Animateur·rice (anime les ateliers qui lui "
                                                "sont confiés)")),
        SelectChoice(Role.STAFF.value, _l("Équipe d'étude (accès à tout, gère les comptes)")),
    ], validators=[DataRequired(message=REQUIRED)])


class ChoosePasswordForm(FlaskForm):
    """The person holding a one-time link chooses their password."""

    password = _password(_l("Nouveau mot de passe"))
    confirm = PasswordField(_l("Confirmer le mot de passe"), validators=[
        DataRequired(message=REQUIRED), EqualTo("password", message=NOT_THE_SAME)],
        render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(FlaskForm):
    """A logged-in person changes their own password."""

    current_password = PasswordField(_l("Mot de passe actuel"), validators=[
        DataRequired(message=REQUIRED), Length(max=MAX_PASSWORD_LENGTH, message=TOO_LONG)],
        render_kw={"autocomplete": "current-password"})
    new_password = _password(_l("Nouveau mot de passe"))
    confirm = PasswordField(_l("Confirmer le nouveau mot de passe"), validators=[
        DataRequired(message=REQUIRED), EqualTo("new_password", message=NOT_THE_SAME)],
        render_kw={"autocomplete": "new-password"})
