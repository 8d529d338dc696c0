"""Participant pages (being built)."""

from flask import Blueprint

bp = Blueprint("participant", __name__)


@bp.get("/join")
def join():
    """Join by code."""
    return "join"
