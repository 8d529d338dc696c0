"""One writer at a time per process on SQLite, waited for cooperatively.

SQLite lets one connection write at a time; another that wants to write waits in SQLite's
busy handler (``PRAGMA busy_timeout``), which sleeps in C. With threads that is fine: the
writer's thread runs meanwhile and commits. Under gevent (``diagnostic-server``, and
``make run``) every connection lives in one OS thread: a greenlet that has begun writing
and then yields (a contended lock, a socket, a rate-limit counter) lets another greenlet
run, whose write then sleeps in C, blocking the whole process, the writer included, until
the timeout ends in "database is locked". Thirty phones joining at once lost all but one.

So each process hands out a *write turn*: a connection takes it just before its first
writing statement (or the ``BEGIN IMMEDIATE`` of a savepoint) and gives it back when its
transaction commits or rolls back, or when the pool resets it. Waiting for the turn is a
lock of the server's own kind (gevent's under gevent), so the writer runs and commits while
the others wait. Other processes (a CLI command, a second server) still meet SQLite's busy
timeout, which is right between processes. Only documented SQLAlchemy events are used.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

KEY = "sqlite_write_turn"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
log = logging.getLogger(__name__)


def _lock_for(async_mode: str) -> Any:
    """A lock that waits the way the server's connections do."""
    if async_mode == "gevent":
        from gevent.lock import Semaphore

        return Semaphore(1)
    return threading.Lock()  # under monkey-patching, gevent's lock too


class WriteTurn:
    """The process's one write turn on an SQLite database."""

    def __init__(self, async_mode: str, timeout: float) -> None:
        self._lock = _lock_for(async_mode)
        self.timeout = timeout

    def take(self, info: dict) -> None:
        """Take the turn for the connection whose ``info`` this is (once per transaction)."""
        if info.get(KEY):
            return
        if not self._lock.acquire(timeout=self.timeout):
            # Never stall forever on a turn that was not given back: SQLite's own busy
            # timeout then decides, as it would without the turn.
            log.warning("sqlite: no write turn after %.0f s; writing anyway", self.timeout)
            info[KEY] = "forced"
            return
        info[KEY] = True

    def give_back(self, info: dict) -> None:
        """End the connection's turn, if it had one."""
        held = info.pop(KEY, None)
        if held is True:
            self._lock.release()

    def holds(self, info: dict) -> bool:
        return bool(info.get(KEY))


def is_write(statement: str) -> bool:
    """Whether ``statement`` writes (and so makes pysqlite begin a transaction)."""
    return statement.lstrip().upper().startswith(WRITES)


def install(engine: Engine, async_mode: str, timeout: float) -> WriteTurn:
    """Hand out ``engine``'s write turn around every writing transaction."""
    turn = WriteTurn(async_mode, timeout)

    @event.listens_for(engine, "before_cursor_execute")
    def before_write(connection, _cursor, statement, _parameters, _context, _many) -> None:
        if is_write(statement):
            turn.take(connection.info)

    # Commit and rollback events fire just before the driver's call, with no chance for
    # another greenlet to run in between; with threads, a writer let in early meets
    # SQLite's busy timeout for that instant, as before.
    @event.listens_for(engine, "commit")
    def on_commit(connection) -> None:
        turn.give_back(connection.info)

    @event.listens_for(engine, "rollback")
    def on_rollback(connection) -> None:
        turn.give_back(connection.info)

    # A connection returned to the pool without either (an error, a closed session).
    @event.listens_for(engine, "reset")
    def on_reset(_dbapi_connection, record, _reset_state) -> None:
        turn.give_back(record.info)

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection, record) -> None:
        if record is not None:
            turn.give_back(record.info)

    @event.listens_for(engine, "close")
    def on_close(_dbapi_connection, record) -> None:
        turn.give_back(record.info)

    @event.listens_for(engine, "invalidate")
    def on_invalidate(_dbapi_connection, record, _exception) -> None:
        turn.give_back(record.info)

    return turn


def begin_immediate(turn: WriteTurn, connection) -> None:
    """A savepoint begins the transaction itself (see ``tune_sqlite``): as a writer."""
    turn.take(connection.info)
    connection.connection.driver_connection.execute("BEGIN IMMEDIATE")
