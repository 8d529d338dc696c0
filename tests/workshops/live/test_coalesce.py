"""Room events written by a task of the room's own, with what came meanwhile (gevent's
default, ``LIVE_BROADCAST_COALESCE``): a burst goes out as one frame, in seq order, after
the senders' acknowledgements; an ordinary pace still sends one event per frame."""

from __future__ import annotations

import pytest
from flask import Flask

from workshops.extensions import socketio
from workshops.live.broadcast import Broadcaster, broadcaster
from workshops.live.ratelimit import Rule

from ..conftest import NS
from .test_broadcast import FakeClock, delivered, post, room_frames


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LIVE_BROADCAST_COALESCE": True}


@pytest.fixture
def held_tasks(app, monkeypatch):
    """The room's writing tasks run when the test calls the returned function."""
    caster, tasks = broadcaster(), []
    monkeypatch.setattr(caster, "schedule", lambda fn, *args: tasks.append((fn, args)))

    def run() -> int:
        ran = 0
        while tasks:
            fn, args = tasks.pop(0)
            fn(*args)
            ran += 1
        return ran

    return run


def test_a_burst_is_acknowledged_first_then_written_as_one_frame_in_seq_order(
    phone, board, make_workshop, initiative_data, held_tasks
):
    workshop = make_workshop()
    alice, bob = phone(workshop, "Alice"), phone(workshop, "Bob")
    screen = board(workshop)
    held_tasks()  # what the joins sent
    for socket in (alice, bob, screen):
        socket.get_received(NS)

    acks = [post(sender, workshop, initiative_data, f"Item {n}")
            for n, sender in enumerate((alice, bob, alice, bob))]
    # Every sender has its acknowledgement while the room's task has not run yet.
    assert all(ack["ok"] for ack in acks)
    assert room_frames(screen, timeout=0) == []

    assert held_tasks() == 1  # one task for the four events
    frames = room_frames(screen, want=4)
    assert [name for name, _ in frames] == ["events_batch"]
    assert [name for _, name in delivered(frames)] == [f"Item {n}" for n in range(4)]
    seqs = [seq for seq, _ in delivered(frames)]
    assert seqs == sorted(seqs) and len(set(seqs)) == 4
    assert delivered(room_frames(alice, want=4)) == delivered(frames)

    # The room's pace back to ordinary: the next event is a frame of its own.
    assert post(bob, workshop, initiative_data, "Alone")["ok"]
    held_tasks()
    assert [(name, payload["name"]) for name, payload in room_frames(screen, want=1)] == [
        ("contribution_added", "Alone")]


def test_rooms_have_a_task_each_and_a_budget_still_bounds_the_frames(app, monkeypatch):
    sent, tasks, clock = [], [], FakeClock()
    monkeypatch.setattr(socketio, "emit",
                        lambda name, payload, to, namespace: sent.append((to, name, payload)))
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    caster = Broadcaster(Rule(1, 0.2), NS, clock=clock, sleep=sleep, coalesce=True,
                         schedule=lambda fn, *args: tasks.append((fn, args)))
    for seq in (1, 2):
        caster.send("workshop:1", "contribution_added", seq, {"seq": seq})
        caster.send("workshop:2", "workshop_updated", seq, {"seq": seq})
    assert sent == [] and len(tasks) == 2
    for fn, args in tasks[:]:
        fn(*args)
    assert [(to, [e["seq"] for e in payload["events"]]) for to, _, payload in sent] == [
        ("workshop:1", [1, 2]), ("workshop:2", [1, 2])]
    assert waits == []  # a full bucket: no wait
    tasks.clear()
    caster.send("workshop:1", "contribution_added", 3, {"seq": 3})
    fn, args = tasks.pop()
    fn(*args)  # the bucket is empty: the task waits for its token, then writes
    assert waits == [pytest.approx(0.2)] and sent[-1][1:] == ("contribution_added", {"seq": 3})


@pytest.mark.parametrize(("mode", "queue", "testing", "coalesce", "rule"), [
    ("gevent", None, False, True, None),  # one process: no budget
    ("gevent", "redis://127.0.0.1:6379/0", False, True, Rule(3000, 0.5)),  # a cluster's worker
    ("threading", None, False, False, Rule(3000, 0.5)),
    ("gevent", None, True, False, None),
])
def test_gevent_coalesces_by_default_and_a_cluster_keeps_a_budget(
    app_config, mode, queue, testing, coalesce, rule
):
    from workshops.live import broadcast

    config = {k: v for k, v in app_config.items()
              if k not in ("LIVE_BROADCAST_BUDGET", "LIVE_BROADCAST_COALESCE")}
    application = Flask(__name__)  # only the broadcaster's settings: no Redis is reached
    application.config.update(config, TESTING=testing, SOCKETIO_ASYNC_MODE=mode,
                              SOCKETIO_MESSAGE_QUEUE=queue)
    with application.app_context():
        caster = broadcast.init_app(application, NS)
        assert (caster.coalesce, caster.rule) == (coalesce, rule)
