"""Staff pages: set up diagnostics, plan and run workshops, read contributions and reports.

Facilitators may log in too; they only get the list of workshops to run
(:mod:`.facilitation`), every other page here is for staff (403 otherwise).
"""

from __future__ import annotations

from flask import Blueprint, request, url_for
from werkzeug.routing import BuildError

bp = Blueprint("staff", __name__, url_prefix="/staff")


def optional_url(endpoint: str, fallback: str, external: bool = False, **values) -> str:
    """``url_for(endpoint)``, or ``fallback`` while that blueprint is not registered yet."""
    try:
        return url_for(endpoint, _external=external, **values)
    except BuildError:
        return request.host_url.rstrip("/") + fallback if external else fallback


def join_url(code: str) -> str:
    """The participant's direct link to a workshop (for a QR code)."""
    return optional_url("participant.join_code", f"/j/{code}", external=True, code=code)


def board_url(workshop_id: int) -> str:
    """The projected board of a workshop."""
    return optional_url("board.show", f"/board/{workshop_id}", workshop_id=workshop_id)


@bp.context_processor
def link_helpers() -> dict:
    """Links to pages other blueprints serve, available in the staff templates."""
    return {"join_url": join_url, "board_url": board_url}


# Routes register themselves on ``bp`` when imported.
from . import (  # noqa: E402
    contributions,
    diagnostics,
    facilitation,
    reports,
    settings,
    workshops,
)

__all__ = [
    "bp", "contributions", "diagnostics", "facilitation", "reports", "settings", "workshops",
]
