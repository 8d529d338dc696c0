"""The load generator's python-socketio clients, lighter per received message.

They override private methods of python-engineio's and python-socketio's asyncio
clients: the only place of the bench that does. :func:`check_client_internals` checks,
when a generator process starts, that the installed libraries still have each of them
(the ranges of the app's transport self-check, ``workshops/transport/selfcheck.py``); if
not, the bench stops with the missing names rather than measure with clients that are
not the ones its figures were taken with.
"""

from __future__ import annotations

import json

import engineio
import socketio
from engineio import base_client as eio_base_client
from engineio import packet as eio_packet

from workshops.transport.selfcheck import ENGINEIO, SOCKETIO, Check


class InlineEngineIOClient(engineio.AsyncClient):
    """Engine.IO's asyncio client, lighter per received message.

    500 clients in one process receive tens of thousands of messages a second, and the
    stock client spends two asyncio tasks on each: one to hand the message to Socket.IO
    (so that a handler may wait on the same socket; the swarm's handlers never do) and one
    inside ``asyncio.wait_for`` around every WebSocket read (Python 3.11), plus a timer
    for the read's timeout, CPU time of the generator that counted as server latency
    (docs/PERFORMANCE.md, "What is measured, and how"). Here messages are handed to
    Socket.IO inline, in arrival order, and reads wait without a timer (on loopback a
    server that stops closes the connection); everything else is the stock client.
    """

    async def _trigger_event(self, event, *args, **kwargs):
        if event == "message":  # Socket.IO's coroutine, awaited in place
            return await self.handlers["message"](*args)
        return await super()._trigger_event(event, *args, **kwargs)

    async def _read_loop_websocket(self):
        """The stock read loop (python-engineio 4.x) without a task per read."""
        while self.state == "connected" and self.write_loop_task:
            try:
                # No timeout per read (a timer per message): a server that stops or dies
                # closes the loopback connection, which ends the loop like the stock one.
                message = await self.ws.receive()
            except Exception:  # a closed or broken connection: end as the stock loop does
                await self.queue.put(None)
                break
            if not isinstance(message.data, str | bytes):  # CLOSE, CLOSING, ERROR
                await self.queue.put(None)
                break
            try:
                pkt = eio_packet.Packet(encoded_packet=message.data)
            except Exception:
                await self.queue.put(None)
                break
            await self._receive_packet(pkt)
        if self.write_loop_task:
            await self.write_loop_task
        if self.state == "connected":
            await self._trigger_event("disconnect", self.reason.TRANSPORT_ERROR, run_async=False)
            try:
                eio_base_client.connected_clients.remove(self)
            except ValueError:
                pass
            await self._reset()


class SwarmSocketIOClient(socketio.AsyncClient):
    """python-socketio's ``AsyncClient`` on :class:`InlineEngineIOClient`, decoding with the
    standard ``json`` module.

    python-engineio's default ``json`` guards servers against huge integers with a
    ``parse_int`` callback, which makes ``json.loads`` build a new decoder for every
    message and call back into Python for every number (its share of the generator's CPU is
    in docs/PERFORMANCE.md, "What is measured, and how"). The swarm only reads its own
    server's messages, so it uses the plain module (this sets it for the process, which
    holds nothing but the swarm).
    """

    def __init__(self, **kwargs):
        super().__init__(json=json, **kwargs)

    def _engineio_client_class(self):
        return InlineEngineIOClient


def check_client_internals() -> None:
    """Raise when python-engineio or python-socketio lacks what these clients override."""
    check = Check("the bench's lighter clients", "no bench")
    check.version(ENGINEIO)
    check.version(SOCKETIO)
    client = engineio.AsyncClient
    check.attribute(client, "_trigger_event", parameters=("self", "event", "args", "kwargs"),
                    library=ENGINEIO)
    check.attribute(client, "_read_loop_websocket", parameters=("self",), library=ENGINEIO)
    check.attribute(client, "_receive_packet", parameters=("self", "pkt"), library=ENGINEIO)
    check.attribute(client, "_reset", parameters=("self",), library=ENGINEIO)
    check.attribute(client, "reason", library=ENGINEIO)
    check.instance_attributes(client, ("handlers", "state", "queue", "ws", "write_loop_task"),
                              library=ENGINEIO)
    check.require(isinstance(getattr(eio_base_client, "connected_clients", None), list),
                  "python-engineio has no engineio.base_client.connected_clients list")
    check.attribute(socketio.AsyncClient, "_engineio_client_class", parameters=("self",),
                    library=SOCKETIO)
    if not check.passed:
        raise RuntimeError("bench/clients.py cannot run: " + "; ".join(check.problems))
