"""Staff and facilitator log in / log out (Flask-Login), and access decorators."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from diagnostic import queries
from diagnostic.models import User

from .extensions import db, login_manager
from .forms import REQUIRED, TOO_LONG

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
def load_user(user_id: str) -> User | None:
    """Flask-Login hook: the active account with this id."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def staff_required(view):
    """Only logged-in staff (not facilitators) may use the decorated view."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _safe_next(target: str | None) -> str | None:
    """A same-site relative path, or None (never an open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log a staff member or facilitator in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = queries.user_by_email(db.session, form.email.data)
        if user is None or not user.active or not user.check_password(form.password.data):
            flash(_("Adresse e-mail ou mot de passe incorrect."), "error")
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        return redirect(_safe_next(request.args.get("next")) or url_for("main.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Log out (POST with CSRF so a link elsewhere cannot log people out)."""
    logout_user()
    flash(_("Vous êtes déconnecté·e."), "info")
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    """Install Flask-Login and the auth blueprint."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    app.register_blueprint(bp)
