"""Room events written in seq order by each process: a bounded wait, then the event log.

The clock, the background tasks and the sleep are injected: a wait passes when the test
runs the scheduled task, never on the wall clock.
"""

from __future__ import annotations

import pytest

from diagnostic.live import events
from workshops.extensions import socketio
from workshops.live.broadcast import Broadcaster, broadcaster
from workshops.live.reorder import parse_wait
from workshops.live.rooms import room_of

from ..conftest import NS

ROOM = "workshop:1"


def event(seq: int) -> dict:
    return {"name": "contribution_added", "seq": seq, "payload": {"seq": seq, "n": seq}}


class Harness:
    """A broadcaster (no budget) whose frames, tasks, sleeps and log reads are recorded."""

    def __init__(self, monkeypatch, log: dict[int, dict] | None = None, wait=0.5) -> None:
        self.sent, self.tasks, self.slept, self.reads = [], [], [], []
        self.log = log or {}
        monkeypatch.setattr(socketio, "emit", lambda name, payload, to, namespace:
                            self.sent.append(payload["seq"]))
        self.caster = Broadcaster(None, NS, reorder_wait=wait, fetch=self.fetch,
                                  schedule=lambda fn, *args: self.tasks.append((fn, args)),
                                  sleep=self.slept.append)

    def fetch(self, room: str, first: int, stop: int) -> list[dict]:
        self.reads.append((room, first, stop))
        return [self.log[seq] for seq in range(first, stop) if seq in self.log]

    def deliver(self, *seqs: int) -> None:
        for seq in seqs:
            item = event(seq)
            self.caster.deliver(ROOM, item["name"], seq, item["payload"])

    def run_tasks(self) -> None:
        while self.tasks:
            fn, args = self.tasks.pop(0)
            fn(*args)


def test_events_arriving_out_of_order_are_written_in_order(app, monkeypatch):
    room = Harness(monkeypatch)
    room.caster.note_seq(ROOM, 4)  # a client here was sent the room up to 4
    room.deliver(6, 7)
    assert room.sent == [] and len(room.tasks) == 1  # held, one wait under way
    room.deliver(5)
    assert room.sent == [5, 6, 7]
    room.run_tasks()  # the wait ends with nothing missing: no log read
    assert room.slept == [0.5] and room.reads == [] and room.sent == [5, 6, 7]
    assert room.caster.gaps_filled == 0


def test_a_number_that_never_comes_is_read_from_the_log_after_the_wait(app, monkeypatch):
    room = Harness(monkeypatch, log={5: event(5), 6: event(6)})
    room.deliver(4)  # the first event seen sets the room's baseline
    room.deliver(7, 8)
    assert room.sent == [4]
    room.run_tasks()
    assert room.reads == [(ROOM, 5, 7)]
    assert room.sent == [4, 5, 6, 7, 8]
    assert room.caster.gaps_filled == 1
    room.deliver(5, 9)  # the late publish of 5 goes out as is (clients drop it), 9 at once
    assert room.sent == [4, 5, 6, 7, 8, 5, 9] and room.tasks == []


def test_a_second_gap_behind_the_first_gets_a_wait_of_its_own(app, monkeypatch):
    room = Harness(monkeypatch, log={2: event(2), 4: event(4)})
    room.caster.note_seq(ROOM, 1)
    room.deliver(3, 5)
    room.run_tasks()  # 2 from the log, 3; then 4 is missing: another wait, another read
    assert room.reads == [(ROOM, 2, 3), (ROOM, 4, 5)]
    assert room.sent == [2, 3, 4, 5] and room.caster.gaps_filled == 2


def test_a_number_the_log_lacks_is_skipped_and_clients_sync(app, monkeypatch):
    room = Harness(monkeypatch)
    room.caster.note_seq(ROOM, 1)
    room.deliver(4)
    room.run_tasks()
    assert room.sent == [4] and room.caster.gaps_filled == 0
    room.deliver(5)
    assert room.sent == [4, 5]


