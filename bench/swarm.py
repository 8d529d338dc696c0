"""The load generator's clients: phones that join over HTTP and a logged-in board.

Every client is a python-socketio ``AsyncClient`` on a real WebSocket (no polling) in
namespace ``/live``. Each contribution's description embeds its client id and the
monotonic time it was sent (``bench <client_id> <sent>``); every client records, on
``contribution_added``, receive time − send time, and counts how often it saw each id.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import aiohttp
import uvloop

from .clients import SwarmSocketIOClient, check_client_internals
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
    """One Socket.IO connection (a participant's phone or the board)."""

    def __init__(self, index: int, role: str, swarm: Swarm) -> None:
        self.index = index
        self.role = role
        self.swarm = swarm
        # Offer permessage-deflate as every browser does (aiohttp does not by default), so
        # the server's answer to a phone's offer is part of what is measured.
        self.sio = SwarmSocketIOClient(reconnection=False, handle_sigint=False,
                                       websocket_extra_options={"compress": 15})
        self.state = asyncio.Event()
        self.ready = False
        self.sio.on("workshop_state", self._on_state, namespace=NAMESPACE)
        self.sio.on("contribution_added", self._on_added, namespace=NAMESPACE)
        self.sio.on("events_batch", self._on_batch, namespace=NAMESPACE)

    async def _on_state(self, _state: dict) -> None:
        """The workshop state arrived: the join is complete."""
        self.state.set()

    async def _on_batch(self, batch: dict) -> None:
        """Several room events in one frame (a busy room): take each contribution."""
        now = time.monotonic()
        for event in batch.get("events") or []:
            if event.get("name") == "contribution_added":
                self._record(event.get("payload") or {}, now)

    async def _on_added(self, item: dict) -> None:
        """Record the latency of a benchmark contribution and count it for this client."""
        self._record(item, time.monotonic())

    def _record(self, item: dict, now: float) -> None:
        """Count one benchmark contribution for this client and keep its latency."""
        parts = str(item.get("description") or "").split()
        if len(parts) != 3 or parts[0] != "bench":
            return
        client_id, sent = parts[1], float(parts[2])
        receipts = self.swarm.steps.get(step_prefix(client_id))
        if receipts is None:
            self.swarm.unknown += 1
            return
        receipts.latencies.append(now - sent)
        receipts.seen[self.index][client_id] += 1

    async def connect(self, workshop_id: int, cookie: str | None = None,
                      token: str | None = None) -> None:
        """Open the WebSocket with the session cookie (the project) or the signed token
        (the peer) and wait for the workshop state."""
        auth: dict[str, object] = {"workshop_id": workshop_id}
        if self.role == "board":
            auth["role"] = "board"
        if token is not None:
            auth["token"] = token
        await self.sio.connect(self.swarm.url, namespaces=[NAMESPACE], transports=["websocket"],
                               headers={"Cookie": cookie} if cookie else {}, auth=auth,
                               wait_timeout=30)
        await asyncio.wait_for(self.state.wait(), timeout=30)
        self.ready = True


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
