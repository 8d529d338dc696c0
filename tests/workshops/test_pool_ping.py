"""Pooled connections are checked before use only after an idle period (workshops.pool_ping)."""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import create_engine, text

from workshops.pool_ping import IDLE_SINCE, ping_after_idle


@pytest.fixture
def engine(tmp_path):
    """A one-connection pool on a SQLite file, with the pings counted (or made to fail)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'pool.db'}", pool_size=1, max_overflow=0)
    engine.pings = []
    engine.ping_fails = False
    real_ping = engine.dialect.do_ping

    def counted(dbapi_connection):
        engine.pings.append(dbapi_connection)
        if engine.ping_fails:
            raise engine.dialect.loaded_dbapi.OperationalError("server closed the connection")
        return real_ping(dbapi_connection)

    engine.dialect.do_ping = counted
    ping_after_idle(engine, idle_seconds=30)
    yield engine
    engine.dispose()


def use(engine):
    """One checkout, one statement; returns the DBAPI connection that served it."""
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
        return connection.connection.dbapi_connection


def idle_for_a_minute(engine) -> None:
    """Make the pooled connection look as if it came back 60 s ago."""
    with engine.connect() as connection:
        record = connection.connection._connection_record
    record.info[IDLE_SINCE] = time.monotonic() - 60


def test_a_connection_in_use_a_moment_ago_is_not_checked(engine):
    first = use(engine)
    for _ in range(5):
        assert use(engine) is first
    assert engine.pings == []


def test_a_connection_idle_for_longer_is_checked_and_kept_when_alive(engine):
    first = use(engine)
    idle_for_a_minute(engine)
    assert use(engine) is first
    assert engine.pings == [first]
    assert use(engine) is first and len(engine.pings) == 1  # fresh again


def test_a_dead_idle_connection_is_replaced_before_use(engine):
    first = use(engine)
    idle_for_a_minute(engine)
    engine.ping_fails = True
    replacement = use(engine)  # no error reaches the caller
    assert replacement is not first
    assert engine.pings == [first]


@pytest.mark.skipif(
    not (os.environ.get("DIAGNOSTIC_TEST_DATABASE_URL") or "").startswith("postgresql"),
    reason="needs PostgreSQL (DIAGNOSTIC_TEST_DATABASE_URL)")
def test_postgresql_connections_closed_by_the_server_are_replaced_after_idle(tmp_path,
                                                                          monkeypatch):
    from workshops import create_app
    from workshops.extensions import db

    monkeypatch.setenv("DIAGNOSTIC_INSTANCE_PATH", str(tmp_path / "instance"))
    url = os.environ["DIAGNOSTIC_TEST_DATABASE_URL"]
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "DATABASE_PING_AFTER_IDLE_SECONDS": 0.2})
    with app.app_context():
        engine = db.engine
        with engine.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        # As a database restart or an idle timeout would: the server ends the session.
        admin = create_engine(url)
        with admin.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"),
                                      {"pid": pid}).scalar() is True
        admin.dispose()
        time.sleep(0.3)
        with engine.connect() as connection:  # the idle connection is checked, replaced
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != pid
        engine.dispose()
