"""Server CPU of a phone's reconnection that replays the events it missed, in process.

A phone that dropped (a Wi-Fi blip, a phone put to sleep) reconnects with
``auth.last_seq``; the server reads the events after it from the log and sends them with
each item's current state (``events_replay``). Several phones of a room dropping together
reconnect together, so this cost is paid at once, by the process that serves them. Five
phones reconnect after ``--missed`` contributions, ``--rounds`` times; the CPU of their
connections (``time.process_time``, through Flask-SocketIO's test client, which calls the
handlers directly) is divided by five::

    .venv/bin/python -m bench.reconnect_cpu                     # 64 events missed
    .venv/bin/python -m bench.reconnect_cpu --missed 200 --profile /tmp/reconnect.prof
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

from .join_cpu import Counter, join, make_app

PHONES = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missed", type=int, default=64, help="events each phone missed")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--database-url", default=None,
                        help="an empty, dedicated database (default: a fresh SQLite file)")
    parser.add_argument("--profile", default=None, help="write a cProfile of the rounds here")
    args = parser.parse_args()

    from diagnostic.models import Vocabulary, Workshop
    from workshops.extensions import db, socketio

    app, code, workshop_id = make_app(Path(tempfile.mkdtemp()), args.database_url)
    with app.app_context():
        counter = Counter(db.engine)
        workshop = db.session.get(Workshop, workshop_id)
        category = workshop.diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
    sender = join(app, code, workshop_id, 0, counter, defaultdict(float), static=False)
    phones = [join(app, code, workshop_id, n, counter, defaultdict(float), static=False)
              for n in range(1, PHONES + 1)]

    def post(count: int) -> None:
        for number in range(count):
            ack = sender.emit("submit_contribution", {
                "kind": "need", "client_id": uuid.uuid4().hex, "need_category_id": category,
                "description": f"Besoin {number} : un local partagé pour les associations"},
                namespace="/live", callback=True)
            if not ack.get("ok"):
                raise RuntimeError(f"refused: {ack}")

    profiler = cProfile.Profile() if args.profile else None
    spent = []
    for _ in range(args.rounds):
        with app.app_context():
            last_seq = db.session.get(Workshop, workshop_id).last_seq
        for phone in phones:
            phone.disconnect(namespace="/live")
        post(args.missed)
        clients = [phone.flask_test_client for phone in phones]
        start = time.process_time()
        if profiler:
            profiler.enable()
        phones = [socketio.test_client(app, namespace="/live", flask_test_client=http,
                                       auth={"workshop_id": workshop_id, "last_seq": last_seq})
                  for http in clients]
        if profiler:
            profiler.disable()
        spent.append((time.process_time() - start) / PHONES * 1000)
        replayed = [m for m in phones[0].get_received("/live") if m["name"] == "events_replay"]
        if not replayed or len(replayed[0]["args"][0]["events"]) < args.missed:
            raise RuntimeError("no full replay received")
    if profiler:
        profiler.dump_stats(args.profile)
    print(f"CPU per reconnection replaying {args.missed} events: median "
          f"{statistics.median(spent):.2f} ms (rounds: {', '.join(f'{t:.1f}' for t in spent)})")


if __name__ == "__main__":
    main()
