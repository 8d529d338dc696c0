"""Two rooms and phones that drop and reconnect, against a real server, tiny.

Only counts are checked (never timings): each reconnecting phone is caught up by an
``events_replay`` carrying what was acked while it was away, and every client of each
room holds exactly its room's contributions.
"""

from __future__ import annotations

import pytest

from bench.report import markdown
from bench.run import machine
from bench.scenarios import Options, run_suite
from bench.server import BenchServer
from bench.swarm import run_generator

pytestmark = pytest.mark.e2e


def test_two_rooms_with_two_phones_reconnecting_lose_and_double_nothing(tmp_path):
    server = BenchServer(tmp_path, "threading")
    seeds = server.prepare_rooms(2)
    server.start()
    try:
        options = Options(rates=(5,), step_seconds=3, drain_seconds=10, join_window=1,
                          reconnect_fraction=0.34, offline_seconds=1)
        result = run_generator(run_suite(server, seeds, 6, options))
    finally:
        server.stop()

    assert result["join_storm"]["joined"] == 6 and result["rooms"] == 2
    [step] = result["steps"]
    assert step["sent"] == step["acked"] == 15 and step["ack_failures"] == 0
    assert step["reconnection"] == {"reconnections": 2, "replays": 2, "full_states": 0,
                                    "failed": 0, "failure_examples": []}
    assert step["receivers"] == 8  # six phones and two boards
    assert [room["receivers"] for room in step["rooms"]] == [4, 4]
    assert step["final"]["never_received"] == 0 and step["final"]["duplicate_deliveries"] == 0
    order = result["order"]
    assert order["reconnections"] == 2 and order["replays"] == 2
    assert order["replayed_events"] > 0  # items acked while they were away came back
    assert order["syncs"] == 0 and order["reconnect_states"] == 0
    assert [room["initial_states"] for room in order["rooms"]] == [4, 4]
    assert result["database"]["acked_not_stored"] == 0
    assert result["database"]["stored_twice_or_more"] == 0
    report = {"command": "test", "started": "now", "machine": machine(),
              "code": {"commit": "abc", "snapshot": False, "working_tree_dirty": False},
              "database": "SQLite file", "runs": [dict(result, mode="threading",
                                                       load_average_at_start=[0, 0, 0])]}
    text = markdown(report)
    assert "| threading, 6, 2 rooms |" in text and "| threading, 6 | 5 | 2 |" in text
