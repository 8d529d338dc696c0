"""Rate limits and quotas: one mechanism for HTTP routes, socket events and accounts.

Flask-Limiter (over the ``limits`` library) keeps the counters. HTTP routes may use its
decorators (``limiter.limit(...)``); code that counts something other than a route hit —
a socket event, a failed login per account, an export job — calls :func:`consume`, which
spends from the same storage with the same strategy. The storage is
``RATELIMIT_STORAGE_URI``: ``memory://`` on a laptop (counts per process), and in
production the Redis of the Socket.IO message queue unless another URI is given, so that
every server process shares the counts.

Each rule is a configuration value in the ``limits`` notation (``"20/10minutes"``,
``"5 per second;100 per hour"``); an empty value or ``"off"`` disables it. A refusal
raises :class:`Limited`, which carries the seconds to wait; HTTP views answer 429 with a
French message (the page handler below), socket handlers turn it into a refusal ack.
"""

from __future__ import annotations

import math
import time
from functools import lru_cache

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from limits import RateLimitItem, parse_many
from limits.storage import RedisStorage
from limits.strategies import SlidingWindowCounterRateLimiter


class Limited(Exception):
    """A rule refused an action; ``retry_after`` is in whole seconds (at least 1)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def client_address() -> str:
    """Who an anonymous request counts against: its address (after ProxyFix, if set)."""
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=client_address, key_prefix="diagnostic")


@lru_cache(maxsize=64)
def parse_rule(value: str) -> tuple[RateLimitItem, ...]:
    """The items of a rule (empty for ``"off"`` or ``""``); ValueError when malformed."""
    text = (value or "").strip()
    if text.lower() in ("", "off"):
        return ()
    return tuple(parse_many(text))


def rule(config_key: str) -> tuple[RateLimitItem, ...]:
    """The current app's rule named by ``config_key``."""
    return parse_rule(str(current_app.config.get(config_key) or ""))


def consume(config_key: str, *keys: str, cost: int = 1) -> None:
    """Spend ``cost`` from every limit of the rule ``config_key`` for ``keys``.

    Raises :class:`Limited` (nothing spent past the first refusal) when one is exhausted.
    """
    if not limiter.enabled:
        return
    strategy = limiter.limiter
    for item in rule(config_key):
        if not strategy.hit(item, config_key, *keys, cost=cost):
            raise Limited(_wait(item, config_key, *keys))


def exhausted(config_key: str, *keys: str) -> int | None:
    """Seconds to wait if a limit of the rule is exhausted for ``keys`` (nothing spent)."""
    if not limiter.enabled:
        return None
    strategy = limiter.limiter
    items = rule(config_key)
    passed = _tested_together(strategy, items, (config_key, *keys))
    for index, item in enumerate(items):
        if not (passed[index] if passed is not None else strategy.test(item, config_key, *keys)):
            return _wait(item, config_key, *keys)
    return None


def _tested_together(strategy, items: tuple[RateLimitItem, ...],
                     identifiers: tuple[str, ...]) -> list[bool] | None:
    """``strategy.test`` of every item in one Redis round trip (a rule such as
    ``"30/minute;200/hour"``, checked at each page of a join), or None where that does not
    apply: one item, another strategy or storage, the script not loaded in Redis yet.

    The same script and arithmetic as ``limits``' sliding window counter (``test`` and
    ``RedisStorage.get_sliding_window``), sent as ``EVALSHA`` in one pipeline.
    """
    storage = getattr(strategy, "storage", None)
    if (len(items) < 2 or not isinstance(strategy, SlidingWindowCounterRateLimiter)
            or type(storage) is not RedisStorage):
        return None
    from redis.exceptions import NoScriptError

    pipeline = storage.get_connection().pipeline(transaction=False)
    sha = storage.lua_sliding_window.sha
    for item in items:
        current = f"{{{item.key_for(*identifiers)}}}"  # as RedisStorage._current_window_key
        pipeline.evalsha(sha, 2, storage.prefixed_key(f"{current}/-1"),
                         storage.prefixed_key(current), item.get_expiry())
    try:
        windows = pipeline.execute()
    except NoScriptError:  # loaded by the first ordinary test
        return None
    passed = []
    for item, window in zip(items, windows, strict=True):
        previous, previous_expires_in, current_count = (
            (int(window[0] or 0), max(0, float(window[1] or 0)) / 1000, int(window[2] or 0))
            if window else (0, 0.0, 0))
        weighted = previous * previous_expires_in / item.get_expiry() + current_count
        passed.append(weighted < item.amount)  # test() with a cost of 1
    return passed


def require(config_key: str, *keys: str) -> None:
    """Raise :class:`Limited` if a limit of the rule is exhausted for ``keys`` (nothing spent).

    With :func:`count`, for actions that cost only when they succeed: check, act, count.
    """
    wait = exhausted(config_key, *keys)
    if wait is not None:
        raise Limited(wait)


def count(config_key: str, *keys: str) -> None:
    """Spend one unit for an action already allowed (a race lost to a concurrent request
    for the last unit is let go: a rate limit can afford it)."""
    try:
        consume(config_key, *keys)
    except Limited:
        pass


def clear(config_key: str, *keys: str) -> None:
    """Forget what ``keys`` spent on the rule (e.g. a successful login, a staff unlock)."""
    if not limiter.enabled:
        return
    for item in rule(config_key):
        limiter.limiter.clear(item, config_key, *keys)


def _wait(item: RateLimitItem, *identifiers: str) -> int:
    stats = limiter.limiter.get_window_stats(item, *identifiers)
    return max(1, math.ceil(stats.reset_time - time.time()))


def too_many_requests(error: RateLimitExceeded | Limited):
    """The 429 page: a French message and when to retry."""
    # A decorator's refusal gets its Retry-After from Flask-Limiter (RATELIMIT_HEADERS_ENABLED).
    retry_after = getattr(error, "retry_after", None)
    message = _("Trop de tentatives : réessayez dans quelques minutes.")
    response = current_app.make_response(
        (render_template("errors/too_many.html", message=message), 429))
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def init_app(app: Flask) -> None:
    """Bind the limiter to ``app`` and answer refusals with the 429 page."""
    config = app.config
    if not config.get("RATELIMIT_STORAGE_URI"):
        config["RATELIMIT_STORAGE_URI"] = config.get("SOCKETIO_MESSAGE_QUEUE") or "memory://"
    uri = config["RATELIMIT_STORAGE_URI"]
    if uri.startswith(("redis://", "rediss://")) and "RATELIMIT_STORAGE_OPTIONS" not in config:
        from .redis_pool import blocking_pool  # waits for a connection under load

        config["RATELIMIT_STORAGE_OPTIONS"] = {"connection_pool": blocking_pool(uri, config)}
    limiter.init_app(app)
    # Flask-Limiter keeps one state per Limiter: set what a previous app may have changed.
    limiter.enabled = bool(config.get("RATELIMIT_ENABLED", True))
    app.register_error_handler(Limited, too_many_requests)
    app.register_error_handler(RateLimitExceeded, too_many_requests)
