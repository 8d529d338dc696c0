"""The projected board of a workshop: join code, and three live columns of contributions.

Any logged-in account (staff or facilitator) may show a board; ``static/js/board.js``
connects to the ``/live`` namespace as a board client and adds items without reload.
Projector mode: a large join screen before opening and during the welcome, then a
compact bar (code and QR code still shown); the columns fit the screen and turn their
pages every ``ROTATE_SECONDS`` when full (``static/js/board-pages.js``).
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for
from flask_login import login_required

from diagnostic.live import queries
from diagnostic.live.serialize import serialize_contribution
from diagnostic.models import ContributionKind, Phase, Workshop, WorkshopStatus

from .board_qr import join_qr_svg
from .extensions import db
from .i18n import gettext as _
from .live.binding import ROLE_BOARD
from .live.pages import live_labels, vote_strings
from .live.rooms import NAMESPACE

bp = Blueprint("board", __name__, url_prefix="/board")

# How long a page of a full column stays on the screen: long enough to read three cards.
ROTATE_SECONDS = 12


def shows_join_screen(workshop: Workshop) -> bool:
    """Whether the board shows its large join screen (before opening, and the welcome)
    rather than the compact bar of the collection; board.js follows it live."""
    return workshop.status == WorkshopStatus.DRAFT or workshop.phase == Phase.WELCOME


def projector_strings() -> dict:
    """The projector controls' texts, in the page's language."""
    return {
        "rotate_seconds": ROTATE_SECONDS,
        "fullscreen": {"enter": _("Plein écran"), "exit": _("Quitter le plein écran")},
        "pages": {
            "page": _("Page {page}/{pages}"),
            "paused": _("en pause"),
            "pause": _("Arrêter le défilement"),
            "resume": _("Reprendre le défilement"),
        },
    }


@bp.get("/<int:workshop_id>")
@login_required
def show(workshop_id: int):
    """Full-screen board: title, join code and URL, one column per contribution kind."""
    workshop = db.get_or_404(Workshop, workshop_id)
    items = [serialize_contribution(c, _) for c in queries.feed(db.session, workshop)]
    columns = {kind.value: [] for kind in ContributionKind}
    for item in reversed(items):  # newest on top
        columns[item["kind"]].append(item)
    config = {
        "namespace": NAMESPACE,
        "reorder_wait_ms": current_app.config["LIVE_CLIENT_REORDER_WAIT_MS"],
        "workshop_id": workshop.id,
        "role": ROLE_BOARD,
        "status": workshop.status.value,
        "phase": workshop.phase.value,
        "projector": projector_strings(),
        "labels": live_labels(),
        "strings": {
            "connected": _("En direct"),
            "offline": _("Connexion perdue, reconnexion en cours…"),
            "refused": _("Connexion refusée :"),
            "author_prefix": _("par"),
            "scribe_prefix": _("saisie par l'animation pour"),
            "scribe_anonymous": _("saisie par l'animation"),
            "paper_entry": _("saisie papier"),
            "status": {"draft": _("En préparation"), "open": _("Ouvert"), "closed": _("Clos")},
        },
        "votes": vote_strings(),
    }
    join_url = url_for("participant.join_code", code=workshop.join_code, _external=True)
    qr_svg = join_qr_svg(join_url, _("QR code du lien de l'atelier : %(url)s", url=join_url))
    return render_template(
        "board/show.html", workshop=workshop, columns=columns, join_url=join_url, config=config,
        qr_svg=qr_svg, join_screen=shows_join_screen(workshop),
    )
