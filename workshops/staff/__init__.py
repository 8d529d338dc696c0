"""Staff pages: set up diagnostics, plan and run workshops, read contributions and reports.

Facilitators may log in too; they only get the list of workshops to run
(:mod:`.facilitation`), every other page here is for staff (403 otherwise).
"""

from __future__ import annotations

from flask import Blueprint, url_for

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


# Routes register themselves on ``bp`` when imported.
from . import (  # noqa: E402
    contributions,
    diagnostics,
    exports,  # noqa: F401 - registers its routes
    facilitation,
    minutes,
    reports,
    settings,
    synthesis,
    workshops,
)

__all__ = [
    "bp", "contributions", "diagnostics", "facilitation", "minutes", "reports", "settings",
    "synthesis", "workshops",
]
