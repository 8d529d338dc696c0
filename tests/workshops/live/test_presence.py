"""Live presence: counts on connect/disconnect, never recorded, throttled, Redis-shared."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from diagnostic.models import WorkshopEvent
from tests.workshops.conftest import NS, events
from workshops.live import presence


def last_presence(socket) -> dict:
    """The latest ``presence`` figures the socket received."""
    received = events(socket, "presence")
    assert received, "no presence event"
    return received[-1]


def test_connects_and_disconnects_update_the_room(db, phone, board, make_workshop):
    workshop = make_workshop()
    projector = board(workshop)
    assert last_presence(projector) == {"participants": 0, "boards": 1, "facilitators": 0}

    first = phone(workshop, "Sam")
    assert last_presence(first) == {"participants": 1, "boards": 1, "facilitators": 0}
    assert last_presence(projector)["participants"] == 1
    second = phone(workshop, "Alex")
    assert last_presence(projector)["participants"] == 2

    second.disconnect(namespace=NS)
    assert last_presence(projector)["participants"] == 1
    assert last_presence(first)["participants"] == 1
    first.disconnect(namespace=NS)
    assert last_presence(projector)["participants"] == 0


def test_presence_is_per_workshop_and_not_recorded(db, phone, board, make_workshop):
    north, south = make_workshop(), make_workshop(title="Atelier Sud")
    projector = board(north)
    projector.get_received(NS)
    phone(south, "Ailleurs")
    assert events(projector, "presence") == []  # another room
    phone(north, "Ici")
    assert last_presence(projector)["participants"] == 1
    db.session.expire_all()
    names = set(db.session.scalars(select(WorkshopEvent.name)))
    assert "presence" not in names


def test_one_participant_with_two_tabs_counts_once(app, db, board, make_workshop):
    from workshops.extensions import socketio

    workshop = make_workshop()
    projector = board(workshop)
    http = app.test_client()
    http.post(f"/j/{workshop.join_code}", data={"display_name": "Deux onglets"})
    projector.get_received(NS)
    tabs = [socketio.test_client(app, namespace=NS, flask_test_client=http,
                                 auth={"workshop_id": workshop.id}) for _ in range(2)]
    assert last_presence(projector)["participants"] == 1
    tabs[0].disconnect(namespace=NS)
    assert events(projector, "presence") == []  # still one participant: nothing to say
    tabs[1].disconnect(namespace=NS)
    assert last_presence(projector)["participants"] == 0


def test_a_refused_socket_is_not_counted(app, db, board, make_workshop):
    from workshops.extensions import socketio

    workshop = make_workshop()
    projector = board(workshop)
    projector.get_received(NS)
    intruder = socketio.test_client(app, namespace=NS, auth={"workshop_id": workshop.id})
    assert not intruder.is_connected(NS)
    assert events(projector, "presence") == []


def test_room_announcements_are_throttled(app, monkeypatch):
    tracker = presence.Presence(app)
    tracker.interval = 1.0
    sent, scheduled = [], []
    monkeypatch.setattr(tracker, "_emit", sent.append)
    monkeypatch.setattr(presence.socketio, "start_background_task",
                        lambda task, *args: scheduled.append((task, args)))

    tracker.announce(7)  # first change: at once
    tracker.announce(7)  # inside the window: deferred to its end
    tracker.announce(7)  # already scheduled: nothing more
    tracker.announce(8)  # another workshop has its own window
    assert sent == [7, 8]
    assert [(task.__name__, args[0]) for task, args in scheduled] == [("_announce_later", 7)]
    assert 0 < scheduled[0][1][1] <= 1.0

    monkeypatch.setattr(presence.socketio, "sleep", lambda seconds: None)
    task, args = scheduled[0]
    task(*args)  # the window ends: the current figures go out
    assert sent == [7, 8, 7]


@pytest.fixture
def redis_store():
    """A Redis presence store under a unique prefix (skipped when Redis is not running)."""
    redis = pytest.importorskip("redis")
    prefix = f"test:presence:{uuid.uuid4().hex}:"
    try:
        store = presence.RedisPresence("redis://127.0.0.1:6379/0", prefix=prefix)
        store.redis.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    monkey = pytest.MonkeyPatch()
    monkey.setattr(store, "_start_heartbeat", lambda: None)
    yield store
    monkey.undo()
    for key in store.redis.scan_iter(prefix + "*"):
        store.redis.delete(key)


def test_redis_counts_span_processes_and_drop_dead_ones(redis_store):
    other = presence.RedisPresence("redis://127.0.0.1:6379/0", prefix=redis_store.prefix)
    other._start_heartbeat = lambda: None
    redis_store.add(5, "a", "participant:1")
    redis_store.add(5, "b", "board")
    other.add(5, "c", "participant:2")
    other.add(5, "d", "participant:1")  # the same participant on another process
    assert redis_store.counts(5) == {"participants": 2, "boards": 1, "facilitators": 0}

    redis_store.remove(5, "b")
    assert other.counts(5)["boards"] == 0
    # The other process dies: its alive key expires, its sockets leave the counts.
    redis_store.redis.delete(other._alive_key(other.process))
    assert redis_store.counts(5) == {"participants": 1, "boards": 0, "facilitators": 0}
    assert redis_store.redis.hkeys(f"{redis_store.prefix}5") == [f"{redis_store.process}:a"]


def test_a_redis_message_queue_selects_the_redis_store(app):
    app.config["SOCKETIO_MESSAGE_QUEUE"] = "redis://127.0.0.1:6379/0"
    assert isinstance(presence.Presence(app).store, presence.RedisPresence)
    app.config["SOCKETIO_MESSAGE_QUEUE"] = None
    assert isinstance(presence.Presence(app).store, presence.MemoryPresence)


def test_memory_figures_follow_every_open_and_close():
    import random

    from workshops.live.presence import MemoryPresence, _figures

    store, sockets = MemoryPresence(), {}
    values = ["participant:1", "participant:2", "participant:3", "board", "facilitator"]
    chance = random.Random(2011)
    for step in range(2000):
        sid = f"sid{chance.randrange(40)}"
        if sid in sockets and chance.random() < 0.5:
            store.remove(7, sid)
            del sockets[sid]
        else:  # a new socket, or the same sid bound again
            sockets[sid] = chance.choice(values)
            store.add(7, sid, sockets[sid])
        assert store.counts(7) == _figures(list(sockets.values())), step
    store.remove(7, "never-seen")
    assert store.counts(8) == {"participants": 0, "boards": 0, "facilitators": 0}
