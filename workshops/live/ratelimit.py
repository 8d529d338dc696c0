"""Per-participant rate limits of the live namespace: token buckets kept in memory.

Each kind of action (``submit``, ``support``, ``sync``) has a rule ``"N/S"``: a client may
do N actions at once (the burst), and regains N actions every S seconds (one every S/N s).
``"10/20"`` is "burst 10, then 1 every 2 s". The rules are the config values
``LIVE_RATE_SUBMIT``, ``LIVE_RATE_SUPPORT`` and ``LIVE_RATE_SYNC`` (a string or an
``(N, S)`` tuple; ``"off"`` disables a limit, e.g. for a benchmark).

The buckets live in the memory of one server process (one store per Flask app): with
several processes a client is limited per process, which is enough to keep one phone
from flooding a room. A refusal stores nothing; its acknowledgement carries
``retry_after`` (seconds) so the browser's outbox retries later with the same client_id.

Why these buckets are not rules of ``workshops/limits.py`` (the shared, Redis-backed
limiter used for the per-address and per-account limits):

* a socket is pinned to one process (sticky sessions), so its participant's bucket is
  whole there; only the no-JavaScript form may reach another process, and that path is
  also bounded by ``HTTP_CONTRIBUTIONS_PER_ADDRESS`` in the shared storage;
* every submit, +1, vote and sync of a room of 500 spends here: in memory it costs no
  network round trip to Redis on the live path (docs/PERFORMANCE.md);
* a token bucket gives a burst, then a steady refill with an exact ``retry_after``, and
  :meth:`RateLimiter.give_back` refunds a resend; ``limits``' window strategies offer
  neither the refill nor a refund, and its storages take no injectable clock.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request
from flask_babel import gettext as _

from . import binding
from .acks import Refusal

EXTENSION_KEY = "live_rate_limiter"
CONFIG_KEYS = {"submit": "LIVE_RATE_SUBMIT", "support": "LIVE_RATE_SUPPORT",
               "sync": "LIVE_RATE_SYNC"}
DEFAULT_RULES = {"submit": "10/20", "support": "30/6", "sync": "5/10"}
PRUNE_ABOVE = 10_000  # buckets kept before the full (idle) ones are forgotten


@dataclass(frozen=True)
class Rule:
    """A token bucket's shape: ``burst`` actions at once, refilled ``burst`` per ``seconds``."""

    burst: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Tokens regained per second."""
        return self.burst / self.seconds


def parse_rule(value: Any) -> Rule | None:
    """A ``Rule`` from ``"N/S"`` or ``(N, S)``; None for ``"off"``/empty; ValueError else."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "off")):
        return None
    if isinstance(value, str):
        burst_text, _slash, seconds_text = value.partition("/")
        parts: tuple[Any, Any] = (burst_text.strip(), seconds_text.strip() or "1")
    elif isinstance(value, tuple | list) and len(value) == 2:
        parts = (value[0], value[1])
    else:
        raise ValueError(f"rate rule must be 'N/seconds' or (N, seconds), not {value!r}")
    try:
        burst, seconds = int(parts[0]), float(parts[1])
    except (TypeError, ValueError) as error:
        raise ValueError(f"rate rule must be 'N/seconds', not {value!r}") from error
    if burst < 1 or not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"rate rule needs N >= 1 and seconds > 0, not {value!r}")
    return Rule(burst, seconds)


class RateLimiter:
    """Token buckets keyed by (kind, client); thread-safe, with an injectable clock."""

    def __init__(self, rules: dict[str, Rule | None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rules = rules
        self.clock = clock
        self._buckets: dict[tuple[str, Any], tuple[float, float]] = {}  # tokens, updated at
        self._lock = threading.Lock()

    def take(self, kind: str, client: Any) -> float | None:
        """Spend one token of ``client`` for ``kind``: None if allowed, else seconds to wait."""
        rule = self.rules.get(kind)
        if rule is None:
            return None
        now = self.clock()
        with self._lock:
            tokens = self._tokens(rule, (kind, client), now)
            if tokens >= 1:
                self._buckets[(kind, client)] = (tokens - 1, now)
                return None
            self._buckets[(kind, client)] = (tokens, now)
            return (1 - tokens) / rule.per_second

    def give_back(self, kind: str, client: Any) -> None:
        """Return a token spent on an action that turned out to cost nothing (a resend)."""
        rule = self.rules.get(kind)
        if rule is None:
            return
        now = self.clock()
        with self._lock:
            tokens = self._tokens(rule, (kind, client), now)
            self._buckets[(kind, client)] = (min(rule.burst, tokens + 1), now)

    def _tokens(self, rule: Rule, key: tuple[str, Any], now: float) -> float:
        """The tokens a bucket holds at ``now`` (a new bucket starts full)."""
        if key not in self._buckets and len(self._buckets) >= PRUNE_ABOVE:
            self._prune(now)
        tokens, updated = self._buckets.get(key, (rule.burst, now))
        return min(rule.burst, tokens + (now - updated) * rule.per_second)

    def _prune(self, now: float) -> None:
        """Forget buckets that have refilled: they behave exactly like new ones."""
        for (kind, client), (tokens, updated) in list(self._buckets.items()):
            rule = self.rules.get(kind)
            if rule is None or tokens + (now - updated) * rule.per_second >= rule.burst:
                del self._buckets[(kind, client)]


def limiter() -> RateLimiter:
    """The current app's limiter (built at start-up by ``init_app``)."""
    return current_app.extensions[EXTENSION_KEY]


def socket_client() -> Any:
    """Who a socket's action counts against: its participant, else (a board) the socket."""
    participant_id = binding.current().get("participant_id")
    return participant_key(participant_id) if participant_id else ("sid", request.sid)


def participant_key(participant_id: int) -> tuple[str, int]:
    """A participant's bucket key, the same over the socket and the HTTP fallback."""
    return ("participant", participant_id)


def spend(kind: str, client: Any) -> None:
    """Spend one ``kind`` action of ``client``, or raise the refusal (nothing is stored).

    The refusal's ack carries ``retry_after`` (seconds) for the browser's outbox.
    """
    wait = limiter().take(kind, client)
    if wait is not None:
        raise Refusal(_("Vous envoyez trop vite : réessayez dans quelques secondes."),
                      retry_after=max(1, math.ceil(wait)))


def give_back(kind: str, client: Any) -> None:
    """Refund ``client`` the ``kind`` action it just spent (e.g. on a resend)."""
    limiter().give_back(kind, client)


def init_app(app: Flask) -> None:
    """Build the app's limiter from its config (a bad rule stops the start-up, loudly)."""
    rules = {kind: parse_rule(app.config.get(key, DEFAULT_RULES[kind]))
             for kind, key in CONFIG_KEYS.items()}
    app.extensions[EXTENSION_KEY] = RateLimiter(rules)
