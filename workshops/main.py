"""Home page and language switch."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from .redirects import redirect_back

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Staff go to their diagnostics; everybody else gets the join page."""
    if current_user.is_authenticated:
        return redirect(url_for("staff.diagnostics"))
    return render_template("main/index.html")


@bp.post("/lang")
def set_language():
    """Remember the chosen interface language and go back where the user was."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect_back(request.form.get("next"))
