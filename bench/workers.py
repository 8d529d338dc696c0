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
- ``drain``: wait (bounded) until every client holds every acknowledged id, then report;
- ``measure``: report a step's deliveries as they are now (late ones included);
- ``close``: disconnect every client and end.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import time
import uuid
from typing import Any

from .stats import process_cpu_seconds
from .swarm import NAMESPACE, Client, Receipts, Swarm, run_generator


def deliveries(receipts: Receipts, receivers: list[Client], acked: set[str]) -> dict[str, Any]:
    """What ``receivers`` got of the acknowledged ids: latencies, missing, duplicates."""
    missing = sum(len(acked - set(receipts.seen[c.index])) for c in receivers)
    duplicates = sum(n - 1 for client in receivers for n in receipts.seen[client.index].values()
                     if n > 1)
    return {"latencies": list(receipts.latencies), "missing": missing,
            "duplicates": duplicates, "receivers": len(receivers)}


async def drain(swarm: Swarm, receipts: Receipts, acked: set[str], deadline: float) -> None:
    """Wait until every ready client of ``swarm`` received every acked id, or ``deadline``."""
    loop = asyncio.get_running_loop()
    expected = len(acked) * len(swarm.ready)
    while receipts.total() < expected and loop.time() < deadline:
        await asyncio.sleep(0.05)


class Worker:
    """One generator process's side: its clients and its share of each step."""

    def __init__(self, url: str, workshop_id: int, join_code: str,
                 need_category_id: int, target: str = "project") -> None:
        self.swarm = Swarm(url, workshop_id, join_code, target)
        self.need_category_id = need_category_id
        self.by_index: dict[int, Client] = {}

    async def join(self, indices: list[int], start: float, window: float,
                   total: int) -> dict[str, Any]:
        """Join participant ``i`` at ``start + i × window / total``; times and failures."""
        loop = asyncio.get_running_loop()

        async def one(i: int) -> float:
            await asyncio.sleep(max(0.0, start + i * window / total - loop.time()))
            client, seconds = await self.swarm.join_participant(f"Participant {i + 1}")
            self.by_index[i] = client
            return seconds

        results = await asyncio.gather(*(one(i) for i in indices), return_exceptions=True)
        return {
            "times": [r for r in results if isinstance(r, float)],
            "errors": [f"{type(r).__name__}: {r}" for r in results
                       if isinstance(r, BaseException)],
            "joined": sorted(i for i, client in self.by_index.items() if client.ready),
        }

    async def send(self, prefix: str, plan: list[tuple[int, int, float]]) -> dict[str, Any]:
        """Submit contribution ``k`` from participant ``i`` at ``at``; wait for every ack."""
        loop = asyncio.get_running_loop()
        self.swarm.steps.setdefault(prefix, Receipts())
        record: dict[str, list] = {"sent": [], "acked": [], "failures": [], "ack_latencies": []}

        async def submit(k: int, client: Client) -> None:
            client_id = f"{prefix}{k}x{uuid.uuid4().hex[:10]}"
            sent = time.monotonic()
            payload = {"kind": "need", "client_id": client_id,
                       "need_category_id": self.need_category_id,
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
            tasks.append(asyncio.create_task(submit(k, self.by_index[index])))
        last_sent = loop.time()
        await asyncio.gather(*tasks)
        return {**record, "last_sent": last_sent}

    async def drain(self, prefix: str, acked: list[str], deadline: float) -> dict[str, Any]:
        """Wait for this worker's clients to hold every acked id (bounded), then report."""
        receipts = self.swarm.steps.setdefault(prefix, Receipts())
        await drain(self.swarm, receipts, set(acked), deadline)
        return self.measure(prefix, acked)

    def measure(self, prefix: str, acked: list[str]) -> dict[str, Any]:
        """This worker's deliveries of a step as they are now."""
        receipts = self.swarm.steps.setdefault(prefix, Receipts())
        return {**deliveries(receipts, self.swarm.ready, set(acked)),
                "unknown": self.swarm.unknown}


async def _serve(connection, url: str, workshop_id: int, join_code: str,
                 need_category_id: int, target: str) -> None:
    """Answer the coordinator's commands until ``close``."""
    worker = Worker(url, workshop_id, join_code, need_category_id, target)
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
                await worker.swarm.close()
                connection.send({})
                return
        except Exception as error:  # reported to the coordinator, which records it
            reply = {"error": f"{type(error).__name__}: {error}"}
        connection.send(reply)


def _main(connection, url: str, workshop_id: int, join_code: str,
          need_category_id: int, target: str) -> None:
    """A worker process's entry point."""
    run_generator(_serve(connection, url, workshop_id, join_code, need_category_id, target))


class WorkerPool:
    """The coordinator's handle on the worker processes: commands to all, replies merged."""

    def __init__(self, processes: int, url: str, workshop_id: int, join_code: str,
                 need_category_id: int, target: str = "project") -> None:
        context = multiprocessing.get_context("spawn")  # never fork a running event loop
        self.connections = []
        self.processes = []
        for _ in range(processes):
            parent, child = context.Pipe()
            process = context.Process(
                target=_main,
                args=(child, url, workshop_id, join_code, need_category_id, target),
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

