"""Bodies of the ``support``, ``unsupport`` and ``vote`` handlers of the live namespace.

``workshops.live.LiveNamespace`` keeps the ``on_<event>`` methods (one line each) and calls
:func:`handle` here; the rules are in :mod:`diagnostic.supports`. Each handler checks the
socket is a participant's, reads the payload, calls one service, broadcasts the item's new
tallies with ``broadcast_contribution_updated`` and returns the acknowledgement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, session
from flask_socketio import emit

from diagnostic import live_queries, supports
from diagnostic.errors import DomainError
from diagnostic.models import Participant

from . import live
from .extensions import db
from .i18n import error_message, field_errors
from .i18n import gettext as _
from .ratelimit import rate_limited

Action = Callable[[Participant, dict[str, Any]], dict[str, Any]]


def _failure(message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    """A refusal acknowledgement: nothing was changed."""
    return {"ok": False, "error": message, "fields": fields or {}}


def _participant() -> Participant | None:
    """The participant bound to this socket, or None for a board or facilitator socket."""
    binding = session.get(live.BINDING_KEY) or {}
    if binding.get("role") != live.ROLE_PARTICIPANT:
        return None
    participant = db.session.get(Participant, binding["participant_id"])
    if participant is None or participant.workshop_id != binding["workshop_id"]:
        return None
    return participant


def handle(action: Action, payload: Any, event: str) -> dict[str, Any]:
    """Run ``action`` for this socket's participant; never lets an exception out."""
    try:
        participant = _participant()
        if participant is None:
            return _failure(_("Seul·es les participant·es de l'atelier peuvent soutenir ou voter."))
        if not isinstance(payload, dict):
            return _failure(_("Demande illisible."))
        refused = rate_limited("support")
        if refused:
            return refused
        return action(participant, payload)
    except DomainError as error:
        db.session.rollback()
        return _failure(error_message(error), field_errors(error))
    except Exception:
        current_app.logger.exception("live %s failed", event)
        db.session.rollback()
        return _failure(_("Erreur inattendue, réessayez."))


def _tallies(contribution) -> tuple[int, int]:
    """(supports, dots) of a contribution, with the items merged into it."""
    return live_queries.tallies(db.session, [contribution]).get(contribution.id, (0, 0))


def support(participant: Participant, payload: dict[str, Any]) -> dict[str, Any]:
    """+1 the item ``payload["id"]`` once; a repeat is acknowledged, stored once."""
    contribution, created = supports.support_contribution(db.session, participant,
                                                          payload.get("id"))
    if created:
        live.broadcast_contribution_updated(contribution)
    return {"ok": True, "id": contribution.id, "supports": _tallies(contribution)[0],
            "supported": True}


def unsupport(participant: Participant, payload: dict[str, Any]) -> dict[str, Any]:
    """Take back the +1 on ``payload["id"]`` (acknowledged even if there was none)."""
    contribution, removed = supports.withdraw_support(db.session, participant,
                                                      payload.get("id"))
    if removed:
        live.broadcast_contribution_updated(contribution)
    return {"ok": True, "id": contribution.id, "supports": _tallies(contribution)[0],
            "supported": False}


def vote(participant: Participant, payload: dict[str, Any]) -> dict[str, Any]:
    """Set the participant's dots on ``payload["id"]`` to ``payload["dots"]``."""
    contribution, dots_left, changed = supports.set_dots(
        db.session, participant, payload.get("id"), payload.get("dots")
    )
    if changed:
        live.broadcast_contribution_updated(contribution)
    return {"ok": True, "id": contribution.id, "dots": payload["dots"], "dots_left": dots_left,
            "total_dots": _tallies(contribution)[1]}


def send_my_votes(binding: dict[str, Any], participant: Participant | None = None) -> None:
    """Send a participant's socket its +1s, dots and dots left (``my_votes``)."""
    if binding.get("role") != live.ROLE_PARTICIPANT:
        return
    if participant is None:
        participant = db.session.get(Participant, binding["participant_id"])
    if participant is not None:
        emit("my_votes", supports.participant_votes(db.session, participant))


def vote_strings() -> dict[str, str]:
    """Messages of ``static/js/votes.js`` (phones and board), translated by the server."""
    return {
        "support": _("+1"),
        "support_label": _("Soutenir cette contribution"),
        "supported_label": _("Vous soutenez cette contribution (appuyez pour retirer)"),
        "own": _("Votre contribution"),
        "supports": _("soutiens"),
        "dots_one": _("1 point"),
        "dots_other": _("{n} points"),
        "my_dots": _("Vos points"),
        "add_dot": _("Ajouter un point à cette contribution"),
        "remove_dot": _("Retirer un point de cette contribution"),
        "dots_left": _(
            "Il vous reste {left} point(s) sur {budget} (au plus {max} par contribution)."
        ),
        "vote_intro": _("Vote par points : répartissez vos points sur les contributions."),
        "timeout": _("Le serveur ne répond pas. Vérifiez la connexion et réessayez."),
        "ranking": _("Classement du vote"),
    }
