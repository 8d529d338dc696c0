"""Server CPU, SQL statements and database round trips per phone join, in process, per part.

A phone's join is: ``GET /j/<code>`` (the name form and the privacy notice summary), the
static files that page names, ``POST`` the form (CSRF, consents, the participant), the
redirect's ``GET /j/<code>/contribute`` and the static files it names, then the ``/live``
socket's connection until its state is received. Each part runs through Flask's test client
and Flask-SocketIO's test client in this process, production-like (CSRF on, rate limits on
with rules wide enough for the bench); its CPU (``time.process_time``) is counted inside the
app's WSGI callable (not the test client's own work), and around the socket's whole
connection (Flask-SocketIO's test client calls the server's handlers directly). Each static
file is fetched once per join, as a browser's cache does within one visit.

In process rather than against a running ``diagnostic-server``: the parts can be told apart,
profiled with cProfile and counted exactly, and the figure does not include the host's
other load, only this process's CPU. What it leaves out is the HTTP server's own work
(gevent's request parsing, the Engine.IO handshake and upgrade), the same for any code
under test; ``bench.join_server`` measures a real server's CPU per join. Statements are
counted with ``before_cursor_execute``; on PostgreSQL a transaction that ran a statement
also costs psycopg's ``BEGIN`` and its ``COMMIT``/``ROLLBACK``, counted as round trips::

    .venv/bin/python -m bench.join_cpu                       # SQLite, rooms of 0 and 100
    .venv/bin/python -m bench.join_cpu --database-url postgresql+psycopg://…/empty_db
    .venv/bin/python -m bench.join_cpu --items 0 --profile /tmp/join.prof

``--database-url`` takes an empty, dedicated database: its tables are dropped and created.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

PARTS = ("get_form", "static_form", "post_form", "get_page", "static_page", "socket")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"'
                   r'|name="csrf_token" value="([^"]+)"')
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')


class Counter:
    """Statements and round trips per part, from the engine's events."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.postgres = engine.dialect.name == "postgresql"
        self.part = "setup"
        self.statements: dict[str, int] = defaultdict(int)
        self.trips: dict[str, int] = defaultdict(int)
        self.texts: dict[str, list[str]] = defaultdict(list)
        self._open: set[int] = set()  # connections whose transaction ran a statement
        event.listen(engine, "before_cursor_execute", self._statement)
        self.redis: dict[str, int] = defaultdict(int)
        self._count_redis()
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _statement(self, conn, _cursor, statement, *_args) -> None:
        self.statements[self.part] += 1
        self.trips[self.part] += 1
        self.texts[self.part].append(" ".join(statement.split())[:90])
        dbapi = conn.connection.dbapi_connection
        if self.postgres and not dbapi.autocommit and id(dbapi) not in self._open:
            self._open.add(id(dbapi))
            self.trips[self.part] += 1  # psycopg's BEGIN before the first statement

    def _end(self, conn) -> None:
        key = id(conn.connection.dbapi_connection) if conn.connection is not None else None
        if key in self._open:
            self._open.discard(key)
            self.trips[self.part] += 1  # COMMIT or ROLLBACK of a transaction that ran SQL

    def reset(self) -> None:
        self.statements.clear()
        self.trips.clear()
        self.texts.clear()
        self.redis.clear()

    def _count_redis(self) -> None:
        """Count the Redis round trips (commands or pipelines) of each part."""
        from redis.connection import Connection

        original, counter = Connection.send_packed_command, self

        def send(connection, command, check_health=True):
            counter.redis[counter.part] += 1
            return original(connection, command, check_health)

        Connection.send_packed_command = send


