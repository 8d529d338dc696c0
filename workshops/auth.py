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

from diagnostic import account_admin, accounts
from diagnostic.errors import ValidationError
from diagnostic.models import LinkPurpose, User

from . import limits
from .account_forms import PASSWORD_HINT, ChangePasswordForm, ChoosePasswordForm
from .config import resolve_cookie_security
from .extensions import db, login_manager
from .forms import REQUIRED, TOO_LONG, attach_errors
from .i18n import error_message, field_errors
from .redirects import redirect_back

# A locked account: no more than "too many attempts" (not whether the password was right).
LOCKED_MESSAGE = _l("Trop de tentatives de connexion. Contactez l'équipe qui administre "
                    "l'outil.")
# The right password of a deactivated account (whoever knows it may know that much).
DEACTIVATED_MESSAGE = _l("Ce compte est désactivé. Contactez l'équipe qui administre l'outil.")

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
            if attempt.outcome is accounts.Outcome.DEACTIVATED:
                return _refused(str(DEACTIVATED_MESSAGE), form, 403)
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


def _private(response):
    """No cache may keep the page, and its URL (a link's token) goes to no other page."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/link/<token>", methods=["GET", "POST"])
def choose_password(token: str):
    """A one-time link (invitation or reset): choose a password, then be logged in.

    Unknown, spent, expired or replaced links count against the client address
    (``ACCOUNT_LINK_RATE_PER_ADDRESS``), so tokens cannot be guessed at speed.
    """
    address = limits.client_address()
    limits.require("ACCOUNT_LINK_RATE_PER_ADDRESS", address)
    try:
        link, user = account_admin.link_account(db.session, token)
    except account_admin.LinkInvalid as exc:
        limits.count("ACCOUNT_LINK_RATE_PER_ADDRESS", address)
        return _private(current_app.make_response((render_template(
            "auth/link_invalid.html", message=error_message(exc)), 404)))
    form = ChoosePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            account_admin.use_link(db.session, token, form.password.data)
        except ValidationError as exc:
            db.session.rollback()
            attach_errors(form, field_errors(exc))
        else:
            if current_user.is_authenticated:  # someone else's login in this browser ends
                accounts.close_session(db.session, current_user.login_token)
                logout_user()
            accounts.open_session(db.session, user,
                                  max_age=current_app.config["REMEMBER_COOKIE_DURATION"])
            db.session.commit()
            login_user(user)
            current_app.logger.info("Account %s chose a password through a %s link.",
                                    user.email, link.purpose.value)
            flash(_("Mot de passe enregistré. Bienvenue, %(name)s !", name=user.name),
                  "success")
            return redirect(url_for("main.index"), code=303)
    if form.is_submitted():
        status = 400
    response = current_app.make_response((render_template(
        "auth/choose_password.html", form=form, account=user, hint=PASSWORD_HINT,
        invitation=link.purpose is LinkPurpose.INVITATION), status))
    return _private(response)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Mon compte: who I am, and changing my own password (my other logins end)."""
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        key = _account_key(current_user.email)
        limits.require("LOGIN_RATE_PER_ACCOUNT", key)  # guessing the current password
        try:
            account_admin.change_own_password(
                db.session, current_user, form.current_password.data,
                form.new_password.data, keep_token=current_user.login_token)
        except ValidationError as exc:
            db.session.rollback()
            if "current_password" in exc.errors:
                limits.count("LOGIN_RATE_PER_ACCOUNT", key)
            attach_errors(form, field_errors(exc))
        else:
            db.session.commit()
            current_app.logger.info("Account %s changed its password.", current_user.email)
            flash(_("Votre mot de passe est changé. Vos autres connexions sont fermées."),
                  "success")
            return redirect(url_for("auth.account"), code=303)
    if form.is_submitted():
        status = 400
    return render_template("auth/account.html", form=form, hint=PASSWORD_HINT), status


def init_app(app: Flask) -> None:
    """Install Flask-Login and the auth blueprint; settle the cookies' Secure flags."""
    resolve_cookie_security(app.config)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    app.register_blueprint(bp)
