"""Flask extensions, created unbound and initialised by ``create_app``."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from diagnostic.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
socketio = SocketIO()


def only_reading() -> None:
    """This request or socket event only reads (a phone's join form, its contribute page,
    a socket's connection): on PostgreSQL its statements run in autocommit, without
    psycopg's BEGIN and ROLLBACK/COMMIT round trips (each statement sees its own snapshot
    either way, READ COMMITTED). SQLAlchemy sets the connection back when it returns to
    the pool. A session already in a transaction (tests that share one) keeps it."""
    if db.engine.dialect.name == "postgresql" and not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


BUSY_TIMEOUT_S = 10  # how long an SQLite writer waits for another (process) to commit


def tune_sqlite(app) -> None:
    """Make the embedded SQLite database fit a live workshop's concurrent writers.

    WAL lets readers (every phone's state) proceed while one writer commits, and the busy
    timeout makes a writer wait its turn instead of failing with "database is locked";
    synchronous=NORMAL is durable across application crashes in WAL mode.

    Python's sqlite3 opens a transaction only before a data-changing statement, so a
    SAVEPOINT issued first would start the transaction itself, and releasing it would
    commit everything: a savepoint then begins the transaction explicitly, as a writer
    (``BEGIN IMMEDIATE``; SQLAlchemy's
    documented caveat on pysqlite savepoints, answered for the savepoint alone).
    """
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    from . import sqlite_writes

    with app.app_context():

        @event.listens_for(db.engine, "connect")
        def set_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
            cursor.close()

        # One writer at a time per process, waited for cooperatively (sqlite_writes.py).
        turn = sqlite_writes.install(db.engine, app.config["SOCKETIO_ASYNC_MODE"],
                                     timeout=BUSY_TIMEOUT_S)

        @event.listens_for(db.engine, "savepoint")
        def begin_before_savepoint(connection, _name) -> None:
            if not connection.connection.driver_connection.in_transaction:
                sqlite_writes.begin_immediate(turn, connection)


def tune_pool(app) -> None:
    """Check pooled server-database connections after an idle period (pool_ping.py)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from .pool_ping import ping_after_idle

    with app.app_context():
        ping_after_idle(db.engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
