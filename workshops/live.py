"""The live Socket.IO namespace ``/live``: one room per workshop, phones and boards.

Handlers validate, call one service, emit. The protocol (events, payloads,
acknowledgements, errors) is documented in ``docs/live-protocol.md``.

A socket is bound at connect time to one workshop and one role, kept in the socket's own
copy of the Flask session (Flask-SocketIO ``manage_session``): a participant is the holder
of the token that ``/j/<code>`` stored in the session cookie for that workshop; a board is
any logged-in staff member or facilitator. Nothing in a later payload can change that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NoReturn

from flask import Flask, current_app, session
from flask_login import current_user
from flask_socketio import Namespace, emit, join_room

from diagnostic import events, live_queries, services
from diagnostic.errors import DomainError
from diagnostic.models import Contribution, ContributionStatus, Participant, Workshop
from diagnostic.serialize import serialize_contribution, serialize_workshop

from . import live_votes, presence, ratelimit, transport
from .broadcast import broadcaster
from .broadcast import init_app as init_broadcaster
from .extensions import db, socketio
from .i18n import error_message, field_errors
from .i18n import gettext as _
from .live_facilitator import ROLE_FACILITATOR, FacilitatorEvents, announce_new
from .ratelimit import rate_limited

NAMESPACE = "/live"
BINDING_KEY = "live_binding"
ROLE_PARTICIPANT = "participant"
ROLE_BOARD = "board"


def room_of(workshop_id: int) -> str:
    """The Socket.IO room every client of a workshop joins."""
    return f"workshop:{workshop_id}"


def participant_token(workshop_id: int) -> str | None:
    """The participant token this browser's session holds for a workshop, if any."""
    tokens = session.get("participants")
    return tokens.get(str(workshop_id)) if isinstance(tokens, dict) else None


def workshop_state(workshop: Workshop) -> dict[str, Any]:
    """Everything a client needs to (re)draw a workshop: info, counts, published items.

    ``seq`` is the number of the last event the state includes; the client applies only
    later events.
    """
    db.session.refresh(workshop)
    seq = workshop.last_seq
    items = serialize_items(live_queries.feed(db.session, workshop))
    counts = services.count_contributions(db.session, workshop)
    return {
        "seq": seq,
        "workshop": serialize_workshop(workshop, _),
        "counts": {kind.value: n for kind, n in counts.items()},
        "contributions": items,
    }


def broadcast(workshop: Workshop, name: str, payload: dict[str, Any]) -> int:
    """Number, record and send a state change to every client of the workshop's room.

    Every room broadcast goes through here (socket handlers and HTTP routes alike), so
    each carries the workshop's next ``seq`` and can be replayed to a client that missed
    it (see ``diagnostic.events``). Returns the sequence number.
    """
    staged = stage(workshop, name, payload)
    db.session.commit()
    send(staged)
    return staged.seq


@dataclass(frozen=True)
class StagedEvent:
    """A numbered event recorded in the current transaction, to send once it commits."""

    workshop_id: int
    name: str
    seq: int
    payload: dict[str, Any]


def stage(workshop: Workshop, name: str, payload: dict[str, Any]) -> StagedEvent:
    """Record a room event in the current transaction (the caller commits, then sends)."""
    seq = events.record_event(db.session, workshop, name, payload)
    return StagedEvent(workshop.id, name, seq, {**payload, "seq": seq})


def send(staged: StagedEvent) -> None:
    """Emit a committed event to its workshop's room."""
    broadcaster().send(room_of(staged.workshop_id), staged.name, staged.seq, staged.payload)


def serialize_items(contributions: list[Contribution]) -> list[dict[str, Any]]:
    """Contributions as clients show them, with their current supports and dots."""
    counts = live_queries.tallies(db.session, contributions)
    return [serialize_contribution(c, _, *counts.get(c.id, (0, 0))) for c in contributions]


def broadcast_contribution_added(contribution: Contribution) -> None:
    """Send a new contribution to every client of its workshop (socket or HTTP origin)."""
    broadcast(contribution.workshop, "contribution_added", serialize_items([contribution])[0])


def broadcast_contribution_updated(contribution: Contribution) -> None:
    """Send the current state of a changed contribution (edited, hidden, merged, tallied).

    Clients replace the item with the same id; one that is no longer published, or is
    merged into another (``merged_into_id``), leaves the columns.
    """
    broadcast(contribution.workshop, "contribution_updated", serialize_items([contribution])[0])


def _refuse(message: str) -> NoReturn:
    """Refuse a connection; the client gets ``connect_error`` with this message."""
    raise ConnectionRefusedError(message)


