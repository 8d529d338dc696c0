"""Who a ``/live`` socket is: bound at connect time to one workshop and one role.

The binding is kept in the socket's own copy of the Flask session (Flask-SocketIO
``manage_session``): a participant is the holder of the token that ``/j/<code>`` stored in
the session cookie for that workshop; a board is any logged-in staff member or facilitator;
a facilitator console is an account that may run the workshop (checked again at every
event). Nothing in a later payload can change it.
"""

from __future__ import annotations

from typing import Any

from flask import session
from flask_login import current_user

from diagnostic.live import queries
from diagnostic.live.participation import participant_by_token
from diagnostic.models import Participant, User, Workshop

from ..extensions import db
from ..i18n import gettext as _
from .acks import Refusal

BINDING_KEY = "live_binding"
ROLE_PARTICIPANT = "participant"
ROLE_BOARD = "board"
ROLE_FACILITATOR = "facilitator"
PARTICIPANTS_KEY = "participants"  # session: workshop id -> participant token


def participant_token(workshop_id: int) -> str | None:
    """The participant token this browser's session holds for a workshop, if any."""
    tokens = session.get(PARTICIPANTS_KEY)
    return tokens.get(str(workshop_id)) if isinstance(tokens, dict) else None


def current() -> dict[str, Any]:
    """This socket's binding (empty before connect)."""
    return session.get(BINDING_KEY) or {}


def bind(auth: Any) -> tuple[Workshop, dict[str, Any], Participant | None]:
    """Authenticate a connecting socket: its workshop, binding and participant, or a refusal."""
    workshop_id = auth.get("workshop_id") if isinstance(auth, dict) else None
    if not isinstance(workshop_id, int) or isinstance(workshop_id, bool):
        raise Refusal(_("Indiquez l'atelier à rejoindre."))
    role = auth.get("role")
    if role not in (ROLE_FACILITATOR, ROLE_BOARD):
        # A phone: its participant and workshop in one query (every join runs this).
        participant = participant_by_token(
            db.session, participant_token(workshop_id), with_workshop=True)
        if participant is not None and participant.workshop_id == workshop_id:
            binding = {"role": ROLE_PARTICIPANT, "workshop_id": workshop_id,
                       "participant_id": participant.id}
            session[BINDING_KEY] = binding
            return participant.workshop, binding, participant
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        raise Refusal(_("Atelier introuvable."))
    if role == ROLE_FACILITATOR:
        if not current_user.is_authenticated:
            raise Refusal(_("Connectez-vous pour animer l'atelier."))
        if not workshop.can_facilitate(current_user):
            raise Refusal(_("Vous n'animez pas cet atelier."))
        binding = {"role": ROLE_FACILITATOR, "workshop_id": workshop.id,
                   "user_id": current_user.id}
    elif role == ROLE_BOARD:
        if not current_user.is_authenticated:
            raise Refusal(_("Connectez-vous pour afficher le tableau de l'atelier."))
        binding = {"role": ROLE_BOARD, "workshop_id": workshop.id}
    else:
        raise Refusal(_("Rejoignez d'abord l'atelier avec son code."))
    session[BINDING_KEY] = binding
    return workshop, binding, None


def bound_workshop() -> Workshop:
    """The workshop this socket is bound to, whatever its role."""
    workshop = db.session.get(Workshop, current().get("workshop_id") or 0)
    if workshop is None:
        raise Refusal(_("Rejoignez d'abord l'atelier avec son code."))
    return workshop


def participant(message: str, *, for_submit: bool = False) -> Participant:
    """This socket's participant (``for_submit``: with its workshop and diagnostic loaded),
    or a refusal with ``message`` for a board or console socket."""
    binding = current()
    if binding.get("role") != ROLE_PARTICIPANT:
        raise Refusal(message)
    found = (queries.participant_for_submit(db.session, binding["participant_id"]) if for_submit
             else db.session.get(Participant, binding["participant_id"]))
    # Erased (right to erasure): a socket connected before loses access like the phone.
    if found is None or found.workshop_id != binding["workshop_id"] or found.is_erased:
        raise Refusal(_("Rejoignez d'abord l'atelier avec son code."))
    return found


def facilitator() -> tuple[Workshop, User]:
    """The workshop and account of a facilitator socket whose account may still run it."""
    binding = current()
    workshop = db.session.get(Workshop, binding.get("workshop_id") or 0)
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if (binding.get("role") != ROLE_FACILITATOR or workshop is None or user is None
            or user.id != binding.get("user_id") or not workshop.can_facilitate(user)):
        raise Refusal(_("Seule l'animation de l'atelier peut faire cela."))
    return workshop, user
