"""Staff and facilitator log in / log out (Flask-Login), and access decorators."""

from __future__ import annotations

from functools import wraps

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from diagnostic import accounts
from diagnostic.models import User

from . import limits
from .config import resolve_cookie_security
from .extensions import db, login_manager
from .forms import REQUIRED, TOO_LONG
from .redirects import redirect_back

# A locked account: no more than "too many attempts" (not whether the password was right).
LOCKED_MESSAGE = _l("Trop de tentatives de connexion. Contactez l'équipe qui administre "
                    "l'outil.")

bp = Blueprint("auth", __name__, url_prefix="/auth")


class LoginForm(FlaskForm):
    # Our own messages (not WTForms' catalog) so the login page speaks like the rest.
    email = EmailField(_l("Adresse e-mail"), validators=[
        DataRequired(message=REQUIRED), Email(message=_l("Adresse e-mail invalide.")),
        Length(max=254, message=TOO_LONG),
    ])
    password = PasswordField(_l("Mot de passe"), validators=[
        DataRequired(message=REQUIRED), Length(max=200, message=TOO_LONG),
    ])
    remember = BooleanField(_l("Rester connecté·e"))
    submit = SubmitField(_l("Se connecter"))


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Flask-Login hook: the active account whose login session ``token`` names.

    The cookies carry a login's random token (``User.get_id``), never the account's id:
    after logout or a password change the token is gone and every copy of the session
    or remember-me cookie is anonymous.
    """
    return accounts.resume_session(db.session, token,
                                   max_age=current_app.config["REMEMBER_COOKIE_DURATION"])


def staff_required(view):
    """Only logged-in staff (not facilitators) may use the decorated view."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _refused(message: str, form: LoginForm, status: int):
    flash(message, "error")
    return render_template("auth/login.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log a staff member or facilitator in (throttled per address and per e-mail)."""
    if current_user.is_authenticated:
        return redirect_back(request.args.get("next"))
    form = LoginForm()
    if form.validate_on_submit():
        address, email = limits.client_address(), _account_key(form.email.data)
        # Refused before any password check once either budget of failures is spent.
        for rule, key in (("LOGIN_RATE_PER_ADDRESS", address), ("LOGIN_RATE_PER_ACCOUNT", email)):
            limits.require(rule, key)
        config = current_app.config
        attempt = accounts.authenticate(db.session, email, form.password.data,
                                        max_failures=config["LOGIN_LOCKOUT_FAILURES"])
        if attempt.outcome is not accounts.Outcome.OK:
            limits.count("LOGIN_RATE_PER_ADDRESS", address)  # a spent budget stays spent
            limits.count("LOGIN_RATE_PER_ACCOUNT", email)
            db.session.commit()  # the failure count and any lock
            if attempt.outcome is accounts.Outcome.LOCKED:
                return _refused(str(LOCKED_MESSAGE), form, 429)
            return _refused(_("Adresse e-mail ou mot de passe incorrect."), form, 401)
        limits.clear("LOGIN_RATE_PER_ACCOUNT", email)
        accounts.open_session(db.session, attempt.user, max_age=config["REMEMBER_COOKIE_DURATION"])
        db.session.commit()
        login_user(attempt.user, remember=form.remember.data)
        return redirect_back(request.args.get("next"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


def _account_key(email: str | None) -> str:
    """The e-mail as accounts are looked up (the per-account counter's key)."""
    return (email or "").strip().lower()


@bp.post("/logout")
@login_required
def logout():
    """Log out (POST with CSRF so a link elsewhere cannot log people out).

    The login's token is deleted: a copy of this session or remember-me cookie, taken
    before, no longer logs anyone in.
    """
    accounts.close_session(db.session, current_user.login_token)
    db.session.commit()
    logout_user()
    flash(_("Vous êtes déconnecté·e."), "info")
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    """Install Flask-Login and the auth blueprint; settle the cookies' Secure flags."""
    resolve_cookie_security(app.config)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    app.register_blueprint(bp)
