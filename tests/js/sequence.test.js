// Numbered room events: once, in order; a gap waits for the missing numbers, then asks for
// the whole state again.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  awaitSync, disconnected, gapExpired, initialOrder, receive, syncFailed,
} from "../../static/js/sequence.js";

const event = (seq, name = "contribution_added") => [name, { seq, id: seq }];

/** Feed frames one after the other; returns the final order, names+seqs shown, syncs asked
 * and waits started. */
function play(frames, order = initialOrder()) {
  const shown = [];
  let syncs = 0;
  let waits = 0;
  for (const [name, payload] of frames) {
    const step = receive(order, name, payload);
    order = step.order;
    step.deliver.forEach(([n, p]) => shown.push(p && p.seq !== undefined ? `${n}#${p.seq}` : n));
    if (step.sync) syncs += 1;
    if (step.wait) waits += 1;
  }
  return { order, shown, syncs, waits };
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
    const { shown, order, waits } = play([["workshop_state", {}], event(3), event(4), event(9)]);
    assert.deepEqual(shown, ["workshop_state", "contribution_added#3", "contribution_added#4"]);
    assert.equal(order.lastSeq, 4);
    assert.equal(waits, 1);
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

  test("a gap waits once, holding what follows, and asks for no sync yet", () => {
    const { shown, order, syncs, waits } = play([event(13), event(14), event(15)], live());
    assert.deepEqual(shown, []);
    assert.equal(syncs, 0);
    assert.equal(waits, 1);
    assert.deepEqual(order.gap.map(([, p]) => p.seq), [13, 14, 15]);
    assert.equal(order.lastSeq, 10);
  });

  test("the missing numbers arriving within the wait release everything in order", () => {
    const { shown, order, syncs } = play([
      event(13), ["presence", { participants: 2 }], event(12), event(13), event(11), event(14),
    ], live());
    assert.deepEqual(shown, ["contribution_added#11", "contribution_added#12",
      "contribution_added#13", "presence", "contribution_added#14"]);
    assert.equal(order.lastSeq, 14);
    assert.equal(order.gap, null);
    assert.equal(syncs, 0);
  });

  test("a gap left behind a closed one starts a wait of its own", () => {
    const { shown, order, waits } = play([event(12), event(15), event(11)], live());
    assert.deepEqual(shown, ["contribution_added#11", "contribution_added#12"]);
    assert.deepEqual(order.gap.map(([, p]) => p.seq), [15]);
    assert.equal(waits, 2);
  });

  test("a wait that runs out asks for a sync, holding what came", () => {
    const gap = play([event(13), event(14)], live()).order;
    const step = gapExpired(gap);
    assert.equal(step.sync, true);
    assert.deepEqual(step.deliver, []);
    assert.deepEqual(step.order.held.map(([, p]) => p.seq), [13, 14]);
    assert.equal(step.order.gap, null);
    assert.deepEqual(play([event(15)], step.order).shown, []); // held until the state
  });

  test("a wait that runs out after its gap closed does nothing", () => {
    const order = play([event(12), event(11)], live()).order;
    const step = gapExpired(order);
    assert.equal(step.sync, false);
    assert.equal(step.order, order);
  });

  test("the state answering the sync is shown, then the held events newer than it", () => {
    const gap = gapExpired(play([event(13), event(14)], live()).order).order;
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
    const { shown, waits, order: after } = play([["events_batch", batch]], order);
    assert.deepEqual(shown, ["contribution_updated#11", "contribution_updated#12"]);
    assert.equal(waits, 1);
    assert.deepEqual(after.gap.map(([, p]) => p.seq), [14, 15]);
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
    assert.deepEqual(order, { lastSeq: 11, held: [], gap: null });
    const replay = { events: [11, 12, 13].map((seq) => ({ name: "contribution_added",
      payload: { seq } })) };
    const { shown, order: after } = play([event(13), event(14), ["events_replay", replay]], order);
    assert.deepEqual(shown, ["contribution_added#12", "contribution_added#13",
      "contribution_added#14"]);
    assert.equal(after.lastSeq, 14);
    assert.equal(after.held, null);
  });

  test("a replay with a hole waits for the missing number", () => {
    const order = disconnected(play([["workshop_state", { seq: 10 }]]).order);
    const replay = { events: [{ name: "contribution_added", payload: { seq: 12 } }] };
    const { shown, waits, order: after } = play([["events_replay", replay]], order);
    assert.deepEqual(shown, []);
    assert.equal(waits, 1);
    assert.equal(gapExpired(after).sync, true);
  });

  test("a drop forgets the wait: the replay brings what is missing", () => {
    const order = disconnected(play([["workshop_state", { seq: 10 }], event(12)]).order);
    assert.equal(order.gap, null);
    const replay = { events: [11, 12].map((seq) => ({ name: "contribution_added",
      payload: { seq } })) };
    assert.deepEqual(play([["events_replay", replay]], order).shown,
      ["contribution_added#11", "contribution_added#12"]);
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

  test("a gap among the held events waits again", () => {
    const held = play([event(13), event(20)], play([["workshop_state", { seq: 10 }]]).order).order;
    const step = syncFailed(held);
    assert.deepEqual(step.deliver.map(([, p]) => p.seq), [13]);
    assert.equal(step.wait, true);
    assert.deepEqual(step.order.gap.map(([, p]) => p.seq), [20]);
  });

  test("a retried sync holds the events that come meanwhile", () => {
    const live = play([["workshop_state", { seq: 10 }]]).order;
    const waiting = awaitSync(live);
    assert.deepEqual(waiting.held, []);
    assert.deepEqual(play([event(11)], waiting).shown, []);
    const waiting2 = awaitSync(play([event(13)], live).order);
    assert.equal(waiting2.held.length, 1); // keeps the gap
    assert.equal(waiting2.gap, null);
  });
});

test("the functions never change the order they are given", () => {
  const order = play([["workshop_state", { seq: 10 }], event(12)]).order;
  assert.notEqual(order.gap, null);
  const frozen = JSON.stringify(order);
  receive(order, ...event(13));
  syncFailed(order);
  gapExpired(order);
  awaitSync(order);
  disconnected(order);
  assert.equal(JSON.stringify(order), frozen);
});
