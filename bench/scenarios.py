"""One benchmark run: N participants + one board in one room, against one server.

Phases: the board logs in; the join storm (N joins spread over the join window); RSS per
connection; then steps of contributions at rising rates, each followed by a drain, until
p99 passes 1 s; finally every sent client id is checked against the database.
"""

from __future__ import annotations

import asyncio
import gc
import time
import uuid
from dataclasses import dataclass
from typing import Any

from .server import BenchServer, Seed
from .stats import CpuMeter, percentiles
from .swarm import NAMESPACE, Client, Receipts, Swarm

P99_LIMIT_S = 1.0


@dataclass
class Options:
    """How hard and how long to push (see ``bench.run`` for the defaults)."""

    rates: tuple[float, ...] = (5, 10, 20, 50, 100, 200)
    step_seconds: float = 10.0
    drain_seconds: float = 5.0
    join_window: float = 10.0


class Step:
    """The submissions of one step and their acknowledgements."""

    def __init__(self, swarm: Swarm, seed: Seed, prefix: str) -> None:
        self.swarm = swarm
        self.seed = seed
        self.prefix = prefix
        self.sent: list[str] = []
        self.acked: list[str] = []
        self.failures: list[str] = []
        self.ack_latencies: list[float] = []

    async def submit(self, k: int) -> None:
        """Send contribution ``k`` from participant ``k mod N`` and wait for its ack."""
        participants = self.swarm.participants
        client = participants[k % len(participants)]
        client_id = f"{self.prefix}{k}x{uuid.uuid4().hex[:10]}"
        sent = time.monotonic()
        payload = {"kind": "need", "client_id": client_id,
                   "need_category_id": self.seed.need_category_id,
                   "description": f"bench {client_id} {sent:.6f}"}
        self.sent.append(client_id)
        try:
            ack = await client.sio.call("submit_contribution", payload, namespace=NAMESPACE,
                                        timeout=30)
        except Exception as error:  # a timeout or a dropped socket is a failure, not a crash
            self.failures.append(f"{type(error).__name__}: {error}")
            return
        if isinstance(ack, dict) and ack.get("ok"):
            self.acked.append(client_id)
            self.ack_latencies.append(time.monotonic() - sent)
        else:
            self.failures.append(str(ack)[:200])


def measure(step: Step, receipts: Receipts, receivers: list[Client]) -> dict[str, Any]:
    """A step's delivery figures: latencies, missing and duplicate deliveries, verdict."""
    acked = set(step.acked)
    missing = sum(len(acked - set(receipts.seen[c.index])) for c in receivers)
    duplicates = sum(n - 1 for counter in receipts.seen.values()
                     for n in counter.values() if n > 1)
    latency = percentiles(receipts.latencies)
    ok = (latency["p99_ms"] is not None and latency["p99_ms"] <= P99_LIMIT_S * 1000
          and missing == 0 and duplicates == 0 and not step.failures)
    return {"latency": latency, "missing_deliveries": missing,
            "duplicate_deliveries": duplicates, "ok": ok}


async def run_step(swarm: Swarm, seed: Seed, server: BenchServer, rate: float,
                   options: Options, number: int) -> tuple[dict[str, Any], Step, Receipts]:
    """Send ``rate`` contributions/s for ``step_seconds``, drain, and measure.

    Returns the figures as first seen after the drain, the step and its receipts (still
    filling with late deliveries, re-measured at the end of the run).
    """
    prefix = f"s{number}r{int(rate)}x"
    receipts = swarm.begin_step(prefix)
    step = Step(swarm, seed, prefix)
    meter = CpuMeter(server.cpu_seconds)
    loop = asyncio.get_running_loop()
    count = max(1, int(rate * options.step_seconds))
    start = loop.time()
    tasks = []
    for k in range(count):
        delay = start + k / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(step.submit(k)))
    send_seconds = loop.time() - start + 1 / rate  # the last one owns a 1/rate slot too
    await asyncio.gather(*tasks)
    receivers = swarm.ready
    deadline = loop.time() + options.drain_seconds
    while receipts.total() < len(step.acked) * len(receivers) and loop.time() < deadline:
        await asyncio.sleep(0.05)
    result = {
        "rate": rate, "sent": len(step.sent), "acked": len(step.acked),
        "ack_failures": len(step.failures), "failure_examples": step.failures[:3],
        "achieved_rate": round(len(step.sent) / send_seconds, 1),
        "ack_latency": percentiles(step.ack_latencies), "receivers": len(receivers),
        **measure(step, receipts, receivers), **meter.read(),
    }
    return result, step, receipts