def test_duplicates_are_written_once_held_and_as_is_once_past(app, monkeypatch):
    room = Harness(monkeypatch)
    room.caster.note_seq(ROOM, 0)
    room.deliver(2, 2, 1)
    assert room.sent == [1, 2]
    room.deliver(2)
    assert room.sent == [1, 2, 2]  # already past: clients drop it by seq


def test_a_gap_closed_during_the_wait_leaves_the_next_gap_its_own_wait(app, monkeypatch):
    room = Harness(monkeypatch, log={4: event(4)})
    room.caster.note_seq(ROOM, 0)
    room.deliver(2)
    room.deliver(1)  # the first gap closes: its wait is stale
    room.deliver(4)
    assert room.sent == [1, 2] and len(room.tasks) == 2
    room.run_tasks()
    assert room.reads == [(ROOM, 3, 4)] and room.sent == [1, 2, 4]


def test_a_log_that_cannot_be_read_releases_the_held_events(app, monkeypatch):
    room = Harness(monkeypatch)

    def unreachable(*args):
        raise ConnectionError("database away")

    room.caster.reorder.fetch = unreachable
    room.caster.note_seq(ROOM, 0)
    room.deliver(3)
    room.run_tasks()
    assert room.sent == [3]


@pytest.mark.parametrize("wait", [None, 0])
def test_off_writes_events_as_they_come(app, monkeypatch, wait):
    room = Harness(monkeypatch, wait=wait)
    room.caster.note_seq(ROOM, 0)
    room.deliver(3, 1, 2)
    assert room.sent == [3, 1, 2] and room.tasks == [] and room.caster.reorder is None


def test_the_setting():
    assert parse_wait(None) == 0.5
    assert parse_wait("off") is None and parse_wait("0") is None
    assert parse_wait("1.5") == 1.5
    with pytest.raises(ValueError):
        parse_wait("-1")


@pytest.mark.parametrize(("testing", "wait"), [(True, None), (False, 0.5)])
def test_defaults_reorder_in_production_not_in_tests(app_config, testing, wait):
    from workshops import create_app

    config = {k: v for k, v in app_config.items() if k != "LIVE_REORDER_WAIT"}
    with create_app({**config, "TESTING": testing}).app_context():
        reorder = broadcaster().reorder
        assert (reorder and reorder.wait) == wait


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LIVE_REORDER_WAIT": "0.5"}


def test_a_gap_is_filled_from_the_log_as_a_replay_sends_it(
    app, db, board, make_workshop, monkeypatch
):
    """The app's own reader: the missing events come from the log, with each item's
    current public state; a connecting client sets the room's baseline."""
    workshop = make_workshop()
    caster = broadcaster()
    monkeypatch.setattr(caster.reorder, "_rooms", {})  # this process has seen no event yet
    screen = board(workshop)
    screen.get_received(NS)
    tasks = []
    monkeypatch.setattr(caster, "schedule", lambda fn, *args: tasks.append((fn, args)))
    monkeypatch.setattr(caster, "sleep", lambda seconds: None)
    # Two events committed by "another process" that never published them, then a third.
    for name in ("Un", "Deux"):
        events.record_event(db.session, workshop, "workshop_updated", {"title": name})
    db.session.commit()
    seq = workshop.last_seq
    caster.deliver(room_of(workshop.id), "workshop_updated", seq + 1, {"seq": seq + 1})
    assert [e["name"] for e in screen.get_received(NS)] == []
    for fn, args in tasks:
        fn(*args)
    received = [(e["name"], e["args"][0]) for e in screen.get_received(NS)]
    assert [(name, payload["seq"]) for name, payload in received] == [
        ("workshop_updated", seq - 1), ("workshop_updated", seq), ("workshop_updated", seq + 1)]
    assert [payload.get("title") for _, payload in received[:2]] == ["Un", "Deux"]
    assert caster.gaps_filled == 1
