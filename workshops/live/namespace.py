"""The ``/live`` Socket.IO namespace: one room per workshop, phones, boards and consoles.

Each handler validates the payload, calls one service and returns its ack; it runs as one
unit of work (``acks.unit_of_work``: one commit, after which the staged room events are
sent) and anything it raises goes to the one error handler (``acks.on_error``: rollback and
failure ack). The protocol is documented in ``docs/live-protocol.md``.
"""

from __future__ import annotations

from typing import Any

from flask_socketio import Namespace, emit, join_room

from diagnostic.live import facilitation, lifecycle, moderation, queries, supports
from diagnostic.live.serialize import serialize_workshop

from .. import limits
from ..extensions import db, only_reading
from ..i18n import gettext as _
from . import binding, presence, ratelimit, state
from .acks import Refusal, contribution_payload, payload_object, unit_of_work
from .broadcast import broadcaster
from .rooms import author_room, facilitators_room, room_of
from .submission import submit, submitted_ack, withdraw


def _count_connection() -> None:
    """Refuse a connection past ``LIVE_CONNECTIONS_PER_ADDRESS`` (each sends the state)."""
    try:
        limits.consume("LIVE_CONNECTIONS_PER_ADDRESS", limits.client_address())
    except limits.Limited as limited:
        raise Refusal(_("Trop de connexions depuis cette adresse : "
                        "rechargez la page dans quelques minutes."),
                      retry_after=limited.retry_after) from limited


