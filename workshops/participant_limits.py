"""Limits on anonymous participants, per address: join-code tries, joins, no-JS contributions.

Participants have no account, so what one client can do is bounded by its address (after
ProxyFix). A room on a town hall's Wi-Fi shares ONE address, so the rules (see
``workshops/config.py`` and the README's limits table) are sized for 500 people joining
within minutes, and only what an honest room rarely does is counted:

* ``JOIN_CODE_TRIES_PER_ADDRESS``: *unknown* codes only. Once spent, every code is refused
  from that address until the window slides; otherwise the refusal itself would tell a
  guessed code from a wrong one.
* ``JOIN_RATE_PER_ADDRESS``: participants created, per address and workshop.
* ``HTTP_CONTRIBUTIONS_PER_ADDRESS``: contributions stored through the no-JavaScript form
  (a client may join as many participants as it likes; each also spends its own
  ``submit`` token). A resend of a stored item is never refused nor counted.

A rule is checked before the action (nothing spent on a refusal) and spent once the action
succeeded, so a refused or invalid request costs nothing; two requests racing for the last
unit may both pass, which a rate limit can afford.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from diagnostic.live import queries
from diagnostic.models import Participant, Workshop

from . import limits
from .extensions import db

JOIN_CODE_TRIES = "JOIN_CODE_TRIES_PER_ADDRESS"
JOINS = "JOIN_RATE_PER_ADDRESS"
HTTP_CONTRIBUTIONS = "HTTP_CONTRIBUTIONS_PER_ADDRESS"


def workshop_by_code(code: str) -> Workshop | None:
    """The workshop of a join code whatever its status, counting an unknown code as a try.

    Raises :class:`limits.Limited` once this address has spent its tries.
    """
    return workshop_and_participant(code, None)[0]


def workshop_and_participant(
    code: str, tokens: Mapping[str, str] | None
) -> tuple[Workshop | None, Participant | None]:
    """``workshop_by_code``, with the participant ``tokens`` (a browser's workshop id ->
    participant token) holds in that workshop, if any, in the same query."""
    address = limits.client_address()
    limits.require(JOIN_CODE_TRIES, address)
    workshop, participant = queries.workshop_and_participant(db.session, code, tokens)
    if workshop is None:
        limits.count(JOIN_CODE_TRIES, address)
    return workshop, participant


def require_join(workshop_id: int) -> None:
    """Refuse a new participant from this address in this workshop past the join rule."""
    limits.require(JOINS, limits.client_address(), str(workshop_id))


def count_join(workshop_id: int) -> None:
    """Count a participant created from this address in this workshop."""
    limits.count(JOINS, limits.client_address(), str(workshop_id))


def require_http_contribution(participant: Participant, data: Mapping[str, Any]) -> None:
    """Refuse a no-JS contribution past this address's rule, unless it is a resend."""
    try:
        limits.require(HTTP_CONTRIBUTIONS, limits.client_address())
    except limits.Limited:
        if not queries.has_client_id(db.session, participant.id, data.get("client_id")):
            raise


def count_http_contribution() -> None:
    """Count a contribution stored through the no-JS form from this address."""
    limits.count(HTTP_CONTRIBUTIONS, limits.client_address())
