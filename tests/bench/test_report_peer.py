"""The report's comparison with the Node peer: project / peer cells and the issue's targets.

Pure functions on made-up run records: neither Node nor the peer's install is needed.
"""

from __future__ import annotations

from bench.report_peer import join_cpu_ms, pairs, peer_markdown, ratio
from bench.run import parse_args, plan


def _run(mode: str, participants: int, *, cpu_pct: float, p99_10: float,
         p99_50: float | None) -> dict:
    """A run record shaped like bench.scenarios.run_suite's, with the compared figures."""
    def step(rate: float, p99: float) -> dict:
        latency = {"n": 10, "p50_ms": p99 / 2, "p95_ms": p99, "p99_ms": p99, "max_ms": p99}
        return {"rate": rate, "latency": latency, "server_cpu_pct": 10.0,
                "final": {"latency": latency}}

    steps = [step(10, p99_10)] + ([step(50, p99_50)] if p99_50 is not None else [])
    return {"mode": mode, "participants": participants, "sustained_rate": 50,
            "join_storm": {"joined": participants, "server_cpu_pct": cpu_pct, "wall_s": 10.0,
                           "join_time": {"p99_ms": 300.0}},
            "memory": {"rss_per_connection_kb": 100.0}, "steps": steps}


def test_a_cell_shows_both_values_and_the_ratio():
    assert ratio(12.3, 4.1) == "12.3 / 4.1 (3.00×)"
    assert ratio(5, 10) == "5 / 10 (0.50×)"


def test_a_missing_or_zero_peer_value_gives_no_ratio():
    assert ratio(None, 4.1) == "– / 4.1"
    assert ratio(3.0, None) == "3 / –"
    assert ratio(3.0, 0) == "3 / 0"


def test_join_cpu_is_the_servers_cpu_time_per_join():
    # 20 % of a core for 10 s over 200 joins = 2 s / 200 = 10 ms per join.
    assert join_cpu_ms(_run("peer", 200, cpu_pct=20, p99_10=1, p99_50=1)) == 10
    assert join_cpu_ms({"mode": "peer", "participants": 0}) is None


def test_each_project_run_is_compared_with_the_peer_run_of_its_participants():
    report = {"runs": [
        _run("threading", 200, cpu_pct=50, p99_10=30, p99_50=200),
        _run("gevent", 200, cpu_pct=60, p99_10=15, p99_50=None),
        _run("threading", 50, cpu_pct=50, p99_10=30, p99_50=200),  # no peer run at 50
        _run("peer", 200, cpu_pct=20, p99_10=20, p99_50=100),
        {"mode": "peer", "participants": 500, "error": "RuntimeError: boom"},
        _run("threading", 500, cpu_pct=50, p99_10=30, p99_50=200),  # the peer failed
    ]}
    assert [(p["mode"], p["participants"]) for p, _ in pairs(report)] == [
        ("threading", 200), ("gevent", 200)]
    text = "\n".join(peer_markdown(report))
    # Join CPU 25 ms vs 10 ms; 10/s p99 30 vs 20 (1.5×, met); 50/s p99 200 vs 100 (missed).
    assert "| threading | 200 | 25 / 10 (2.50×) |" in text
    assert "| join: server CPU ≤ 3× the peer's | met | met |" in text
    assert "| 10/s: p99 ≤ 1.5× the peer's | met | met |" in text
    assert "| 50/s burst: p99 ≤ 1.5× the peer's | **MISSED** | not measured |" in text
    assert "| threading | 50 |" not in text and "| threading | 500 |" not in text


def test_without_a_peer_run_the_report_has_no_comparison():
    assert peer_markdown({"runs": [_run("threading", 200, cpu_pct=5, p99_10=1,
                                        p99_50=1)]}) == []


def test_both_targets_run_the_project_then_the_peer_for_each_count():
    args = parse_args(["--target", "both", "--participants", "200,500",
                       "--modes", "threading,gevent"])
    assert plan(args) == [("threading", 200), ("gevent", 200), ("peer", 200),
                          ("threading", 500), ("gevent", 500), ("peer", 500)]
    assert plan(parse_args(["--participants", "50,200", "--modes", "threading,gevent"])) == [
        ("threading", 50), ("threading", 200), ("gevent", 50), ("gevent", 200)]
    assert plan(parse_args(["--target", "peer", "--participants", "50"])) == [("peer", 50)]
