"""The production cluster as ``diagnostic cluster`` starts it: nginx (deploy/nginx.conf) in
front of two ``diagnostic-server`` workers on PostgreSQL and Redis, one room on both.

Phones on WebSocket and on forced long-polling are spread over both workers by the
recipe's sticky cookie, a board (a logged-in staff socket) sits on worker B; worker A is
killed (SIGKILL) while phones submit; its phones reconnect through nginx to B with their
``last_seq``, get the events they missed and resend what was not acknowledged (same
``client_id``). In the end every item reached every client and the board once, in ``seq``
order without gaps.

Runs when DIAGNOSTIC_TEST_DATABASE_URL (PostgreSQL: the cluster gets its own fresh
database on that server, dropped afterwards) and DIAGNOSTIC_TEST_REDIS_URL are set, as
``.ci/run`` does (``make test`` runs this file in its PostgreSQL pass); needs nginx.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import socketio
import urllib3
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from diagnostic.models import Role, User
from tests.workshops.test_production_setup import open_workshop
from workshops.cluster import Cluster

DATABASE_URL = os.environ.get("DIAGNOSTIC_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("DIAGNOSTIC_TEST_REDIS_URL", "")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STAFF = ("staff@example.org", "cluster-password-123")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not (DATABASE_URL.startswith("postgresql") and REDIS_URL),
                       reason="needs DIAGNOSTIC_TEST_DATABASE_URL (PostgreSQL) and "
                              "DIAGNOSTIC_TEST_REDIS_URL"),
]


@contextmanager
def fresh_database():
    """A new database on the test PostgreSQL server, dropped afterwards."""
    server = make_url(DATABASE_URL)
    name = f"diagnostic_cluster_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Seeder:
    """What open_workshop needs of a server: an app context on the cluster's database."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    @contextmanager
    def app_context(self):
        from workshops import create_app
        from workshops.extensions import db

        app = create_app({"SQLALCHEMY_DATABASE_URI": self.cluster.database_url})
        with app.app_context():
            yield db
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def cluster(tmp_path):
    if not Path(NGINX).exists():
        pytest.fail("nginx not found: .ci/run installs Debian's nginx-light")
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    with fresh_database() as database_url:
        cluster = Cluster(tmp_path / "cluster", database_url=database_url, redis_url=REDIS_URL,
                          https_port=0, http_port=0, worker_ports=[0, 0],
                          debug_upstream=True)  # 0: a free port when starting
        cluster.prepare()
        seeder = Seeder(cluster)
        with seeder.app_context() as db:
            user = User(email=STAFF[0], name="Chargée d'étude", role=Role.STAFF)
            user.set_password(STAFF[1])
            db.session.add(user)
            db.session.commit()
        cluster.start(NGINX)
        try:
            yield cluster, open_workshop(seeder)
        finally:
            cluster.stop()


class Browser(requests.Session):
    """A cookie jar accepting the cluster's self-signed certificate (per request: a
    session-wide verify=False loses to REQUESTS_CA_BUNDLE)."""

    def request(self, method, url, **kwargs):
        kwargs.setdefault("verify", False)
        return super().request(method, url, **kwargs)


def browser_session(cluster: Cluster) -> tuple[requests.Session, int]:
    """A new browser (cookie jar): its first page picks its worker; returns that port."""
    http = Browser()
    page = http.get(cluster.url + "/join", timeout=10)
    assert page.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{32}", http.cookies["diag_route"])
    return http, upstream_port(page)


def upstream_port(response) -> int:
    return int(response.headers["x-upstream"].rsplit(":", 1)[1])  # any case in requests


def post_form(http: requests.Session, url: str, data: dict) -> requests.Response:
    """A form post as the browser sends it: CSRF token of the page, Referer (HTTPS)."""
    page = http.get(url, timeout=10)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    return http.post(url, data={"csrf_token": token, **data}, headers={"Referer": url},
                     timeout=10)


REORDER_WAIT_S = 1.5  # LIVE_CLIENT_REORDER_WAIT_MS's default, the page's wait on a gap