def make_app(folder: Path, database_url: str | None, message_queue: str | None = None):
    """A production-like app (CSRF and limits on) with one open workshop; with
    ``message_queue`` (a Redis URL) rooms, presence and rate limits go through Redis, as in
    the cluster (Flask-SocketIO's test client refuses a message queue: the rooms' fan-out
    through Redis is left out, the presence store and the limits are Redis's)."""
    os.environ["DIAGNOSTIC_INSTANCE_PATH"] = str(folder / "instance")
    from diagnostic.frame import planning
    from diagnostic.live.lifecycle import open_workshop
    from diagnostic.models import Base, Sector
    from workshops import create_app
    from workshops.extensions import db

    url = database_url or f"sqlite:///{folder / 'bench.db'}"
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "LIVE_RATE_SUBMIT": "off", "JOIN_RATE_PER_ADDRESS": "100000/minute",
                      "LIVE_CONNECTIONS_PER_ADDRESS": "100000/minute",
                      "PRESENCE_THROTTLE_SECONDS": 1.0,
                      **({"RATELIMIT_STORAGE_URI": message_queue} if message_queue else {})})
    if message_queue:
        from workshops.live.presence import RedisPresence, tracker

        with app.app_context():
            tracker().store = RedisPresence(message_queue, config=app.config)
    with app.app_context():
        if database_url:
            Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        diagnostic = planning.create_diagnostic(db.session, title="Diagnostic",
                                                territory="Grand Toulouse", stakes=["Enjeu"])
        diagnostic.sectors.append(Sector(name="Nord"))
        db.session.commit()
        workshop = planning.create_workshop(db.session, diagnostic, kind="territorial",
                                            title="Atelier", sector_id=diagnostic.sectors[0].id)
        open_workshop(db.session, workshop, None)
        db.session.commit()
        code, workshop_id = workshop.join_code, workshop.id
    ServerClock(app)
    return app, code, workshop_id


def _token(html: str) -> str:
    match = TOKEN.search(html)
    if match is None:
        raise RuntimeError("no CSRF token in the name form")
    return match.group(1) or match.group(2)


class ServerClock:
    """The CPU spent inside the app's WSGI callable (the server's side of a request: not
    the test client building the request and reading the response), per part."""

    def __init__(self, app) -> None:
        self.wrapped, self.spent = app.wsgi_app, 0.0
        app.wsgi_app = self

    def __call__(self, environ, start_response):
        start = time.process_time()
        try:
            return list(self.wrapped(environ, start_response))  # the body read here
        finally:
            self.spent += time.process_time() - start


def join(app, code: str, workshop_id: int, number: int, counter: Counter,
         cpu: dict[str, float], static: bool = True):
    """One phone's whole join, each part's server CPU added to ``cpu``; returns its socket.

    The socket's part is the whole connection through Flask-SocketIO's test client, which
    calls the server's handlers directly (no HTTP): it is all server work.
    """
    from workshops.extensions import socketio

    clock = app.wsgi_app

    def part(name, action):
        counter.part = name
        spent, start = clock.spent, time.process_time()
        result = action()
        if name == "socket":
            cpu[name] += time.process_time() - start
        else:
            cpu[name] += clock.spent - spent
        return result

    fetched: set[str] = set()

    def assets(html: str) -> None:  # each file once, as a browser's cache does in a join
        for path in dict.fromkeys(STATIC.findall(html)):
            if path not in fetched:
                fetched.add(path)
                response = http.get(path)
                response.close()
                if response.status_code != 200:
                    raise RuntimeError(f"static {path} not served")

    http = app.test_client()
    form = part("get_form", lambda: http.get(f"/j/{code}"))
    html = form.get_data(as_text=True)
    if static:
        part("static_form", lambda: assets(html))
    data = {"csrf_token": _token(html), "display_name": f"Phone {number}",
            "agreed_to_be_named": "y"}
    posted = part("post_form", lambda: http.post(f"/j/{code}", data=data))
    if posted.status_code != 302:
        raise RuntimeError(f"join refused: {posted.status_code}")
    page = part("get_page", lambda: http.get(posted.headers["Location"]))
    if static:
        part("static_page", lambda: assets(page.get_data(as_text=True)))

    def connect():
        socket = socketio.test_client(app, namespace="/live", flask_test_client=http,
                                      auth={"workshop_id": workshop_id})
        received = socket.get_received("/live")
        if not any(message["name"] == "workshop_state" for message in received):
            raise RuntimeError("no state received")
        return socket

    return part("socket", connect)


