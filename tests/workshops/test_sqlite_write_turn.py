"""Under gevent, SQLite writers of one process wait for their turn cooperatively.

Without the write turn (``workshops/sqlite_writes.py``) a greenlet that began writing and
then yielded left the next writer sleeping in SQLite's busy handler, in C, blocking the
only OS thread (the first writer included) until "database is locked". Each scenario runs
in its own process, monkey-patched as ``diagnostic-server`` is.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workshops.sqlite_writes import is_write

SCRIPT = r"""
from gevent import monkey
monkey.patch_all()
import json, sys
import gevent
from sqlalchemy import text
import workshops.extensions as extensions
extensions.BUSY_TIMEOUT_S = 1  # a lost turn fails in 1 s, not 10
from workshops import create_app
from workshops.extensions import db

url, mode, turn = sys.argv[1], sys.argv[2], sys.argv[3] == "turn"
if not turn:
    import workshops.sqlite_writes as writes
    writes.install = lambda *args, **kwargs: writes.WriteTurn("threading", 1)
app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x" * 40, "TESTING": True,
                  "SOCKETIO_ASYNC_MODE": mode})
outcomes = []

def writer(n):
    with app.app_context():
        try:
            db.session.execute(text("INSERT INTO t (x) VALUES (:n)"), {"n": n})
            gevent.sleep(0.05)  # yields while holding SQLite's write lock
            if n == 0:
                with db.session.begin_nested():  # a savepoint after a write
                    db.session.execute(text("INSERT INTO t (x) VALUES (100)"))
            db.session.commit()
            outcomes.append("ok")
        except Exception as error:
            outcomes.append(type(error).__name__ + ": " + str(error).splitlines()[0])
            db.session.rollback()

def savepoint_first():
    with app.app_context():
        try:
            with db.session.begin_nested():  # a savepoint opens the transaction
                db.session.execute(text("INSERT INTO t (x) VALUES (200)"))
            gevent.sleep(0.05)
            db.session.commit()
            outcomes.append("ok")
        except Exception as error:
            outcomes.append(type(error).__name__ + ": " + str(error).splitlines()[0])
            db.session.rollback()

with app.app_context():
    db.session.execute(text("CREATE TABLE t (x INTEGER)"))
    db.session.commit()
gevent.joinall([gevent.spawn(writer, n) for n in range(5)] + [gevent.spawn(savepoint_first)])
with app.app_context():
    rows = db.session.execute(text("SELECT count(*) FROM t")).scalar_one()
print(json.dumps({"outcomes": outcomes, "rows": rows}))
"""


def _run(tmp_path, mode: str, turn: bool) -> dict:
    url = f"sqlite:///{tmp_path / 'turn.db'}"
    done = subprocess.run([sys.executable, "-c", SCRIPT, url, mode, "turn" if turn else "none"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("mode", ["gevent", "threading"])
def test_writers_that_yield_mid_transaction_all_commit(tmp_path, mode):
    # "threading" here is diagnostic-server's patched threading.Lock: the same wait.
    result = _run(tmp_path, mode, turn=True)
    assert result == {"outcomes": ["ok"] * 6, "rows": 7}


def test_without_the_turn_the_second_writer_finds_the_database_locked(tmp_path):
    # What the turn prevents (the scenario is a real reproduction, not a mock-up).
    result = _run(tmp_path, "gevent", turn=False)
    assert any("database is locked" in outcome for outcome in result["outcomes"])


@pytest.mark.parametrize("statement, writes", [
    ("INSERT INTO t VALUES (1)", True), ("  update t set x = 1", True),
    ("DELETE FROM t", True), ("REPLACE INTO t VALUES (1)", True),
    ("SELECT 1", False), ("SAVEPOINT sa_1", False), ("WITH x AS (SELECT 1) SELECT 1", False),
])
def test_what_counts_as_a_write(statement, writes):
    assert is_write(statement) is writes
