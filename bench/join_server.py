"""Server CPU per phone join against a real ``diagnostic-server``, read from ``/proc``.

The in-process bench (``bench.join_cpu``) splits a join into its parts; this one measures
what the tester of issue 18 measured: a fresh ``diagnostic-server`` (gevent, standard
library patched, production settings, SQLite or ``--database-url``), phones joining one
after another like a browser's first visit (the name form and the static files it names,
the POST, the contribute page and the static files it names, each file once, then the
socket until ``workshop_state`` arrives), and the server's CPU time (``/proc/<pid>/stat``)
over those joins divided by their number. ``--transports`` chooses how the socket
connects: ``polling,websocket`` is socket.io's default (a long-polling handshake, then the
upgrade), ``websocket`` opens the WebSocket at once::

    .venv/bin/python -m bench.join_server --joins 60 --transports polling,websocket
    .venv/bin/python -m bench.join_server --joins 60 --transports websocket
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from .server import PATCHED, BenchServer

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def join(server: BenchServer, seed, name: str, transports: list[str], static: bool):
    """One phone's join, its socket left open; returns the client."""
    import requests
    import socketio

    http = requests.Session()
    fetched: set[str] = set()

    def assets(html: str) -> None:
        for path in dict.fromkeys(STATIC.findall(html)):
            if static and path not in fetched:
                fetched.add(path)
                http.get(server.url + path, timeout=10).raise_for_status()

    page = http.get(f"{server.url}/j/{seed.join_code}", timeout=10)
    assets(page.text)
    posted = http.post(f"{server.url}/j/{seed.join_code}", timeout=10, data={
        "csrf_token": CSRF.search(page.text).group(1), "display_name": name,
        "agreed_to_be_named": "y"})
    posted.raise_for_status()
    assets(posted.text)  # requests followed the redirect to the contribute page
    client = socketio.SimpleClient()
    client.connect(server.url, namespace="/live", transports=transports,
                   headers={"Cookie": "; ".join(f"{c.name}={c.value}" for c in http.cookies)},
                   auth={"workshop_id": seed.workshop_id})
    while client.receive(timeout=10)[0] != "workshop_state":
        pass
    return client


def run(folder: Path, args) -> list[float]:
    """A fresh server: ``--rounds`` rounds of ``--joins`` joins; ms of server CPU per join."""
    server = BenchServer(folder, async_mode=PATCHED, database_url=args.database_url)
    seed = server.prepare()
    server.start()
    transports = args.transports.split(",")
    clients, rounds = [], []
    try:
        for number in range(5):  # warm up: imports, caches, the first notice
            clients.append(join(server, seed, f"Warm {number}", transports, args.static))
        for round_ in range(args.rounds):
            time.sleep(1.5)  # the presence announcements of the last joins have gone
            before = server.cpu_seconds()
            for number in range(args.joins):
                clients.append(join(server, seed, f"Phone {round_}-{number}", transports,
                                    args.static))
            rounds.append((server.cpu_seconds() - before) / args.joins * 1000)
        return rounds
    finally:
        server.stop()
        for client in clients:
            client.disconnect()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--joins", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--transports", default="polling,websocket")
    parser.add_argument("--no-static", dest="static", action="store_false")
    parser.add_argument("--database-url", default=None,
                        help="an empty, dedicated database (default: a fresh SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        rounds = run(Path(folder), args)
    print(f"server CPU per join ({args.transports}, static {'on' if args.static else 'off'}):"
          f" median {statistics.median(rounds):.1f} ms "
          f"(rounds: {', '.join(f'{r:.1f}' for r in rounds)})")


if __name__ == "__main__":
    main()
