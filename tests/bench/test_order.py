"""The bench's per-client ordering of room events (bench/order.py), with a fake clock."""

from __future__ import annotations

from bench.order import SequenceTracker, events_of


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def added(seq: int) -> tuple[str, dict]:
    return "contribution_added", {"id": seq, "seq": seq}


def seqs(delivered) -> list[int | None]:
    return [payload.get("seq") for _, payload in delivered]


def tracker(last_seq: int = 3) -> tuple[SequenceTracker, Clock]:
    clock = Clock()
    order = SequenceTracker(wait=1.5, clock=clock)
    assert seqs(order.receive("workshop_state", {"seq": last_seq})) == [last_seq]
    return order, clock


def test_events_before_the_first_state_wait_for_it_and_older_ones_are_dropped():
    clock = Clock()
    order = SequenceTracker(clock=clock)
    assert order.receive(*added(3)) == [] and order.receive(*added(5)) == []
    # seq 3 is in the state (dropped); 5 waits for 4
    assert seqs(order.receive("workshop_state", {"seq": 3})) == [3]
    assert order.last_seq == 3 and order.counts["initial_states"] == 1
    assert seqs(order.receive(*added(4))) == [4, 5]
    assert order.counts["out_of_order"] == 0 and order.counts["gaps_filled"] == 1


def test_in_order_events_pass_and_repeats_are_counted_stale():
    order, _ = tracker()
    assert seqs(order.receive(*added(4))) == [4]
    assert seqs(order.receive(*added(5))) == [5]
    assert order.receive(*added(5)) == [] and order.receive(*added(2)) == []
    assert order.counts["stale"] == 2 and order.counts["out_of_order"] == 0
    assert not order.sync_due()


def test_a_gap_filled_within_the_wait_is_out_of_order_not_a_sync():
    order, clock = tracker()
    assert order.receive(*added(5)) == [] and order.receive(*added(6)) == []
    clock.now += 1.4
    assert not order.sync_due()
    assert seqs(order.receive(*added(4))) == [4, 5, 6]
    assert order.counts["out_of_order"] == 1 and order.counts["gaps"] == 1
    assert order.counts["gaps_filled"] == 1 and order.counts["syncs"] == 0
    clock.now += 10
    assert not order.sync_due()


def test_a_gap_open_past_the_wait_asks_a_sync_whose_state_releases_what_follows():
    order, clock = tracker()
    order.receive(*added(5))
    clock.now += 1.5
    assert order.sync_due()
    order.sync_started()
    assert not order.sync_due()
    assert order.receive(*added(7)) == []  # held until the state
    delivered = order.receive("workshop_state", {"seq": 6})
    assert seqs(delivered) == [6, 7]
    assert order.counts["syncs"] == 1 and order.counts["sync_states"] == 1
    assert order.counts["initial_states"] == 1 and order.last_seq == 7


def test_a_failed_sync_shows_the_held_events_from_the_first_one():
    order, clock = tracker()
    order.receive(*added(6))
    order.receive(*added(5))
    clock.now += 2
    order.sync_started()
    assert seqs(order.sync_failed()) == [5, 6]
    assert order.counts["sync_failures"] == 1 and order.last_seq == 6


def test_a_batch_goes_event_by_event_with_the_seq_beside_or_inside_the_payload():
    order, _ = tracker()
    batch = {"events": [{"name": "contribution_added", "seq": 4, "payload": {"id": 4}},
                        {"name": "contribution_added", "seq": 5,
                         "payload": {"id": 5, "seq": 5}}]}
    assert [p["id"] for _, p in events_of(batch)] == [4, 5]
    assert seqs(order.receive("events_batch", batch)) == [4, 5]


def test_a_reconnection_answered_by_a_replay_counts_as_one_and_drops_the_overlap():
    order, _ = tracker()
    order.receive(*added(4))
    order.disconnected()
    assert order.receive(*added(7)) == []  # live, before the replay: held
    replay = {"events": [{"name": "contribution_added", "seq": s,
                          "payload": {"id": s, "seq": s}} for s in (5, 6, 7)]}
    assert seqs(order.receive("events_replay", replay)) == [5, 6, 7]
    assert order.counts["reconnections"] == 1 and order.counts["replays"] == 1
    assert order.counts["replayed_events"] == 3
    assert order.counts["reconnect_states"] == 0 and order.counts["stale"] == 1
    assert order.counts["out_of_order"] == 0 and order.counts["syncs"] == 0


def test_a_reconnection_answered_by_the_whole_state_is_counted_as_such():
    order, _ = tracker()
    order.disconnected()
    assert seqs(order.receive("workshop_state", {"seq": 40})) == [40]
    assert order.counts["reconnections"] == 1 and order.counts["reconnect_states"] == 1
    assert order.counts["initial_states"] == 1 and order.last_seq == 40


def test_a_replay_that_leaves_a_hole_starts_the_wait():
    order, clock = tracker()
    order.disconnected()
    order.receive(*added(6))
    assert seqs(order.receive("events_replay", {"events": []})) == []
    clock.now += 1.5
    assert order.sync_due() and order.counts["gaps"] == 1
