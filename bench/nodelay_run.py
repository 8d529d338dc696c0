"""What TCP_NODELAY on the server's connections changes for one phone (docs/PERFORMANCE.md).

The live path writes small frames back to back: a room event, then the acknowledgement of
the submission that caused it; the workshop state, then the phone's own votes. With
Nagle's algorithm on, the second write waits for the peer's acknowledgement of the first,
which the peer may delay. This serves ``diagnostic-server`` with the app's no-delay
handler (``on``), then with the same handler doing nothing (``off``), alternately, each
on a fresh SQLite file, and measures with a real python-socketio client (WebSocket, its
own socket without delay as browsers do):

- **ack**: ``--submissions`` contributions sent one at a time, ``--pause`` seconds apart:
  the time from sending each to its acknowledgement;
- **join**: ``--joins`` phones joining one after another: the name form, its POST, the
  contribute page, the socket, until ``workshop_state`` arrives::

    .venv/bin/python -m bench.nodelay_run
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from .server import PATCHED, BenchServer, console_script

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# diagnostic-server itself (the standard library patched first), optionally with the
# no-delay handler's setsockopt turned into a no-op.
ENTRY = """import workshops.server as entry
import sys
if sys.argv[1] == "off":
    from workshops.transport import nodelay
    nodelay.no_delay = lambda sock: None
entry.main()
"""


def start(folder: Path, nodelay: str) -> tuple[BenchServer, object]:
    """A started ``diagnostic-server`` (``nodelay`` "on" or "off") and its seed."""
    server = BenchServer(folder, async_mode=PATCHED)
    server.command = [console_script("python"), "-c", ENTRY, nodelay]
    seed = server.prepare()
    server.start()
    return server, seed


def join(server: BenchServer, seed, name: str):
    """A phone joined through the pages, its socket open; returns (client, seconds)."""
    import requests
    import socketio

    began = time.perf_counter()
    http = requests.Session()
    page = http.get(f"{server.url}/j/{seed.join_code}", timeout=10)
    http.post(f"{server.url}/j/{seed.join_code}", timeout=10,
              data={"csrf_token": CSRF.search(page.text).group(1), "display_name": name})
    client = socketio.SimpleClient()
    client.connect(server.url, namespace="/live", transports=["websocket"],
                   headers={"Cookie": "; ".join(f"{c.name}={c.value}" for c in http.cookies)},
                   auth={"workshop_id": seed.workshop_id})
    while client.receive(timeout=10)[0] != "workshop_state":
        pass
    return client, time.perf_counter() - began


def acks(client, seed, count: int, pause: float) -> list[float]:
    """Seconds from sending each of ``count`` contributions to its acknowledgement."""
    times = []
    for number in range(count):
        payload = {"kind": "need", "client_id": uuid.uuid4().hex,
                   "need_category_id": seed.need_category_id, "description": f"Besoin {number}"}
        began = time.perf_counter()
        ack = client.call("submit_contribution", payload, timeout=10)
        times.append(time.perf_counter() - began)
        assert ack["ok"] is True, ack
        time.sleep(pause)
    return times


def measure(folder: Path, nodelay: str, args) -> dict[str, list[float]]:
    """One fresh server: the acknowledgement times of one phone, then sequential joins."""
    server, seed = start(folder, nodelay)
    clients = []
    try:
        phone, _ = join(server, seed, "Alice")
        clients.append(phone)
        ack_times = acks(phone, seed, args.submissions, args.pause)
        join_times = []
        for number in range(args.joins):
            client, seconds = join(server, seed, f"Phone {number}")
            clients.append(client)
            join_times.append(seconds)
        return {"ack": ack_times, "join": join_times}
    finally:
        server.stop()  # first: a client's own disconnect waits seconds for the server
        for client in clients:
            client.disconnect()


def main(argv: list[str] | None = None) -> None:
    """Alternate servers with and without TCP_NODELAY; print medians and 90th percentiles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--pause", type=float, default=0.05)
    parser.add_argument("--joins", type=int, default=30)
    args = parser.parse_args(argv)
    results: dict[str, dict[str, list[float]]] = {"on": {}, "off": {}}
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(args.rounds):
            for nodelay in ("on", "off"):
                figures = measure(Path(folder) / f"{nodelay}{round_}", nodelay, args)
                for name, times in figures.items():
                    results[nodelay].setdefault(name, []).extend(times)
    for nodelay, figures in results.items():
        print(f"TCP_NODELAY {nodelay:>3}: " + "; ".join(
            f"{name} p50 {statistics.median(times) * 1e3:.1f} ms, "
            f"p90 {statistics.quantiles(times, n=10)[-1] * 1e3:.1f} ms ({len(times)})"
            for name, times in figures.items()))


if __name__ == "__main__":
    main()
