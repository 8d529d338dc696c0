"""The rooms of the ``/live`` namespace, and the after-commit hook that sends to them.

Domain services stage the messages a change causes on the database session
(``diagnostic.live.events``). Whatever the edge — an HTTP request, a socket event, a CLI
command — its one commit first numbers and records the room events
(``events.number_staged``, a before-commit hook: the workshop counter is the last row the
transaction locks), then fires :func:`_send_staged`, which sends them: numbered room events
through the app's broadcaster (``broadcast.py``), console notices to the facilitators' room.
A CLI command or script without an app context records its events all the same (a
reconnection or sync brings them to clients); it only sends nothing.
A rollback, or a transaction that ends without committing, discards them: what is sent has
been stored, and what was not stored is never sent.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from diagnostic.live.events import LiveMessage, discard_staged, number_staged, take_staged

from ..extensions import db, socketio
from .broadcast import broadcaster

NAMESPACE = "/live"


def room_of(workshop_id: int) -> str:
    """The Socket.IO room every client of a workshop joins."""
    return f"workshop:{workshop_id}"


def workshop_of(room: str) -> int | None:
    """The workshop whose room :func:`room_of` names ``room``, else None."""
    prefix, _, number = room.partition(":")
    return int(number) if prefix == "workshop" and number.isdigit() else None


def facilitators_room(workshop_id: int) -> str:
    """The room of a workshop's facilitator consoles (pending items, console-only news)."""
    return f"workshop:{workshop_id}:facilitators"


def author_room(workshop_id: int, participant_id: int) -> str:
    """The room of one participant's own sockets (their items the room may not see)."""
    return f"workshop:{workshop_id}:participant:{participant_id}"


def send(message: LiveMessage) -> None:
    """Send one committed message to its audience."""
    if message.audience == "room":
        broadcaster().send(room_of(message.workshop_id), message.name, message.seq,
                           message.payload)
    elif message.audience == "author":
        socketio.emit(message.name, message.payload, namespace=NAMESPACE,
                      to=author_room(message.workshop_id, message.participant_id))
    else:
        socketio.emit(message.name, message.payload, to=facilitators_room(message.workshop_id),
                      namespace=NAMESPACE)


def _send_staged(session: Session) -> None:
    """After a commit: send what the transaction staged, in order."""
    messages = take_staged(session)
    if not messages:
        return
    if not has_app_context():  # a script outside the app: the log keeps the events
        return
    for message in messages:
        if message.audience == "room" and message.seq is None:  # committed unnumbered
            current_app.logger.error("live: %s was never numbered (a commit with a savepoint "
                                     "still open?)", message.name)
            continue
        try:
            send(message)
        except Exception:  # stored and numbered: clients catch up on their next sync
            current_app.logger.exception("live: sending %s failed", message.name)


def _discard_unsent(session: Session, transaction) -> None:
    """When the outermost transaction ends without a commit, forget what it staged."""
    if transaction.parent is None:
        discard_staged(session)


def install_sender() -> None:
    """Hook the numbering and the sender to the app's database sessions (once per process)."""
    if not event.contains(db.session, "after_commit", _send_staged):
        event.listen(db.session, "before_commit", number_staged)
        event.listen(db.session, "after_commit", _send_staged)
        event.listen(db.session, "after_transaction_end", _discard_unsent)
