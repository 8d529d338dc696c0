// The phone's messages: cleared once stale (next action, phase or status change), and never
// shown when a closed workshop makes them irrelevant.
import assert from "node:assert/strict";
import { test } from "node:test";

import { initialMessages, messageStep } from "../../static/js/messages.js";

const OWN = "Vous ne pouvez pas soutenir votre propre contribution.";
const BUDGET = "Pas assez de gommettes : vous en avez 5 en tout, il vous en reste 0.";

function run(state, ...events) {
  let changes = [];
  for (const event of events) {
    const step = messageStep(state, event);
    state = step.state;
    changes = changes.concat(step.changes);
  }
  return { state, changes };
}
const show = (slot, text) => ({ type: "show", slot, text });
const workshop = (data) => ({ type: "workshop", workshop: data });
const open = initialMessages({ phase: "initiatives", status: "open" });

test("a message is shown in its slot and kept while nothing happens", () => {
  const { state, changes } = run(open, show("vote", OWN));
  assert.deepEqual(state.shown, { vote: OWN });
  assert.deepEqual(changes, [["vote", OWN]]);
  // Supports, votes, contributions of others: news that is not a phase or status change.
  assert.deepEqual(run(state, workshop({ phase: "initiatives", status: "open" })).changes, []);
});

test("the participant's next action clears every message", () => {
  const shown = run(open, show("vote", OWN), show("form-need", "Envoyée")).state;
  const { state, changes } = run(shown, { type: "action" });
  assert.deepEqual(state.shown, {});
  assert.deepEqual(changes.sort(), [["form-need", ""], ["vote", ""]]);
});

test("a phase change clears the messages, and so does a status change", () => {
  const shown = run(open, show("vote", BUDGET)).state;
  const moved = run(shown, workshop({ phase: "vote", status: "open" }));
  assert.deepEqual(moved.changes, [["vote", ""]]);
  assert.equal(moved.state.phase, "vote");
  const again = run(moved.state, show("vote", BUDGET)).state;
  const closed = run(again, workshop({ status: "closed" })); // workshop_status: no phase
  assert.deepEqual(closed.changes, [["vote", ""]]);
  assert.equal(closed.state.status, "closed");
  assert.equal(closed.state.phase, "vote");
});

test("once closed, a late vote refusal or confirmation is never shown", () => {
  const closed = run(open, workshop({ status: "closed" })).state;
  const late = run(closed, show("vote", BUDGET), show("form-initiative", "Envoyée"));
  assert.deepEqual(late.changes, []);
  assert.deepEqual(late.state.shown, {});
  // News of one's own contribution (a refusal) still matters after the close.
  const notice = run(closed, show("notice", "Votre contribution « X » n'a pas été retenue."));
  assert.deepEqual(notice.state.shown, { notice: "Votre contribution « X » n'a pas été retenue." });
});

test("reopening clears and lets messages show again", () => {
  const closed = initialMessages({ phase: "closed", status: "closed" });
  const reopened = run(closed, workshop({ phase: "initiatives", status: "open" }),
    show("vote", OWN));
  assert.deepEqual(reopened.state.shown, { vote: OWN });
});

test("an empty text clears its slot only", () => {
  const shown = run(open, show("vote", OWN), show("notice", "N")).state;
  const { state, changes } = run(shown, show("vote", ""));
  assert.deepEqual(state.shown, { notice: "N" });
  assert.deepEqual(changes, [["vote", ""]]);
});

test("a page that does not know its phase yet takes the first one without clearing", () => {
  const unknown = initialMessages(null);
  const shown = run(unknown, show("page", "Merci !")).state;
  const { state, changes } = run(shown, workshop({ phase: "welcome", status: "open" }));
  assert.deepEqual(changes, []);
  assert.equal(state.phase, "welcome");
});
