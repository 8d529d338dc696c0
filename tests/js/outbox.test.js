// The phone's outbox rules: what stays, what leaves on which answer, and when it is retried.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { ackOutcome } from "../../static/js/acks.js";
import {
  backoff, dueOnReconnect, enqueue, MAX_BACKOFF_MS, nextDue, settle, validEntries,
} from "../../static/js/outbox-queue.js";

const NOW = 1_000_000;
const payload = (id) => ({ client_id: id, kind: "need", description: `Besoin ${id}` });
const queue = (...ids) => ids.reduce((list, id) => enqueue(list, payload(id), NOW), []);
const middle = () => 0.5; // no jitter
const ids = (list) => list.map((e) => e.id);

/** The outbox after one answer to `id`, as outbox.js computes it. */
function answer(list, id, error, ack, now = NOW, random = middle) {
  return settle(list, id, ackOutcome(error, ack), ack, now, random);
}

describe("queueing", () => {
  test("entries wait in the order they were made, each client_id once", () => {
    const list = enqueue(queue("a", "b"), payload("a"), NOW + 5);
    assert.deepEqual(ids(list), ["a", "b"]);
    assert.deepEqual(list[0], { id: "a", payload: payload("a"), queued_at: NOW, attempts: 0 });
  });

  test("the oldest due entry goes first; one waiting for its retry time is skipped", () => {
    let list = answer(queue("a", "b"), "a", new Error("timeout"), undefined);
    assert.equal(nextDue(list, NOW).id, "b");
    assert.equal(nextDue(list, list[0].next_at).id, "a");
    assert.equal(nextDue([], NOW), undefined);
    list = answer(list, "b", null, { ok: false, error: "Trop vite", retry_after: 3 });
    assert.equal(nextDue(list, NOW), undefined);
  });

  test("what storage gives back is kept only when it can be sent", () => {
    const good = queue("a")[0];
    assert.deepEqual(validEntries([good, null, { id: "x" }, { payload: {} }, 3]), [good]);
    assert.deepEqual(validEntries({ id: "a" }), []);
    assert.deepEqual(validEntries(null), []);
  });
});

describe("answers", () => {
  test("an ok answer takes the entry out (also a resend the server already had)", () => {
    assert.deepEqual(ids(answer(queue("a", "b"), "a", null, { ok: true, id: 7 })), ["b"]);
    assert.deepEqual(ids(answer(queue("a"), "a", null, { ok: true, duplicate: true })), []);
  });

  test("a definitive refusal takes it out too: it goes back to the person's form", () => {
    const ack = { ok: false, error: "Champs invalides", fields: { description: "Requis" } };
    assert.equal(ackOutcome(null, ack), "refused");
    assert.deepEqual(ids(answer(queue("a", "b"), "b", null, ack)), ["a"]);
  });

  test("no answer keeps it, with one more attempt and a later retry time", () => {
    for (const [error, ack] of [[new Error("operation has timed out"), undefined],
      [null, undefined], [null, null]]) {
      assert.equal(ackOutcome(error, ack), "retry");
      const [entry] = answer(queue("a"), "a", error, ack);
      assert.equal(entry.attempts, 1);
      assert.equal(entry.next_at, NOW + 2000);
      assert.equal(entry.limited, false);
      assert.deepEqual(entry.payload, payload("a"));
    }
  });

  test("a rate limit or server error keeps it until the server's retry_after", () => {
    const ack = { ok: false, error: "Réessayez", retry_after: 7 };
    assert.equal(ackOutcome(null, ack), "retry");
    const [entry] = answer(queue("a"), "a", null, ack);
    assert.equal(entry.next_at, NOW + 7000);
    assert.equal(entry.limited, true);
  });

  test("an error wins over an ok-looking answer", () => {
    assert.equal(ackOutcome(new Error("timeout"), { ok: true }), "retry");
  });

  test("settling leaves the other entries and the given list untouched", () => {
    const list = queue("a", "b");
    const frozen = JSON.stringify(list);
    const after = answer(list, "a", new Error("timeout"), undefined);
    assert.equal(JSON.stringify(list), frozen);
    assert.equal(after[1], list[1]);
  });
});

describe("backoff", () => {
  test("doubles from 2 s with each attempt up to 32 s, capped at 30 s", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 12].map((n) => backoff(n, null, middle)),
      [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    assert.equal(MAX_BACKOFF_MS, 30000);
  });

  test("jitters within ±25 %", () => {
    assert.equal(backoff(2, null, () => 0), 3000);
    assert.equal(backoff(2, null, () => 0.999999).toFixed(0), "5000");
  });

  test("the server's retry_after wins", () => {
    assert.equal(backoff(4, { retry_after: 2 }, () => 0), 2000);
  });

  test("repeated failures space the retries further apart", () => {
    let list = queue("a");
    const delays = [];
    for (let i = 0; i < 4; i += 1) {
      list = answer(list, "a", new Error("timeout"), undefined);
      delays.push(list[0].next_at - NOW);
    }
    assert.deepEqual(delays, [2000, 4000, 8000, 16000]);
  });
});

test("a reconnection makes everything due at once, except what a rate limit holds back", () => {
  let list = answer(queue("a", "b"), "a", new Error("timeout"), undefined);
  list = answer(list, "b", null, { ok: false, retry_after: 60 });
  const after = dueOnReconnect(list);
  assert.equal(after[0].next_at, 0);
  assert.equal(after[1].next_at, NOW + 60000);
  assert.equal(nextDue(after, NOW).id, "a");
  assert.equal(list[0].next_at, NOW + 2000); // the given list is not changed
});
