"""A swarm client's receipts through its ordering tracker (no server: frames fed by hand)."""

from __future__ import annotations

import asyncio

from bench.swarm import Swarm


def item(client_id: str, seq: int | None = None) -> dict:
    payload = {"id": hash(client_id) % 1000, "description": f"bench {client_id} 0.0"}
    return payload if seq is None else {**payload, "seq": seq}


def feed(frames: list[tuple[str, dict]]):
    swarm = Swarm("http://127.0.0.1:1", 1, "CODE")
    client = swarm.new_client()
    receipts = swarm.begin_step("s1r5x")

    async def run() -> None:
        for name, payload in frames:
            await client._on_frame(name, payload)

    asyncio.run(run())
    return client, receipts


def test_live_events_count_with_latency_replayed_ones_without():
    client, receipts = feed([
        ("workshop_state", {"seq": 1, "contributions": []}),
        ("contribution_added", item("s1r5x0xa", 2)),
        ("events_batch", {"events": [{"name": "contribution_added", "seq": 3,
                                      "payload": item("s1r5x1xb", 3)}]}),
    ])
    client.order.disconnected()
    asyncio.run(client._on_frame("events_replay", {"events": [
        {"name": "contribution_added", "seq": 4, "payload": item("s1r5x2xc", 4)}]}))
    assert dict(receipts.seen[client.index]) == {"s1r5x0xa": 1, "s1r5x1xb": 1, "s1r5x2xc": 1}
    assert len(receipts.latencies) == 2 and client.order.counts["replays"] == 1


def test_an_item_drawn_by_a_state_then_announced_is_received_once():
    client, receipts = feed([
        ("workshop_state", {"seq": 1, "contributions": []}),
        ("workshop_state", {"seq": 5, "contributions": [item("s1r5x0xa")]}),
        ("contribution_added", item("s1r5x0xa", 6)),
    ])
    assert receipts.seen[client.index]["s1r5x0xa"] == 1 and receipts.latencies == []


def test_an_item_announced_twice_under_two_seqs_is_a_duplicate():
    client, receipts = feed([
        ("workshop_state", {"seq": 1, "contributions": []}),
        ("contribution_added", item("s1r5x0xa", 2)),
        ("contribution_added", item("s1r5x0xa", 3)),
        ("contribution_added", item("s1r5x0xa", 3)),  # same seq: dropped as stale
    ])
    assert receipts.seen[client.index]["s1r5x0xa"] == 2
    assert client.order.counts["stale"] == 1


def test_a_gap_left_open_asks_sync_and_the_state_it_brings_fills_the_hole():
    swarm = Swarm("http://127.0.0.1:1", 1, "CODE")
    client = swarm.new_client()
    receipts = swarm.begin_step("s1r5x")
    client.order.wait = 0  # the browser's 1.5 s, run out at once
    asked = []

    async def call(event, data, namespace, timeout):
        asked.append(event)
        await client._on_frame("workshop_state", {"seq": 3, "contributions": [
            item("s1r5x0xa"), item("s1r5x1xb")]})
        return {"ok": True, "seq": 3}

    client.sio.call = call

    async def run() -> None:
        await client._on_frame("workshop_state", {"seq": 1, "contributions": []})
        await client._on_frame("contribution_added", item("s1r5x1xb", 3))  # 2 never comes
        while client.order.counts["sync_states"] == 0:
            await asyncio.sleep(0)

    asyncio.run(asyncio.wait_for(run(), 5))
    assert asked == ["sync"] and client.order.counts["syncs"] == 1
    assert dict(receipts.seen[client.index]) == {"s1r5x0xa": 1, "s1r5x1xb": 1}
    assert client.order.last_seq == 3 and client.order.held == 0