def _failure(message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    """A refusal acknowledgement: nothing was stored."""
    return {"ok": False, "error": message, "fields": fields or {}}


def _payload_size(payload: Any) -> int | None:
    """The payload's size as compact UTF-8 JSON, or None when it is not JSON at all."""
    try:
        return len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    except (TypeError, ValueError):
        return None


class LiveNamespace(FacilitatorEvents, Namespace):
    """Socket.IO handlers of ``/live`` (one ``on_<event>`` method per event)."""

    def on_connect(self, auth: Any = None) -> None:
        """Bind the socket to its workshop as a participant or a board, then send the state."""
        try:
            workshop, binding, participant = self._authenticate(auth)
        except ConnectionRefusedError:
            raise
        except Exception:  # never let a bug turn into a half-open socket
            current_app.logger.exception("live connect failed")
            db.session.rollback()
            _refuse(_("Erreur inattendue, réessayez."))
        session[BINDING_KEY] = binding
        # Join first, then read: an event committed meanwhile reaches the client either in
        # the state/replay or live afterwards (clients skip events they already have by seq).
        join_room(room_of(workshop.id))
        if binding["role"] == ROLE_FACILITATOR:
            self._join_console(workshop)
        missed = self._missed_events(workshop, auth)
        if missed is None:
            emit("workshop_state", workshop_state(workshop))
        else:
            emit("events_replay", {"events": missed})
        live_votes.send_my_votes(binding, participant)
        presence.joined(binding)

    def on_disconnect(self, reason: Any = None) -> None:
        """Forget the socket in the workshop's presence figures."""
        try:
            presence.left(session.get(BINDING_KEY) or {})
        except Exception:  # presence must never break a disconnect
            current_app.logger.exception("live presence update failed")

    @staticmethod
    def _missed_events(workshop: Workshop, auth: Any) -> list[dict[str, Any]] | None:
        """The events after the client's ``last_seq``, or None to send the whole state."""
        last_seq = auth.get("last_seq") if isinstance(auth, dict) else None
        if not isinstance(last_seq, int) or isinstance(last_seq, bool):
            return None
        replay = events.events_since(db.session, workshop, last_seq)
        if replay is None:
            return None
        return [{"name": e.name, "seq": e.seq, "payload": {**e.payload, "seq": e.seq}}
                for e in replay]

    def _authenticate(self, auth: Any) -> tuple[Workshop, dict[str, Any], Participant | None]:
        """The workshop, binding (and participant) of this connection, or a refusal."""
        workshop_id = auth.get("workshop_id") if isinstance(auth, dict) else None
        if not isinstance(workshop_id, int) or isinstance(workshop_id, bool):
            _refuse(_("Indiquez l'atelier à rejoindre."))
        if auth.get("role") not in (ROLE_FACILITATOR, ROLE_BOARD):
            # A phone: its participant and workshop in one query (every join runs this).
            participant = services.participant_by_token(
                db.session, participant_token(workshop_id), with_workshop=True)
            if participant is not None and participant.workshop_id == workshop_id:
                binding = {
                    "role": ROLE_PARTICIPANT,
                    "workshop_id": workshop_id,
                    "participant_id": participant.id,
                }
                return participant.workshop, binding, participant
        workshop = db.session.get(Workshop, workshop_id)
        if workshop is None:
            _refuse(_("Atelier introuvable."))
        if auth.get("role") == ROLE_FACILITATOR:
            return workshop, self._facilitator_binding(workshop), None
        if auth.get("role") == ROLE_BOARD:
            if not current_user.is_authenticated:
                _refuse(_("Connectez-vous pour afficher le tableau de l'atelier."))
            return workshop, {"role": ROLE_BOARD, "workshop_id": workshop.id}, None
        _refuse(_("Rejoignez d'abord l'atelier avec son code."))

    def on_sync(self, _payload: Any = None) -> dict[str, Any]:
        """Send this socket the whole ``workshop_state`` again (a client that saw a seq gap)."""
        try:
            binding = session.get(BINDING_KEY) or {}
            workshop = db.session.get(Workshop, binding.get("workshop_id") or 0)
            if workshop is None:
                return _failure(_("Rejoignez d'abord l'atelier avec son code."))
            refused = rate_limited("sync")
            if refused:
                return refused
            state = workshop_state(workshop)
            emit("workshop_state", state)
            return {"ok": True, "seq": state["seq"]}
        except Exception:
            current_app.logger.exception("live sync failed")
            db.session.rollback()
            return {**_failure(_("Erreur inattendue, réessayez.")), "retry_after": 5}

    def on_support(self, payload: Any = None) -> dict[str, Any]:
        """+1 a contribution during collection (see ``live_votes``); returns the ack."""
        return live_votes.handle(live_votes.support, payload, "support")

    def on_unsupport(self, payload: Any = None) -> dict[str, Any]:
        """Take a +1 back; returns the ack."""
        return live_votes.handle(live_votes.unsupport, payload, "unsupport")

    def on_vote(self, payload: Any = None) -> dict[str, Any]:
        """Set this participant's dots on an item in the vote phase; returns the ack."""
        return live_votes.handle(live_votes.vote, payload, "vote")

    def on_submit_contribution(self, payload: Any = None) -> dict[str, Any]:
        """Store a contribution of this socket's participant; the return value is the ack."""
        try:
            return self._submit(payload)
        except DomainError as error:
            db.session.rollback()
            return _failure(error_message(error), field_errors(error))
        except Exception:
            current_app.logger.exception("live submit_contribution failed")
            db.session.rollback()
            # Not stored: the outbox resends the same client_id later.
            return {**_failure(_("Erreur inattendue, réessayez.")), "retry_after": 5}

    def _submit(self, payload: Any) -> dict[str, Any]:
        """Check the socket and the payload, call the service, broadcast a new row."""
        binding = session.get(BINDING_KEY) or {}
        if binding.get("role") != ROLE_PARTICIPANT:
            return _failure(_("Seul·es les participant·es de l'atelier peuvent contribuer."))
        if not isinstance(payload, dict):
            return _failure(_("Contribution illisible."))
        size = _payload_size(payload)
        limit = current_app.config["LIVE_MAX_PAYLOAD_BYTES"]
        if size is None:
            return _failure(_("Contribution illisible."))
        if size > limit:
            return _failure(_("Contribution trop volumineuse (%(limit)s octets au plus).",
                              limit=limit))
        participant = live_queries.participant_for_submit(db.session, binding["participant_id"])
        if participant is None or participant.workshop_id != binding["workshop_id"]:
            return _failure(_("Rejoignez d'abord l'atelier avec son code."))
        refused = rate_limited("submit")
        if refused and not live_queries.has_client_id(db.session, participant.id,
                                                      payload.get("client_id")):
            return refused
        # The workshop comes from the participant, never from the payload. A published item
        # and its numbered event are committed together: stored means announced.
        staged: list[StagedEvent] = []
        ack: dict[str, Any] = {"ok": True}

        def stage_added(new: Contribution) -> None:
            # Read before the commit expires the row (no reload to build the ack).
            ack.update(id=new.id, client_id=new.client_id)
            if new.status == ContributionStatus.PENDING:
                ack["pending"] = True  # held until a facilitator approves it
            if new.is_published:  # a new item has no supports, dots nor merged sources yet
                staged.append(stage(new.workshop, "contribution_added",
                                    serialize_contribution(new, _)))

        contribution, created = services.submit_contribution(
            db.session, participant, payload, before_commit=stage_added
        )
        if created and staged:
            send(staged[0])
        elif created:
            announce_new(contribution)  # a pending item goes to the facilitators only
        else:
            if not refused:
                ratelimit.give_back("submit")  # a resend costs the sender nothing
            ack = {"ok": True, "id": contribution.id, "client_id": contribution.client_id}
            if contribution.status == ContributionStatus.PENDING:
                ack["pending"] = True
        return ack


def init_app(app: Flask) -> None:
    """Install Flask-SocketIO and its transport, the ``/live`` namespace and its rate limits."""
    ratelimit.init_app(app)
    caster = init_broadcaster(app, NAMESPACE)
    limit = app.config["LIVE_MAX_PAYLOAD_BYTES"]
    transport.install(  # with a Redis queue, the broadcaster batches per process
        app, socketio, broadcaster=caster,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        # Far larger than the contribution limit, so an oversized contribution reaches the
        # handler and gets a clear refusal instead of a dropped connection; only messages
        # past 1 MB (never sent by our client) cost the sender its connection.
        max_http_buffer_size=max(1_000_000, 2 * limit + 4096),
    )
    socketio.on_namespace(LiveNamespace(NAMESPACE))


def broadcast_workshop_status(workshop: Workshop) -> None:
    """Tell every client in the workshop's room that its status changed (open/closed)."""
    broadcast(
        workshop, "workshop_status", {"workshop_id": workshop.id, "status": workshop.status.value}
    )
