"""Board pages (being built)."""

from flask import Blueprint

bp = Blueprint("board", __name__, url_prefix="/board")
