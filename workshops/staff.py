"""Staff pages (being built)."""

from flask import Blueprint

from .auth import staff_required

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/")
@staff_required
def diagnostics():
    """List of diagnostics."""
    return "staff"
