// Numbered room events: once, in order, a gap asks for the whole state again.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  awaitSync, disconnected, initialOrder, receive, syncFailed,
} from "../../static/js/sequence.js";

const event = (seq, name = "contribution_added") => [name, { seq, id: seq }];

/** Feed frames one after the other; returns the final order, names+seqs shown, syncs asked. */
function play(frames, order = initialOrder()) {
  const shown = [];
  let syncs = 0;
  for (const [name, payload] of frames) {
    const step = receive(order, name, payload);
    order = step.order;
    step.deliver.forEach(([n, p]) => shown.push(p && p.seq !== undefined ? `${n}#${p.seq}` : n));
    if (step.sync) syncs += 1;
  }
  return { order, shown, syncs };
}

describe("before the first state", () => {
  test("events wait for workshop_state, then only the newer ones are shown", () => {
    const { shown, order } = play([
      event(4), event(6), ["workshop_state", { seq: 5 }], event(7),
    ]);
    assert.deepEqual(shown, ["workshop_state#5", "contribution_added#6",
      "contribution_added#7"]);
    assert.equal(order.lastSeq, 7);
    assert.equal(order.held, null);
  });

  test("after a state without seq, the first numbered event sets the count", () => {
    const { shown, order, syncs } = play([["workshop_state", {}], event(3), event(4), event(9)]);
    assert.deepEqual(shown, ["workshop_state", "contribution_added#3", "contribution_added#4"]);
    assert.equal(order.lastSeq, 4);
    assert.equal(syncs, 1);
  });

  test("events without seq (presence) are held too, and delivered after the state", () => {
    const { shown } = play([["presence", { participants: 2 }], ["workshop_state", { seq: 1 }]]);
    assert.deepEqual(shown, ["workshop_state#1", "presence"]);
  });
});

describe("once live", () => {
  const live = () => play([["workshop_state", { seq: 10 }]]).order;

  test("the next seq is shown, a repeated or older one is dropped", () => {
    const { shown, order, syncs } = play([event(11), event(11), event(9), event(12)], live());
    assert.deepEqual(shown, ["contribution_added#11", "contribution_added#12"]);
    assert.equal(order.lastSeq, 12);
    assert.equal(syncs, 0);
  });

  test("a gap asks for a sync once and holds what follows", () => {
    const { shown, order, syncs } = play([event(13), event(14), event(15)], live());
    assert.deepEqual(shown, []);
    assert.equal(syncs, 1);
    assert.deepEqual(order.held.map(([, p]) => p.seq), [13, 14, 15]);
    assert.equal(order.lastSeq, 10);
  });

  test("the state answering the sync is shown, then the held events newer than it", () => {
    const gap = play([event(13), event(14)], live()).order;
    const { shown, order } = play([["workshop_state", { seq: 13 }]], gap);
    assert.deepEqual(shown, ["workshop_state#13", "contribution_added#14"]);
    assert.equal(order.lastSeq, 14);
    assert.equal(order.held, null);
  });

  test("events without seq go straight through", () => {
    const { shown, order } = play([["presence", { participants: 3 }]], live());
    assert.deepEqual(shown, ["presence"]);
    assert.equal(order.lastSeq, 10);
  });
});

describe("events_batch", () => {
  test("each event of a batch goes through the same rules, in order", () => {
    const batch = { events: [11, 11, 12, 14, 15].map((seq) => ({
      name: "contribution_updated", payload: { seq } })) };
    const order = play([["workshop_state", { seq: 10 }]]).order;
    const { shown, syncs, order: after } = play([["events_batch", batch]], order);
    assert.deepEqual(shown, ["contribution_updated#11", "contribution_updated#12"]);
    assert.equal(syncs, 1);
    assert.deepEqual(after.held.map(([, p]) => p.seq), [14, 15]);
  });

  test("an empty or malformed batch changes nothing", () => {
    const order = play([["workshop_state", { seq: 10 }]]).order;
    assert.deepEqual(play([["events_batch", null], ["events_batch", {}]], order).shown, []);
  });
});

describe("reconnection and events_replay", () => {
  test("after a drop, events wait for the replay; the replay comes first, overlaps dropped", () => {
    let order = play([["workshop_state", { seq: 10 }], event(11)]).order;
    order = disconnected(order);
    assert.deepEqual(order, { lastSeq: 11, held: [] });
    const replay = { events: [11, 12, 13].map((seq) => ({ name: "contribution_added",
      payload: { seq } })) };
    const { shown, order: after } = play([event(13), event(14), ["events_replay", replay]], order);
    assert.deepEqual(shown, ["contribution_added#12", "contribution_added#13",
      "contribution_added#14"]);
    assert.equal(after.lastSeq, 14);
    assert.equal(after.held, null);
  });

  test("a replay with a hole asks for a sync", () => {
    const order = disconnected(play([["workshop_state", { seq: 10 }]]).order);
    const replay = { events: [{ name: "contribution_added", payload: { seq: 12 } }] };
    const { shown, syncs } = play([["events_replay", replay]], order);
    assert.deepEqual(shown, []);
    assert.equal(syncs, 1);
  });

  test("an empty replay releases what was held", () => {
    const order = disconnected(play([["workshop_state", { seq: 10 }]]).order);
    const { shown } = play([event(11), ["events_replay", { events: [] }]], order);
    assert.deepEqual(shown, ["contribution_added#11"]);
  });
});

describe("a sync without a fresh state", () => {
  test("what was held is shown from its first numbered event on", () => {
    const held = play([event(13), ["presence", {}], event(14)],
      play([["workshop_state", { seq: 10 }]]).order).order;
    const step = syncFailed(held);
    assert.deepEqual(step.deliver.map(([n, p]) => (p.seq ? `${n}#${p.seq}` : n)),
      ["contribution_added#13", "presence", "contribution_added#14"]);
    assert.equal(step.order.lastSeq, 14);
    assert.equal(step.order.held, null);
    assert.equal(step.sync, false);
  });

  test("a gap among the held events asks again", () => {
    const held = play([event(13), event(20)], play([["workshop_state", { seq: 10 }]]).order).order;
    const step = syncFailed(held);
    assert.deepEqual(step.deliver.map(([, p]) => p.seq), [13]);
    assert.equal(step.sync, true);
    assert.deepEqual(step.order.held.map(([, p]) => p.seq), [20]);
  });

  test("a retried sync holds the events that come meanwhile", () => {
    const live = play([["workshop_state", { seq: 10 }]]).order;
    const waiting = awaitSync(live);
    assert.deepEqual(waiting.held, []);
    assert.deepEqual(play([event(11)], waiting).shown, []);
    assert.equal(awaitSync(play([event(13)], live).order).held.length, 1); // keeps the gap
  });
});

test("the functions never change the order they are given", () => {
  const order = play([["workshop_state", { seq: 10 }], event(12)]).order;
  const frozen = JSON.stringify(order);
  receive(order, ...event(13));
  syncFailed(order);
  awaitSync(order);
  disconnected(order);
  assert.equal(JSON.stringify(order), frozen);
});