class LiveNamespace(Namespace):
    """Socket.IO handlers of ``/live`` (one ``on_<event>`` method per event)."""

    @unit_of_work
    def on_connect(self, auth: Any = None) -> None:
        """Bind the socket to its workshop and role, then send the state (or a replay)."""
        only_reading()  # nothing is written: no BEGIN/COMMIT round trips on PostgreSQL
        _count_connection()
        workshop, bound, participant = binding.bind(auth)
        # Join first, then read: an event committed meanwhile reaches the client either in
        # the state/replay or live afterwards (clients skip events they already have by seq).
        join_room(room_of(workshop.id))
        if participant is not None:  # their own items the room may not see, and news of them
            join_room(author_room(workshop.id, participant.id))
        if bound["role"] == binding.ROLE_FACILITATOR:
            join_room(facilitators_room(workshop.id))
            emit("console_state", state.console_state(workshop))
        missed = state.missed_events(
            workshop, auth, full=bound["role"] == binding.ROLE_FACILITATOR)
        mine = None
        if missed is None:
            current, mine = state.participant_state(workshop, participant)
            emit("workshop_state", current)
            seq = current["seq"]
        else:
            emit("events_replay", {"events": missed})
            seq = missed[-1]["seq"] if missed else auth["last_seq"]
        # The room's next event in this process, unless it already expects one (reorder.py).
        broadcaster().note_seq(room_of(workshop.id), seq)
        if participant is not None:
            emit("my_votes", state.my_votes(participant))
            emit("my_contributions",
                 mine if mine is not None else state.my_contributions(participant))
        presence.joined(bound)

    def on_disconnect(self, reason: Any = None) -> None:
        """Forget the socket in the workshop's presence figures."""
        presence.left(binding.current())

    @unit_of_work
    def on_sync(self, _payload: Any = None) -> dict[str, Any]:
        """Send this socket the whole ``workshop_state`` again (a client that saw a seq gap)."""
        workshop = binding.bound_workshop()
        ratelimit.spend("sync", ratelimit.socket_client())
        current = state.workshop_state(workshop)
        emit("workshop_state", current)
        if binding.current().get("role") == binding.ROLE_PARTICIPANT:
            emit("my_contributions", state.my_contributions(
                binding.participant(_("Rejoignez d'abord l'atelier avec son code."))))
        return {"ok": True, "seq": current["seq"]}

    # -- Participants ----------------------------------------------------------------

    @unit_of_work
    def on_submit_contribution(self, payload: Any = None) -> dict[str, Any]:
        """Store a contribution of this socket's participant (the workshop is theirs)."""
        participant = binding.participant(
            _("Seul·es les participant·es de l'atelier peuvent contribuer."), for_submit=True)
        contribution, _created = submit(participant, contribution_payload(payload))
        return submitted_ack(contribution)

    @unit_of_work
    def on_withdraw_contribution(self, payload: Any = None) -> dict[str, Any]:
        """Withdraw one of this participant's own items (open workshop); a repeat is
        acknowledged. Every board, phone and console removes it."""
        participant = binding.participant(
            _("Seul·es les participant·es de l'atelier peuvent retirer leurs contributions."))
        data = payload_object(payload, _("Demande illisible."))
        contribution, _changed = withdraw(participant, data.get("id"))
        return {"ok": True, "id": contribution.id, "withdrawn": True}

    @unit_of_work
    def on_support(self, payload: Any = None) -> dict[str, Any]:
        """+1 a contribution during collection; a repeat is acknowledged, stored once."""
        participant, data = self._voter(payload)
        contribution, _changed = supports.support_contribution(db.session, participant,
                                                               data.get("id"))
        return {"ok": True, "id": contribution.id, "supports": self._tallies(contribution)[0],
                "supported": True}

    @unit_of_work
    def on_unsupport(self, payload: Any = None) -> dict[str, Any]:
        """Take a +1 back (acknowledged even if there was none)."""
        participant, data = self._voter(payload)
        contribution, _changed = supports.withdraw_support(db.session, participant,
                                                           data.get("id"))
        return {"ok": True, "id": contribution.id, "supports": self._tallies(contribution)[0],
                "supported": False}

    @unit_of_work
    def on_vote(self, payload: Any = None) -> dict[str, Any]:
        """Set this participant's dots on an item in the vote phase."""
        participant, data = self._voter(payload)
        contribution, dots_left, _changed = supports.set_dots(
            db.session, participant, data.get("id"), data.get("dots"))
        return {"ok": True, "id": contribution.id, "dots": data["dots"], "dots_left": dots_left,
                "total_dots": self._tallies(contribution)[1]}

    @staticmethod
    def _voter(payload: Any):
        """The participant of a support or vote, the payload, and their rate limit."""
        participant = binding.participant(
            _("Seul·es les participant·es de l'atelier peuvent soutenir ou voter."))
        data = payload_object(payload, _("Demande illisible."))
        ratelimit.spend("support", ratelimit.socket_client())
        return participant, data

    @staticmethod
    def _tallies(contribution) -> tuple[int, int]:
        """(supports, dots) of an item, with the items merged into it."""
        return queries.tallies(db.session, [contribution]).get(contribution.id, (0, 0))

    # -- Facilitators: status, phases and settings-----------------------------------------

    @unit_of_work
    def on_open_workshop(self, _payload: Any = None) -> dict[str, Any]:
        """Open the workshop in preparation to participants."""
        workshop, user = binding.facilitator()
        lifecycle.open_workshop(db.session, workshop, user)
        return self._workshop_ack(workshop)

    @unit_of_work
    def on_close_workshop(self, _payload: Any = None) -> dict[str, Any]:
        """Close the open workshop (the console asked for a confirmation first)."""
        workshop, user = binding.facilitator()
        lifecycle.close_workshop(db.session, workshop, user)
        return self._workshop_ack(workshop)

    @unit_of_work
    def on_reopen_workshop(self, _payload: Any = None) -> dict[str, Any]:
        """Open the closed workshop again, in the phase it was closed in."""
        workshop, user = binding.facilitator()
        lifecycle.reopen_workshop(db.session, workshop, user)
        return self._workshop_ack(workshop)

    @unit_of_work
    def on_set_phase(self, payload: Any = None) -> dict[str, Any]:
        """Move the open workshop to a phase (refused in preparation or once closed)."""
        workshop, user, data = self._facilitator(payload)
        lifecycle.set_phase(db.session, workshop, user, data.get("phase"))
        return self._workshop_ack(workshop)

    @unit_of_work
    def on_set_timer(self, payload: Any = None) -> dict[str, Any]:
        """Start (``seconds``) or clear (0 / null) the phase countdown."""
        workshop, user, data = self._facilitator(payload)
        facilitation.set_timer(db.session, workshop, user, data.get("seconds"))
        return self._workshop_ack(workshop)

    @unit_of_work
    def on_set_moderation(self, payload: Any = None) -> dict[str, Any]:
        """Switch between post- and pre-moderation."""
        workshop, user, data = self._facilitator(payload)
        facilitation.set_moderation(db.session, workshop, user, data.get("mode"))
        return self._workshop_ack(workshop)

    @unit_of_work
    def on_set_vote_settings(self, payload: Any = None) -> dict[str, Any]:
        """Set the dot budget and the maximum per item."""
        workshop, user, data = self._facilitator(payload)
        facilitation.set_vote_settings(db.session, workshop, user, data.get("dot_budget"),
                                       data.get("dot_max_per_item"))
        return self._workshop_ack(workshop)

    # -- Facilitators: moderation --------------------------------------------------------

    @unit_of_work
    def on_approve(self, payload: Any = None) -> dict[str, Any]:
        """Publish a pending item: the room receives it as new."""
        workshop, user, data = self._facilitator(payload)
        return self._item_ack(moderation.approve(db.session, workshop, user, data.get("id")))

    @unit_of_work
    def on_reject(self, payload: Any = None) -> dict[str, Any]:
        """Refuse a pending item, with an optional ``reason`` its author is told (the room
        never saw it)."""
        workshop, user, data = self._facilitator(payload)
        return self._item_ack(moderation.reject(db.session, workshop, user, data.get("id"),
                                                data.get("reason")))

    @unit_of_work
    def on_hide(self, payload: Any = None) -> dict[str, Any]:
        """Hide a published item: clients remove it."""
        workshop, user, data = self._facilitator(payload)
        return self._item_ack(moderation.hide(db.session, workshop, user, data.get("id")))

    @unit_of_work
    def on_restore(self, payload: Any = None) -> dict[str, Any]:
        """Publish a hidden item again."""
        workshop, user, data = self._facilitator(payload)
        return self._item_ack(moderation.restore(db.session, workshop, user, data.get("id")))

    @unit_of_work
    def on_edit(self, payload: Any = None) -> dict[str, Any]:
        """Reformulate an item's fields."""
        workshop, user, data = self._facilitator(payload)
        return self._item_ack(moderation.edit(db.session, workshop, user, data.get("id"),
                                              data.get("fields")))

    @unit_of_work
    def on_split(self, payload: Any = None) -> dict[str, Any]:
        """Cut an item in two: the original is updated, the new part is added."""
        workshop, user, data = self._facilitator(payload)
        item, part = moderation.split(db.session, workshop, user, data.get("id"),
                                      data.get("parts"))
        return {"ok": True, "item": state.item(item), "new_item": state.item(part)}

    @unit_of_work
    def on_merge(self, payload: Any = None) -> dict[str, Any]:
        """Merge ``source_id`` into ``target_id``: the source leaves the columns."""
        workshop, user, data = self._facilitator(payload)
        source, target = moderation.merge(db.session, workshop, user, data.get("source_id"),
                                          data.get("target_id"))
        return {"ok": True, "item": state.item(source), "target": state.item(target)}

    @unit_of_work
    def on_unmerge(self, payload: Any = None) -> dict[str, Any]:
        """Undo a merge: the source comes back on its own."""
        workshop, user, data = self._facilitator(payload)
        source, target = moderation.unmerge(db.session, workshop, user, data.get("id"))
        return {"ok": True, "item": state.item(source), "target": state.item(target)}

    @unit_of_work
    def on_scribe_contribution(self, payload: Any = None) -> dict[str, Any]:
        """Enter a contribution for someone without a device (published, labelled)."""
        workshop, user, data = self._facilitator(payload)
        item, _created = moderation.scribe_contribution(db.session, workshop, user,
                                                        contribution_payload(data))
        return {"ok": True, "id": item.id, "client_id": item.client_id, "item": state.item(item)}

    @staticmethod
    def _facilitator(payload: Any):
        """The workshop and account of a facilitator socket, and the payload object."""
        workshop, user = binding.facilitator()
        return workshop, user, payload_object(payload, _("Demande illisible."))

    @staticmethod
    def _workshop_ack(workshop) -> dict[str, Any]:
        return {"ok": True, "workshop": serialize_workshop(workshop, _)}

    @staticmethod
    def _item_ack(contribution) -> dict[str, Any]:
        return {"ok": True, "item": state.item(contribution)}