class LiveClient:
    """A python-socketio client that keeps what it received and reconnects with last_seq."""

    def __init__(self, name: str, cluster: Cluster, http: requests.Session, auth: dict,
                 transports: list[str]) -> None:
        self.name, self.auth, self.transports = name, auth, transports
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        self.last_seq: int | None = None
        self.items: list[int] = []     # contribution ids shown: from a state, then added
        self.applied: list[int] = []   # the seqs applied, in order
        self.raw: list[int] = []       # every numbered event's seq, in arrival order
        self.gaps: list[tuple[int, int]] = []
        self.held: list[tuple[int, str, dict]] | None = None   # while a sync is on its way
        self.gap_open = False  # a gap held for the browser's bounded wait (sequence.js)
        self.received: list[str] = []  # frame names, for diagnosis
        self.sync_acks: list = []
        self.lock = threading.Lock()
        # The browser's own cookie jar: python-engineio sends its cookies with every poll
        # and with the WebSocket upgrade, as a browser does, diag_route included.
        self.sio = socketio.Client(http_session=http, ssl_verify=False,
                                   reconnection_delay=0.2, reconnection_delay_max=1,
                                   randomization_factor=0)
        self.sio.on("*", self._event, namespace="/live")
        self.sio.on("disconnect", self._disconnected, namespace="/live")
        self.sio.connect(cluster.url, namespaces=["/live"], transports=transports,
                         auth=self._auth, wait_timeout=10)

    def _auth(self) -> dict:
        return {**self.auth, **({} if self.last_seq is None else {"last_seq": self.last_seq})}

    def _event(self, name: str, data=None) -> None:
        """What static/js/live.js does with a frame (the rules of sequence.js)."""
        with self.lock:
            self.received.append(name)
            if name == "workshop_state":
                self.last_seq = data["seq"]
                self.items = [item["id"] for item in data["contributions"]]
                held, self.held = self.held or [], None
                for event in held:
                    self._take(*event)
            elif name == "events_replay":
                # After a reconnection: every event after last_seq, from the database, in
                # order; it ends a hold as a state does.
                held, self.held = self.held or [], None
                for event in data["events"]:
                    self.raw.append(event["seq"])
                    self._take(event["seq"], event["name"], event["payload"])
                for event in held:
                    self._take(*event)
            elif name == "events_batch":
                for event in data["events"]:
                    self.raw.append(event["seq"])
                    self._take(event["seq"], event["name"], event["payload"])
            elif isinstance(data, dict) and isinstance(data.get("seq"), int):
                self.raw.append(data["seq"])
                self._take(data["seq"], name, data)

    def _disconnected(self, *_reason) -> None:
        """As sequence.js's disconnected(): hold what comes until the state or replay."""
        with self.lock:
            self.held, self.gap_open = [], False

    def _take(self, seq: int, name: str, payload: dict) -> None:
        if self.held is not None:
            self.held.append((seq, name, payload))
            if self.gap_open:
                self._release_in_order()
        elif self.last_seq is not None and seq <= self.last_seq:
            return  # already shown (in the state, or a replay overlap)
        elif self.last_seq is not None and seq > self.last_seq + 1:
            # A gap: hold what follows for the browser's bounded wait (reorder_wait_ms);
            # only a gap still open after it counts, and asks for a fresh state.
            self.held, self.gap_open = [(seq, name, payload)], True
            self.sio.start_background_task(self._gap_wait, self.last_seq)
        else:
            self._apply(seq, name, payload)

    def _apply(self, seq: int, name: str, payload: dict) -> None:
        self.applied.append(seq)
        self.last_seq = seq
        if name == "contribution_added":
            self.items.append(payload["id"])

    def _release_in_order(self) -> None:
        """The missing numbers came within the wait: show everything in order."""
        self.held.sort(key=lambda event: event[0])
        while self.held and self.held[0][0] <= self.last_seq + 1:
            seq, name, payload = self.held.pop(0)
            if seq == self.last_seq + 1:
                self._apply(seq, name, payload)
        if not self.held:
            self.held, self.gap_open = None, False

    def _gap_wait(self, at: int) -> None:
        time.sleep(REORDER_WAIT_S)
        with self.lock:
            if not (self.gap_open and self.last_seq == at and self.held):
                return
            self.gaps.append((self.last_seq, min(seq for seq, _n, _p in self.held)))
            self.gap_open = False  # now held for the sync's state
        self._sync()

    def _sync(self) -> None:
        """Ask for the whole state until it comes (or a reconnection's replay ends the
        hold): a sync sent while the socket was moving to another worker is lost."""
        for _ in range(10):
            try:
                ack = self.sio.call("sync", namespace="/live", timeout=5)
            except socketio.exceptions.SocketIOError as error:
                ack = repr(error)
            with self.lock:
                self.sync_acks.append(ack)
                if self.held is None:
                    return
            time.sleep(1)

    def contribution_ids(self) -> list[int]:
        with self.lock:
            return list(self.items)

    def submit(self, payload: dict, deadline: float) -> dict:
        """Send until acknowledged (a resend keeps the client_id), as live.js's outbox."""
        while time.monotonic() < deadline:
            try:
                ack = self.sio.call("submit_contribution", payload, namespace="/live",
                                    timeout=3)
            except (socketio.exceptions.TimeoutError,
                    socketio.exceptions.BadNamespaceError, socketio.exceptions.SocketIOError):
                time.sleep(0.2)
                continue
            if ack and ack.get("ok"):
                return ack
            if ack and ack.get("retry_after"):
                time.sleep(float(ack["retry_after"]))
                continue
            raise AssertionError(f"{self.name}: refused {ack}")
        raise AssertionError(f"{self.name}: never acknowledged {payload['client_id']}")


