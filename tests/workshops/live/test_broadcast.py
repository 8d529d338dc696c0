"""Room events coalesced under load: a delivery budget per room, ``events_batch`` past it."""

from __future__ import annotations

import time

import pytest

from diagnostic.models import WorkshopStatus
from workshops.extensions import socketio
from workshops.live.broadcast import Broadcaster, broadcaster
from workshops.live.ratelimit import Rule

from ..conftest import NS, events


def post(socket, workshop, initiative_data, name: str) -> dict:
    """Submit an initiative named ``name`` from ``socket``; return the ack."""
    return socket.emit("submit_contribution", initiative_data(workshop, name=name),
                       namespace=NS, callback=True)


def room_frames(socket, timeout: float = 3.0, want: int = 0) -> list[tuple[str, dict]]:
    """(name, payload) of the room events the socket received, waiting for ``want`` ids."""
    frames: list[tuple[str, dict]] = []
    deadline = time.monotonic() + timeout
    while True:
        frames += [(e["name"], e["args"][0]) for e in socket.get_received(NS)
                   if e["name"] in ("contribution_added", "events_batch")]
        if len(delivered(frames)) >= want or time.monotonic() > deadline:
            return frames
        time.sleep(0.05)


def delivered(frames: list[tuple[str, dict]]) -> list[tuple[int, str]]:
    """(seq, name) of every contribution delivered, batched or not, in arrival order."""
    out = []
    for name, payload in frames:
        if name == "events_batch":
            out += [(e["seq"], e["payload"]["name"]) for e in payload["events"]]
        else:
            out.append((payload["seq"], payload["name"]))
    return out


@pytest.fixture
def open_workshop(db, make_workshop):
    """An open workshop whose room has spent nothing of its budget yet (opened in the
    database directly: the ``workshop_status`` event of opening it would cost a delivery)."""

    def factory():
        workshop = make_workshop(status="draft")
        workshop.status = WorkshopStatus.OPEN
        db.session.commit()
        return workshop

    return factory


@pytest.fixture
def app_config(app_config):
    """A tight budget: 4 deliveries at once (2 frames to a room of two), then 2 every 0.6 s."""
    return {**app_config, "LIVE_BROADCAST_BUDGET": "4/1.2"}


@pytest.fixture
def held_waits(app, monkeypatch):
    """The app's broadcaster on a clock that never moves (no token comes back), its waits
    run when the test calls the returned function: which events share a batch no longer
    depends on how fast the host posts them."""
    caster, tasks = broadcaster(), []
    monkeypatch.setattr(caster, "clock", FakeClock())
    monkeypatch.setattr(caster, "schedule", lambda fn, *args: tasks.append((fn, args)))
    monkeypatch.setattr(caster, "sleep", lambda seconds: None)

    def run_waits() -> None:
        while tasks:
            fn, args = tasks.pop(0)
            fn(*args)

    return run_waits


def test_a_burst_past_the_bucket_arrives_as_one_batch_in_seq_order(
    phone, board, open_workshop, initiative_data, held_waits
):
    workshop = open_workshop()
    alice = phone(workshop, "Alice")
    screen = board(workshop)
    screen.get_received(NS)

    acks = [post(alice, workshop, initiative_data, f"Item {n}") for n in range(5)]
    assert all(ack["ok"] for ack in acks)
    held_waits()

    frames = room_frames(screen, want=5)
    # The first two go out at once, on their own; the other three wait for the next token.
    assert [name for name, _ in frames] == ["contribution_added", "contribution_added",
                                           "events_batch"]
    batch = frames[2][1]["events"]
    assert [e["name"] for e in batch] == ["contribution_added"] * 3
    assert all(e["payload"]["seq"] == e["seq"] for e in batch)
    seqs = [seq for seq, _ in delivered(frames)]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    assert [name for _, name in delivered(frames)] == [f"Item {n}" for n in range(5)]
    # The sender's phone gets exactly the same, nothing twice.
    assert delivered(room_frames(alice, want=5)) == delivered(frames)


