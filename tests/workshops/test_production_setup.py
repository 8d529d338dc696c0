"""The production setup: two server processes on PostgreSQL sharing rooms through Redis.

Runs when both DIAGNOSTIC_TEST_DATABASE_URL (PostgreSQL) and DIAGNOSTIC_TEST_REDIS_URL are
set, as ``.ci/run`` does when the local services answer; skipped otherwise.
"""

from __future__ import annotations

import os
import time
import uuid
from contextlib import contextmanager

import pytest
import socketio
from sqlalchemy import text

from diagnostic.frame import planning
from diagnostic.live import lifecycle
from diagnostic.models import Base, Sector, Vocabulary
from tests.live_server import LiveServer, cookie_header, join_over_http, receive_event

DATABASE_URL = os.environ.get("DIAGNOSTIC_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("DIAGNOSTIC_TEST_REDIS_URL", "")

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgresql") and REDIS_URL),
    reason="needs DIAGNOSTIC_TEST_DATABASE_URL (PostgreSQL) and DIAGNOSTIC_TEST_REDIS_URL",
)


@contextmanager
def servers_sharing_redis(tmp_path, **env: str):
    """Two ``diagnostic serve`` processes on one PostgreSQL database and one Redis queue."""
    first = LiveServer(tmp_path / "a", DATABASE_URL, SOCKETIO_MESSAGE_QUEUE=REDIS_URL, **env)
    second = LiveServer(tmp_path / "b", DATABASE_URL, init_db=False,
                        SOCKETIO_MESSAGE_QUEUE=REDIS_URL, **env)
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        first.stop()
        second.stop()
        with first.app_context() as db:
            Base.metadata.drop_all(db.engine)
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def two_servers(tmp_path):
    with servers_sharing_redis(tmp_path) as servers:
        yield servers


def open_workshop(server) -> tuple[int, str, int]:
    """An open workshop: (its id, its join code, a need category id)."""
    with server.app_context() as db:
        diagnostic = planning.create_diagnostic(
            db.session, title="Diagnostic", territory="Grand Toulouse", stakes=["Enjeu"]
        )
        db.session.commit()
        diagnostic.sectors.append(Sector(name="Nord"))
        db.session.commit()
        workshop = planning.create_workshop(
            db.session, diagnostic, kind="territorial", title="Atelier",
            sector_id=diagnostic.sectors[0].id,
        )
        lifecycle.open_workshop(db.session, workshop, None)
        db.session.commit()
        return (workshop.id, workshop.join_code,
                diagnostic.terms_of(Vocabulary.NEED_CATEGORY)[0].id)


def phone(server, code: str, name: str, workshop_id: int) -> socketio.SimpleClient:
    """A participant joined through ``server``'s pages, its socket on that process."""
    # The session cookie is signed with the shared SECRET_KEY: valid on both processes.
    client = socketio.SimpleClient()
    client.connect(server.url, namespace="/live", transports=["websocket"],
                   headers={"Cookie": cookie_header(join_over_http(server, code, name))},
                   auth={"workshop_id": workshop_id})
    assert receive_event(client, "workshop_state")["workshop"]["id"] == workshop_id
    return client


def need(category: int) -> dict:
    return {"kind": "need", "client_id": uuid.uuid4().hex, "description": "Des locaux",
            "need_category_id": category}


def test_a_contribution_sent_to_one_process_reaches_clients_of_the_other(two_servers):
    first, second = two_servers
    workshop_id, code, category = open_workshop(first)
    alice = phone(first, code, "Alice", workshop_id)
    bob = phone(second, code, "Bob", workshop_id)

    ack = alice.call("submit_contribution", need(category), timeout=10)
    assert ack["ok"] is True
    contribution = receive_event(bob, "contribution_added")
    assert contribution["id"] == ack["id"]
    for client in (alice, bob):
        client.disconnect()


