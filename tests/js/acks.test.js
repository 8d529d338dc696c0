// Emit with an acknowledgement: one answer per emit, null when none came.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ACK_TIMEOUT_MS, emitWithAck } from "../../static/js/acks.js";

/** A socket.io-like socket whose acknowledgement is given by the test. */
function fakeSocket(error, ack) {
  const sent = [];
  return {
    sent,
    timeout(ms) {
      return { emit: (event, payload, callback) => {
        sent.push({ ms, event, payload });
        callback(error, ack);
      } };
    },
  };
}

test("the answer, its meaning and the default timeout", () => {
  const socket = fakeSocket(null, { ok: true, id: 3 });
  const answers = [];
  emitWithAck(socket, "vote", { id: 3, dots: 1 }, (answer) => answers.push(answer));
  assert.deepEqual(socket.sent, [{ ms: ACK_TIMEOUT_MS, event: "vote", payload: { id: 3, dots: 1 } }]);
  assert.deepEqual(answers, [{ outcome: "ok", ack: { ok: true, id: 3 } }]);
});

test("a timeout gives no ack and a retry", () => {
  const answers = [];
  emitWithAck(fakeSocket(new Error("operation has timed out")), "sync", null,
    (answer) => answers.push(answer), 500);
  assert.deepEqual(answers, [{ outcome: "retry", ack: null }]);
});

test("a refusal keeps the server's answer for its message", () => {
  const ack = { ok: false, error: "Plus de gommettes" };
  const answers = [];
  emitWithAck(fakeSocket(null, ack), "vote", {}, (answer) => answers.push(answer));
  assert.deepEqual(answers, [{ outcome: "refused", ack }]);
});
