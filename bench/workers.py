"""The participants' phones, spread over several generator processes.

One asyncio process spends tens of microseconds of CPU on each message a client receives
(docs/PERFORMANCE.md, "What is measured, and how"), and 500 phones receive 500 copies of
every contribution: one process measured its own backlog (the latency at the median phone
grew with it) and saturated at 50 contributions/s. The phones are therefore split over
``processes`` worker processes (participant ``i`` lives in worker ``i mod P``); the
coordinator (``bench.scenarios``) keeps the board, sends commands over a pipe and merges
what the workers report. Send and receive times are ``time.monotonic()``: CLOCK_MONOTONIC
is one clock for every process of the machine, so a latency can start in one process and
end in another.

Commands (a dict with ``cmd``), each answered by one reply:

- ``join``: join this worker's participants, each at its slot of the shared join window;
- ``freeze``: the clients are made, keep them out of the garbage collector's full passes;
- ``send``: submit the planned contributions ``(k, participant, at)``, wait for the acks;
  meanwhile, if asked, some participants drop their socket and reconnect (``reconnect``);
- ``drain``: wait (bounded) until every client holds every acknowledged id, then report;
- ``measure``: report a step's deliveries as they are now (late ones included), per room,
  and the clients' ordering counters (``bench.order``);
- ``close``: disconnect every client and end.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import time
import uuid
from typing import Any

from .order import ORDER_COUNTERS
from .server import Seed
from .stats import process_cpu_seconds
from .swarm import NAMESPACE, Client, Receipts, Swarm, run_generator


def order_counts(clients: list[Client]) -> dict[str, int]:
    """The ordering counters (``bench.order``) summed over ``clients``."""
    return {name: sum(c.order.counts[name] for c in clients) for name in ORDER_COUNTERS}


def deliveries(receipts: Receipts, receivers: list[Client], acked: set[str]) -> dict[str, Any]:
    """What ``receivers`` got of the acknowledged ids: latencies, missing, duplicates."""
    missing = sum(len(acked - set(receipts.seen[c.index])) for c in receivers)
    examples = [{"client": c.index, "role": c.role, "missing": n, "last_seq": c.order.last_seq,
                 "held": c.order.held, "syncing": c.order.syncing, **c.order.counts}
                for c in receivers if (n := len(acked - set(receipts.seen[c.index])))][:3]
    duplicates = sum(n - 1 for client in receivers for n in receipts.seen[client.index].values()
                     if n > 1)
    return {"latencies": list(receipts.latencies), "missing": missing,
            "duplicates": duplicates, "receivers": len(receivers),
            "missing_examples": examples}


async def drain(swarm: Swarm, receipts: Receipts, acked: set[str], deadline: float) -> None:
    """Wait until every ready client of ``swarm`` received every acked id, or ``deadline``."""
    loop = asyncio.get_running_loop()
    expected = len(acked) * len(swarm.ready)
    while receipts.total() < expected and loop.time() < deadline:
        await asyncio.sleep(0.05)


class Worker:
    """One generator process's side: its clients and its share of each step.

    With several rooms (``bench.rooms``), participant ``i`` joins room ``i mod K``; each
    room has its own swarm (its receipts), the acked ids of a step come per room.
    """

    def __init__(self, url: str, rooms: list[Seed]) -> None:
        self.swarms = [Swarm(url, seed.workshop_id, seed.join_code, seed.target) for seed in rooms]
        self.seeds = rooms
        self.by_index: dict[int, Client] = {}

    @property
    def swarm(self) -> Swarm:
        """The first room's swarm (the only one with one room)."""
        return self.swarms[0]

    async def join(self, indices: list[int], start: float, window: float,
                   total: int) -> dict[str, Any]:
        """Join participant ``i`` at ``start + i × window / total``; times and failures."""
        loop = asyncio.get_running_loop()

        async def one(i: int) -> float:
            await asyncio.sleep(max(0.0, start + i * window / total - loop.time()))
            swarm = self.swarms[i % len(self.swarms)]
            client, seconds = await swarm.join_participant(f"Participant {i + 1}")
            self.by_index[i] = client
            return seconds

        results = await asyncio.gather(*(one(i) for i in indices), return_exceptions=True)
        return {
            "times": [r for r in results if isinstance(r, float)],
            "errors": [f"{type(r).__name__}: {r}" for r in results
                       if isinstance(r, BaseException)],
            "joined": sorted(i for i, client in self.by_index.items() if client.ready),
        }

    async def send(self, prefix: str, plan: list[tuple[int, int, float]],
                   reconnect: dict[str, Any] | None = None) -> dict[str, Any]:
        """Submit contribution ``k`` from participant ``i`` at ``at``; wait for every ack.

        ``reconnect`` (``{"indices", "at", "offline"}``): those participants drop their
        socket at ``at`` and come back ``offline`` s later, meanwhile.
        """
        loop = asyncio.get_running_loop()
        for swarm in self.swarms:
            swarm.steps.setdefault(prefix, Receipts())
        dropping = asyncio.ensure_future(self.reconnect(**reconnect) if reconnect
                                         else asyncio.sleep(0, []))
        record: dict[str, list] = {"sent": [], "acked": [], "failures": [], "ack_latencies": []}

        async def submit(k: int, index: int) -> None:
            client = self.by_index[index]
            category = self.seeds[index % len(self.seeds)].need_category_id
            client_id = f"{prefix}{k}x{uuid.uuid4().hex[:10]}"
            sent = time.monotonic()
            payload = {"kind": "need", "client_id": client_id,
                       "need_category_id": category,
                       "description": f"bench {client_id} {sent:.6f}"}
            record["sent"].append(client_id)
            try:
                ack = await client.sio.call("submit_contribution", payload,
                                            namespace=NAMESPACE, timeout=30)
            except Exception as error:  # a timeout or a dropped socket is a failure
                record["failures"].append(f"{type(error).__name__}: {error}")
                return
            if isinstance(ack, dict) and ack.get("ok"):
                record["acked"].append(client_id)
                record["ack_latencies"].append(time.monotonic() - sent)
            else:
                record["failures"].append(str(ack)[:200])

        tasks = []
        for k, index, at in plan:
            delay = at - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(submit(k, index)))
        last_sent = loop.time()
        await asyncio.gather(*tasks)
        return {**record, "last_sent": last_sent, "reconnections": await dropping}

    async def reconnect(self, indices: list[int], at: float,
                        offline: float) -> list[dict[str, Any]]:
        """Participants ``indices`` drop at ``at`` and reconnect with ``auth.last_seq``."""
        await asyncio.sleep(max(0.0, at - asyncio.get_running_loop().time()))

        async def one(i: int) -> dict[str, Any]:
            try:
                kind = await self.by_index[i].reconnect(offline)
            except Exception as error:  # counted as a failed reconnection
                kind = f"error: {type(error).__name__}: {error}"
            return {"index": i, "room": i % len(self.swarms), "kind": kind}

        return list(await asyncio.gather(*(one(i) for i in indices if i in self.by_index)))

    async def drain(self, prefix: str, acked: list[list[str]],
                    deadline: float) -> dict[str, Any]:
        """Wait for this worker's clients to hold every acked id of their room (bounded),
        then report; ``acked`` has one list per room."""
        await asyncio.gather(*(drain(swarm, swarm.steps.setdefault(prefix, Receipts()),
                                     set(ids), deadline)
                               for swarm, ids in zip(self.swarms, acked, strict=True)))
        return self.measure(prefix, acked)

    def measure(self, prefix: str, acked: list[list[str]]) -> dict[str, Any]:
        """This worker's deliveries of a step as they are now, one entry per room."""
        rooms = [deliveries(swarm.steps.setdefault(prefix, Receipts()), swarm.ready, set(ids))
                 for swarm, ids in zip(self.swarms, acked, strict=True)]
        return {"rooms": rooms, "unknown": sum(swarm.unknown for swarm in self.swarms),
                "order": [order_counts(swarm.clients) for swarm in self.swarms]}


