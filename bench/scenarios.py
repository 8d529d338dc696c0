"""One benchmark run: N participants + one board in one room, against one server.

Phases: the board logs in; the join storm (N joins spread over the join window); RSS per
connection; then steps of contributions at rising rates, each followed by a drain, until
p99 passes 1 s; finally every sent client id is checked against the database. The board
lives in this process, the participants in ``Options.processes`` worker processes
(``bench.workers``).
"""

from __future__ import annotations

import asyncio
import gc
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .rooms import (
    ordering,
    per_room,
    pick_reconnecting,
    reconnection_summary,
    room_of,
    split_by_room,
)
from .server import BenchServer, Seed
from .stats import CpuMeter, own_cpu_seconds, percentiles
from .swarm import Swarm
from .workers import WorkerPool, deliveries, drain, order_counts

P99_LIMIT_S = 1.0


@dataclass
class Options:
    """How hard and how long to push (see ``bench.run`` for the defaults)."""

    rates: tuple[float, ...] = (5, 10, 20, 50, 100, 200)
    step_seconds: float = 10.0
    drain_seconds: float = 5.0
    join_window: float = 10.0
    processes: int = 2  # generator processes holding the participants (see bench.workers)
    # Several rooms and reconnections during each step (see bench.rooms).
    reconnect_fraction: float = 0.0
    offline_seconds: float = 2.0
    rate_per_room: bool = False


class Step:
    """The submissions of one step, gathered from every worker, and their acknowledgements."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.sent: list[str] = []
        self.acked: list[str] = []
        self.failures: list[str] = []
        self.ack_latencies: list[float] = []

    def add(self, record: dict[str, Any]) -> None:
        """Merge one worker's record of its sends."""
        self.sent += record["sent"]
        self.acked += record["acked"]
        self.failures += record["failures"]
        self.ack_latencies += record["ack_latencies"]


