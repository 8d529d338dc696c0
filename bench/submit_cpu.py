"""Server CPU per contribution, in process: one phone's socket submits, one after another.

The live benchmark (``bench.run``) measures a room; this isolates what one submission
costs the server's Python (the socket handler, the service, its commit and its staged
event), on a fresh SQLite file, through Flask-SocketIO's test client (whose own cost is
the same whatever the code under test). The median of ``--rounds`` rounds of
``--submissions`` submissions, in ``time.process_time``::

    .venv/bin/python bench/submit_cpu.py

Run as a script, it imports the app from the path, so another commit is measured by putting
its code first (``git archive REV | tar -x -C /tmp/old``, then
``PYTHONPATH=/tmp/old .venv/bin/python bench/submit_cpu.py``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path


def _services():
    """(planning, participation) modules; commits before issue 13 had both in one module."""
    try:
        from diagnostic.frame import planning
        from diagnostic.live import participation
    except ImportError:  # the layout of the code before issue 13
        from diagnostic import services as planning

        participation = planning
    return planning, participation


def _open(participation, workshop) -> None:
    """Open the workshop (its own service since issue 15's lifecycle, audited)."""
    from workshops.extensions import db

    try:
        from diagnostic.live.lifecycle import open_workshop
    except ImportError:  # the code before issue 15, measured with PYTHONPATH
        participation.open_workshop(db.session, workshop)
    else:
        open_workshop(db.session, workshop, None)


def phone(folder: Path):
    """A production-like app with one open workshop, and a joined phone's socket."""
    os.environ["DIAGNOSTIC_INSTANCE_PATH"] = str(folder / "instance")
    from diagnostic.models import Base, Sector, Vocabulary
    from workshops import create_app
    from workshops.extensions import db, socketio

    planning, participation = _services()
    app = create_app({"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "TESTING": True,
                      "LIVE_RATE_SUBMIT": "off", "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}"})
    with app.app_context():
        Base.metadata.create_all(db.engine)
        diagnostic = planning.create_diagnostic(db.session, title="Diagnostic",
                                                territory="Grand Toulouse", stakes=["Enjeu"])
        diagnostic.sectors.append(Sector(name="Nord"))
        db.session.commit()
        workshop = planning.create_workshop(db.session, diagnostic, kind="territorial",
                                            title="Atelier", sector_id=diagnostic.sectors[0].id)
        _open(participation, workshop)
        db.session.commit()
        code, workshop_id = workshop.join_code, workshop.id
        category = diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id
    http = app.test_client()
    http.post(f"/j/{code}", data={"display_name": "Sam"})
    socket = socketio.test_client(app, namespace="/live", flask_test_client=http,
                                  auth={"workshop_id": workshop_id})
    socket.get_received("/live")
    return socket, category, app, code, workshop_id


def cpu_per_join(app, code: str, workshop_id: int, count: int) -> float:
    """Milliseconds of CPU per join: the name form, then the socket's connection and the
    state it receives (one new participant each time)."""
    from workshops.extensions import socketio

    start = time.process_time()
    for number in range(count):
        http = app.test_client()
        http.post(f"/j/{code}", data={"display_name": f"Phone {number}"})
        socket = socketio.test_client(app, namespace="/live", flask_test_client=http,
                                      auth={"workshop_id": workshop_id})
        if not socket.get_received("/live"):
            raise RuntimeError("no state received")
        socket.disconnect(namespace="/live")
    return (time.process_time() - start) / count * 1000


def cpu_per_submission(socket, category: int, count: int) -> float:
    """Milliseconds of CPU per submission over ``count`` acknowledged submissions."""
    start = time.process_time()
    for number in range(count):
        ack = socket.emit("submit_contribution", {
            "kind": "need", "client_id": uuid.uuid4().hex, "description": f"Besoin {number}",
            "need_category_id": category}, namespace="/live", callback=True)
        if not ack.get("ok"):
            raise RuntimeError(f"refused: {ack}")
        socket.get_received("/live")
    return (time.process_time() - start) / count * 1000


def main() -> None:
    """Print the median CPU per submission and every round's figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--joins", type=int, default=0,
                        help="also measure CPU per join, over this many joins per round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        socket, category, app, code, workshop_id = phone(Path(folder))
        cpu_per_submission(socket, category, 50)  # warm up: caches, first queries
        rounds = [cpu_per_submission(socket, category, args.submissions)
                  for _ in range(args.rounds)]
        joins = [cpu_per_join(app, code, workshop_id, args.joins)
                 for _ in range(args.rounds if args.joins else 0)]
    print(f"CPU per submission: median {statistics.median(rounds):.3f} ms "
          f"(rounds: {', '.join(f'{r:.3f}' for r in rounds)})")
    if joins:
        print(f"CPU per join: median {statistics.median(joins):.3f} ms "
              f"(rounds: {', '.join(f'{r:.3f}' for r in joins)})")


if __name__ == "__main__":
    main()