async def join_storm(swarm: Swarm, participants: int, window: float) -> dict[str, Any]:
    """N participants join within ``window`` seconds (evenly spread); join times."""
    loop = asyncio.get_running_loop()
    start = loop.time()

    async def one(i: int) -> float:
        await asyncio.sleep(max(0.0, start + i * window / participants - loop.time()))
        return await swarm.join_participant(f"Participant {i + 1}")

    results = await asyncio.gather(*(one(i) for i in range(participants)),
                                   return_exceptions=True)
    times = [r for r in results if isinstance(r, float)]
    errors = [f"{type(r).__name__}: {r}" for r in results if isinstance(r, BaseException)]
    return {"joins": participants, "joined": len(times), "failed": len(errors),
            "error_examples": errors[:3], "wall_s": round(loop.time() - start, 2),
            "join_time": percentiles(times)}


async def run_suite(server: BenchServer, seed: Seed, participants: int,
                    options: Options) -> dict[str, Any]:
    """The whole measurement for one server and one number of participants."""
    swarm = Swarm(server.url, seed.workshop_id, seed.join_code)
    result: dict[str, Any] = {"participants": participants}
    try:
        await swarm.join_board()
        await asyncio.sleep(1)
        rss_before, threads_before = server.rss_kb(), server.threads()
        meter = CpuMeter(server.cpu_seconds)
        storm = await join_storm(swarm, participants, options.join_window)
        storm.update(meter.read())
        result["join_storm"] = storm
        await asyncio.sleep(2)
        rss_after = server.rss_kb()
        result["memory"] = {
            "rss_before_kb": rss_before, "rss_after_kb": rss_after,
            "threads_before": threads_before, "threads_after": server.threads(),
            "rss_per_connection_kb": round((rss_after - rss_before) / max(1, storm["joined"]), 1),
        }
        if not swarm.participants:
            raise RuntimeError("no participant could join")
        # The generator's clients now live until the end: keep them out of its garbage
        # collector's full passes, which would delay every client's receipts at once and
        # be counted as server latency.
        gc.collect()
        gc.freeze()
        steps, sent = [], []
        for number, rate in enumerate(options.rates, start=1):
            figures, step, receipts = await run_step(swarm, seed, server, rate, options,
                                                     number)
            steps.append((figures, step, receipts))
            sent += step.sent
            if not figures["ok"]:
                break
        # Give stragglers one more drain, then tell late deliveries from lost ones.
        await asyncio.sleep(options.drain_seconds if not steps[-1][0]["ok"] else 0)
        for figures, step, receipts in steps:
            final = measure(step, receipts, swarm.ready)
            figures["final"] = {"latency": final["latency"],
                                "never_received": final["missing_deliveries"],
                                "duplicate_deliveries": final["duplicate_deliveries"]}
        result["steps"] = [figures for figures, _, _ in steps]
        passing = [figures["rate"] for figures, _, _ in steps if figures["ok"]]
        result["sustained_rate"] = max(passing) if passing else 0
        result["unknown_deliveries"] = swarm.unknown
        acked = [c for _, step, _ in steps for c in step.acked]
    finally:
        await swarm.close()
    stored = server.stored_client_ids(seed.workshop_id)
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