def merge_deliveries(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum the board's and the workers' deliveries into a step's figures and verdict."""
    latencies = [x for part in parts for x in part["latencies"]]
    missing = sum(part["missing"] for part in parts)
    duplicates = sum(part["duplicates"] for part in parts)
    return {"latency": percentiles(latencies), "missing_deliveries": missing,
            "duplicate_deliveries": duplicates,
            "receivers": sum(part["receivers"] for part in parts),
            # Who misses what (the first few): their ordering state tells why.
            "missing_examples": [x for part in parts
                                 for x in part.get("missing_examples", [])][:3]}


def verdict(figures: dict[str, Any], step: Step) -> bool:
    """A step passes with p99 ≤ 1 s, every acked item delivered once, and no failure."""
    p99 = figures["latency"]["p99_ms"]
    return (p99 is not None and p99 <= P99_LIMIT_S * 1000 and figures["missing_deliveries"] == 0
            and figures["duplicate_deliveries"] == 0 and not step.failures)


class Generator:
    """The load generator: the boards here, the participants in worker processes."""

    def __init__(self, server: BenchServer, seeds: list[Seed], processes: int) -> None:
        self.server = server
        self.boards = [Swarm(server.url, seed.workshop_id, seed.join_code, seed.target)
                       for seed in seeds]
        self.pool = WorkerPool(processes, server.url, seeds)
        self.joined: list[tuple[int, int]] = []  # (participant index, worker), join order
        self.rooms_of_k: dict[str, dict[int, int]] = {}  # per step: contribution k → room

    @property
    def board(self) -> Swarm:
        """The first room's board (the only one with one room)."""
        return self.boards[0]

    def cpu_seconds(self) -> float:
        """CPU time of every generator process (this one and the workers)."""
        return own_cpu_seconds() + self.pool.cpu_seconds()

    def meter(self) -> CpuMeter:
        """A CPU meter of the server and of the whole generator."""
        return CpuMeter(self.server.cpu_seconds, self.cpu_seconds)

    async def join_storm(self, participants: int, window: float) -> dict[str, Any]:
        """N participants join within ``window`` seconds, evenly spread over the workers."""
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.5  # every worker has the command before the first slot
        workers = len(self.pool)
        replies = await self.pool.ask([
            {"cmd": "join", "indices": list(range(w, participants, workers)),
             "start": start, "window": window, "total": participants}
            for w in range(workers)])
        times = [t for reply in replies for t in reply["times"]]
        errors = [e for reply in replies for e in reply["errors"]]
        self.joined = sorted((i, w) for w, reply in enumerate(replies) for i in reply["joined"])
        return {"joins": participants, "joined": len(times), "failed": len(errors),
                "error_examples": errors[:3], "wall_s": round(loop.time() - start, 2),
                "join_time": percentiles(times)}

    async def run_step(self, rate: float, options: Options,
                       number: int) -> tuple[dict[str, Any], Step]:
        """Send ``rate`` contributions/s for ``step_seconds`` round-robin over the
        participants, drain, and measure at every client."""
        prefix = f"s{number}r{int(rate)}x"
        receipts = [board.begin_step(prefix) for board in self.boards]
        step = Step(prefix)
        meter = self.meter()
        loop = asyncio.get_running_loop()
        total_rate = rate * (len(self.boards) if options.rate_per_room else 1)
        count = max(1, int(total_rate * options.step_seconds))
        start = loop.time() + 0.2
        away = pick_reconnecting([i for i, _ in self.joined], options.reconnect_fraction,
                                 number)
        senders = [(i, w) for i, w in self.joined if i not in set(away)] or self.joined
        plans: list[list[tuple[int, int, float]]] = [[] for _ in range(len(self.pool))]
        rooms_of_k = self.rooms_of_k.setdefault(prefix, {})
        for k in range(count):
            index, worker = senders[k % len(senders)]
            plans[worker].append((k, index, start + k / total_rate))
            rooms_of_k[k] = room_of(index, len(self.boards))
        reconnect = ({"indices": away, "at": start + options.step_seconds / 3,
                      "offline": options.offline_seconds} if away else None)
        replies = await self.pool.ask([{"cmd": "send", "prefix": prefix, "plan": plan,
                                        "reconnect": reconnect} for plan in plans])
        for reply in replies:
            step.add(reply)
        last_sent = max(reply["last_sent"] for reply in replies)
        send_seconds = last_sent - start + 1 / total_rate  # the last one owns a slot too
        acked = self.acked_by_room(step)
        deadline = loop.time() + options.drain_seconds
        workers, *_ = await asyncio.gather(
            self.pool.ask_all({"cmd": "drain", "prefix": prefix, "acked": acked,
                               "deadline": deadline}),
            *(drain(board, mine, set(ids), deadline)
              for board, mine, ids in zip(self.boards, receipts, acked, strict=True)))
        boards = [deliveries(mine, board.ready, set(ids))
                  for board, mine, ids in zip(self.boards, receipts, acked, strict=True)]
        rooms = per_room(boards, workers)
        figures = merge_deliveries([*boards, *(r for w in workers for r in w["rooms"])])
        result = {
            "rate": rate, "sent": len(step.sent), "acked": len(step.acked),
            "ack_failures": len(step.failures), "failure_examples": step.failures[:3],
            "achieved_rate": round(len(step.sent) / send_seconds, 1),
            "ack_latency": percentiles(step.ack_latencies), **figures,
            "ok": False, **meter.read(),
            "reconnection": reconnection_summary(
                [r for reply in replies for r in reply["reconnections"]]),
        }
        if len(self.boards) > 1:
            result["rooms"] = rooms
        result["ok"] = verdict(figures, step)
        return result, step

    def acked_by_room(self, step: Step) -> list[list[str]]:
        """The step's acked client ids, one list per room."""
        return split_by_room(step.acked, step.prefix, self.rooms_of_k[step.prefix],
                             len(self.boards))

    async def remeasure(self, step: Step) -> dict[str, Any]:
        """A step's deliveries now, late ones included."""
        acked = self.acked_by_room(step)
        boards = [deliveries(board.steps[step.prefix], board.ready, set(ids))
                  for board, ids in zip(self.boards, acked, strict=True)]
        workers = await self.pool.ask_all({"cmd": "measure", "prefix": step.prefix,
                                           "acked": acked})
        figures = merge_deliveries([*boards, *(r for w in workers for r in w["rooms"])])
        if len(self.boards) > 1:
            figures["rooms"] = per_room(boards, workers)
        return figures

    async def ordering(self) -> dict[str, Any]:
        """Every client's ordering counters (``bench.order``), overall and per room."""
        replies = await self.pool.ask_all(
            {"cmd": "measure", "prefix": "-", "acked": [[] for _ in self.boards]})
        return ordering([order_counts(board.clients) for board in self.boards], replies)

    async def unknown(self) -> int:
        """Benchmark events of no step of this run received anywhere (should stay 0)."""
        replies = await self.pool.ask_all(
            {"cmd": "measure", "prefix": "-", "acked": [[] for _ in self.boards]})
        return (sum(board.unknown for board in self.boards)
                + sum(reply["unknown"] for reply in replies))

    async def close(self) -> None:
        """Disconnect the boards and every worker's clients; end the workers."""
        for board in self.boards:
            await board.close()
        await self.pool.close()


async def run_suite(server: BenchServer, seed: Seed | list[Seed], participants: int,
                    options: Options) -> dict[str, Any]:
    """The whole measurement for one server and one number of participants (one room per
    seed, see ``bench.rooms``)."""
    seeds = seed if isinstance(seed, list) else [seed]
    processes = max(1, min(options.processes, participants))
    generator = Generator(server, seeds, processes)
    result: dict[str, Any] = {"participants": participants, "generator_processes": processes,
                              "rooms": len(seeds), "rate_per_room": options.rate_per_room,
                              "reconnect_fraction": options.reconnect_fraction}
    steps: list[tuple[dict[str, Any], Step]] = []
    try:
        for board in generator.boards:
            await board.join_board()
        await asyncio.sleep(1)
        rss_before, threads_before = server.rss_kb(), server.threads()
        meter = generator.meter()
        storm = await generator.join_storm(participants, options.join_window)
        storm.update(meter.read())
        result["join_storm"] = storm
        await asyncio.sleep(2)
        rss_after = server.rss_kb()
        result["memory"] = {
            "rss_before_kb": rss_before, "rss_after_kb": rss_after,
            "threads_before": threads_before, "threads_after": server.threads(),
            "rss_per_connection_kb": round((rss_after - rss_before) / max(1, storm["joined"]), 1),
        }
        if not generator.joined:
            raise RuntimeError("no participant could join")
        # The generator's clients now live until the end: keep them out of its garbage
        # collectors' full passes, which would delay every client's receipts at once and
        # be counted as server latency.
        await generator.pool.ask_all({"cmd": "freeze"})
        gc.collect()
        gc.freeze()
        for number, rate in enumerate(options.rates, start=1):
            figures, step = await generator.run_step(rate, options, number)
            steps.append((figures, step))
            if not figures["ok"]:
                break
        # Give stragglers one more drain, then tell late deliveries from lost ones.
        await asyncio.sleep(options.drain_seconds if not steps[-1][0]["ok"] else 0)
        for figures, step in steps:
            final = await generator.remeasure(step)
            figures["final"] = {"latency": final["latency"],
                                "never_received": final["missing_deliveries"],
                                "duplicate_deliveries": final["duplicate_deliveries"]}
            if "rooms" in final:
                figures["final"]["rooms"] = final["rooms"]
        result["steps"] = [figures for figures, _ in steps]
        passing = [figures["rate"] for figures, _ in steps if figures["ok"]]
        result["sustained_rate"] = max(passing) if passing else 0
        result["unknown_deliveries"] = await generator.unknown()
        result["order"] = await generator.ordering()
    finally:
        await generator.close()
    sent = [c for _, step in steps for c in step.sent]
    acked = [c for _, step in steps for c in step.acked]
    stored = sum((server.stored_client_ids(s.workshop_id) for s in seeds), Counter())
    result["database"] = {
        "sent": len(sent), "acked": len(acked),
        "acked_not_stored": sum(1 for c in acked if stored.get(c, 0) == 0),
        "stored_twice_or_more": sum(1 for n in stored.values() if n > 1),
        "stored_not_sent": len(set(stored) - set(sent)),
        # Refused in the ack yet stored: the phone resends, the room may never see it live.
        "stored_but_refused": len((set(stored) & set(sent)) - set(acked)),
        "stored_total": sum(stored.values()),
    }
    return result