def test_a_batched_event_is_still_replayed_one_by_one(
    app, phone, board, open_workshop, initiative_data
):
    workshop = open_workshop()
    alice = phone(workshop, "Alice")
    screen = board(workshop)
    http = screen.flask_test_client
    screen.disconnect(NS)
    for n in range(4):
        post(alice, workshop, initiative_data, f"Item {n}")
    room_frames(alice, want=4)

    late = socketio.test_client(app, namespace=NS, flask_test_client=http,
                                auth={"workshop_id": workshop.id, "role": "board",
                                      "last_seq": 0})
    replay = events(late, "events_replay")[0]["events"]
    assert [(e["seq"], e["payload"]["name"]) for e in replay] == [
        (n + 1, f"Item {n}") for n in range(4)]


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_a_quiet_room_never_waits(app, phone, open_workshop, initiative_data, monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(broadcaster(), "clock", clock)
    workshop = open_workshop()
    alice = phone(workshop, "Alice")  # a room of one: a frame costs 1 of the 4
    alice.get_received(NS)
    for n in range(4):
        post(alice, workshop, initiative_data, f"Item {n}")
        assert [name for name, _ in room_frames(alice, timeout=0)] == ["contribution_added"]
    clock.advance(1.2)  # the bucket is full again: the room's pace never made it wait
    post(alice, workshop, initiative_data, "Plus tard")
    assert [name for name, _ in room_frames(alice, timeout=0)] == ["contribution_added"]


def test_a_frame_costs_as_many_deliveries_as_the_room_has_clients(
    phone, open_workshop, initiative_data, held_waits
):
    workshop = open_workshop()
    alice = phone(workshop, "Alice")  # alone in the room: a frame costs 1 of the 4
    alice.get_received(NS)
    for n in range(6):
        post(alice, workshop, initiative_data, f"Item {n}")
    held_waits()
    frames = room_frames(alice, want=6)
    assert [name for name, _ in frames] == ["contribution_added"] * 4 + ["events_batch"]
    assert [name for _, name in delivered(frames)] == [f"Item {n}" for n in range(6)]


def test_off_sends_every_event_on_its_own(app, monkeypatch):
    sent = []
    monkeypatch.setattr(socketio, "emit", lambda *args, **kwargs: sent.append(args))
    plain = Broadcaster(None, NS)
    for seq in range(1, 21):
        plain.send("workshop:1", "contribution_added", seq, {"seq": seq})
    assert [args[0] for args in sent] == ["contribution_added"] * 20


def test_waiting_events_of_two_rooms_stay_apart(app, monkeypatch):
    sent, tasks, clock = [], [], FakeClock()
    monkeypatch.setattr(socketio, "emit",
                        lambda name, payload, to, namespace: sent.append((to, name, payload)))
    caster = Broadcaster(Rule(1, 0.2), NS, clock=clock, sleep=clock.advance,
                         schedule=lambda fn, *args: tasks.append((fn, args)))
    for seq in (1, 2, 3):
        caster.send("workshop:1", "contribution_added", seq, {"seq": seq})
        caster.send("workshop:2", "workshop_updated", seq, {"seq": seq})
    assert len(sent) == 2 and len(tasks) == 2  # one flush waiting per room
    for fn, args in tasks:
        fn(*args)
    first = [(to, name) for to, name, _ in sent[:2]]
    assert first == [("workshop:1", "contribution_added"), ("workshop:2", "workshop_updated")]
    batches = {to: payload["events"] for to, name, payload in sent[2:]}
    assert [e["seq"] for e in batches["workshop:1"]] == [2, 3]
    assert {e["name"] for e in batches["workshop:2"]} == {"workshop_updated"}


@pytest.mark.parametrize(("testing", "rule"), [(True, None), (False, Rule(3000, 0.5))])
def test_defaults_batch_in_production_not_in_tests(app_config, testing, rule):
    from workshops import create_app

    config = {k: v for k, v in app_config.items() if k != "LIVE_BROADCAST_BUDGET"}
    application = create_app({**config, "TESTING": testing})
    with application.app_context():
        # Socket.IO test clients read events one by one: a testing app sends them alone.
        assert broadcaster().rule == rule


def test_a_bad_rule_refuses_to_start(app_config, tmp_path):
    from workshops import create_app

    with pytest.raises(ValueError):
        create_app({**app_config, "LIVE_BROADCAST_BUDGET": "many"})
