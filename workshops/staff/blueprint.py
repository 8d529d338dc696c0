"""The staff blueprint and the link helpers its templates use."""

from __future__ import annotations

from flask import Blueprint, url_for

from diagnostic.frame.archiving import is_read_only

bp = Blueprint("staff", __name__, url_prefix="/staff")


def join_url(code: str) -> str:
    """The participant's direct link to a workshop (for a QR code)."""
    return url_for("participant.join_code", code=code, _external=True)


def board_url(workshop_id: int) -> str:
    """The projected board of a workshop."""
    return url_for("board.show", workshop_id=workshop_id)


@bp.context_processor
def link_helpers() -> dict:
    """Links to pages other blueprints serve, available in the staff templates."""
    return {"join_url": join_url, "board_url": board_url}


@bp.app_template_global()
def read_only(subject) -> bool:
    """Whether a diagnostic or workshop is archived, so its pages hide their editing
    controls (the services refuse the changes: ``archiving.require_not_archived``)."""
    return is_read_only(subject)
