"""Facilitator events of the ``/live`` namespace: phases, timer, settings and moderation.

:class:`FacilitatorEvents` is mixed into ``_live().LiveNamespace`` (kept apart so the
namespace module stays readable). A facilitator socket connects with
``{"workshop_id", "role": "facilitator"}``; every event re-checks, server-side, that the
socket is bound as a facilitator *and* that its logged-in account may still run the
workshop. Each handler validates, calls one service of ``diagnostic.facilitation`` or
``diagnostic.moderation``, then broadcasts through ``_live().broadcast``. Protocol:
``docs/live-protocol.md`` (section "Facilitator events").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, session
from flask_login import current_user
from flask_socketio import emit, join_room

from diagnostic import audit_queries, facilitation, moderation
from diagnostic.errors import DomainError
from diagnostic.models import Contribution, Phase, User, Workshop
from diagnostic.serialize import serialize_workshop

from .extensions import db, socketio
from .i18n import error_message, field_errors
from .i18n import gettext as _

ROLE_FACILITATOR = "facilitator"
Action = Callable[[Workshop, User, dict[str, Any]], dict[str, Any]]


def _live():
    """The namespace module, imported late: it mixes :class:`FacilitatorEvents` in."""
    from . import live

    return live


def facilitators_room(workshop_id: int) -> str:
    """The room of a workshop's facilitator consoles (pending items, console-only news)."""
    return f"workshop:{workshop_id}:facilitators"


def console_state(workshop: Workshop) -> dict[str, Any]:
    """What the console draws: the workshop and every item, whatever its status."""
    items = _live().serialize_items(audit_queries.console_contributions(db.session, workshop))
    # No ``seq``: clients apply a numbered event only once, and this one is per socket.
    return {"workshop": serialize_workshop(workshop, _), "contributions": items}


def tell_facilitators(workshop: Workshop, name: str, payload: dict[str, Any]) -> None:
    """Send an event to the workshop's consoles only (not recorded: consoles get
    ``console_state`` again when they reconnect)."""
    socketio.emit(name, payload, to=facilitators_room(workshop.id), namespace=_live().NAMESPACE)


def announce_new(contribution: Contribution) -> None:
    """A new item: to the whole room when published, else to the consoles as pending."""
    if contribution.is_published:
        _live().broadcast_contribution_added(contribution)
    else:
        tell_facilitators(contribution.workshop, "contribution_pending",
                          _live().serialize_items([contribution])[0])


def announce_update(contribution: Contribution, was_public: bool = True) -> None:
    """A changed item: to the room if the room knew it or may see it now, else consoles."""
    if was_public or contribution.is_published:
        _live().broadcast_contribution_updated(contribution)
    else:
        tell_facilitators(contribution.workshop, "contribution_updated",
                          _live().serialize_items([contribution])[0])


def _workshop_updated(workshop: Workshop) -> None:
    """Tell the room the workshop's phase, timer or settings changed."""
    _live().broadcast(workshop, "workshop_updated", serialize_workshop(workshop, _))


def _item(contribution: Contribution) -> dict[str, Any]:
    """A contribution as the console shows it."""
    return _live().serialize_items([contribution])[0]


