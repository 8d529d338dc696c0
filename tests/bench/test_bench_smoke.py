"""The load generator against a real production-like server, tiny, so bench/ cannot rot.

Only counts are checked (never timings): every contribution is acknowledged, stored once
and received exactly once by every client, board included.
"""

from __future__ import annotations

import pytest

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
