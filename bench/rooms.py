"""Several rooms in one run, and the phones that drop and reconnect during a step.

Rooms (``--rooms K``): K workshops are seeded (``BenchServer.prepare_rooms``); participant
``i`` joins room ``i mod K`` (so the rooms differ by one participant at most) and each
room has its board. A step's rate is the **total** for the server by default (the
contributions are sent round-robin over every participant, hence spread evenly over the
rooms); ``--rate-per-room`` makes it each room's rate (K times as many in all). Every
contribution goes to its sender's room only, so deliveries are checked per room: each
client must receive exactly the acked ids of its own room.

Reconnections (``--reconnect-fraction``): in every step, that fraction of the joined
participants (at least one when it is above 0) drops its socket a third into the step and
reconnects ``--offline-seconds`` later with ``auth.last_seq``, as the browser does. They
send nothing during that step; what was acked while they were away must reach them through
``events_replay`` (or a full ``workshop_state``), which the loss check counts like any
other delivery (their replayed items do not enter the latency figures).
"""

from __future__ import annotations

import random
import secrets
from typing import Any

from .order import ORDER_COUNTERS
from .stats import percentiles


def room_of(index: int, rooms: int) -> int:
    """The room of participant ``index``."""
    return index % rooms


def split_by_room(client_ids: list[str], prefix: str, rooms_of_k: dict[int, int],
                  rooms: int) -> list[list[str]]:
    """The client ids of a step, one list per room (``k`` is the id's number in the step)."""
    result: list[list[str]] = [[] for _ in range(rooms)]
    for client_id in client_ids:
        k = int(client_id[len(prefix):].split("x", 1)[0])
        result[rooms_of_k[k]].append(client_id)
    return result


def pick_reconnecting(joined: list[int], fraction: float, number: int) -> list[int]:
    """The participants that drop and reconnect during step ``number`` (reproducible)."""
    if fraction <= 0 or not joined:
        return []
    count = min(len(joined), max(1, round(fraction * len(joined))))
    return sorted(random.Random(number).sample(joined, count))


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum deliveries (board's and workers', of one room or all) into a step's figures."""
    latencies = [x for part in parts for x in part["latencies"]]
    return {"latency": percentiles(latencies),
            "missing_deliveries": sum(part["missing"] for part in parts),
            "duplicate_deliveries": sum(part["duplicates"] for part in parts),
            "receivers": sum(part["receivers"] for part in parts),
            "missing_examples": [x for part in parts
                                 for x in part.get("missing_examples", [])][:3]}


def per_room(boards: list[dict[str, Any]], workers: list[dict[str, Any]]) -> list[dict]:
    """Each room's figures: its board's deliveries and every worker's part of the room."""
    return [merge([board, *(reply["rooms"][room] for reply in workers)])
            for room, board in enumerate(boards)]


def sum_counts(counts: list[dict[str, int]]) -> dict[str, int]:
    """Ordering counters summed."""
    return {name: sum(c.get(name, 0) for c in counts) for name in ORDER_COUNTERS}


def ordering(boards: list[dict[str, int]], workers: list[dict[str, Any]]) -> dict[str, Any]:
    """The clients' ordering counters, overall and per room, with the ratios reported."""
    rooms = [sum_counts([board, *(reply["order"][room] for reply in workers)])
             for room, board in enumerate(boards)]
    overall = with_ratios(sum_counts(rooms))
    return {**overall, "rooms": [with_ratios(room) for room in rooms] if len(rooms) > 1
            else []}


def with_ratios(counts: dict[str, int]) -> dict[str, Any]:
    """Counters plus full states per reconnection and syncs per reconnection (%)."""
    reconnections = counts["reconnections"]

    def ratio(n: int) -> float | None:
        return round(100 * n / reconnections, 2) if reconnections else None

    return {**counts, "full_states_per_reconnection_pct": ratio(counts["reconnect_states"]),
            "syncs_per_reconnection_pct": ratio(counts["syncs"])}


def reconnection_summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    """What the step's reconnections got: replays, full states, failures."""
    return {"reconnections": len(records),
            "replays": sum(1 for r in records if r["kind"] == "replay"),
            "full_states": sum(1 for r in records if r["kind"] == "state"),
            "failed": sum(1 for r in records if r["kind"] not in ("replay", "state")),
            "failure_examples": [r["kind"] for r in records
                                 if r["kind"] not in ("replay", "state")][:3]}


def unshared_workshop_ids(session: Any) -> None:
    """On PostgreSQL, start the workshop ids at a random high number.

    Redis pub/sub channels belong to the whole Redis server, not to a database number: the
    app's processes all publish on Flask-SocketIO's one channel, so every other deployment
    or test server using the same Redis (any db number) sends its room ``workshop:1`` events
    to our ``workshop:1`` too, seen here as gaps, stale seqs and syncs. Ids no other fresh
    database hands out keep the bench's rooms apart (the others' traffic still reaches the
    server processes, for rooms without members).
    """
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT setval(pg_get_serial_sequence('workshop', 'id'), :n)"),
                        {"n": 1_000_000 + secrets.randbelow(1_000_000_000)})