def chromium_phone(browser, cluster: Cluster, code: str, port: int):
    """Chromium joining through nginx, with a cookie that routed it to worker ``port``."""
    for _ in range(50):
        context = browser.new_context(ignore_https_errors=True)
        page = context.new_page()
        if upstream_port(page.goto(cluster.url + "/join")) == port:
            break
        context.close()
    else:
        raise AssertionError(f"no Chromium context routed to {port}")
    assert any(c["name"] == "diag_route" and c["secure"] and c["httpOnly"]
               for c in context.cookies())
    page.goto(f"{cluster.url}/j/{code}")
    page.fill("input[name=display_name]", "Chromium")
    page.locator("#content form [type=submit]").first.click()
    page.wait_for_url("**/contribute")
    return page


def test_a_room_on_two_workers_survives_the_loss_of_one(cluster, browser):
    from playwright.sync_api import expect

    cluster, (workshop_id, code, category) = cluster
    ports = cluster.worker_ports
    chromium = chromium_phone(browser, cluster, code, ports[0])

    # The board: a staff browser whose cookie pins it to worker B.
    while True:
        staff, board_port = browser_session(cluster)
        if board_port == ports[1]:
            break
    login = post_form(staff, cluster.url + "/auth/login",
                      {"email": STAFF[0], "password": STAFF[1]})
    assert "/auth/login" not in login.url, login.text[:300]
    board = LiveClient("board", cluster, staff, {"workshop_id": workshop_id, "role": "board"},
                       ["polling", "websocket"])

    # Phones: on each worker one on WebSocket, one forced to long-polling, one upgrading.
    wanted = {(port, kind) for port in ports for kind in ("websocket", "polling", "both")}
    phones: dict[tuple[int, str], LiveClient] = {}
    for _ in range(200):
        if not wanted:
            break
        http, port = browser_session(cluster)
        kind = next((k for p, k in sorted(wanted) if p == port), None)
        if kind is None:
            continue
        wanted.discard((port, kind))
        joined = post_form(http, f"{cluster.url}/j/{code}", {"display_name": f"{kind}@{port}"})
        assert joined.url.endswith("/contribute") and upstream_port(joined) == port
        transports = ["polling", "websocket"] if kind == "both" else [kind]
        phones[port, kind] = LiveClient(f"{kind}@{port}", cluster, http,
                                        {"workshop_id": workshop_id}, transports)
    assert not wanted, f"the cookie never routed a browser to {wanted}"
    for (_port, kind), phone in phones.items():
        if kind == "polling":
            assert phone.sio.transport() == "polling"

    # Every phone submits 4 items; worker A is killed once a few are acknowledged.
    acked: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + 90

    def submit_all(phone: LiveClient) -> None:
        for n in range(4):
            payload = {"kind": "need", "client_id": uuid.uuid4().hex, "need_category_id":
                       category, "description": f"{phone.name} #{n}"}
            ack = phone.submit(payload, deadline)
            with lock:
                acked.append(ack["id"])
            time.sleep(0.3)

    threads = [threading.Thread(target=submit_all, args=(p,)) for p in phones.values()]
    for thread in threads:
        thread.start()
    while len(acked) < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    cluster.workers[0].process.kill()
    assert len(acked) < 4 * len(phones)  # killed mid-run
    for thread in threads:
        thread.join(timeout=max(1, deadline - time.monotonic()))
    assert len(acked) == 4 * len(phones) and len(set(acked)) == len(acked)

    clients = [board, *phones.values()]
    while time.monotonic() < deadline and any(
            sorted(c.contribution_ids()) != sorted(acked) for c in clients):
        time.sleep(0.1)
    # The phones of A now reach B through nginx (the same cookie, the next live server)
    # and caught up through a replay of what they missed.
    for (port, _kind), phone in phones.items():
        routed = requests.get(cluster.url + "/join", headers={"Cookie": phone.cookie},
                              verify=False, timeout=10)
        assert upstream_port(routed) == ports[1]
        if port == ports[0]:
            assert "events_replay" in phone.received, phone.name
    for client in clients:
        assert sorted(client.contribution_ids()) == sorted(acked), (  # every item, once
            f"{client.name}: {len(client.items)} of {len(acked)} items, connected "
            f"{client.sio.connected}, frames {client.received[-8:]}, seqs {client.raw}, "
            f"syncs {client.sync_acks}")
    # In order: every numbered event applied live, none lost nor out of order (a gap
    # would make live.js redraw from a whole state; the items above survive that).
    for client in clients:
        assert client.gaps == [], (f"{client.name}: seq gaps {client.gaps}; "
                                   f"arrival order {client.raw}")
        assert client.applied == list(range(client.applied[0],
                                             client.applied[0] + len(client.applied)))
    # Chromium, on worker A too, reconnected through nginx and shows every item once.
    expect(chromium.locator("#feed .contribution")).to_have_count(len(acked), timeout=20_000)
    for client in clients:
        client.sio.disconnect()
