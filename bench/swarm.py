"""The load generator's clients: phones that join over HTTP and a logged-in board.

Every client is a python-socketio ``AsyncClient`` on a real WebSocket (no polling) in
namespace ``/live``. Each contribution's description embeds its client id and the
monotonic time it was sent (``bench <client_id> <sent>``); every client records, on
``contribution_added``, receive time − send time, and counts how often it saw each id.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import uvloop

from .clients import SwarmSocketIOClient, check_client_internals
from .order import SequenceTracker
from .server import STAFF_EMAIL, STAFF_PASSWORD

NAMESPACE = "/live"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=60)


@dataclass
class Receipts:
    """What the clients received of one step: latencies and per-client id counts.

    Events that arrive after the step was first analysed still land here, so the final
    figures tell late deliveries from lost ones.
    """

    latencies: list[float] = field(default_factory=list)
    seen: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def total(self) -> int:
        """How many events the clients have received in this step."""
        return sum(sum(counter.values()) for counter in self.seen.values())


def run_generator(coroutine):
    """Run a generator process's clients on uvloop, asyncio's libuv event loop.

    Every message a phone receives passes through the event loop (the socket's readiness,
    aiohttp's reader, the client's task): at 500 phones and 10 contributions/s the stock
    loop's share of that was what the median phone waited for behind the others of its
    process. What it saves is measured in docs/PERFORMANCE.md ("Direct room writes and
    uvloop"). The clients are the same python-socketio ``AsyncClient``s, lightened
    (``bench/clients.py``), which refuse to run on libraries they were not written for.
    """
    check_client_internals()
    return uvloop.run(coroutine)


def step_prefix(client_id: str) -> str:
    """The step part of a benchmark client id (``s3r20x`` in ``s3r20x17xab12…``)."""
    return client_id.split("x", 1)[0] + "x"


class Client:
    """One Socket.IO connection (a participant's phone or the board).

    Every frame goes through the client's :class:`~bench.order.SequenceTracker`, as in the
    browser: numbered events are taken once and in order, a gap left open for 1.5 s asks
    ``sync``; a reconnection passes ``auth.last_seq`` (:meth:`reconnect`).
    """

    def __init__(self, index: int, role: str, swarm: Swarm) -> None:
        self.index = index
        self.role = role
        self.swarm = swarm
        self.order = SequenceTracker()
        self.cookie = ""
        self.token: str | None = None  # the Node peer's signed token (bench/peer/)
        self.workshop_id = swarm.workshop_id
        self._gap_timer: asyncio.TimerHandle | None = None
        self.drawn: set[str] = set()  # bench ids first received in a workshop_state
        self.sio = self._socket()
        self.state = asyncio.Event()
        self.ready = False

    def _socket(self) -> SwarmSocketIOClient:
        # Offer permessage-deflate as every browser does (aiohttp does not by default), so
        # the server's answer to a phone's offer is part of what is measured.
        sio = SwarmSocketIOClient(reconnection=False, handle_sigint=False,
                                  websocket_extra_options={"compress": 15})
        for name in ("workshop_state", "events_replay", "events_batch", "contribution_added"):
            sio.on(name, functools.partial(self._on_frame, name), namespace=NAMESPACE)
        sio.on("*", self._on_frame, namespace=NAMESPACE)  # any other event (with a seq?)
        return sio

    async def _on_frame(self, name: str, payload: Any = None) -> None:
        """One frame from the socket: ordered by the tracker, then recorded."""
        now = time.monotonic()
        self._deliver(self.order.receive(name, payload), now, replayed=name == "events_replay")
        if name in ("workshop_state", "events_replay"):
            self.state.set()  # the (re)connection is complete
        self._watch_gap()

    def _deliver(self, events: list, now: float, replayed: bool = False) -> None:
        for event, payload in events:
            if event == "contribution_added":
                self._record(payload, now, latency=not replayed)
            elif event == "workshop_state":  # a state redraws every item: count the new ones
                for item in payload.get("contributions") or []:
                    self._record(item, now, latency=False, once=True)

    def _watch_gap(self) -> None:
        """Check the open gap (if any) when the browser's wait is over."""
        if self._gap_timer is None and self.order.gap_open:
            self._gap_timer = asyncio.get_running_loop().call_later(
                self.order.wait, self._gap_expired)

    def _gap_expired(self) -> None:
        self._gap_timer = None
        if self.order.sync_due():
            self.order.sync_started()
            asyncio.ensure_future(self._sync())
        self._watch_gap()

    async def _sync(self) -> None:
        """Ask the whole state (the tracker holds events until it arrives)."""
        try:
            ack = await self.sio.call("sync", {}, namespace=NAMESPACE, timeout=10)
        except Exception:  # a timeout or a dropped socket: as the browser, show what is held
            ack = None
        if self.order.syncing and not (isinstance(ack, dict) and ack.get("ok")):
            self._deliver(self.order.sync_failed(), time.monotonic())
        self._watch_gap()

    def _record(self, item: dict, now: float, latency: bool = True, once: bool = False) -> None:
        """Count one benchmark contribution for this client and keep its latency (live
        events only: a replayed or redrawn item was not waited for in real time)."""
        parts = str(item.get("description") or "").split()
        if len(parts) != 3 or parts[0] != "bench":
            return
        client_id, sent = parts[1], float(parts[2])
        receipts = self.swarm.steps.get(step_prefix(client_id))
        if receipts is None:
            self.swarm.unknown += 0 if once else 1
            return
        if once:  # drawn from a state: counted unless already received
            if receipts.seen[self.index][client_id]:
                return
            self.drawn.add(client_id)
        elif client_id in self.drawn:  # its event after the state that drew it: the page
            self.drawn.discard(client_id)  # has it already (by id), not a second delivery
            return
        if latency:
            receipts.latencies.append(now - sent)
        receipts.seen[self.index][client_id] += 1

    def _auth(self) -> dict[str, Any]:
        auth: dict[str, Any] = {"workshop_id": self.workshop_id}
        if self.role == "board":
            auth["role"] = "board"
        if self.token is not None:
            auth["token"] = self.token  # the peer's signed token
        if self.order.last_seq is not None:
            auth["last_seq"] = self.order.last_seq  # what the browser passes on reconnecting
        return auth

    async def connect(self, workshop_id: int, cookie: str | None = None,
                      token: str | None = None) -> None:
        """Open the WebSocket with the session cookie (the project) or the signed token
        (the peer) and wait for the workshop state."""
        self.cookie, self.token, self.workshop_id = cookie, token, workshop_id
        self.state.clear()
        await self.sio.connect(self.swarm.url, namespaces=[NAMESPACE], transports=["websocket"],
                               headers={"Cookie": cookie} if cookie else {},
                               auth=self._auth(), wait_timeout=30)
        await asyncio.wait_for(self.state.wait(), timeout=30)
        self.ready = True

    async def reconnect(self, offline: float) -> str:
        """Drop the socket, stay away ``offline`` s, come back with ``auth.last_seq``.

        Returns how the server caught the client up: ``replay`` or ``state``.
        """
        before = dict(self.order.counts)
        self.order.disconnected()
        await self.sio.disconnect()
        await asyncio.sleep(offline)
        self.sio = self._socket()
        await self.connect(self.workshop_id, cookie=self.cookie, token=self.token)
        return "replay" if self.order.counts["replays"] > before["replays"] else "state"


class Swarm:
    """All the clients of one run, sharing one event loop and one receipts record."""

    def __init__(self, url: str, workshop_id: int, join_code: str,
                 target: str = "project") -> None:
        self.url = url
        self.workshop_id = workshop_id
        self.join_code = join_code
        self.target = target  # "project", or "peer": the Node peer's join (bench/peer/)
        self.clients: list[Client] = []
        self.steps: dict[str, Receipts] = {}
        self.unknown = 0  # benchmark events of no step of this run (should stay 0)

    def new_client(self, role: str = "participant") -> Client:
        """A client with the next index (its slot in the receipts)."""
        client = Client(len(self.clients), role, self)
        self.clients.append(client)
        return client

    @property
    def ready(self) -> list[Client]:
        """Every client (participants and board) that received the workshop state."""
        return [c for c in self.clients if c.ready]

    def begin_step(self, prefix: str) -> Receipts:
        """Start recording a new step whose client ids start with ``prefix``."""
        self.steps[prefix] = Receipts()
        return self.steps[prefix]

    async def _form_session(self, path: str, data: dict[str, str]) -> str:
        """GET a form for its CSRF token, POST it, return the resulting Cookie header."""
        jar = aiohttp.CookieJar(unsafe=True)  # 127.0.0.1 is an IP: accept its cookies
        async with aiohttp.ClientSession(cookie_jar=jar, timeout=HTTP_TIMEOUT) as http:
            async with http.get(self.url + path) as page:
                token = CSRF.search(await page.text())
            if token is None:
                raise RuntimeError(f"no CSRF token on {path}")
            async with http.post(self.url + path, data={"csrf_token": token.group(1), **data}) \
                    as response:
                await response.read()
                if response.status != 200 or str(response.url).endswith(path):
                    raise RuntimeError(f"POST {path} failed: HTTP {response.status}")
            return "; ".join(f"{c.key}={c.value}" for c in jar)

    async def _token(self, path: str, data: dict[str, str]) -> str:
        """POST JSON to one of the peer's routes (``/join``, ``/login``); its signed token."""
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as http:
            async with http.post(self.url + path, json=data) as response:
                body = await response.json()
                if response.status != 200:
                    raise RuntimeError(f"POST {path} failed: HTTP {response.status} {body}")
                return body["token"]

    async def join_participant(self, name: str) -> tuple[Client, float]:
        """Join through ``/j/<code>`` like a phone (the peer: ``POST /join``), connect,
        wait for the state.

        Returns the client and the seconds from the first request to the state received.
        """
        started = time.monotonic()
        client = self.new_client()
        if self.target == "peer":
            token = await self._token("/join", {"name": name, "code": self.join_code})
            await client.connect(self.workshop_id, token=token)
        else:
            cookie = await self._form_session(f"/j/{self.join_code}", {"display_name": name})
            await client.connect(self.workshop_id, cookie=cookie)
        return client, time.monotonic() - started

    async def join_board(self) -> None:
        """Log the staff account in (``/auth/login``, or the peer's ``/login``) and connect
        the board."""
        board = self.new_client("board")
        if self.target == "peer":
            token = await self._token("/login", {"password": STAFF_PASSWORD})
            await board.connect(self.workshop_id, token=token)
            return
        cookie = await self._form_session(
            "/auth/login", {"email": STAFF_EMAIL, "password": STAFF_PASSWORD})
        await board.connect(self.workshop_id, cookie=cookie)

    async def close(self) -> None:
        """Disconnect every client."""
        await asyncio.gather(*(c.sio.disconnect() for c in self.clients),
                             return_exceptions=True)
