"""Staff pages: set up diagnostics, plan and run workshops, read contributions and reports.

Facilitators may log in too; they only get the list of workshops to run
(:mod:`.facilitation`), every other page here is for staff (403 otherwise).
"""

from __future__ import annotations

# Routes register themselves on ``bp`` when imported.
from . import (
    accounts,
    contributions,
    diagnostics,
    exports,  # noqa: F401 - registers its routes
    facilitation,
    identity,
    minutes,
    paper_import,
    participants,
    privacy_notice,
    reports,
    restitution,
    restitution_comments,
    settings,
    synthesis,
    synthesis_board,
    synthesis_tools,
    workshops,
)
from .blueprint import bp

__all__ = [
    "accounts", "bp", "contributions", "diagnostics", "facilitation", "identity", "minutes",
    "paper_import", "participants", "privacy_notice", "reports", "restitution",
    "restitution_comments", "settings", "synthesis", "synthesis_board", "synthesis_tools",
    "workshops",
]
