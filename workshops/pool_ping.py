"""Check a pooled database connection before use only after it has been idle a while.

SQLAlchemy's ``pool_pre_ping`` checks every connection at every checkout: with
PostgreSQL, a ``SELECT 1`` round trip (and psycopg's ``BEGIN``) before every page request
and every live event (its cost is in docs/PERFORMANCE.md, "Transport optimisations: where
they live"). A connection that was in use a moment ago is not worth the check: during a
workshop the pool's connections are busy all the time.

Here the check runs at checkout only for a connection that has been idle for more than
``DATABASE_PING_AFTER_IDLE_SECONDS`` (10 s by default; 0 checks at every checkout), which
is when a database restart, a failover or an idle timeout may have closed it unseen. A
connection found dead is replaced before use, through the pool's documented way
(``DisconnectionError`` from a ``checkout`` listener). A connection that breaks while in
use fails its statement, as it would with pre-ping; SQLAlchemy then invalidates the whole
pool, so the next checkouts reconnect (and a phone's outbox sends again).
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

IDLE_SINCE = "diagnostic_idle_since"


def ping_after_idle(engine: Engine, idle_seconds: float) -> None:
    """Install the checkin/checkout listeners on ``engine``'s pool."""

    @event.listens_for(engine, "checkin")
    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:  # None when the connection was invalidated meanwhile
            record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return  # new, or back in the pool a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # closed by the server, or unreachable: replace it
            raise exc.DisconnectionError(f"stale pooled connection: {error}") from error