def fill(app, code: str, workshop_id: int, items: int, counter: Counter) -> None:
    """Put ``items`` published contributions in the room, from one phone."""
    from diagnostic.models import Vocabulary, Workshop
    from workshops.extensions import db

    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
    socket = join(app, code, workshop_id, 0, counter, defaultdict(float), static=False)
    for number in range(items):
        ack = socket.emit("submit_contribution", {
            "kind": "need", "client_id": uuid.uuid4().hex,
            "description": f"Besoin {number} : un local partagé pour les associations",
            "need_category_id": category}, namespace="/live", callback=True)
        if not ack.get("ok"):
            raise RuntimeError(f"refused: {ack}")
    socket.disconnect(namespace="/live")


def measure(app, code: str, workshop_id: int, joins: int, counter: Counter, first: int):
    """Milliseconds of CPU per join and per part over ``joins`` joins."""
    cpu: dict[str, float] = defaultdict(float)
    sockets = []
    for number in range(joins):
        sockets.append(join(app, code, workshop_id, first + number, counter, cpu))
    for socket in sockets:  # the phones stay connected meanwhile, as in a room
        socket.disconnect(namespace="/live")
    return {name: cpu[name] / joins * 1000 for name in PARTS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None,
                        help="an empty, dedicated database (default: a fresh SQLite file)")
    parser.add_argument("--items", default="0,100", help="room sizes, comma-separated")
    parser.add_argument("--joins", type=int, default=40, help="joins per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", default=None, help="write a cProfile of one round here")
    parser.add_argument("--statements", action="store_true", help="print each statement")
    parser.add_argument("--message-queue", default=None,
                        help="a Redis URL: rooms, presence and rate limits through Redis")
    args = parser.parse_args()
    sizes = [int(size) for size in args.items.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        app, code, workshop_id = make_app(Path(folder), args.database_url,
                                             args.message_queue)
        from workshops.extensions import db

        with app.app_context():
            counter = Counter(db.engine)
        have, first = 0, 1
        for size in sizes:
            fill(app, code, workshop_id, size - have, counter)
            have = size
            measure(app, code, workshop_id, 10, counter, first)  # warm up
            first += 10
            counter.reset()
            measure(app, code, workshop_id, 1, counter, first)
            first += 1
            statements, trips = dict(counter.statements), dict(counter.trips)
            redis = dict(counter.redis)
            texts = {name: list(lines) for name, lines in counter.texts.items()}
            rounds = []
            for _ in range(args.rounds):
                rounds.append(measure(app, code, workshop_id, args.joins, counter, first))
                first += args.joins
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                measure(app, code, workshop_id, args.joins, counter, first)
                profiler.disable()
                first += args.joins
                profiler.dump_stats(f"{args.profile}.{size}")
                calls = pstats.Stats(profiler).total_calls / args.joins
                print(f"room of {size} items, profiled: {calls:,.0f} Python calls per join")
            report(size, rounds, statements, trips, redis,
                   texts if args.statements else None)


def report(size, rounds, statements, trips, redis, texts) -> None:
    totals = [sum(r.values()) for r in rounds]
    print(f"room of {size} items: CPU per join median {statistics.median(totals):.2f} ms "
          f"(rounds: {', '.join(f'{t:.2f}' for t in totals)})")
    for name in PARTS:
        print(f"  {name:12} {statistics.median(r[name] for r in rounds):6.2f} ms  "
              f"statements {statements.get(name, 0):2}  round trips {trips.get(name, 0):2}  "
              f"Redis {redis.get(name, 0):2}")
    print(f"  {'total':12} {'':6}     statements {sum(statements.values()):2}  "
          f"round trips {sum(trips.values()):2}  Redis {sum(redis.values()):2}")
    for name, lines in (texts or {}).items():
        for line in lines:
            print(f"    {name}: {line}")


if __name__ == "__main__":
    main()