async def _serve(connection, url: str, rooms: list[Seed]) -> None:
    """Answer the coordinator's commands until ``close``."""
    worker = Worker(url, rooms)
    loop = asyncio.get_running_loop()
    while True:
        message = await loop.run_in_executor(None, connection.recv)
        command = message.pop("cmd")
        try:
            if command == "join":
                reply = await worker.join(**message)
            elif command == "freeze":
                gc.collect()
                gc.freeze()
                reply = {}
            elif command == "send":
                reply = await worker.send(**message)
            elif command == "drain":
                reply = await worker.drain(**message)
            elif command == "measure":
                reply = worker.measure(**message)
            else:  # close
                for swarm in worker.swarms:
                    await swarm.close()
                connection.send({})
                return
        except Exception as error:  # reported to the coordinator, which records it
            reply = {"error": f"{type(error).__name__}: {error}"}
        connection.send(reply)


def _main(connection, url: str, rooms: list[Seed]) -> None:
    """A worker process's entry point."""
    run_generator(_serve(connection, url, rooms))


class WorkerPool:
    """The coordinator's handle on the worker processes: commands to all, replies merged."""

    def __init__(self, processes: int, url: str, rooms: list[Seed]) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a running event loop
        self.connections = []
        self.processes = []
        for _ in range(processes):
            parent, child = context.Pipe()
            process = context.Process(
                target=_main, args=(child, url, rooms),
                daemon=True)
            process.start()
            self.connections.append(parent)
            self.processes.append(process)

    def __len__(self) -> int:
        return len(self.processes)

    async def ask(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send one message to each worker and wait for every reply."""
        loop = asyncio.get_running_loop()
        for connection, message in zip(self.connections, messages, strict=True):
            connection.send(message)
        replies = await asyncio.gather(*(loop.run_in_executor(None, connection.recv)
                                         for connection in self.connections))
        errors = [reply["error"] for reply in replies if "error" in reply]
        if errors:
            raise RuntimeError(f"generator worker failed: {errors[0]}")
        return replies

    async def ask_all(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        """Send the same message to every worker."""
        return await self.ask([dict(message) for _ in self.connections])

    def cpu_seconds(self) -> float:
        """User + system CPU time the worker processes have used so far."""
        return sum(process_cpu_seconds(process.pid) for process in self.processes)

    async def close(self) -> None:
        """Disconnect every worker's clients and end the processes."""
        try:
            await asyncio.wait_for(self.ask_all({"cmd": "close"}), timeout=30)
        except Exception:  # a worker that died or hangs is ended below
            pass
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()