def test_each_process_batches_all_it_writes_whoever_sent_it(tmp_path):
    """A budget of 2 frames, then one every 5 s: a burst from phones on both processes
    reaches Bob as 2 frames and then batches, not 2 frames per sending process."""
    with servers_sharing_redis(tmp_path, LIVE_BROADCAST_BUDGET="2/10") as (first, second):
        workshop_id, code, category = open_workshop(first)
        alice = phone(first, code, "Alice", workshop_id)
        bob = phone(second, code, "Bob", workshop_id)
        sent = []
        for _ in range(3):
            for sender in (alice, bob):
                ack = sender.call("submit_contribution", need(category), timeout=10)
                assert ack["ok"] is True
                sent.append(ack["id"])

        alone, batches, received = 0, 0, []
        deadline = time.monotonic() + 30
        while len(received) < len(sent) and time.monotonic() < deadline:
            event, *args = bob.receive(timeout=max(0.1, deadline - time.monotonic()))
            if event == "contribution_added":
                alone += 1
                received.append(args[0])
            elif event == "events_batch":
                batches += 1
                received += [e["payload"] for e in args[0]["events"]
                             if e["name"] == "contribution_added"]
        assert sorted(item["id"] for item in received) == sorted(sent)  # all, once each
        seqs = [item["seq"] for item in received]
        assert seqs == sorted(seqs)  # in order
        assert alone <= 2 and batches >= 1
        for client in (alice, bob):
            client.disconnect()


def watcher(server, code: str, name: str, workshop_id: int) -> tuple[socketio.SimpleClient, int]:
    """A phone on ``server`` that only listens, and the seq its state includes."""
    client = socketio.SimpleClient()
    client.connect(server.url, namespace="/live", transports=["websocket"],
                   headers={"Cookie": cookie_header(join_over_http(server, code, name))},
                   auth={"workshop_id": workshop_id})
    return client, receive_event(client, "workshop_state")["seq"]


def numbered_events(client, until: set[int], timeout: float = 30) -> list[tuple[int, str]]:
    """(seq, name) of every numbered room event, batched or not, in arrival order, until
    the contributions ``until`` have all come."""
    seen, added = [], set()
    deadline = time.monotonic() + timeout
    while not until <= added and time.monotonic() < deadline:
        event, *args = client.receive(timeout=max(0.1, deadline - time.monotonic()))
        frames = (args[0]["events"] if event == "events_batch"
                  else [{"name": event, "payload": args[0] if args else None}])
        for frame in frames:
            payload = frame["payload"]
            if isinstance(payload, dict) and isinstance(payload.get("seq"), int):
                seen.append((payload["seq"], frame["name"]))
                if frame["name"] == "contribution_added":
                    added.add(payload["id"])
    return seen


def test_events_reach_every_client_in_order_whatever_process_committed_them(two_servers):
    """Phones on both processes contribute at once, and two events were committed but never
    published (a process gone between its commit and its publish): a listener on each
    process gets every number once, in order, with no gap to sync for."""
    from concurrent.futures import ThreadPoolExecutor

    from diagnostic.live.events import record_event
    from diagnostic.models import Workshop

    first, second = two_servers
    workshop_id, code, category = open_workshop(first)
    senders = [phone(first, code, "Alice", workshop_id), phone(second, code, "Bob", workshop_id)]
    listeners = [watcher(first, code, "Carole", workshop_id),
                 watcher(second, code, "David", workshop_id)]
    with first.app_context() as db:
        workshop = db.session.get(Workshop, workshop_id)
        for title in ("Perdu 1", "Perdu 2"):
            record_event(db.session, workshop, "workshop_updated", {"title": title})
        db.session.commit()

    def contribute(sender) -> list[int]:
        acks = [sender.call("submit_contribution", need(category), timeout=10)
                for _ in range(4)]
        assert all(ack["ok"] for ack in acks), acks
        return [ack["id"] for ack in acks]

    with ThreadPoolExecutor(2) as pool:
        sent = {i for ids in pool.map(contribute, senders) for i in ids}
    for client, seq in listeners:
        seen = numbered_events(client, sent)
        applied = seq
        for number, _name in seen:  # as sequence.js applies them: a repeat is dropped
            assert number <= applied + 1, (seq, seen)  # a gap would have cost a sync
            applied = max(applied, number)
        assert [name for _, name in seen[:2]] == ["workshop_updated"] * 2
        assert applied >= seq + 2 + len(sent)
    for client in [*senders, *(c for c, _ in listeners)]:
        client.disconnect()
