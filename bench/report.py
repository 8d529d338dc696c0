"""The Markdown tables of a benchmark report (``results.md``) and the targets' verdicts."""

from __future__ import annotations

from typing import Any

from .report_order import ordering_lines
from .report_peer import peer_markdown

TARGET_PARTICIPANTS = 500


def _ms(value: float | None) -> str:
    """A millisecond figure, or a dash."""
    return "–" if value is None else f"{value:g}"


def step_at(run: dict[str, Any], rate: float) -> dict[str, Any] | None:
    """The run's step at ``rate`` contributions/s, if it got that far."""
    return next((s for s in run.get("steps", []) if s["rate"] == rate), None)


def _p(step: dict[str, Any] | None, key: str) -> float | None:
    """A final latency percentile of a step (late deliveries included), if measured."""
    if step is None:
        return None
    value = step.get("final", step)["latency"][key]
    return 1e9 if value is None else value


def verdicts(run: dict[str, Any]) -> dict[str, bool | None]:
    """Each issue target met (True), missed (False) or not measured (None) by one run."""
    slow, burst = step_at(run, 10), step_at(run, 50)
    storm = run.get("join_storm")
    memory = run.get("memory")
    database = run.get("database", {})
    no_loss = None
    if burst:
        final = burst.get("final", burst)
        no_loss = (final["never_received"] == 0 and final["duplicate_deliveries"] == 0
                   and burst["ack_failures"] == 0 and database.get("acked_not_stored") == 0
                   and database.get("stored_twice_or_more") == 0)
    if str(run.get("mode", "")).startswith("cluster"):  # issue 18: workers behind nginx
        latencies = {
            "10/s: p99 ≤ 150 ms": None if not slow else _p(slow, "p99_ms") <= 150,
            "50/s burst: p99 ≤ 400 ms": None if not burst else _p(burst, "p99_ms") <= 400,
        }
    else:  # issue 17: one process
        latencies = {
            "10/s: p50 ≤ 20 ms": None if not slow else _p(slow, "p50_ms") <= 20,
            "10/s: p99 ≤ 100 ms": None if not slow else _p(slow, "p99_ms") <= 100,
            "50/s burst: p99 ≤ 250 ms": None if not burst else _p(burst, "p99_ms") <= 250,
        }
    return {
        **latencies,
        "50/s burst: zero loss": no_loss,
        "joins in 10 s: p99 ≤ 1 s": None if not storm
        else storm["failed"] == 0 and (storm["join_time"]["p99_ms"] or 1e9) <= 1000,
        "RSS ≤ 250 KB per connection": None if not memory
        else memory["rss_per_connection_kb"] <= 250,
    }


def _join_cpu(storm: dict[str, Any]) -> str:
    """The server's CPU per join during the storm (every worker's), in ms."""
    if not storm.get("joined") or storm.get("server_cpu_pct") is None:
        return "–"
    return f"{storm['server_cpu_pct'] * storm['wall_s'] * 10 / storm['joined']:.1f}"


def _mark(value: bool | None) -> str:
    """met / MISSED / not measured."""
    return {True: "met", False: "**MISSED**", None: "not measured"}[value]


def markdown(report: dict[str, Any]) -> str:
    """The whole report as Markdown: machine, summary, targets, every step."""
    m = report["machine"]
    lines = [
        f"Command: `{report['command']}` — started {report['started']}; database: "
        f"{report['database']}; code: commit {report['code']['commit']}"
        + (" (snapshot of the commit)" if report["code"]["snapshot"]
           else " (working tree" + (", with uncommitted changes)"
                                    if report["code"]["working_tree_dirty"] else ")"))
        + ".", "",
        f"Machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['memory_mb']} MB RAM, "
        f"Python {m['python']}, Linux {m['kernel']}. Load generator: the board in the main "
        f"process, the participants in {report.get('generator_processes', 1)} worker "
        "process(es)."
        + (f" Peer: {report['peer']}." if report.get("peer") else ""), "",
        "| mode | participants | load avg at start | join p50 / p99 (ms) | failed joins "
        "| server CPU per join (ms) "
        "| RSS / connection (KB) | threads after joins | sustained /s (p99 ≤ 1 s) "
        "| DB: acked not stored / stored twice / refused yet stored |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in report["runs"]:
        if "error" in run:
            lines.append(f"| {run['mode']} | {run['participants']} | "
                         f"{run['load_average_at_start'][0]} | error: {run['error']} |||||| ")
            continue
        storm, mem, db = run["join_storm"], run["memory"], run["database"]
        lines.append(
            f"| {run['mode']} | {run['participants']} | {run['load_average_at_start'][0]} "
            f"| {_ms(storm['join_time']['p50_ms'])} / {_ms(storm['join_time']['p99_ms'])} "
            f"| {storm['failed']} | {_join_cpu(storm)} "
            f"| {mem['rss_per_connection_kb']} | {mem['threads_after']} "
            f"| {run['sustained_rate']:g} | {db['acked_not_stored']} / "
            f"{db['stored_twice_or_more']} / {db.get('stored_but_refused', '?')} |")
    lines += ["", f"Targets at {TARGET_PARTICIPANTS} participants (a cluster's: issue 18's, "
              "for any number of rooms):", ""]
    targets = [r for r in report["runs"] if "error" not in r and (
        r["participants"] == TARGET_PARTICIPANTS or str(r["mode"]).startswith("cluster"))]
    if targets:
        names = list(verdicts(targets[0]))
        lines += ["| target | " + " | ".join(r["mode"] for r in targets) + " |",
                  "|---|" + "---|" * len(targets)]
        for name in names:
            lines.append(f"| {name} | "
                         + " | ".join(_mark(verdicts(r)[name]) for r in targets) + " |")
    lines += peer_markdown(report)
    lines += ["", "Every step (latency = submit → `contribution_added` at every client, "
              "board included):", "",
              "| mode | N | rate /s | achieved /s | p50 | p95 | p99 | max (ms) | ack p99 (ms) "
              "| late after drain / still missing at the end | dup | ack failures | server CPU % "
              "| generator CPU % |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for run in report["runs"]:
        for s in run.get("steps", []):
            lat = s["final"]["latency"]  # late deliveries included
            lines.append(
                f"| {run['mode']} | {run['participants']} | {s['rate']:g} | "
                f"{s['achieved_rate']:g} | {_ms(lat['p50_ms'])} | {_ms(lat['p95_ms'])} | "
                f"{_ms(lat['p99_ms'])} | {_ms(lat['max_ms'])} | "
                f"{_ms(s['ack_latency']['p99_ms'])} | {s['missing_deliveries']} / "
                f"{s['final']['never_received']} | {s['final']['duplicate_deliveries']} | "
                f"{s['ack_failures']} | {s['server_cpu_pct']} | {s['generator_cpu_pct']} |")
    lines += ordering_lines(report)  # ordering, reconnections, rooms (bench/report_order.py)
    return "\n".join(lines) + "\n"