class FacilitatorEvents:
    """``on_<event>`` handlers of the facilitator console (mixed into LiveNamespace)."""

    @staticmethod
    def _facilitator_binding(workshop: Workshop) -> dict[str, Any]:
        """The binding of a facilitator socket, or ConnectionRefusedError."""
        if not current_user.is_authenticated:
            raise ConnectionRefusedError(_("Connectez-vous pour animer l'atelier."))
        if not workshop.can_facilitate(current_user):
            raise ConnectionRefusedError(_("Vous n'animez pas cet atelier."))
        return {"role": ROLE_FACILITATOR, "workshop_id": workshop.id,
                "user_id": current_user.id}

    @staticmethod
    def _join_console(workshop: Workshop) -> None:
        """Join the consoles' room and send the console's own state."""
        join_room(facilitators_room(workshop.id))
        emit("console_state", console_state(workshop))

    def _run(self, payload: Any, action: Action) -> dict[str, Any]:
        """Authorise the socket, check the payload is an object, run ``action``: the ack."""
        try:
            binding = session.get(_live().BINDING_KEY) or {}
            workshop = db.session.get(Workshop, binding.get("workshop_id") or 0)
            user = current_user._get_current_object() if current_user.is_authenticated else None
            if (binding.get("role") != ROLE_FACILITATOR or workshop is None or user is None
                    or user.id != binding.get("user_id") or not workshop.can_facilitate(user)):
                return _live()._failure(_("Seule l'animation de l'atelier peut faire cela."))
            if not isinstance(payload, dict):
                return _live()._failure(_("Demande illisible."))
            return action(workshop, user, payload)
        except DomainError as error:
            db.session.rollback()
            return _live()._failure(error_message(error), field_errors(error))
        except Exception:  # never let a bug kill the socket
            current_app.logger.exception("live facilitator event failed")
            db.session.rollback()
            return _live()._failure(_("Erreur inattendue, réessayez."))

    # -- Phases and settings ---------------------------------------------------------

    def on_set_phase(self, payload: Any = None) -> dict[str, Any]:
        """Move to a phase; ``closed`` also closes the workshop."""
        def action(workshop, user, data):
            was_open = workshop.is_open
            facilitation.set_phase(db.session, workshop, user, data.get("phase"))
            _workshop_updated(workshop)
            if workshop.phase == Phase.CLOSED and was_open:
                _live().broadcast_workshop_status(workshop)
            return {"ok": True, "workshop": serialize_workshop(workshop, _)}
        return self._run(payload, action)

    def on_set_timer(self, payload: Any = None) -> dict[str, Any]:
        """Start (``seconds``) or clear (0 / null) the phase countdown."""
        def action(workshop, user, data):
            facilitation.set_timer(db.session, workshop, user, data.get("seconds"))
            _workshop_updated(workshop)
            return {"ok": True, "workshop": serialize_workshop(workshop, _)}
        return self._run(payload, action)

    def on_set_moderation(self, payload: Any = None) -> dict[str, Any]:
        """Switch between post- and pre-moderation."""
        def action(workshop, user, data):
            facilitation.set_moderation(db.session, workshop, user, data.get("mode"))
            _workshop_updated(workshop)
            return {"ok": True, "workshop": serialize_workshop(workshop, _)}
        return self._run(payload, action)

    def on_set_vote_settings(self, payload: Any = None) -> dict[str, Any]:
        """Set the dot budget and the maximum per item."""
        def action(workshop, user, data):
            facilitation.set_vote_settings(db.session, workshop, user, data.get("dot_budget"),
                                           data.get("dot_max_per_item"))
            _workshop_updated(workshop)
            return {"ok": True, "workshop": serialize_workshop(workshop, _)}
        return self._run(payload, action)

    # -- Moderation --------------------------------------------------------------------

    def on_approve(self, payload: Any = None) -> dict[str, Any]:
        """Publish a pending item: the room receives it as new."""
        def action(workshop, user, data):
            item = moderation.approve(db.session, workshop, user, data.get("id"))
            _live().broadcast_contribution_added(item)
            return {"ok": True, "item": _item(item)}
        return self._run(payload, action)

    def on_reject(self, payload: Any = None) -> dict[str, Any]:
        """Refuse a pending item (the room never saw it)."""
        def action(workshop, user, data):
            item = moderation.reject(db.session, workshop, user, data.get("id"))
            announce_update(item, was_public=False)
            return {"ok": True, "item": _item(item)}
        return self._run(payload, action)

    def on_hide(self, payload: Any = None) -> dict[str, Any]:
        """Hide a published item: clients remove it."""
        def action(workshop, user, data):
            item = moderation.hide(db.session, workshop, user, data.get("id"))
            announce_update(item)
            return {"ok": True, "item": _item(item)}
        return self._run(payload, action)

    def on_restore(self, payload: Any = None) -> dict[str, Any]:
        """Publish a hidden item again."""
        def action(workshop, user, data):
            item = moderation.restore(db.session, workshop, user, data.get("id"))
            announce_update(item)
            return {"ok": True, "item": _item(item)}
        return self._run(payload, action)

    def on_edit(self, payload: Any = None) -> dict[str, Any]:
        """Reformulate an item's fields."""
        def action(workshop, user, data):
            item = moderation.edit(db.session, workshop, user, data.get("id"), data.get("fields"))
            announce_update(item, was_public=item.is_published)
            return {"ok": True, "item": _item(item)}
        return self._run(payload, action)

    def on_split(self, payload: Any = None) -> dict[str, Any]:
        """Cut an item in two: the original is updated, the new part is added."""
        def action(workshop, user, data):
            item, part = moderation.split(db.session, workshop, user, data.get("id"),
                                          data.get("parts"))
            announce_update(item, was_public=item.is_published)
            announce_new(part)
            return {"ok": True, "item": _item(item), "new_item": _item(part)}
        return self._run(payload, action)

    def on_merge(self, payload: Any = None) -> dict[str, Any]:
        """Merge ``source_id`` into ``target_id``: the source leaves the columns."""
        def action(workshop, user, data):
            source, target = moderation.merge(db.session, workshop, user,
                                              data.get("source_id"), data.get("target_id"))
            announce_update(source, was_public=source.is_published)
            announce_update(target)
            return {"ok": True, "item": _item(source), "target": _item(target)}
        return self._run(payload, action)

    def on_unmerge(self, payload: Any = None) -> dict[str, Any]:
        """Undo a merge: the source comes back on its own."""
        def action(workshop, user, data):
            source, target = moderation.unmerge(db.session, workshop, user, data.get("id"))
            announce_update(source, was_public=source.is_published)
            announce_update(target, was_public=target.is_published)
            return {"ok": True, "item": _item(source), "target": _item(target)}
        return self._run(payload, action)

    def on_scribe_contribution(self, payload: Any = None) -> dict[str, Any]:
        """Enter a contribution for someone without a device (published, labelled)."""
        def action(workshop, user, data):
            size = _live()._payload_size(data)
            limit = current_app.config["LIVE_MAX_PAYLOAD_BYTES"]
            if size is None or size > limit:
                message = _("Contribution trop volumineuse (%(limit)s octets au plus).",
                            limit=limit)
                return _live()._failure(message)
            item, created = moderation.scribe_contribution(db.session, workshop, user, data)
            if created:
                announce_new(item)
            return {"ok": True, "id": item.id, "client_id": item.client_id, "item": _item(item)}
        return self._run(payload, action)
