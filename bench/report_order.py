"""The report's tables about ordering, reconnections and rooms (``results.md``).

Counters come from every client's :class:`bench.order.SequenceTracker` (``run["order"]``),
reconnections from each step (``step["reconnection"]``), per-room figures from
``step["final"]["rooms"]`` when a run had several rooms (``bench.rooms``).
"""

from __future__ import annotations

from typing import Any

FULL_SYNC_LIMIT_PCT = 1.0  # issue 18: full syncs ≤ 1 % of reconnections


def _v(value: Any) -> str:
    """A figure, or a dash."""
    return "–" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def full_syncs(order: dict[str, Any]) -> int:
    """Full states a client had to take: after a reconnection or a sync."""
    return order.get("reconnect_states", 0) + order.get("syncs", 0)


def sync_verdict(run: dict[str, Any]) -> bool | None:
    """Full syncs ≤ 1 % of reconnections (None: no reconnection measured)."""
    order = run.get("order") or {}
    reconnections = order.get("reconnections", 0)
    if not reconnections:
        return None
    return 100 * full_syncs(order) / reconnections <= FULL_SYNC_LIMIT_PCT


def _reconnections(run: dict[str, Any]) -> dict[str, int]:
    """The steps' reconnection records summed."""
    total = {"reconnections": 0, "replays": 0, "full_states": 0, "failed": 0}
    for step in run.get("steps", []):
        for key in total:
            total[key] += (step.get("reconnection") or {}).get(key, 0)
    return total


def _order_row(label: str, order: dict[str, Any]) -> str:
    reconnections = order.get("reconnections", 0)
    pct = (f"{100 * full_syncs(order) / reconnections:.1f}" if reconnections else "–")
    return (f"| {label} | {order.get('out_of_order', 0)} | {order.get('gaps', 0)} / "
            f"{order.get('gaps_filled', 0)} | {order.get('stale', 0)} | "
            f"{order.get('syncs', 0)} / {order.get('sync_failures', 0)} | {reconnections} | "
            f"{order.get('replays', 0)} ({order.get('replayed_events', 0)} events) | "
            f"{order.get('reconnect_states', 0)} | {pct} |")


def ordering_lines(report: dict[str, Any]) -> list[str]:
    """Ordering and reconnection tables, then the per-room steps of multi-room runs."""
    runs = [r for r in report["runs"] if "error" not in r and r.get("order")]
    if not runs:
        return []
    lines = ["", "Ordering at the clients (as the browser: a gap waits 1.5 s, then `sync`), "
             "and reconnections (`auth.last_seq`; loss is checked for them like for every "
             "client):", "",
             "| run (room) | out-of-order arrivals | gaps / filled in time | stale dropped "
             "| syncs / failed | reconnections | replays (events replayed) "
             "| full states on reconnection | full syncs per reconnection % |",
             "|---|---|---|---|---|---|---|---|---|"]
    for run in runs:
        label = f"{run['mode']}, {run['participants']}"
        rooms = run["order"].get("rooms") or []
        lines.append(_order_row(label + (f", {len(rooms)} rooms" if rooms else ""),
                                run["order"]))
        lines += [_order_row(f"{label}, room {n}", room)
                  for n, room in enumerate(rooms, start=1)]
    lines += ["", "| run | reconnections (steps) | replays | full states | failed "
              "| full syncs ≤ 1 % of reconnections |", "|---|---|---|---|---|---|"]
    for run in runs:
        total = _reconnections(run)
        mark = {True: "met", False: "**MISSED**", None: "not measured"}[sync_verdict(run)]
        lines.append(f"| {run['mode']}, {run['participants']} | {total['reconnections']} | "
                     f"{total['replays']} | {total['full_states']} | {total['failed']} "
                     f"| {mark} |")
    for run in (r for r in runs if r.get("cluster")):
        cluster = run["cluster"]
        lines += ["", f"{run['mode']}, {run['participants']}: CPU seconds of each worker "
                  f"{cluster['worker_cpu_s']}, of nginx {cluster['nginx_cpu_s']}; sockets "
                  f"held by each worker after the joins {cluster['worker_sockets_at_rss']}."]
    multi = [r for r in runs if r.get("rooms", 1) > 1]
    if multi:
        lines += ["", "Each room of the multi-room runs (final figures, late deliveries "
                  "included; rates are " + ("per room" if multi[0].get("rate_per_room")
                                            else "totals for the server") + "):", "",
                  "| run | rate /s | room | receivers | p50 | p99 | max (ms) "
                  "| still missing | dup |", "|---|---|---|---|---|---|---|---|---|"]
        for run in multi:
            for step in run.get("steps", []):
                for n, room in enumerate(step["final"].get("rooms", []), start=1):
                    lat = room["latency"]
                    lines.append(
                        f"| {run['mode']}, {run['participants']} | {step['rate']:g} | {n} "
                        f"| {room['receivers']} | {_v(lat['p50_ms'])} | {_v(lat['p99_ms'])} "
                        f"| {_v(lat['max_ms'])} | {room['missing_deliveries']} "
                        f"| {room['duplicate_deliveries']} |")
    return lines
