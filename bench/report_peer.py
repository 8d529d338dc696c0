"""The project against the Node peer (``--target both``): each figure as project / peer.

For every number of participants measured with both, each project mode's figures stand
beside the peer's of the same run, with their ratio (issue 18's targets: a join's server
CPU within 3× the peer's, delivery p99 at 10/s and at 50/s within 1.5× the peer's, at 200
and 500 participants).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PEER = "peer"
TARGET_COUNTS = (200, 500)
JOIN_CPU_LIMIT = 3.0
LATENCY_LIMIT = 1.5

Run = dict[str, Any]


def ratio(project: float | None, peer: float | None) -> str:
    """``"12.3 / 4.1 (3.00×)"``: both absolute values and project ÷ peer; a dash for a
    value not measured, no ratio when either is missing or the peer's is zero."""
    def shown(value: float | None) -> str:
        return "–" if value is None else f"{value:g}"

    cell = f"{shown(project)} / {shown(peer)}"
    if project is None or peer is None or peer == 0:
        return cell
    return f"{cell} ({project / peer:.2f}×)"


def join_cpu_ms(run: Run) -> float | None:
    """The server's CPU time per join during the storm, in ms (CPU % × wall ÷ joins)."""
    storm = run.get("join_storm")
    if not storm or not storm.get("joined"):
        return None
    return round(storm["server_cpu_pct"] * storm["wall_s"] * 10 / storm["joined"], 2)


def _step(run: Run, rate: float) -> dict[str, Any] | None:
    return next((s for s in run.get("steps", []) if s["rate"] == rate), None)


def latency(rate: float, key: str) -> Callable[[Run], float | None]:
    """A final delivery percentile (late deliveries included) of the step at ``rate``."""
    def read(run: Run) -> float | None:
        step = _step(run, rate)
        return None if step is None else step.get("final", step)["latency"][key]
    return read


def server_cpu(rate: float) -> Callable[[Run], float | None]:
    """The server's CPU % during the step at ``rate``."""
    def read(run: Run) -> float | None:
        step = _step(run, rate)
        return None if step is None else step["server_cpu_pct"]
    return read


def _get(*path: str) -> Callable[[Run], float | None]:
    def read(run: Run) -> float | None:
        value: Any = run
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value
    return read


# (column heading, how to read the figure from a run)
FIGURES: list[tuple[str, Callable[[Run], float | None]]] = [
    ("server CPU per join (ms)", join_cpu_ms),
    ("join p99 (ms)", _get("join_storm", "join_time", "p99_ms")),
    ("RSS / connection (KB)", _get("memory", "rss_per_connection_kb")),
    ("10/s p50 (ms)", latency(10, "p50_ms")),
    ("10/s p99 (ms)", latency(10, "p99_ms")),
    ("50/s p99 (ms)", latency(50, "p99_ms")),
    ("server CPU at 10/s (%)", server_cpu(10)),
    ("server CPU at 50/s (%)", server_cpu(50)),
    ("sustained /s", _get("sustained_rate")),
]

# (target, how to read the figure, the largest project ÷ peer ratio that meets it)
TARGETS: list[tuple[str, Callable[[Run], float | None], float]] = [
    (f"join: server CPU ≤ {JOIN_CPU_LIMIT:g}× the peer's", join_cpu_ms, JOIN_CPU_LIMIT),
    (f"10/s: p99 ≤ {LATENCY_LIMIT:g}× the peer's", latency(10, "p99_ms"), LATENCY_LIMIT),
    (f"50/s burst: p99 ≤ {LATENCY_LIMIT:g}× the peer's", latency(50, "p99_ms"),
     LATENCY_LIMIT),
]


def pairs(report: dict[str, Any]) -> list[tuple[Run, Run]]:
    """(project run, peer run) for each project run whose participants the peer ran too."""
    runs = [r for r in report["runs"] if "error" not in r]
    peers = {r["participants"]: r for r in runs if r["mode"] == PEER}
    return [(r, peers[r["participants"]]) for r in runs
            if r["mode"] != PEER and r["participants"] in peers]


def met(project: Run, peer: Run, read: Callable[[Run], float | None],
        limit: float) -> bool | None:
    """Whether the project's figure is within ``limit`` × the peer's (None: not measured)."""
    mine, theirs = read(project), read(peer)
    if mine is None or theirs is None:
        return None
    return mine <= limit * theirs


def _mark(value: bool | None) -> str:
    return {True: "met", False: "**MISSED**", None: "not measured"}[value]


def peer_markdown(report: dict[str, Any]) -> list[str]:
    """The comparison's Markdown lines (none unless the peer ran beside the project)."""
    compared = pairs(report)
    if not compared:
        return []
    lines = ["", "Against the Node peer (`bench/peer/`, same run): each cell is "
             "project / peer (project ÷ peer); latencies include late deliveries.", "",
             "| mode | N | " + " | ".join(name for name, _ in FIGURES) + " |",
             "|---|---|" + "---|" * len(FIGURES)]
    for project, peer in compared:
        cells = [ratio(read(project), read(peer)) for _, read in FIGURES]
        lines.append(f"| {project['mode']} | {project['participants']} | "
                     + " | ".join(cells) + " |")
    at_targets = [(p, q) for p, q in compared if p["participants"] in TARGET_COUNTS]
    if at_targets:
        lines += ["", "Targets against the peer (issue 18):", "",
                  "| target | " + " | ".join(f"{p['mode']} {p['participants']}"
                                            for p, _ in at_targets) + " |",
                  "|---|" + "---|" * len(at_targets)]
        for name, read, limit in TARGETS:
            lines.append(f"| {name} | " + " | ".join(
                _mark(met(p, q, read, limit)) for p, q in at_targets) + " |")
    return lines
