"""One bounded, waiting pool of Redis connections per use, for the presence and the limits.

redis-py's default pool refuses a connection past ``max_connections`` (100 from redis-py 8
on) with ``MaxConnectionsError``. Under gevent every socket of a worker can need Redis at
the same moment (a room of 250 closing at the end of a workshop: 250 ``HDEL`` at once):
the default pool then failed 40 of them in a bench run of 500 phones on two workers. A
:class:`redis.BlockingConnectionPool` makes the surplus wait its turn instead (a gevent
wait under ``diagnostic-server``), up to ``REDIS_POOL_TIMEOUT`` seconds, with at most
``REDIS_MAX_CONNECTIONS`` connections per pool and process: back-pressure, not errors.
"""

from __future__ import annotations

from typing import Any


def blocking_pool(url: str, config: Any, **options: Any):
    """A waiting pool for ``url`` sized by the app's ``config``."""
    import redis

    return redis.BlockingConnectionPool.from_url(
        url, max_connections=int(config.get("REDIS_MAX_CONNECTIONS", 50)),
        timeout=float(config.get("REDIS_POOL_TIMEOUT", 20)), **options)
