"""The load generator against a real production-like server, tiny, so bench/ cannot rot.

Only counts are checked (never timings): every contribution is acknowledged, stored once
and received exactly once by every client, board included.
"""

from __future__ import annotations

import json
import shutil
import urllib.request

import pytest
import socketio

from bench.report import markdown
from bench.run import machine
from bench.scenarios import Options, run_suite
from bench.server import BenchServer
from bench.swarm import run_generator

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("mode", ["threading", "gevent", "gevent-patched"])
def test_five_participants_for_two_seconds_lose_and_double_nothing(tmp_path, mode):
    # gevent is a regular dependency (diagnostic-server): its modes run, never skip.
    server = BenchServer(tmp_path, mode)
    seed = server.prepare()
    server.start()
    try:
        options = Options(rates=(5,), step_seconds=2, drain_seconds=10, join_window=1)
        result = run_generator(run_suite(server, seed, 5, options))
    finally:
        server.stop()

    assert result["join_storm"]["joined"] == 5 and result["join_storm"]["failed"] == 0
    assert result["memory"]["rss_after_kb"] > 0
    [step] = result["steps"]
    assert step["sent"] == step["acked"] == 10 and step["ack_failures"] == 0
    assert step["receivers"] == 6  # five phones and the board
    assert step["missing_deliveries"] == 0 and step["duplicate_deliveries"] == 0
    assert step["latency"]["n"] == 10 * 6
    assert result["database"] == {"sent": 10, "acked": 10, "acked_not_stored": 0,
                                  "stored_twice_or_more": 0, "stored_not_sent": 0,
                                  "stored_but_refused": 0, "stored_total": 10}
    report = {"command": "test", "started": "now", "machine": machine(),
              "code": {"commit": "abc", "snapshot": False, "working_tree_dirty": False},
              "database": "SQLite file", "runs": [dict(result, mode=mode,
                                                       load_average_at_start=[0, 0, 0])]}
    assert f"| {mode} | 5 |" in markdown(report)


def test_the_node_peer_loses_and_doubles_nothing_either(tmp_path):
    # The peer (bench/peer/) is installed by `make bench` only: without it, nothing to run.
    from bench.peer_server import PEER_DIR, PeerServer

    if shutil.which("node") is None or not (PEER_DIR / "node_modules").is_dir():
        pytest.skip("the Node peer is not installed (npm ci --prefix bench/peer)")
    server = PeerServer(tmp_path)
    seed = server.prepare()
    server.start()
    try:
        options = Options(rates=(5,), step_seconds=2, drain_seconds=10, join_window=1)
        result = run_generator(run_suite(server, seed, 5, options))
        first, again, added = _resend_to_peer(server.url, seed)
    finally:
        server.stop()

    # A resend of a stored client id is acknowledged with the stored item, sent once.
    assert first["ok"] and again == first and added == [first["id"]]
    assert server.stored_client_ids(seed.workshop_id)["resent-12345"] == 1

    assert result["join_storm"]["joined"] == 5 and result["join_storm"]["failed"] == 0
    [step] = result["steps"]
    assert step["sent"] == step["acked"] == 10 and step["receivers"] == 6
    assert step["missing_deliveries"] == 0 and step["duplicate_deliveries"] == 0
    assert result["database"]["acked_not_stored"] == 0
    assert result["database"]["stored_twice_or_more"] == 0
    assert result["database"]["stored_total"] == 10


def _resend_to_peer(url: str, seed) -> tuple[dict, dict, list[int]]:
    """Join the peer, submit one contribution twice; both acks and the ids the room sent."""
    request = urllib.request.Request(
        url + "/join", json.dumps({"name": "Resend", "code": seed.join_code}).encode(),
        {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        token = json.load(response)["token"]
    added: list[int] = []
    client = socketio.Client(reconnection=False)
    client.on("contribution_added", lambda item: added.append(item["id"]), namespace="/live")
    client.connect(url, namespaces=["/live"], transports=["websocket"],
                   auth={"workshop_id": seed.workshop_id, "token": token}, wait_timeout=10)
    try:
        payload = {"kind": "need", "client_id": "resent-12345", "description": "deux fois",
                   "need_category_id": seed.need_category_id}
        first = client.call("submit_contribution", payload, namespace="/live", timeout=10)
        again = client.call("submit_contribution", payload, namespace="/live", timeout=10)
        # The room's events arrive in order: once the next item's is in, a second
        # announcement of the resent one would have been too.
        last = client.call("submit_contribution", {**payload, "client_id": "after-12345"},
                           namespace="/live", timeout=10)
        for _ in range(100):
            if last["id"] in added:
                break
            client.sleep(0.05)
    finally:
        client.disconnect()
    return first, again, [i for i in added if i != last["id"]]
