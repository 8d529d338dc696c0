"""Acknowledgements of the ``/live`` namespace: one unit of work per event, one error handler.

A handler validates, calls one service and returns its ``{"ok": true, …}`` ack; the
:func:`unit_of_work` decorator commits once before the ack leaves, so an ack means stored
(and the after-commit hook has sent what the change staged). Anything a handler raises goes
to :func:`on_error`, the namespace's only error handler: it rolls back (nothing stored,
nothing sent) and turns the error into the failure ack ``{"ok": false, "error", "fields"}``
(with ``retry_after`` when trying again later can succeed), or, during ``connect``, into a
refusal whose reason the client receives in French (or English).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_socketio import ConnectionRefusedError

from diagnostic.errors import DomainError

from ..extensions import db
from ..i18n import error_message, field_errors
from ..i18n import gettext as _

RETRY_AFTER_ERROR = 5  # seconds before the outbox tries again after a server error


class Refusal(Exception):
    """A refused event or connection, with the message the person reads; nothing changed."""

    def __init__(self, message: str, fields: dict[str, str] | None = None,
                 retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.retry_after = retry_after

    def ack(self) -> dict[str, Any]:
        """The failure acknowledgement of this refusal."""
        return failure(self.message, self.fields, self.retry_after)


def failure(message: str, fields: dict[str, str] | None = None,
            retry_after: int | None = None) -> dict[str, Any]:
    """A failure acknowledgement: nothing was stored."""
    ack: dict[str, Any] = {"ok": False, "error": message, "fields": fields or {}}
    if retry_after:
        ack["retry_after"] = retry_after
    return ack


def unit_of_work(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Run a socket event's handler, commit once, return its ack (errors: ``on_error``)."""

    @functools.wraps(handler)
    def run(*args: Any) -> Any:
        result = handler(*args)
        db.session.commit()
        return result

    return run


def on_error(error: Exception) -> dict[str, Any]:
    """Roll back and turn what a handler raised into its failure ack (or a refusal)."""
    db.session.rollback()
    connecting = (getattr(request, "event", None) or {}).get("message") == "connect"
    if isinstance(error, Refusal):
        if connecting:
            raise ConnectionRefusedError(error.message)
        return error.ack()
    if isinstance(error, DomainError):
        return failure(error_message(error), field_errors(error))
    current_app.logger.error("live event failed", exc_info=error)
    if connecting:  # never let a bug leave a half-open socket
        raise ConnectionRefusedError(_("Erreur inattendue, réessayez."))
    return failure(_("Erreur inattendue, réessayez."), retry_after=RETRY_AFTER_ERROR)


def payload_object(payload: Any, message: str) -> dict[str, Any]:
    """``payload`` if it is a JSON object, else a refusal with ``message``."""
    if not isinstance(payload, dict):
        raise Refusal(message)
    return payload


def contribution_payload(payload: Any) -> dict[str, Any]:
    """A contribution payload within ``LIVE_MAX_PAYLOAD_BYTES`` (compact UTF-8 JSON)."""
    payload = payload_object(payload, _("Contribution illisible."))
    try:
        size = len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    except (TypeError, ValueError):
        raise Refusal(_("Contribution illisible.")) from None
    limit = current_app.config["LIVE_MAX_PAYLOAD_BYTES"]
    if size > limit:
        raise Refusal(_("Contribution trop volumineuse (%(limit)s octets au plus).", limit=limit))
    return payload
